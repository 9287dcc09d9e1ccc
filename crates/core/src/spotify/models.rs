//! Wire models (what Spotify sends, in both the 2026 development-mode shape and the older one)
//! and the view models the UI receives (camelCase JSON).
//!
//! Wire models are deliberately lenient: every field Spotify has ever omitted or nulled is
//! optional, and one odd entry in a list degrades to a placeholder instead of failing the page.

use super::ids::{AlbumId, ArtistId, EpisodeId, PlaylistId, TrackId};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// Items per page for playlists and playlist items.
pub const PAGE_SIZE: u32 = 10;

// ---------------------------------------------------------------------------------------------
// View models
// ---------------------------------------------------------------------------------------------

/// The signed-in user.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    /// Display name, or the user ID when Spotify has none.
    pub display_name: String,
}

/// An image; Spotify lists the largest first.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// An artist as credited on a track; `id` is `None` for local files.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ArtistRef {
    pub id: Option<ArtistId>,
    pub name: String,
}

/// The album a track is on.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlbumRef {
    pub id: Option<AlbumId>,
    pub name: String,
    pub images: Vec<Image>,
    pub release_date: Option<String>,
    pub release_year: Option<u16>,
}

/// A Spotify track.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Track {
    pub id: TrackId,
    pub name: String,
    pub artists: Vec<ArtistRef>,
    pub album: Option<AlbumRef>,
    pub duration_ms: u64,
    pub explicit: bool,
    pub is_local: bool,
    /// False when Spotify says the track cannot be played in the user's market.
    pub is_playable: bool,
    /// The recording's ISRC (`external_ids.isrc`), normalised; how facts about it are found.
    pub isrc: Option<String>,
}

/// A Spotify artist; fields removed for development-mode apps are optional or empty.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Artist {
    pub id: ArtistId,
    pub name: String,
    pub images: Vec<Image>,
    pub genres: Vec<String>,
    pub followers: Option<u64>,
    pub popularity: Option<u8>,
}

/// A playlist as listed and as shown on its own page.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlaylistSummary {
    pub id: PlaylistId,
    pub name: String,
    /// Spotify's description: plain text that may contain HTML entities; show it as text.
    pub description: Option<String>,
    /// Owner's display name (or ID).
    pub owner: String,
    /// Owner's Spotify user ID (`spotify` for Spotify's own playlists).
    pub owner_id: Option<String>,
    /// Whether the owner lets others edit it (then its items are open to collaborators).
    pub collaborative: bool,
    /// True when the user neither owns it nor may edit it: Spotify then refuses its items to
    /// Development Mode apps, and the list says so before anyone clicks.
    pub followed: bool,
    pub images: Vec<Image>,
    pub total_items: u32,
}

/// A single playlist (same fields as in the list).
pub type Playlist = PlaylistSummary;

/// One entry of a playlist; anything that is not a playable Spotify track says what it is.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum PlaylistEntry {
    /// A Spotify track.
    Track {
        track: Track,
        added_at: Option<String>,
    },
    /// A file from the owner's computer: no IDs, cannot be opened in Spotify.
    LocalFile {
        name: String,
        artists: Vec<String>,
        album: Option<String>,
        duration_ms: u64,
    },
    /// A podcast episode.
    Episode {
        id: Option<EpisodeId>,
        name: String,
        show: Option<String>,
        duration_ms: u64,
    },
    /// A track that cannot be played (not in the user's market, or without a usable ID).
    Unavailable { name: String },
    /// The item is gone (Spotify sends null).
    Missing,
}

/// What is playing in any of the user's Spotify clients.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum NowPlaying {
    /// A track.
    Track {
        track: Track,
        progress_ms: Option<u64>,
        is_playing: bool,
    },
    /// A podcast episode.
    Episode {
        id: Option<EpisodeId>,
        name: String,
        show: Option<String>,
        progress_ms: Option<u64>,
        is_playing: bool,
    },
    /// An advertisement.
    Ad { is_playing: bool },
    /// Something Spotify does not describe (null item, local file).
    Unknown { is_playing: bool },
}

/// One page of a list, with 1-based page numbers for "page N of M".
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub offset: u32,
    pub limit: u32,
    pub total: u32,
    /// 1-based page number, at most `pages`.
    pub page: u32,
    /// Number of pages, at least 1 even when the list is empty.
    pub pages: u32,
}

impl<T> Page<T> {
    /// Builds a page; `limit` 0 is treated as 1 so the arithmetic stays defined.
    pub fn new(items: Vec<T>, offset: u32, limit: u32, total: u32) -> Self {
        let limit = limit.max(1);
        let pages = total.div_ceil(limit).max(1);
        let page = (offset / limit + 1).min(pages);
        Self {
            items,
            offset,
            limit,
            total,
            page,
            pages,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Wire models
// ---------------------------------------------------------------------------------------------

/// `null` (or a missing field) becomes the default value.
fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Anything that is not the expected object (null, `false`, a string) becomes `None`.
fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    Ok(serde_json::from_value(Value::deserialize(deserializer)?).ok())
}

#[derive(Deserialize)]
pub(crate) struct WireUser {
    id: String,
    display_name: Option<String>,
}

#[derive(Deserialize)]
struct WireImage {
    url: String,
    #[serde(default, deserialize_with = "lenient")]
    width: Option<u32>,
    #[serde(default, deserialize_with = "lenient")]
    height: Option<u32>,
}

/// An image list where each entry stands alone: one with a null `url` or an odd size is
/// dropped (or its size forgotten) without taking the album, artist or playlist with it.
fn lenient_images<'de, D>(deserializer: D) -> Result<Vec<WireImage>, D::Error>
where
    D: Deserializer<'de>,
{
    let raw: Option<Vec<Value>> = lenient(deserializer)?;
    Ok(raw
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| serde_json::from_value::<WireImage>(v).ok())
        .filter(|i| !i.url.trim().is_empty())
        .collect())
}

#[derive(Deserialize)]
struct WireNamed {
    id: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
struct WireAlbum {
    id: Option<String>,
    name: Option<String>,
    #[serde(default, deserialize_with = "lenient_images")]
    images: Vec<WireImage>,
    release_date: Option<String>,
}

/// A track or an episode (playlist items and now-playing can hold either).
#[derive(Deserialize)]
pub(crate) struct WireItem {
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<String>,
    name: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    artists: Vec<WireNamed>,
    #[serde(default, deserialize_with = "lenient")]
    album: Option<WireAlbum>,
    #[serde(default, deserialize_with = "lenient")]
    show: Option<WireNamed>,
    duration_ms: Option<u64>,
    explicit: Option<bool>,
    is_local: Option<bool>,
    is_playable: Option<bool>,
    #[serde(default, deserialize_with = "lenient")]
    external_ids: Option<WireExternalIds>,
}

/// `external_ids` of a track: only the ISRC is used (to find the recording in MusicBrainz).
#[derive(Deserialize)]
struct WireExternalIds {
    #[serde(default, deserialize_with = "lenient")]
    isrc: Option<String>,
}

/// An ISRC as 12 upper-case letters and digits (Spotify sometimes sends lower case or
/// hyphens); anything else is dropped rather than sent to MusicBrainz.
fn isrc(raw: Option<WireExternalIds>) -> Option<String> {
    let code: String = raw?
        .isrc?
        .chars()
        .filter(|c| *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == 12 && code.chars().all(|c| c.is_ascii_alphanumeric())).then_some(code)
}

#[derive(Deserialize)]
pub(crate) struct WireArtist {
    id: String,
    name: Option<String>,
    #[serde(default, deserialize_with = "lenient_images")]
    images: Vec<WireImage>,
    #[serde(default, deserialize_with = "null_default")]
    genres: Vec<String>,
    #[serde(default, deserialize_with = "lenient")]
    followers: Option<WireFollowers>,
    #[serde(default, deserialize_with = "lenient")]
    popularity: Option<u8>,
}

#[derive(Deserialize)]
struct WireFollowers {
    total: Option<u64>,
}

#[derive(Deserialize)]
struct WireTotal {
    total: Option<u32>,
}

/// A simplified (from `/me/playlists`) or full (from `/playlists/{id}`) playlist.
#[derive(Deserialize)]
pub(crate) struct WirePlaylist {
    id: String,
    name: Option<String>,
    description: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    owner: Option<WireUser>,
    collaborative: Option<bool>,
    #[serde(default, deserialize_with = "lenient_images")]
    images: Vec<WireImage>,
    /// Since 2026 (development mode): `items: {href, total}`.
    #[serde(default, deserialize_with = "lenient")]
    items: Option<WireTotal>,
    /// Before 2026 / extended quota: `tracks: {href, total}`.
    #[serde(default, deserialize_with = "lenient")]
    tracks: Option<WireTotal>,
}

/// An entry of `/playlists/{id}/items`; the object is under `item` (2026) or `track` (older).
#[derive(Deserialize)]
pub(crate) struct WirePlaylistItem {
    added_at: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    item: Option<WireItem>,
    #[serde(default, deserialize_with = "lenient")]
    track: Option<WireItem>,
    is_local: Option<bool>,
}

/// A paging object; entries stay raw so one bad entry cannot fail the page.
#[derive(Deserialize)]
pub(crate) struct WirePaging {
    #[serde(default, deserialize_with = "null_default")]
    pub(crate) items: Vec<Value>,
    pub(crate) offset: Option<u32>,
    pub(crate) total: Option<u32>,
}

/// `GET /me/player/currently-playing`.
#[derive(Deserialize)]
pub(crate) struct WireCurrentlyPlaying {
    is_playing: Option<bool>,
    progress_ms: Option<u64>,
    currently_playing_type: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    item: Option<WireItem>,
}

// ---------------------------------------------------------------------------------------------
// Wire -> view
// ---------------------------------------------------------------------------------------------

fn images(wire: Vec<WireImage>) -> Vec<Image> {
    wire.into_iter()
        .map(|i| Image {
            url: i.url,
            width: i.width,
            height: i.height,
        })
        .collect()
}

fn name_or_unknown(name: Option<String>) -> String {
    name.filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "Unknown".to_string())
}

impl From<WireUser> for User {
    fn from(wire: WireUser) -> Self {
        Self {
            display_name: wire.display_name.unwrap_or_else(|| wire.id.clone()),
            id: wire.id,
        }
    }
}

impl From<WireAlbum> for AlbumRef {
    fn from(wire: WireAlbum) -> Self {
        let release_year = wire
            .release_date
            .as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok());
        Self {
            id: wire.id.and_then(|id| id.parse().ok()),
            name: name_or_unknown(wire.name),
            images: images(wire.images),
            release_date: wire.release_date,
            release_year,
        }
    }
}

impl WireItem {
    fn is_episode(&self) -> bool {
        self.kind.as_deref() == Some("episode")
    }

    fn artist_names(&self) -> Vec<String> {
        self.artists.iter().filter_map(|a| a.name.clone()).collect()
    }

    /// The track view, or `None` when the item has no valid track ID (local files, episodes).
    pub(crate) fn into_track(self) -> Option<Track> {
        if self.is_episode() || self.is_local == Some(true) {
            return None;
        }
        let id = self.id.as_deref()?.parse().ok()?;
        Some(Track {
            id,
            name: name_or_unknown(self.name),
            artists: self
                .artists
                .into_iter()
                .map(|a| ArtistRef {
                    id: a.id.and_then(|id| id.parse().ok()),
                    name: name_or_unknown(a.name),
                })
                .collect(),
            album: self.album.map(AlbumRef::from),
            duration_ms: self.duration_ms.unwrap_or(0),
            explicit: self.explicit.unwrap_or(false),
            is_local: false,
            is_playable: self.is_playable.unwrap_or(true),
            isrc: isrc(self.external_ids),
        })
    }
}

impl WireArtist {
    /// The view, or `None` when the artist ID is unusable.
    pub(crate) fn into_view(self) -> Option<Artist> {
        Some(Artist {
            id: self.id.parse().ok()?,
            name: name_or_unknown(self.name),
            images: images(self.images),
            genres: self.genres,
            followers: self.followers.and_then(|f| f.total),
            popularity: self.popularity,
        })
    }
}

impl PlaylistSummary {
    /// Marks whether `user_id` only follows this playlist (neither owns nor collaborates).
    pub(crate) fn seen_by(mut self, user_id: &str) -> Self {
        self.followed = !self.collaborative && self.owner_id.as_deref() != Some(user_id);
        self
    }

    /// Whether Spotify itself owns it (editorial and algorithmic playlists).
    pub fn is_spotify_owned(&self) -> bool {
        self.owner_id.as_deref() == Some("spotify")
    }
}

impl WirePlaylist {
    /// The view, or `None` when the playlist ID is unusable.
    pub(crate) fn into_view(self) -> Option<PlaylistSummary> {
        let total = self.items.or(self.tracks).and_then(|t| t.total);
        let owner = self.owner.map(User::from);
        Some(PlaylistSummary {
            id: self.id.parse().ok()?,
            name: name_or_unknown(self.name),
            description: self.description.filter(|d| !d.trim().is_empty()),
            owner: owner
                .as_ref()
                .map(|o| o.display_name.clone())
                .unwrap_or_default(),
            owner_id: owner.map(|o| o.id),
            collaborative: self.collaborative.unwrap_or(false),
            followed: false,
            images: images(self.images),
            total_items: total.unwrap_or(0),
        })
    }
}

impl From<WirePlaylistItem> for PlaylistEntry {
    fn from(wire: WirePlaylistItem) -> Self {
        let Some(item) = wire.item.or(wire.track) else {
            return Self::Missing;
        };
        if item.is_local == Some(true) || wire.is_local == Some(true) {
            return Self::LocalFile {
                artists: item.artist_names(),
                album: item.album.as_ref().and_then(|a| a.name.clone()),
                duration_ms: item.duration_ms.unwrap_or(0),
                name: name_or_unknown(item.name),
            };
        }
        if item.is_episode() {
            return Self::Episode {
                id: item.id.and_then(|id| id.parse().ok()),
                show: item.show.and_then(|s| s.name),
                duration_ms: item.duration_ms.unwrap_or(0),
                name: name_or_unknown(item.name),
            };
        }
        let name = name_or_unknown(item.name.clone());
        match item.into_track() {
            Some(track) if track.is_playable => Self::Track {
                track,
                added_at: wire.added_at,
            },
            _ => Self::Unavailable { name },
        }
    }
}

impl From<WireCurrentlyPlaying> for NowPlaying {
    fn from(wire: WireCurrentlyPlaying) -> Self {
        let is_playing = wire.is_playing.unwrap_or(false);
        let progress_ms = wire.progress_ms;
        if wire.currently_playing_type.as_deref() == Some("ad") {
            return Self::Ad { is_playing };
        }
        let Some(item) = wire.item else {
            return Self::Unknown { is_playing };
        };
        if item.is_episode() {
            return Self::Episode {
                id: item.id.and_then(|id| id.parse().ok()),
                show: item.show.and_then(|s| s.name),
                name: name_or_unknown(item.name),
                progress_ms,
                is_playing,
            };
        }
        match item.into_track() {
            Some(track) => Self::Track {
                track,
                progress_ms,
                is_playing,
            },
            None => Self::Unknown { is_playing },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn page_edges() {
        let empty = Page::<u8>::new(vec![], 0, 10, 0);
        assert_eq!((empty.page, empty.pages), (1, 1));
        let ten = Page::new(vec![0u8; 10], 0, 10, 10);
        assert_eq!((ten.page, ten.pages), (1, 1));
        let last = Page::new(vec![0u8; 3], 120, 10, 123);
        assert_eq!((last.page, last.pages, last.items.len()), (13, 13, 3));
        let second = Page::<u8>::new(vec![], 10, 10, 123);
        assert_eq!(second.page, 2);
        let beyond = Page::<u8>::new(vec![], 500, 10, 123);
        assert_eq!((beyond.page, beyond.pages), (13, 13));
        let zero_limit = Page::<u8>::new(vec![], 0, 0, 5);
        assert_eq!(zero_limit.pages, 5);
    }

    #[test]
    fn page_serialises_camel_case() {
        let value = serde_json::to_value(Page::new(vec![1], 0, 10, 1)).unwrap();
        assert_eq!(
            value,
            json!({"items":[1],"offset":0,"limit":10,"total":1,"page":1,"pages":1})
        );
    }

    #[test]
    fn tolerant_track_without_optional_fields() {
        let wire: WireItem = serde_json::from_value(json!({
            "id": "4uLU6hMCjMI75M1A2tKUQC", "name": "Song", "artists": null, "album": null
        }))
        .unwrap();
        let track = wire.into_track().unwrap();
        assert!(track.artists.is_empty() && track.album.is_none() && track.is_playable);
    }

    #[test]
    fn entries_tagged_for_the_ui() {
        let value = serde_json::to_value(PlaylistEntry::LocalFile {
            name: "a".into(),
            artists: vec![],
            album: None,
            duration_ms: 1,
        })
        .unwrap();
        assert_eq!(value["type"], "localFile");
        assert_eq!(value["durationMs"], 1);
        let value = serde_json::to_value(PlaylistEntry::Missing).unwrap();
        assert_eq!(value, json!({"type": "missing"}));
        let value = serde_json::to_value(NowPlaying::Ad { is_playing: true }).unwrap();
        assert_eq!(value, json!({"type": "ad", "isPlaying": true}));
    }

    #[test]
    fn one_odd_image_is_skipped_alone() {
        let wire: WireItem = serde_json::from_value(json!({
            "id": "4uLU6hMCjMI75M1A2tKUQC", "name": "Song", "type": "track",
            "album": { "name": "Album", "release_date": "1999-01-01", "images": [
                { "url": null, "width": 640, "height": 640 },
                { "url": "https://i.scdn.co/image/a", "width": -1, "height": "300" },
                { "url": "https://i.scdn.co/image/b", "width": 64, "height": 64 },
                "not an image"
            ]}
        }))
        .unwrap();
        let album = wire.into_track().unwrap().album.unwrap();
        assert_eq!(
            (album.name.as_str(), album.release_year),
            ("Album", Some(1999))
        );
        let sizes: Vec<_> = album.images.iter().map(|i| (i.width, i.height)).collect();
        assert_eq!(sizes, [(None, None), (Some(64), Some(64))]);
    }

    #[test]
    fn followed_is_neither_owned_nor_collaborative() {
        let playlist = |owner: &str, collaborative: bool| {
            serde_json::from_value::<WirePlaylist>(json!({
                "id": "37i9dQZF1DXcBWIGoYBM5M", "name": "P", "collaborative": collaborative,
                "owner": { "id": owner }, "images": null
            }))
            .unwrap()
            .into_view()
            .unwrap()
            .seen_by("me")
        };
        assert!(!playlist("me", false).followed);
        assert!(!playlist("friend", true).followed);
        assert!(playlist("friend", false).followed);
        assert!(playlist("spotify", false).is_spotify_owned());
    }

    #[test]
    fn old_and_new_item_keys() {
        let item = json!({"id": "4uLU6hMCjMI75M1A2tKUQC", "name": "Song", "type": "track"});
        for key in ["item", "track"] {
            let wire: WirePlaylistItem =
                serde_json::from_value(json!({ key: item.clone() })).unwrap();
            assert!(matches!(
                PlaylistEntry::from(wire),
                PlaylistEntry::Track { .. }
            ));
        }
        let wire: WirePlaylistItem = serde_json::from_value(json!({"item": null})).unwrap();
        assert_eq!(PlaylistEntry::from(wire), PlaylistEntry::Missing);
    }
}

//! Wire models into view models.

use super::view::*;
use super::wire::*;

fn images(wire: Vec<WireImage>) -> Vec<Image> {
    wire.into_iter()
        .map(|i| Image {
            url: i.url,
            width: i.width,
            height: i.height,
        })
        .collect()
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

//! View models: what the page receives (camelCase JSON, TypeScript types generated from them).

use crate::spotify::ids::{AlbumId, ArtistId, EpisodeId, PlaylistId, TrackId};
use serde::Serialize;
use ts_rs::TS;

/// The signed-in user.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Spotify ID.
    pub id: String,
    /// Display name, or the user ID when Spotify has none.
    pub display_name: String,
}

/// An image; Spotify lists the largest first.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    /// Where the image is (Spotify's image CDN).
    pub url: String,
    /// Width in pixels, when Spotify says.
    pub width: Option<u32>,
    /// Height in pixels, when Spotify says.
    pub height: Option<u32>,
}

/// An artist as credited on a track; `id` is `None` for local files.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ArtistRef {
    /// Spotify ID; none for a local file's artist.
    pub id: Option<ArtistId>,
    /// Name as Spotify gives it (text, never markup).
    pub name: String,
}

/// The album a track is on.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlbumRef {
    /// Spotify ID; none for a local file's album.
    pub id: Option<AlbumId>,
    /// Name as Spotify gives it (text, never markup).
    pub name: String,
    /// Images, largest first.
    pub images: Vec<Image>,
    /// Release date as Spotify gives it (a year, a month or a day).
    pub release_date: Option<String>,
    /// The year of `release_date`.
    pub release_year: Option<u16>,
}

/// A Spotify track.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Track {
    /// Spotify ID.
    pub id: TrackId,
    /// Name as Spotify gives it (text, never markup).
    pub name: String,
    /// The credited artists, in Spotify's order.
    pub artists: Vec<ArtistRef>,
    /// The album it is on (none for some local files).
    pub album: Option<AlbumRef>,
    /// Length in milliseconds.
    pub duration_ms: u64,
    /// Whether Spotify marks it explicit.
    pub explicit: bool,
    /// Whether it is a local file of the user's (no Spotify ID for its artists or album).
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
    /// Spotify ID.
    pub id: ArtistId,
    /// Name as Spotify gives it (text, never markup).
    pub name: String,
    /// Images, largest first.
    pub images: Vec<Image>,
    /// Genres (empty for Development Mode apps since 2026).
    pub genres: Vec<String>,
    /// Followers, when Spotify still gives them.
    pub followers: Option<u64>,
    /// Popularity 0-100, when Spotify still gives it.
    pub popularity: Option<u8>,
}

/// A playlist as listed and as shown on its own page.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlaylistSummary {
    /// Spotify ID.
    pub id: PlaylistId,
    /// Name as Spotify gives it (text, never markup).
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
    /// Images, largest first.
    pub images: Vec<Image>,
    /// How many items the playlist has.
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
        /// The track.
        track: Track,
        /// When it was added (ISO 8601), when Spotify says.
        added_at: Option<String>,
    },
    /// A file from the owner's computer: no IDs, cannot be opened in Spotify.
    LocalFile {
        /// Its name as given (text, never markup).
        name: String,
        /// Its artists' names as the file tags them.
        artists: Vec<String>,
        /// Its album's name as the file tags it.
        album: Option<String>,
        /// Length in milliseconds.
        duration_ms: u64,
    },
    /// A podcast episode.
    Episode {
        /// Spotify ID, when it has a usable one.
        id: Option<EpisodeId>,
        /// Its name as given (text, never markup).
        name: String,
        /// The show it belongs to.
        show: Option<String>,
        /// Length in milliseconds.
        duration_ms: u64,
    },
    /// A track that cannot be played (not in the user's market, or without a usable ID).
    Unavailable {
        /// Its name as given (text, never markup).
        name: String,
    },
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
        /// The track.
        track: Track,
        /// How far it has played, in milliseconds.
        progress_ms: Option<u64>,
        /// Whether it plays (else paused).
        is_playing: bool,
    },
    /// A podcast episode.
    Episode {
        /// Spotify ID, when it has a usable one.
        id: Option<EpisodeId>,
        /// Its name as given (text, never markup).
        name: String,
        /// The show it belongs to.
        show: Option<String>,
        /// How far it has played, in milliseconds.
        progress_ms: Option<u64>,
        /// Whether it plays (else paused).
        is_playing: bool,
    },
    /// An advertisement.
    Ad {
        /// Whether it plays (else paused).
        is_playing: bool,
    },
    /// Something Spotify does not describe (null item, local file).
    Unknown {
        /// Whether it plays (else paused).
        is_playing: bool,
    },
}

/// One page of a list, with 1-based page numbers for "page N of M".
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Index of the first item.
    pub offset: u32,
    /// Items per page.
    pub limit: u32,
    /// Items in the whole list.
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

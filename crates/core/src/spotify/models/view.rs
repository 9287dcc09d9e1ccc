//! View models: what the page receives (camelCase JSON, TypeScript types generated from them).

use crate::spotify::ids::{AlbumId, ArtistId, EpisodeId, PlaylistId, TrackId};
use serde::Serialize;
use ts_rs::TS;

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

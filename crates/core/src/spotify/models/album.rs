//! Albums: `GET /albums/{id}` and `GET /albums/{id}/tracks` as Spotify sends them, and the
//! album page the app shows.

use super::view::{AlbumRef, ArtistRef, Image, Page, Track};
use super::wire::{WireAlbum, WireItem, WireNamed};
use crate::spotify::ids::AlbumId;
use serde::Deserialize;
use serde_json::Value;
use ts_rs::TS;

/// An album as its page shows it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Album {
    /// The album's Spotify ID.
    pub id: AlbumId,
    /// Its title.
    pub name: String,
    /// `album`, `single` or `compilation`.
    pub album_type: Option<String>,
    /// The artists it is credited to.
    pub artists: Vec<ArtistRef>,
    /// Cover art, widest first.
    pub images: Vec<Image>,
    /// Release date as Spotify gives it (a year, a month or a day).
    pub release_date: Option<String>,
    /// The year of `release_date`.
    pub release_year: Option<u16>,
    /// How many tracks it has.
    pub total_tracks: u32,
    /// The record label (Spotify marks it deprecated; shown while it is sent).
    pub label: Option<String>,
}

/// An album page: the album and one page (10) of its tracks, each carrying the album.
#[derive(Clone, Debug, PartialEq, serde::Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlbumPage {
    /// The album itself.
    pub album: Album,
    /// One page of its tracks.
    pub tracks: Page<Track>,
}

/// A full album object; only what the page uses is read, every field optional.
#[derive(Deserialize)]
pub(crate) struct WireFullAlbum {
    #[serde(flatten)]
    pub(super) base: WireAlbum,
    pub(super) album_type: Option<String>,
    #[serde(default)]
    pub(super) artists: Option<Vec<Value>>,
    pub(super) total_tracks: Option<u32>,
    pub(super) label: Option<String>,
}

/// Artists as credited, an unreadable entry skipped alone.
pub(super) fn artist_refs(raw: Option<Vec<Value>>) -> Vec<ArtistRef> {
    raw.unwrap_or_default()
        .into_iter()
        .filter_map(|v| serde_json::from_value::<WireNamed>(v).ok())
        .map(|a| ArtistRef {
            id: a.id.and_then(|id| id.parse().ok()),
            name: a
                .name
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| "Unknown".to_string()),
        })
        .collect()
}

impl WireFullAlbum {
    /// The album, or `None` without a usable ID.
    pub(crate) fn into_view(self) -> Option<Album> {
        let reference = AlbumRef::from(self.base);
        Some(Album {
            id: reference.id?,
            name: reference.name,
            album_type: self.album_type,
            artists: artist_refs(self.artists),
            images: reference.images,
            release_date: reference.release_date,
            release_year: reference.release_year,
            total_tracks: self.total_tracks.unwrap_or(0),
            label: self.label.filter(|l| !l.trim().is_empty()),
        })
    }
}

impl Album {
    /// The album as a track refers to it.
    pub fn reference(&self) -> AlbumRef {
        AlbumRef {
            id: Some(self.id.clone()),
            name: self.name.clone(),
            images: self.images.clone(),
            release_date: self.release_date.clone(),
            release_year: self.release_year,
        }
    }

    /// A simplified track of this album (Spotify leaves `album` out of them) as a track of
    /// it; `None` for an entry without a usable track ID.
    pub(crate) fn track(&self, raw: Value) -> Option<Track> {
        let mut track = serde_json::from_value::<WireItem>(raw).ok()?.into_track()?;
        track.album = Some(self.reference());
        Some(track)
    }
}

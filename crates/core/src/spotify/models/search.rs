//! Search: `GET /search` for tracks, artists and albums as Spotify sends it, and the results
//! page the app shows.

use super::album::{Album, WireFullAlbum};
use super::view::{Artist, Page, Track};
use super::wire::{WireArtist, WireItem, WirePaging};
use serde::Deserialize;
use serde_json::Value;
use ts_rs::TS;

/// Results per type and page: the most a Development Mode app may ask for since February 2026.
pub const SEARCH_LIMIT: u32 = 10;

/// One page of search results of each type, all at the same offset.
#[derive(Clone, Debug, PartialEq, serde::Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchResults {
    /// The words searched for, as sent.
    pub query: String,
    /// Songs found.
    pub tracks: Page<Track>,
    /// Artists found.
    pub artists: Page<Artist>,
    /// Albums found.
    pub albums: Page<Album>,
}

/// The answer of `GET /search`: one paging object per type asked for.
#[derive(Default, Deserialize)]
pub(crate) struct WireSearch {
    #[serde(default)]
    pub(crate) tracks: Option<WirePaging>,
    #[serde(default)]
    pub(crate) artists: Option<WirePaging>,
    #[serde(default)]
    pub(crate) albums: Option<WirePaging>,
}

/// A page of `paging` (or an empty one), an unreadable entry skipped alone.
fn page<T>(
    paging: Option<WirePaging>,
    offset: u32,
    convert: impl Fn(Value) -> Option<T>,
) -> Page<T> {
    let (items, offset, total) = match paging {
        Some(p) => (p.items, p.offset.unwrap_or(offset), p.total.unwrap_or(0)),
        None => (Vec::new(), offset, 0),
    };
    let items = items.into_iter().filter_map(convert).collect();
    Page::new(items, offset, SEARCH_LIMIT, total)
}

impl WireSearch {
    /// The results for `query` at `offset`.
    pub(crate) fn into_view(self, query: &str, offset: u32) -> SearchResults {
        SearchResults {
            query: query.to_string(),
            tracks: page(self.tracks, offset, |raw| {
                serde_json::from_value::<WireItem>(raw).ok()?.into_track()
            }),
            artists: page(self.artists, offset, |raw| {
                serde_json::from_value::<WireArtist>(raw).ok()?.into_view()
            }),
            albums: page(self.albums, offset, |raw| {
                serde_json::from_value::<WireFullAlbum>(raw)
                    .ok()?
                    .into_view()
            }),
        }
    }
}

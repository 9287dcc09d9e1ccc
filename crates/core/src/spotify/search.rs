//! `GET /search`: tracks, artists and albums, 10 of each a page (Development Mode's most).

use super::client::{decode, SpotifyClient};
use super::models::{SearchResults, WireSearch, SEARCH_LIMIT};
use super::SpotifyError;

/// Longest query sent; Spotify's own limit is far above any real search.
const MAX_QUERY_CHARS: usize = 200;

impl SpotifyClient {
    /// One page of tracks, artists and albums matching `query` (trimmed; blank gives none
    /// without a call), from `offset` in each list.
    pub async fn search(&self, query: &str, offset: u32) -> Result<SearchResults, SpotifyError> {
        let query: String = query.trim().chars().take(MAX_QUERY_CHARS).collect();
        if query.is_empty() {
            return Ok(WireSearch::default().into_view(&query, 0));
        }
        let params = [
            ("q", query.clone()),
            ("type", "track,artist,album".to_string()),
            ("limit", SEARCH_LIMIT.to_string()),
            ("offset", offset.to_string()),
        ];
        let body = self
            .get(&["search"], &params)
            .await?
            .ok_or(SpotifyError::BadResponse)?;
        Ok(decode::<WireSearch>(&body)?.into_view(&query, offset))
    }
}

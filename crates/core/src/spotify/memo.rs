//! Tracks remembered for a few minutes, so that revisiting a track page, or the now page asking
//! for the playing track's page, needs no Spotify call; concurrent first asks share one call.

use super::client::SpotifyClient;
use super::ids::TrackId;
use super::models::Track;
use super::SpotifyError;
use crate::memo::Memo;
use std::time::Duration;

/// At most this many tracks are remembered; a fuller memo starts over.
const MAX: usize = 256;
/// Track metadata changes rarely, so a few minutes is safe.
const TTL: Duration = Duration::from_secs(600);

/// The memo of recently fetched tracks.
pub struct TrackMemo(Memo<TrackId, Track>);

impl Default for TrackMemo {
    fn default() -> Self {
        Self(Memo::new(MAX, |_| Some(TTL)))
    }
}

impl TrackMemo {
    /// The track from the memo, else from `client` (one call for every concurrent ask). A
    /// failure is not remembered: the next ask tries Spotify again.
    pub async fn track(&self, client: &SpotifyClient, id: &TrackId) -> Result<Track, SpotifyError> {
        self.0.get(id, || client.track(id)).await
    }

    /// Forgets every track (after a logout).
    pub fn clear(&self) {
        self.0.forget();
    }
}

//! Tracks remembered for a few minutes, so that revisiting a track page, or asking for its
//! insights right after showing it, needs no Spotify call; concurrent first asks share one call.

use super::client::SpotifyClient;
use super::ids::TrackId;
use super::models::Track;
use super::SpotifyError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

/// At most this many tracks are remembered; a fuller memo starts over.
const MAX: usize = 256;
/// Track metadata changes rarely, so a few minutes is safe.
const TTL: Duration = Duration::from_secs(600);

/// When a track was first asked for, and the track once Spotify answered.
type Entry = (Instant, Arc<OnceCell<Track>>);

/// The memo of recently fetched tracks.
#[derive(Default)]
pub struct TrackMemo {
    entries: Mutex<HashMap<TrackId, Entry>>,
}

impl TrackMemo {
    /// The track from the memo, else from `client` (one call for every concurrent ask). A
    /// failure is not remembered: the next ask tries Spotify again.
    pub async fn track(&self, client: &SpotifyClient, id: &TrackId) -> Result<Track, SpotifyError> {
        let cell = {
            let mut memo = self.lock();
            match memo.get(id) {
                Some((at, cell)) if at.elapsed() < TTL => cell.clone(),
                _ => {
                    if memo.len() >= MAX {
                        memo.clear();
                    }
                    let cell = Arc::new(OnceCell::new());
                    memo.insert(id.clone(), (Instant::now(), cell.clone()));
                    cell
                }
            }
        };
        match cell.get_or_try_init(|| client.track(id)).await {
            Ok(track) => Ok(track.clone()),
            Err(error) => {
                let mut memo = self.lock();
                if memo.get(id).is_some_and(|(_, c)| Arc::ptr_eq(c, &cell)) {
                    memo.remove(id);
                }
                Err(error)
            }
        }
    }

    /// Forgets every track (after a logout).
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<TrackId, Entry>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }
}

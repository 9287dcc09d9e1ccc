//! The fake's database: its tracks (each with its latest lyrics, as the API always answers the
//! latest revision, REFERENCE.md §2), the `/api/get` and `/api/get/{id}` lookups and the
//! searches with the server's in-memory search cache (§5).

use super::rules::{normalise, within_window};
use super::search::{Indexed, Query};
use super::Record;
use serde::Serialize;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// A cached search lives 24 h (`lib.rs:75-79`)...
const CACHE_TTL: Duration = Duration::from_secs(24 * 3600);
/// ...or until unused for 4 h...
const CACHE_IDLE: Duration = Duration::from_secs(4 * 3600);
/// ...and is refreshed once 20 h old (`search_lyrics.rs:57-93`; the server refreshes in the
/// background and answers the cached one; the fake's refresh is done before the next request).
const CACHE_REFRESH: Duration = Duration::from_secs(20 * 3600);

/// One record on the wire, fields in the server's order (`TrackResponse`, §2) plus the live
/// service's `lyricsfile` (§2: added on lrclib.net in 2026, after the public source; the fake
/// always sends it as `null`, an unknown field clients must ignore).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrackResponse {
    id: i64,
    name: Option<String>,
    track_name: Option<String>,
    artist_name: Option<String>,
    album_name: Option<String>,
    duration: Option<f64>,
    instrumental: bool,
    plain_lyrics: Option<String>,
    synced_lyrics: Option<String>,
    lyricsfile: Option<String>,
}

struct Row {
    id: i64,
    record: Record,
    /// `name_lower`, `album_name_lower`, `artist_name_lower` (normalised at insert time,
    /// `track_repository.rs:306-308`).
    lower: [String; 3],
    /// The FTS5 tokens of the same three columns.
    tokens: [Vec<String>; 3],
}

impl Row {
    fn response(&self) -> TrackResponse {
        let r = &self.record;
        TrackResponse {
            id: self.id,
            name: Some(r.track_name.clone()),
            track_name: Some(r.track_name.clone()),
            artist_name: Some(r.artist_name.clone()),
            album_name: Some(r.album_name.clone()),
            duration: Some(r.duration),
            instrumental: r.instrumental,
            plain_lyrics: r.plain_lyrics.clone(),
            synced_lyrics: r.synced_lyrics.clone(),
            lyricsfile: None,
        }
    }
}

struct Cached {
    created: Instant,
    used: Instant,
    answer: Vec<TrackResponse>,
}

#[derive(Default)]
pub(super) struct Store {
    rows: Vec<Row>,
    cache: HashMap<String, Cached>,
}

impl Store {
    /// Adds a track with the next id (ids start at 1, like SQLite's rowids).
    pub fn insert(&mut self, record: Record) -> i64 {
        let id = self.rows.last().map_or(1, |row| row.id + 1);
        let lower = [
            normalise(&record.track_name),
            normalise(&record.album_name),
            normalise(&record.artist_name),
        ];
        let tokens = lower.clone().map(|column| super::rules::tokens(&column));
        self.rows.push(Row {
            id,
            record,
            lower,
            tokens,
        });
        id
    }

    /// `/api/get/{id}`.
    pub fn by_id(&self, id: i64) -> Option<TrackResponse> {
        self.rows.iter().find(|r| r.id == id).map(Row::response)
    }

    /// `/api/get` (`get_track_by_metadata`, `track_repository.rs:115-197`, §4) with processed
    /// parameters: equal normalised names, the album only when given, inclusive ±2 s, and the
    /// lowest id wins.
    pub fn by_metadata(
        &self,
        track: &str,
        artist: &str,
        album: Option<&str>,
        duration: Option<f64>,
    ) -> Option<TrackResponse> {
        self.rows
            .iter()
            .find(|r| {
                r.lower[0] == track
                    && r.lower[2] == artist
                    && duration.is_none_or(|d| within_window(r.record.duration, d))
                    && album.is_none_or(|a| r.lower[1] == a)
            })
            .map(Row::response)
    }

    /// `/api/search` with processed parameters, through the cache keyed by them; `None` when
    /// the answer is not cached and the database is down (the server's 500).
    pub fn search(
        &mut self,
        q: Option<&str>,
        track: Option<&str>,
        artist: Option<&str>,
        album: Option<&str>,
        now: Instant,
        database_down: bool,
    ) -> Option<Vec<TrackResponse>> {
        let key = [q, track, artist, album]
            .map(Option::unwrap_or_default)
            .join(":");
        if let Some(cached) = self.cache.get_mut(&key) {
            let fresh = now.saturating_duration_since(cached.created) < CACHE_TTL
                && now.saturating_duration_since(cached.used) < CACHE_IDLE;
            if fresh {
                cached.used = now;
                let answer = cached.answer.clone();
                // The background refresh fails quietly while the database is down.
                let stale = now.saturating_duration_since(cached.created) >= CACHE_REFRESH;
                if stale && !database_down {
                    let refreshed = self.run_search(q, track, artist, album);
                    self.remember(key, refreshed, now);
                }
                return Some(answer);
            }
        }
        if database_down {
            return None;
        }
        let answer = self.run_search(q, track, artist, album);
        self.remember(key, answer.clone(), now);
        Some(answer)
    }

    /// Forgets every cached search.
    pub fn clear_cache(&mut self) {
        self.cache.clear();
    }

    fn remember(&mut self, key: String, answer: Vec<TrackResponse>, now: Instant) {
        let entry = Cached {
            created: now,
            used: now,
            answer,
        };
        self.cache.insert(key, entry);
    }

    fn run_search(
        &self,
        q: Option<&str>,
        track: Option<&str>,
        artist: Option<&str>,
        album: Option<&str>,
    ) -> Vec<TrackResponse> {
        let Some(query) = Query::new(q, track, artist, album) else {
            return Vec::new();
        };
        let indexed: Vec<Indexed<'_>> = self
            .rows
            .iter()
            .map(|r| Indexed {
                id: r.id,
                columns: [&r.tokens[0], &r.tokens[1], &r.tokens[2]],
            })
            .collect();
        query
            .run(&indexed)
            .into_iter()
            .filter_map(|id| self.by_id(id))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(name: &str) -> Record {
        Record {
            track_name: name.into(),
            artist_name: "A".into(),
            album_name: "B".into(),
            duration: 100.0,
            instrumental: false,
            plain_lyrics: None,
            synced_lyrics: None,
        }
    }

    /// The number of results, through the cache.
    fn count(store: &mut Store, q: Option<&str>, track: Option<&str>, at: Instant) -> usize {
        store.search(q, track, None, None, at, false).unwrap().len()
    }

    #[test]
    fn the_search_cache_lives_24_hours_and_idles_out_after_4() {
        let mut store = Store::default();
        let t0 = Instant::now();
        let hour = Duration::from_secs(3600);
        let song = Some("song");
        assert_eq!(count(&mut store, song, None, t0), 0);
        store.insert(record("Song"));
        // Cached `[]` for the same processed parameters.
        for h in [1, 4, 7, 10, 13, 16, 19] {
            assert_eq!(count(&mut store, song, None, t0 + hour * h), 0);
        }
        // At 20 h the cached answer is given and a fresh one is stored for the next request.
        assert_eq!(count(&mut store, song, None, t0 + hour * 20), 0);
        assert_eq!(count(&mut store, song, None, t0 + hour * 21), 1);
        // Unused for 4 h: gone.
        store.insert(record("Song"));
        assert_eq!(count(&mut store, song, None, t0 + hour * 24), 1);
        assert_eq!(count(&mut store, song, None, t0 + hour * 28), 2);
        // Another key is searched anew.
        store.insert(record("Song"));
        assert_eq!(count(&mut store, None, song, t0 + hour * 28), 3);
        // Database down: cached answers still come, others fail.
        let at = t0 + hour * 29;
        let cached = store.search(None, song, None, None, at, true);
        assert_eq!(cached.map(|a| a.len()), Some(3));
        assert!(store
            .search(Some("other"), None, None, None, at, true)
            .is_none());
    }
}

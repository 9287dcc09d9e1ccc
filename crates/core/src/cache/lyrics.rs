//! Reading and writing cached lyrics. The record is opaque here (JSON written by the lyrics
//! module), so the cache does not depend on it.

use super::{Cache, CacheError};
use rusqlite::{params, OptionalExtension};

/// What was found for one track.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LyricsRow {
    /// The Spotify track ID.
    pub track_id: String,
    /// The LRCLIB record chosen, as JSON; `None` when LRCLIB had no lyrics for the track.
    pub record: Option<String>,
    /// When it was asked, in Unix seconds.
    pub fetched_at: i64,
}

impl Cache {
    /// The stored lyrics of a track, however old.
    pub fn lyrics(&self, track_id: &str) -> Result<Option<LyricsRow>, CacheError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT record, fetched_at FROM lyrics WHERE track_id = ?1",
                params![track_id],
                |row| {
                    Ok(LyricsRow {
                        track_id: track_id.to_string(),
                        record: row.get(0)?,
                        fetched_at: row.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// Stores what was found for a track, replacing what was there.
    pub fn put_lyrics(&self, row: &LyricsRow) -> Result<(), CacheError> {
        self.conn().execute(
            "INSERT OR REPLACE INTO lyrics (track_id, record, fetched_at) VALUES (?1, ?2, ?3)",
            params![row.track_id, row.record, row.fetched_at],
        )?;
        Ok(())
    }
}

//! Reading and writing cached facts. The rows are opaque here (JSON written by the facts
//! service), so the cache does not depend on the facts module.

use super::{Cache, CacheError};
use rusqlite::{params, OptionalExtension};

/// One cached part of facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FactsRow {
    /// `recording`, `album` or `artist`.
    pub kind: String,
    /// ISRC, release group MBID or Spotify artist ID.
    pub key: String,
    /// Language of the Wikipedia pages read.
    pub lang: String,
    /// The facts, as JSON.
    pub data: String,
    /// The URLs of their sources.
    pub sources: Vec<String>,
    /// False when a source failed half-way (the row is refreshed sooner).
    pub complete: bool,
    /// When they were fetched, in Unix seconds.
    pub fetched_at: i64,
}

impl Cache {
    /// The stored facts for `(kind, key, lang)`, however old.
    pub fn facts(&self, kind: &str, key: &str, lang: &str) -> Result<Option<FactsRow>, CacheError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT data, sources, complete, fetched_at FROM facts
                 WHERE kind = ?1 AND key = ?2 AND lang = ?3",
                params![kind, key, lang],
                |row| {
                    let sources: String = row.get(1)?;
                    Ok(FactsRow {
                        kind: kind.to_string(),
                        key: key.to_string(),
                        lang: lang.to_string(),
                        data: row.get(0)?,
                        sources: serde_json::from_str(&sources).unwrap_or_default(),
                        complete: row.get(2)?,
                        fetched_at: row.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// Stores facts, replacing older ones for the same part.
    pub fn put_facts(&self, row: &FactsRow) -> Result<(), CacheError> {
        self.conn().execute(
            "INSERT OR REPLACE INTO facts (kind, key, lang, data, sources, complete, fetched_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                row.kind,
                row.key,
                row.lang,
                row.data,
                serde_json::to_string(&row.sources).unwrap_or_default(),
                row.complete,
                row.fetched_at
            ],
        )?;
        Ok(())
    }

    /// How many parts of facts are stored.
    pub fn facts_count(&self) -> Result<u64, CacheError> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM facts", [], |row| row.get(0))?)
    }
}

//! Insights in the cache: their rows of its SQLite database. Here rather than in `cache/` so
//! that the cache knows nothing of insights (the cache is the insight's storage, not the other
//! way round).

use super::prompt::PROMPT_VERSION;
use super::{Insight, InsightKind};
use crate::cache::{Cache, CacheError};
use rusqlite::{params, OptionalExtension};

impl Cache {
    /// The stored insight in the cache's language, if any was written by the current prompt
    /// version; `cached` is true.
    pub fn get(&self, kind: InsightKind, key: &str) -> Result<Option<Insight>, CacheError> {
        let row = self
            .conn()
            .query_row(
                "SELECT text, model, created_at, grounding FROM insights
                 WHERE kind = ?1 AND key = ?2 AND lang = ?3 AND prompt_version = ?4",
                params![kind.as_str(), key, self.lang(), PROMPT_VERSION],
                |row| {
                    let grounding: Option<String> = row.get(3)?;
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, grounding))
                },
            )
            .optional()?;
        Ok(row.map(|(text, model, created_at, grounding)| Insight {
            kind,
            key: key.to_string(),
            text,
            model,
            created_at,
            cached: true,
            // Rows from before grounding (NULL) read as written from memory, not checked.
            grounding: grounding
                .and_then(|g| serde_json::from_str(&g).ok())
                .unwrap_or_default(),
        }))
    }

    /// Stores an insight, replacing any earlier one for the same subject.
    pub fn put(&self, insight: &Insight) -> Result<(), CacheError> {
        self.conn().execute(
            "INSERT OR REPLACE INTO insights
                 (kind, key, lang, text, model, created_at, prompt_version, grounding)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                insight.kind.as_str(),
                insight.key,
                self.lang(),
                insight.text,
                insight.model,
                insight.created_at,
                PROMPT_VERSION,
                serde_json::to_string(&insight.grounding).ok()
            ],
        )?;
        Ok(())
    }

    /// Removes one insight; returns whether there was one.
    pub fn delete(&self, kind: InsightKind, key: &str) -> Result<bool, CacheError> {
        let removed = self.conn().execute(
            "DELETE FROM insights WHERE kind = ?1 AND key = ?2 AND lang = ?3",
            params![kind.as_str(), key, self.lang()],
        )?;
        Ok(removed > 0)
    }

    /// Deletes every insight, fact and lyric, and gives their space back to the file system,
    /// so the file no longer holds what the user listened to.
    pub fn clear(&self) -> Result<(), CacheError> {
        self.conn().execute_batch(
            "DELETE FROM insights; DELETE FROM facts; DELETE FROM lyrics; VACUUM;",
        )?;
        Ok(())
    }

    /// How many insights are stored (of any prompt version).
    pub fn count(&self) -> Result<u64, CacheError> {
        Ok(self
            .conn()
            .query_row("SELECT COUNT(*) FROM insights", [], |row| row.get(0))?)
    }
}

//! Schema versions of the cache file, tracked in `PRAGMA user_version`, and forward migrations.

use super::CacheError;
use rusqlite::Connection;

/// The schema version this build writes. Version 0 is an empty (new) file.
pub const SCHEMA_VERSION: i32 = 5;

/// Migration `i` takes a file from version `i` to `i + 1`.
const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = [
    // v1: one row per (kind, key); regenerating replaces the row.
    "CREATE TABLE insights (
         kind       TEXT    NOT NULL,
         key        TEXT    NOT NULL,
         text       TEXT    NOT NULL,
         model      TEXT    NOT NULL,
         created_at INTEGER NOT NULL,
         PRIMARY KEY (kind, key)
     );",
    // v2: remember which prompt wrote each insight, so a new prompt can supersede old texts.
    // Rows from v1 were all written by prompt version 1.
    "ALTER TABLE insights ADD COLUMN prompt_version INTEGER NOT NULL DEFAULT 1;",
    // v3: facts from MusicBrainz and Wikipedia, one row per part and language (`data` is JSON,
    // `sources` the JSON list of their URLs, `complete` 0 when a source failed half-way), and
    // each insight's grounding (JSON; NULL for insights written before grounding existed).
    "CREATE TABLE facts (
         kind       TEXT    NOT NULL,
         key        TEXT    NOT NULL,
         lang       TEXT    NOT NULL,
         data       TEXT    NOT NULL,
         sources    TEXT    NOT NULL,
         complete   INTEGER NOT NULL,
         fetched_at INTEGER NOT NULL,
         PRIMARY KEY (kind, key, lang)
     );
     ALTER TABLE insights ADD COLUMN grounding TEXT;",
    // v4: insights keyed by language too, so a change of insight language asks anew and a
    // change back finds the earlier ones. Older rows get '' (language unknown) until
    // `Cache::in_language` gives them the language in use.
    "CREATE TABLE insights_v4 (
         kind           TEXT    NOT NULL,
         key            TEXT    NOT NULL,
         lang           TEXT    NOT NULL,
         text           TEXT    NOT NULL,
         model          TEXT    NOT NULL,
         created_at     INTEGER NOT NULL,
         prompt_version INTEGER NOT NULL DEFAULT 1,
         grounding      TEXT,
         PRIMARY KEY (kind, key, lang)
     );
     INSERT INTO insights_v4 (kind, key, lang, text, model, created_at, prompt_version, grounding)
         SELECT kind, key, '', text, model, created_at, prompt_version, grounding FROM insights;
     DROP TABLE insights;
     ALTER TABLE insights_v4 RENAME TO insights;",
    // v5: lyrics from LRCLIB, one row per Spotify track: the record chosen (JSON), or NULL when
    // LRCLIB had none (asked again sooner).
    "CREATE TABLE lyrics (
         track_id   TEXT    PRIMARY KEY,
         record     TEXT,
         fetched_at INTEGER NOT NULL
     );",
];

/// Reads the schema version of an open file.
pub fn version(conn: &Connection) -> rusqlite::Result<i32> {
    conn.query_row("PRAGMA user_version", [], |row| row.get(0))
}

/// Brings a file at version `from` (checked to be <= [`SCHEMA_VERSION`]) up to date, one
/// transaction per step so an interrupted upgrade leaves a consistent older version.
pub fn migrate(conn: &mut Connection, from: i32) -> Result<(), CacheError> {
    for (step, sql) in MIGRATIONS.iter().enumerate().skip(from.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", step as i32 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

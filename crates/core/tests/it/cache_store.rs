//! The SQLite cache on real files: storage, reopening, migration, newer and damaged files.

use rusqlite::Connection;
use spotify_plus_core::cache::{Cache, CacheError, SCHEMA_VERSION};
use spotify_plus_core::insight::{Insight, InsightKind};
use std::path::Path;

fn insight(kind: InsightKind, key: &str, text: &str) -> Insight {
    Insight {
        kind,
        key: key.into(),
        text: text.into(),
        model: "gpt-4o-mini".into(),
        created_at: 1_800_000_000,
        cached: false,
        grounding: Default::default(),
    }
}

fn user_version(path: &Path) -> i32 {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn stores_replaces_and_deletes_across_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/cache.sqlite3");
    let opened = Cache::open(&path).unwrap();
    assert!(opened.notice.is_none());
    let cache = opened.cache;
    assert_eq!(cache.get(InsightKind::Track, "a").unwrap(), None);
    cache
        .put(&insight(InsightKind::Track, "a", "first"))
        .unwrap();
    cache
        .put(&insight(InsightKind::TrackArtists, "a", "artists"))
        .unwrap();
    cache
        .put(&insight(InsightKind::Track, "a", "second"))
        .unwrap();
    assert_eq!(cache.count().unwrap(), 2);
    drop(cache);

    let cache = Cache::open(&path).unwrap().cache;
    let hit = cache.get(InsightKind::Track, "a").unwrap().unwrap();
    assert_eq!((hit.text.as_str(), hit.cached), ("second", true));
    assert_eq!(hit.created_at, 1_800_000_000);
    assert_eq!(
        cache
            .get(InsightKind::TrackArtists, "a")
            .unwrap()
            .unwrap()
            .text,
        "artists"
    );
    assert!(cache.delete(InsightKind::Track, "a").unwrap());
    assert!(!cache.delete(InsightKind::Track, "a").unwrap());
    assert_eq!(cache.count().unwrap(), 1);
    assert_eq!(user_version(&path), SCHEMA_VERSION);
}

#[test]
fn in_memory_cache_works() {
    let cache = Cache::in_memory().unwrap();
    cache.put(&insight(InsightKind::Artist, "b", "x")).unwrap();
    assert_eq!(
        cache.get(InsightKind::Artist, "b").unwrap().unwrap().text,
        "x"
    );
}

#[test]
fn a_version_1_file_migrates_keeping_its_insights() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    {
        // The v1 schema exactly as the first release wrote it.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE insights (kind TEXT NOT NULL, key TEXT NOT NULL, text TEXT NOT NULL,
                 model TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (kind, key));
             INSERT INTO insights VALUES ('artist', 'k', 'kept', 'old-model', 42);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let cache = Cache::open(&path).unwrap().cache;
    let kept = cache.get(InsightKind::Artist, "k").unwrap().unwrap();
    assert_eq!(
        (kept.text.as_str(), kept.model.as_str(), kept.created_at),
        ("kept", "old-model", 42)
    );
    drop(cache);
    assert_eq!(user_version(&path), SCHEMA_VERSION);
    let prompt_version: i64 = Connection::open(&path)
        .unwrap()
        .query_row(
            "SELECT prompt_version FROM insights WHERE key = 'k'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(prompt_version, 1);
}

#[test]
fn insights_from_another_prompt_version_are_misses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    let cache = Cache::open(&path).unwrap().cache;
    cache.put(&insight(InsightKind::Track, "t", "x")).unwrap();
    drop(cache);
    Connection::open(&path)
        .unwrap()
        .execute("UPDATE insights SET prompt_version = 0", [])
        .unwrap();
    let cache = Cache::open(&path).unwrap().cache;
    assert_eq!(cache.get(InsightKind::Track, "t").unwrap(), None);
    cache
        .put(&insight(InsightKind::Track, "t", "fresh"))
        .unwrap();
    assert_eq!(
        cache.get(InsightKind::Track, "t").unwrap().unwrap().text,
        "fresh"
    );
    assert_eq!(cache.count().unwrap(), 1);
}

#[test]
fn a_file_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let error = Cache::open(&path)
        .err()
        .expect("a newer schema must be refused");
    assert!(
        matches!(
            error,
            CacheError::NewerSchema {
                found: 99,
                supported: SCHEMA_VERSION,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("newer version"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names.len(),
        1,
        "nothing may be created beside it: {names:?}"
    );
}

#[test]
fn a_damaged_file_is_set_aside_and_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    let garbage = b"this is not a database at all. ".repeat(200);
    std::fs::write(&path, &garbage).unwrap();
    // SQLite itself discards an invalid WAL beside it; that must not get in the way.
    std::fs::write(dir.path().join("cache.sqlite3-wal"), b"junk wal").unwrap();

    let opened = Cache::open(&path).unwrap();
    let notice = opened.notice.expect("the user is told");
    let backups: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with("cache.sqlite3.corrupt-"))
        .collect();
    let main = backups
        .iter()
        .find(|n| !n.ends_with("-wal"))
        .expect("backup kept");
    assert!(notice.contains(main.as_str()), "{notice}");
    assert_eq!(std::fs::read(dir.path().join(main)).unwrap(), garbage);

    let cache = opened.cache;
    assert_eq!(cache.count().unwrap(), 0);
    cache
        .put(&insight(InsightKind::Track, "t", "works"))
        .unwrap();
    drop(cache);
    assert!(Cache::open(&path).unwrap().notice.is_none());
}

#[test]
fn a_database_with_damaged_pages_is_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    {
        let cache = Cache::open(&path).unwrap().cache;
        for i in 0..200 {
            cache
                .put(&insight(
                    InsightKind::Track,
                    &format!("k{i}"),
                    &"text ".repeat(50),
                ))
                .unwrap();
        }
    }
    // Keep the valid header page, scribble over the pages after it.
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 8192);
    for b in &mut bytes[4096..] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let opened = Cache::open(&path).unwrap();
    assert!(opened.notice.is_some());
    assert_eq!(opened.cache.count().unwrap(), 0);
}

#[test]
fn insights_are_kept_per_language_and_older_ones_take_the_language_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("insights.sqlite3");
    // A cache from before languages were recorded (schema 3), with one insight.
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE insights (kind TEXT NOT NULL, key TEXT NOT NULL, text TEXT NOT NULL,
                 model TEXT NOT NULL, created_at INTEGER NOT NULL,
                 prompt_version INTEGER NOT NULL DEFAULT 1, grounding TEXT,
                 PRIMARY KEY (kind, key));
             CREATE TABLE facts (kind TEXT NOT NULL, key TEXT NOT NULL, lang TEXT NOT NULL,
                 data TEXT NOT NULL, sources TEXT NOT NULL, complete INTEGER NOT NULL,
                 fetched_at INTEGER NOT NULL, PRIMARY KEY (kind, key, lang));
             PRAGMA user_version = 3;",
        )
        .unwrap();
        let version = spotify_plus_core::insight::prompt::PROMPT_VERSION;
        conn.execute(
            "INSERT INTO insights VALUES ('track', 'old', 'Written in English.', 'm', 1, ?1, NULL)",
            [version],
        )
        .unwrap();
    }
    let cache = Cache::open(&path).unwrap().cache;
    let english = cache.in_language("en");
    assert_eq!(
        english
            .get(InsightKind::Track, "old")
            .unwrap()
            .unwrap()
            .text,
        "Written in English."
    );
    english
        .put(&insight(InsightKind::Track, "t", "In English."))
        .unwrap();
    // The user switches insights to German: the English ones are not served...
    let german = cache.in_language("de");
    assert_eq!(german.get(InsightKind::Track, "t").unwrap(), None);
    assert_eq!(german.get(InsightKind::Track, "old").unwrap(), None);
    german
        .put(&insight(InsightKind::Track, "t", "Auf Deutsch."))
        .unwrap();
    // ...and come back, without a model call, when the language does.
    let back = cache.in_language("en");
    assert_eq!(
        back.get(InsightKind::Track, "t").unwrap().unwrap().text,
        "In English."
    );
    assert_eq!(
        german.get(InsightKind::Track, "t").unwrap().unwrap().text,
        "Auf Deutsch."
    );
}

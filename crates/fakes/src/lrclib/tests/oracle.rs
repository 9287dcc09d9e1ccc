//! The fake's search model against SQLite's FTS5 itself: `fixtures/lrclib/fts5-oracle.tsv`
//! holds rows and the ids FTS5 answered to 500 of the server's search queries over them (260 of
//! them ranked by `bm25` with several hits, 100 with artist words from other columns), computed
//! once with SQLite's own engine.

use crate::lrclib::rules::normalise;
use crate::lrclib::store::Store;
use crate::lrclib::Record;
use std::time::Instant;

const ORACLE: &str = include_str!("../../../fixtures/lrclib/fts5-oracle.tsv");

#[test]
fn searches_rank_and_match_like_sqlite_fts5() {
    let mut store = Store::default();
    let mut queries = 0;
    let mut failures = Vec::new();
    for line in ORACLE.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields[0] {
            "ROW" => {
                // Already normalised (normalising again changes nothing).
                for column in &fields[2..5] {
                    assert_eq!(normalise(column), *column);
                }
                let record = Record {
                    track_name: fields[2].into(),
                    album_name: fields[3].into(),
                    artist_name: fields[4].into(),
                    duration: 100.0,
                    instrumental: false,
                    plain_lyrics: None,
                    synced_lyrics: None,
                };
                assert_eq!(store.insert(record), fields[1].parse::<i64>().unwrap());
            }
            "Q" => {
                let param = |k: usize| Some(fields[k]).filter(|s| !s.is_empty());
                let expected: Vec<i64> = fields[5]
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse().unwrap())
                    .collect();
                store.clear_cache();
                let got: Vec<i64> = store
                    .search(
                        param(1),
                        param(2),
                        param(3),
                        param(4),
                        Instant::now(),
                        false,
                    )
                    .unwrap()
                    .iter()
                    .map(|r| serde_json::to_value(r).unwrap()["id"].as_i64().unwrap())
                    .collect();
                if got != expected {
                    failures.push(format!("{:?}: {got:?} != {expected:?}", &fields[1..5]));
                }
                queries += 1;
            }
            other => panic!("unknown line kind {other}"),
        }
    }
    assert_eq!(queries, 500);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! Bounded fuzzing with proptest: the Spotify wire models (and their conversion to view models)
//! and the SSE parser must never panic, whatever bytes arrive. Inputs are mutations of the
//! seed corpus in `tests/corpus/`, JSON trees built from the real field names, and raw bytes
//! in random chunkings. Failures are kept in `proptest-regressions/` and replayed first.
//!
//! `SPOTIFY_PLUS_FUZZ_CASES` sets the cases per property (default 20 000, a few seconds in all).

use crate::insight::sse::{SseEvent, SseParser};
use crate::spotify::models::{NowPlaying, Page, User};
use crate::spotify::models::{
    PlaylistEntry, WireArtist, WireCurrentlyPlaying, WireItem, WirePaging, WirePlaylist,
    WirePlaylistItem, WireUser,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence, TestRunner};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};

fn runner() -> TestRunner {
    let cases = std::env::var("SPOTIFY_PLUS_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    TestRunner::new(Config {
        cases,
        source_file: Some(file!()),
        failure_persistence: Some(Box::new(FileFailurePersistence::SourceParallel(
            "proptest-regressions",
        ))),
        ..Config::default()
    })
}

fn corpus() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the fuzz corpus")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

/// Every way the client reads a Spotify body: each wire type, then its view model.
fn decode_everything(bytes: &[u8]) {
    if let Ok(item) = serde_json::from_slice::<WireItem>(bytes) {
        let _ = item.into_track();
    }
    if let Ok(artist) = serde_json::from_slice::<WireArtist>(bytes) {
        let _ = artist.into_view();
    }
    if let Ok(playlist) = serde_json::from_slice::<WirePlaylist>(bytes) {
        let _ = playlist.into_view();
    }
    if let Ok(entry) = serde_json::from_slice::<WirePlaylistItem>(bytes) {
        let _ = PlaylistEntry::from(entry);
    }
    if let Ok(now) = serde_json::from_slice::<WireCurrentlyPlaying>(bytes) {
        let _ = serde_json::to_string(&NowPlaying::from(now)).unwrap();
    }
    if let Ok(user) = serde_json::from_slice::<WireUser>(bytes) {
        let _ = User::from(user);
    }
    if let Ok(paging) = serde_json::from_slice::<WirePaging>(bytes) {
        // As the client does for both kinds of pages: one odd entry never fails the page.
        let entries: Vec<PlaylistEntry> = paging
            .items
            .iter()
            .cloned()
            .map(|raw| {
                serde_json::from_value::<WirePlaylistItem>(raw)
                    .map_or(PlaylistEntry::Missing, PlaylistEntry::from)
            })
            .collect();
        let playlists: Vec<_> = paging
            .items
            .into_iter()
            .filter_map(|raw| serde_json::from_value::<WirePlaylist>(raw).ok())
            .filter_map(WirePlaylist::into_view)
            .collect();
        let page = Page::new(
            entries,
            paging.offset.unwrap_or(0),
            10,
            paging.total.unwrap_or(0),
        );
        assert!(page.page >= 1 && page.page <= page.pages);
        let _ = serde_json::to_string(&page).unwrap();
        let _ = serde_json::to_string(&playlists).unwrap();
    }
}

/// A byte-level mutation of a seed: flip, insert, delete or cut.
#[derive(Clone, Debug)]
enum Mutation {
    Set(prop::sample::Index, u8),
    Insert(prop::sample::Index, Vec<u8>),
    Remove(prop::sample::Index, prop::sample::Index),
    Cut(prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let interesting = prop::sample::select(b"{}[]\":,0-9.eE+nulltruefalse\\ \x00\xff\xc3".to_vec());
    prop_oneof![
        (any::<prop::sample::Index>(), interesting.clone()).prop_map(|(i, b)| Mutation::Set(i, b)),
        (
            any::<prop::sample::Index>(),
            prop::collection::vec(interesting, 1..8)
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| Mutation::Remove(a, b)),
        any::<prop::sample::Index>().prop_map(Mutation::Cut),
    ]
}

fn apply(seed: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::Set(i, b) if !bytes.is_empty() => {
                let i = i.index(len);
                bytes[i] = *b;
            }
            Mutation::Insert(i, b) => {
                let i = i.index(bytes.len() + 1);
                bytes.splice(i..i, b.iter().copied());
            }
            Mutation::Remove(a, b) if !bytes.is_empty() => {
                let (a, b) = (a.index(len), b.index(len));
                bytes.drain(a.min(b)..a.max(b));
            }
            Mutation::Cut(i) => bytes.truncate(i.index(bytes.len() + 1)),
            _ => {}
        }
    }
    bytes
}

/// JSON trees whose keys are the names Spotify uses, so the models' paths are really taken.
fn spotify_json() -> impl Strategy<Value = Value> {
    const KEYS: [&str; 24] = [
        "id",
        "name",
        "type",
        "artists",
        "album",
        "images",
        "url",
        "width",
        "height",
        "release_date",
        "duration_ms",
        "explicit",
        "is_local",
        "is_playable",
        "items",
        "item",
        "track",
        "tracks",
        "total",
        "offset",
        "owner",
        "display_name",
        "currently_playing_type",
        "show",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(vec![
            "4trk000000000000000001",
            "5art000000000000000000",
            "track",
            "episode",
            "ad",
            "",
            "../../me",
            "<script>",
            "1987-07-27",
            "20é",
            "\u{0}",
        ])
        .prop_map(Value::from),
        ".{0,24}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS.to_vec()), inner), 0..8).prop_map(
                |pairs| Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            ),
        ]
    })
}

static EXECUTIONS: AtomicUsize = AtomicUsize::new(0);

fn counted() {
    EXECUTIONS.fetch_add(1, Ordering::Relaxed);
}

#[test]
fn mutated_corpus_json_never_panics() {
    let seeds = corpus();
    assert!(seeds.len() >= 8);
    for seed in &seeds {
        decode_everything(seed);
    }
    let strategy = (
        prop::sample::select(seeds),
        prop::collection::vec(mutation(), 1..6),
    );
    runner()
        .run(&strategy, |(seed, mutations)| {
            counted();
            decode_everything(&apply(&seed, &mutations));
            Ok(())
        })
        .unwrap();
    eprintln!(
        "fuzz executions so far: {}",
        EXECUTIONS.load(Ordering::Relaxed)
    );
}

#[test]
fn arbitrary_spotify_shaped_json_never_panics() {
    runner()
        .run(&spotify_json(), |value| {
            counted();
            decode_everything(&serde_json::to_vec(&value).unwrap());
            // The same tree as a list of entries and as a paging object.
            let page =
                serde_json::json!({ "items": [value.clone(), value], "offset": 3, "total": 7 });
            decode_everything(&serde_json::to_vec(&page).unwrap());
            Ok(())
        })
        .unwrap();
    eprintln!(
        "fuzz executions so far: {}",
        EXECUTIONS.load(Ordering::Relaxed)
    );
}

/// Feeds `bytes` in the given chunk sizes; checks the limit holds for every event.
fn parse_in_chunks(bytes: &[u8], sizes: &[usize], limit: usize) -> Vec<SseEvent> {
    let mut parser = SseParser::new(limit);
    let mut events = Vec::new();
    let mut rest = bytes;
    let mut sizes = sizes.iter().cycle();
    while !rest.is_empty() {
        let n = (*sizes.next().unwrap_or(&1)).clamp(1, rest.len());
        let (chunk, tail) = rest.split_at(n);
        rest = tail;
        match parser.feed(chunk) {
            Ok(more) => events.extend(more),
            Err(_) => return events, // refused: memory stays bounded by `limit`
        }
    }
    events.extend(parser.finish());
    for event in &events {
        if let SseEvent::Data(data) = event {
            assert!(data.len() <= limit, "an event beyond the limit was kept");
        }
    }
    events
}

#[test]
fn sse_parser_survives_any_bytes_and_chunking() {
    let stream = corpus()
        .into_iter()
        .find(|s| s.starts_with(b"data:"))
        .expect("an SSE seed");
    let bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        prop::collection::vec(
            prop::sample::select(b"data: [DONE]\r\n:{}x\xc3\xa9".to_vec()),
            0..512
        ),
        prop::collection::vec(mutation(), 0..6).prop_map(move |m| apply(&stream, &m)),
    ];
    let strategy = (
        bytes,
        prop::collection::vec(1usize..64, 1..8),
        16usize..4096,
    );
    runner()
        .run(&strategy, |(bytes, sizes, limit)| {
            counted();
            let chunked = parse_in_chunks(&bytes, &sizes, limit);
            // Unless the limit cut it short, chunking never changes what is parsed.
            let whole = parse_in_chunks(&bytes, &[bytes.len().max(1)], limit);
            if bytes.len() + 1 < limit {
                prop_assert_eq!(chunked, whole);
            }
            Ok(())
        })
        .unwrap();
    eprintln!(
        "fuzz executions so far: {}",
        EXECUTIONS.load(Ordering::Relaxed)
    );
}

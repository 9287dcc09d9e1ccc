//! The sample records keep the promises of `data.rs`: each special track answers as described,
//! every other track is found by `/api/get` with its Spotify metadata.

use super::http::{get_with, Answer};
use crate::lrclib::data::*;
use crate::lrclib::rules::strip_first_timestamp;
use crate::lrclib::FakeLrclib;
use crate::spotify::library::{self, library, Item};
use serde_json::Value;
use url::Url;

/// The special tracks and their index in the library.
const SPECIAL: [(&str, usize); 15] = [
    (SYNCED_TRACK_ID, 1),
    (TAGGED_TRACK_ID, 9),
    (PLAIN_ONLY_TRACK_ID, 10),
    (INSTRUMENTAL_TRACK_ID, 11),
    (EMPTY_RECORD_TRACK_ID, 12),
    (NO_RECORD_TRACK_ID, 13),
    (ALBUM_MISMATCH_TRACK_ID, 14),
    (DURATION_NEAR_TRACK_ID, 15),
    (DURATION_FAR_TRACK_ID, 16),
    (SEARCH_ONLY_TRACK_ID, 17),
    (LOWEST_ID_EMPTY_TRACK_ID, 18),
    (JAPANESE_TRACK_ID, 19),
    (FAKE_SYNC_TRACK_ID, 21),
    (SYNCED_ONLY_PUBLISHED_TRACK_ID, 22),
    (HOSTILE_LYRICS_TRACK_ID, 23),
];

/// What a client knows of a Spotify track: name, first artist, album, seconds.
struct Meta {
    name: String,
    artist: String,
    album: String,
    seconds: f64,
}

fn meta(id: &str) -> Meta {
    let lib = library();
    let track = lib.track(id).expect("a library track");
    Meta {
        name: track.name.clone(),
        artist: lib.artists[track.artists[0]].name.clone(),
        album: lib.albums[track.album].name.clone(),
        seconds: track.duration_ms as f64 / 1000.0,
    }
}

/// `/api/get` with the track's metadata, the duration as given.
async fn lookup(base: &Url, id: &str, album: bool, duration: Option<String>) -> Answer {
    let m = meta(id);
    let mut params = vec![
        ("track_name", m.name.as_str()),
        ("artist_name", m.artist.as_str()),
    ];
    if album {
        params.push(("album_name", m.album.as_str()));
    }
    if let Some(d) = &duration {
        params.push(("duration", d.as_str()));
    }
    get_with(base, "/api/get", &params).await
}

/// The durations clients send: exact seconds, rounded, truncated.
fn durations(id: &str) -> [String; 3] {
    let s = meta(id).seconds;
    [s.to_string(), s.round().to_string(), s.trunc().to_string()]
}

async fn search(base: &Url, id: &str) -> Vec<Value> {
    let m = meta(id);
    let params = [
        ("track_name", m.name.as_str()),
        ("artist_name", m.artist.as_str()),
    ];
    let answer = get_with(base, "/api/search", &params).await;
    answer.json().as_array().unwrap().clone()
}

fn synced(record: &Value) -> &str {
    record["syncedLyrics"].as_str().expect("synced lyrics")
}

/// Centiseconds of a `[mm:ss.xx]` line start.
fn start_cs(line: &str) -> u64 {
    let stamp = &line[1..9];
    let (m, rest) = stamp.split_once(':').unwrap();
    let (s, cs) = rest.split_once('.').unwrap();
    m.parse::<u64>().unwrap() * 6000 + s.parse::<u64>().unwrap() * 100 + cs.parse::<u64>().unwrap()
}

#[test]
fn constants_name_library_tracks_in_playlists() {
    let lib = library();
    assert_eq!(SYNCED_TRACK_ID, library::MULTI_ARTIST_TRACK_ID);
    for (id, index) in SPECIAL {
        assert_eq!(lib.tracks[index].id, id);
        assert!(![2, 3, 6, 8].contains(&index), "{id}");
        let in_playlist = lib.playlists.iter().any(|p| {
            p.items_open_to_user()
                && p.items
                    .iter()
                    .any(|item| matches!(item, Item::Track(t) if *t == index))
        });
        assert!(in_playlist, "{id} in one of the user's playlists");
    }
    assert_eq!(lib.artists[lib.tracks[1].artists[0]].name, "Ada Lovetone");
    assert_eq!(meta(JAPANESE_TRACK_ID).artist, "Yuki Tanaka");
    assert_eq!(sample_records(), sample_records(), "the same on every run");
}

#[test]
fn ordinary_records_look_like_real_ones() {
    let lib = library();
    let records = sample_records();
    for (i, track) in lib.tracks.iter().enumerate() {
        if SPECIAL.iter().any(|(id, _)| *id == track.id) {
            continue;
        }
        let r = records
            .iter()
            .find(|r| r.track_name == track.name)
            .unwrap_or_else(|| panic!("a record for track {i}"));
        let seconds = track.duration_ms as f64 / 1000.0;
        assert!((r.duration - seconds).abs() <= 0.905, "track {i}");
        assert_eq!(r.duration, (r.duration * 100.0).round() / 100.0);
        let synced = r.synced_lyrics.as_deref().unwrap();
        let lines: Vec<&str> = synced.split('\n').collect();
        assert!(
            (17..=23).contains(&lines.len()),
            "track {i}: {}",
            lines.len()
        );
        let starts: Vec<u64> = lines.iter().map(|l| start_cs(l)).collect();
        for pair in starts.windows(2) {
            assert!(
                (300..=600).contains(&(pair[1] - pair[0])),
                "track {i}: {pair:?}"
            );
        }
        let last = lines.last().unwrap();
        assert!(
            last.len() == 11 && last.ends_with("] "),
            "track {i}: {last:?}"
        );
        assert!(starts.last().unwrap() / 100 < seconds as u64, "track {i}");
        for line in &lines[..lines.len() - 1] {
            assert_eq!(&line[9..11], "] ");
            assert!(r.plain_lyrics.as_deref().unwrap().contains(&line[11..]));
        }
        assert!(!r.instrumental);
    }
}

#[tokio::test]
async fn every_ordinary_track_is_found_by_its_spotify_metadata() {
    let fake = FakeLrclib::start(Default::default()).await.unwrap();
    let base = fake.base_url();
    let without_lookup = [
        NO_RECORD_TRACK_ID,
        ALBUM_MISMATCH_TRACK_ID,
        DURATION_FAR_TRACK_ID,
        SEARCH_ONLY_TRACK_ID,
    ];
    for track in &library().tracks {
        let id = track.id.as_str();
        if without_lookup.contains(&id) {
            continue;
        }
        for d in durations(id) {
            let answer = lookup(&base, id, true, Some(d.clone())).await;
            assert_eq!(answer.status, 200, "{id} with {d}");
            assert_eq!(answer.json()["trackName"], track.name.as_str());
        }
    }
}

#[tokio::test]
async fn special_tracks_answer_as_described() {
    let fake = FakeLrclib::start(Default::default()).await.unwrap();
    let base = fake.base_url();
    let get = |id: &'static str| {
        let base = base.clone();
        async move {
            let answer = lookup(&base, id, true, Some(meta(id).seconds.to_string())).await;
            assert_eq!(answer.status, 200, "{id}");
            answer.json()
        }
    };

    // Synced from 00:00.50, every 2.5 s, to the end of the track.
    let r = get(SYNCED_TRACK_ID).await;
    let lines: Vec<&str> = synced(&r).split('\n').collect();
    assert!(lines[0].starts_with("[00:00.50] ") && lines[1].starts_with("[00:03.00] "));
    for pair in lines.windows(2) {
        assert_eq!(start_cs(pair[1]) - start_cs(pair[0]), 250);
        assert_eq!(&pair[0][9..11], "] ");
    }
    assert_eq!(lines.last().unwrap().len(), 11);
    assert!(start_cs(lines.last().unwrap()) as f64 / 100.0 > meta(SYNCED_TRACK_ID).seconds - 3.0);
    assert!(r["plainLyrics"].is_string());

    let r = get(PLAIN_ONLY_TRACK_ID).await;
    assert!(r["syncedLyrics"].is_null() && r["plainLyrics"].is_string());

    let r = get(INSTRUMENTAL_TRACK_ID).await;
    assert_eq!(r["instrumental"], true);
    assert!(r["syncedLyrics"].is_null() && r["plainLyrics"].is_null());

    let r = get(EMPTY_RECORD_TRACK_ID).await;
    assert_eq!(r["instrumental"], false);
    assert!(r["syncedLyrics"].is_null() && r["plainLyrics"].is_null());

    for d in durations(NO_RECORD_TRACK_ID) {
        assert_eq!(
            lookup(&base, NO_RECORD_TRACK_ID, true, Some(d))
                .await
                .status,
            404
        );
    }
    assert_eq!(
        lookup(&base, NO_RECORD_TRACK_ID, false, None).await.status,
        404
    );
    assert!(search(&base, NO_RECORD_TRACK_ID).await.is_empty());

    let id = ALBUM_MISMATCH_TRACK_ID;
    let with_album = lookup(&base, id, true, Some(meta(id).seconds.to_string())).await;
    assert_eq!(with_album.status, 404);
    let without = lookup(&base, id, false, Some(meta(id).seconds.to_string())).await;
    assert_eq!(without.status, 200);
    assert_eq!(without.json()["albumName"], ALBUM_MISMATCH_STORED_ALBUM);
    assert!(ALBUM_MISMATCH_STORED_ALBUM.starts_with(&meta(id).album));

    let r = get(DURATION_NEAR_TRACK_ID).await;
    let delta = r["duration"].as_f64().unwrap() - meta(DURATION_NEAR_TRACK_ID).seconds;
    assert!((delta + 1.5).abs() < 0.01, "{delta}");

    let id = DURATION_FAR_TRACK_ID;
    for d in durations(id) {
        assert_eq!(lookup(&base, id, true, Some(d)).await.status, 404);
    }
    let found = search(&base, id).await;
    assert_eq!(found.len(), 1);
    let delta = found[0]["duration"].as_f64().unwrap() - meta(id).seconds;
    assert!((delta - 3.0).abs() < 0.01, "{delta}");
    assert!(found[0]["syncedLyrics"].is_string());

    let id = SEARCH_ONLY_TRACK_ID;
    for d in durations(id) {
        assert_eq!(lookup(&base, id, true, Some(d)).await.status, 404);
    }
    assert_eq!(lookup(&base, id, false, None).await.status, 404);
    let found = search(&base, id).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["trackName"], SEARCH_ONLY_STORED_NAME);
    assert!((found[0]["duration"].as_f64().unwrap() - meta(id).seconds).abs() < 2.0);
    assert!(found[0]["syncedLyrics"].is_string());

    let r = get(LOWEST_ID_EMPTY_TRACK_ID).await;
    assert!(r["syncedLyrics"].is_null() && r["plainLyrics"].is_null());
    let found = search(&base, LOWEST_ID_EMPTY_TRACK_ID).await;
    assert_eq!(found.len(), 2);
    assert_eq!(found[0]["id"], r["id"]);
    assert!(found[0]["id"].as_i64() < found[1]["id"].as_i64());
    assert_eq!(found[0]["duration"], found[1]["duration"]);
    assert!(found[1]["syncedLyrics"].is_string());

    let r = get(JAPANESE_TRACK_ID).await;
    let text = synced(&r);
    assert!(text.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)));
    assert!(text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)));

    let r = get(TAGGED_TRACK_ID).await;
    let lines: Vec<&str> = synced(&r).split('\n').collect();
    assert_eq!(lines[0], "[ar:Electric Ghosts 👻]");
    assert_eq!(lines[1], "[ti:Wild Harbor]");
    assert!(lines[2].starts_with("[by:"));
    assert_eq!(lines[3], "[length: 03:12]");
    assert!(lines.contains(&""));
    let timed: Vec<&&str> = lines[4..].iter().filter(|l| !l.is_empty()).collect();
    assert!(timed
        .iter()
        .all(|l| l.as_bytes()[6] == b'.' && l.as_bytes()[10] == b']'));
    assert!(timed.iter().any(|l| l.len() == 11));
    assert!(timed.last().unwrap().ends_with("] "));

    let r = get(FAKE_SYNC_TRACK_ID).await;
    assert!(synced(&r).split('\n').all(|l| l.starts_with("[00:00.00] ")));

    let r = get(SYNCED_ONLY_PUBLISHED_TRACK_ID).await;
    let plain = r["plainLyrics"].as_str().unwrap();
    assert_eq!(plain, strip_first_timestamp(synced(&r)));
    let plain_lines: Vec<&str> = plain.split('\n').collect();
    assert!(!plain_lines[0].starts_with('[') && plain_lines[1].starts_with('['));

    let r = get(HOSTILE_LYRICS_TRACK_ID).await;
    for hostile in HOSTILE_LINES {
        assert!(synced(&r).split('\n').any(|l| l.get(11..) == Some(hostile)));
        assert!(r["plainLyrics"]
            .as_str()
            .unwrap()
            .split('\n')
            .any(|l| l == hostile));
    }
}

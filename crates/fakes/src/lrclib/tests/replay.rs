//! Replays the transcript recorded from the real LRCLIB server
//! (`fixtures/lrclib/observations.txt`): the fake, seeded with the database rows listed there,
//! must answer every recorded request alike, order the recorded searches alike and match the
//! recorded normalisation probes alike.
//!
//! `lyricsfile`: the transcript comes from the public source, which predates the live
//! service's `lyricsfile` field (REFERENCE.md §2); the fake sends it (as `null`, like the live
//! service may), so each record's `,"lyricsfile":null` is cut from the fake's body before it is
//! compared, and the recorded `content-length` grows by its length per record. Everything else
//! is compared byte for byte, then as JSON values.
//!
//! Not replayed: `POST /api/request-challenge` (a random answer; the fake does not serve it).

use super::http::{self, Answer};
use crate::lrclib::rules::normalise;
use crate::lrclib::{FakeLrclib, Record};
use serde_json::Value;

const TRANSCRIPT: &str = include_str!("../../../fixtures/lrclib/observations.txt");
/// Where the recording server listened.
const RECORDED_ORIGIN: &str = "http://127.0.0.1:3300";
/// What the fake adds to every record.
const LYRICSFILE: &str = ",\"lyricsfile\":null";
/// What curl sends by default.
const CURL_AGENT: &str = "curl/8.5.0";

/// One `$ curl` request of the transcript and what it printed.
#[derive(Debug)]
struct Exchange {
    command: String,
    method: String,
    path_and_query: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
    /// `-i`: the status line and headers were printed.
    with_head: bool,
    status: Option<u16>,
    expected_headers: Vec<(String, String)>,
    expected_body: String,
}

fn exchanges() -> Vec<Exchange> {
    let lines: Vec<&str> = TRANSCRIPT.split('\n').collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(command) = lines[i].strip_prefix("$ curl ") else {
            i += 1;
            continue;
        };
        i += 1;
        let mut printed = Vec::new();
        while i < lines.len() && !lines[i].starts_with("$ ") && !lines[i].starts_with("## ") {
            printed.push(lines[i]);
            i += 1;
        }
        while printed.last() == Some(&"") {
            printed.pop();
        }
        out.push(exchange(command, &printed));
    }
    out
}

/// Parses a curl command line whose shell quoting was lost: a `--data-urlencode key=value`,
/// `-H name: value` or `-d body` runs up to the next option or the end of the line.
fn exchange(command: &str, printed: &[&str]) -> Exchange {
    let mut parts = command.split(" --data-urlencode ");
    let head = parts.next().unwrap();
    let data: Vec<(&str, &str)> = parts.map(|kv| kv.split_once('=').unwrap()).collect();
    let (head, body) = match head.split_once(" -d ") {
        Some((head, body)) => (head, Some(body.to_string())),
        None => (head, None),
    };
    let mut header_parts = head.split(" -H ");
    let flags: Vec<&str> = header_parts.next().unwrap().split_whitespace().collect();
    let mut headers: Vec<(String, String)> = header_parts
        .map(|h| {
            let (name, value) = h.split_once(": ").unwrap();
            (name.to_string(), value.to_string())
        })
        .collect();
    let url = flags
        .iter()
        .find(|f| f.starts_with("http://"))
        .expect("a URL");
    let mut path_and_query = url.strip_prefix(RECORDED_ORIGIN).unwrap().to_string();
    if !data.is_empty() {
        assert!(flags.contains(&"-G"), "data without -G: {command}");
        path_and_query = format!("{path_and_query}?{}", http::query(&data));
    }
    let method = flags
        .iter()
        .position(|f| *f == "-X")
        .map_or("GET", |k| flags[k + 1])
        .to_string();
    headers.push(("User-Agent".into(), CURL_AGENT.into()));
    headers.push(("Accept".into(), "*/*".into()));
    if body.is_some() && !headers.iter().any(|(n, _)| n == "Content-Type") {
        // curl's default for -d.
        headers.push((
            "Content-Type".into(),
            "application/x-www-form-urlencoded".into(),
        ));
    }
    let with_head = flags.contains(&"-i");
    let (status, expected_headers, expected_body) = if with_head {
        let status = printed[0].split(' ').nth(1).unwrap().parse().unwrap();
        let blank = printed.iter().position(|l| l.is_empty());
        let head_end = blank.unwrap_or(printed.len());
        let expected_headers = printed[1..head_end]
            .iter()
            .map(|l| {
                let (n, v) = l.split_once(": ").unwrap();
                (n.to_ascii_lowercase(), v.to_string())
            })
            .collect();
        let body = blank.map_or(String::new(), |b| printed[b + 1..].join("\n"));
        (Some(status), expected_headers, body)
    } else {
        (None, Vec::new(), printed.join("\n"))
    };
    Exchange {
        command: command.to_string(),
        method,
        path_and_query,
        headers,
        body,
        with_head,
        status,
        expected_headers,
        expected_body,
    }
}

/// A row of the recorded `tracks` table.
struct DbTrack {
    id: i64,
    name: String,
    name_lower: String,
    artist_lower: String,
    album_lower: String,
    duration: f64,
    last_lyrics_id: i64,
}

/// A row of the recorded `lyrics` table.
struct DbLyrics {
    id: i64,
    plain: Option<String>,
    synced: Option<String>,
    instrumental: bool,
}

/// The original spelling of the artist and album of tracks 1-10 (the dump lists only their
/// normalised forms; the recorded bodies show 1-4 and 6). Checked against the dump by
/// [`the_recorded_rows_normalise_as_the_server_stored_them`].
const ORIGINAL_ARTIST_ALBUM: [(&str, &str); 10] = [
    (
        "Borislav Slavov",
        "Baldur's Gate 3 (Original Game Soundtrack)",
    ),
    ("Test Artist", "Album A"),
    ("Test Artist", "Album A"),
    ("Test Artist", "Album A"),
    ("Beyoncé & Jay-Z", "Déjà Vu"),
    ("Armin van Buuren feat. Laura V", "Mirage"),
    ("Armin van Buuren feat. Laura V", "A State of Trance"),
    ("YOASOBI", "THE BOOK"),
    ("Test Artist", "Album A"),
    ("Test Artist", "Album A"),
];

fn db() -> (Vec<DbTrack>, Vec<DbLyrics>) {
    let lines: Vec<&str> = TRANSCRIPT.split('\n').collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("id|name|name_lower|"))
        .expect("the tracks table");
    let lyrics_start = lines
        .iter()
        .position(|l| l.starts_with("id|track_id|"))
        .expect("the lyrics table");
    let tracks = lines[start + 1..lyrics_start]
        .iter()
        .map(|l| {
            let f: Vec<&str> = l.split('|').collect();
            DbTrack {
                id: f[0].parse().unwrap(),
                name: f[1].to_string(),
                name_lower: f[2].to_string(),
                artist_lower: f[3].to_string(),
                album_lower: f[4].to_string(),
                duration: f[5].parse().unwrap(),
                last_lyrics_id: f[6].parse().unwrap(),
            }
        })
        .collect();
    let text = |s: &str| (!s.is_empty()).then(|| s.replace("\\n", "\n"));
    let lyrics = lines[lyrics_start + 1..]
        .iter()
        .take_while(|l| !l.is_empty() && !l.starts_with("##"))
        .map(|l| {
            let f: Vec<&str> = l.splitn(7, '|').collect();
            DbLyrics {
                id: f[0].parse().unwrap(),
                plain: if f[2] == "1" { text(f[5]) } else { None },
                synced: if f[3] == "1" { text(f[6]) } else { None },
                instrumental: f[4] == "1",
            }
        })
        .collect();
    (tracks, lyrics)
}

fn record(track: &DbTrack, lyrics: &[DbLyrics]) -> Record {
    let latest = lyrics
        .iter()
        .find(|l| l.id == track.last_lyrics_id)
        .expect("the latest lyrics row");
    let (artist, album) = ORIGINAL_ARTIST_ALBUM[track.id as usize - 1];
    Record {
        track_name: track.name.clone(),
        artist_name: artist.into(),
        album_name: album.into(),
        duration: track.duration,
        instrumental: latest.instrumental,
        plain_lyrics: latest.plain.clone(),
        synced_lyrics: latest.synced.clone(),
    }
}

/// The 31 bulk rows with ids 11-41: "Alpha 1".."Alpha 30" (duration 100 + n, no lyrics;
/// "Alpha 3" is recorded with 103.0) and "Alpha Alpha Alpha", by "Bulk" on "Bulk LP".
fn insert_bulk(fake: &FakeLrclib) {
    let bulk = |name: String, duration: f64| Record {
        track_name: name,
        artist_name: "Bulk".into(),
        album_name: "Bulk LP".into(),
        duration,
        instrumental: false,
        plain_lyrics: None,
        synced_lyrics: None,
    };
    for n in 1..=30 {
        assert_eq!(
            fake.insert(bulk(format!("Alpha {n}"), 100.0 + n as f64)),
            10 + n
        );
    }
    assert_eq!(fake.insert(bulk("Alpha Alpha Alpha".into(), 131.0)), 41);
}

/// A fake holding what the recording server held.
async fn seeded() -> FakeLrclib {
    let fake = FakeLrclib::start_empty(Default::default()).await.unwrap();
    let (tracks, lyrics) = db();
    assert_eq!(tracks.len(), 10);
    for track in &tracks {
        assert_eq!(fake.insert(record(track, &lyrics)), track.id);
    }
    insert_bulk(&fake);
    fake
}

/// The differences between a recorded exchange and the fake's answer.
fn differences(ex: &Exchange, got: &Answer) -> Vec<String> {
    let mut diffs = Vec::new();
    let got_text = String::from_utf8_lossy(&got.body).to_string();
    let records = got_text.matches(LYRICSFILE).count();
    let got_body = got_text.replace(LYRICSFILE, "");
    let expected_status = ex.status.unwrap_or_else(|| {
        serde_json::from_str::<Value>(&ex.expected_body)
            .ok()
            .and_then(|v| v.get("statusCode").and_then(Value::as_u64))
            .map_or(200, |s| s as u16)
    });
    if got.status != expected_status {
        diffs.push(format!("status {} != {expected_status}", got.status));
    }
    if got_body != ex.expected_body {
        diffs.push(format!("body {got_body:?}\n   != {:?}", ex.expected_body));
    }
    if let Ok(expected) = serde_json::from_str::<Value>(&ex.expected_body) {
        match serde_json::from_str::<Value>(&got_body) {
            Ok(value) if value == expected => {}
            Ok(value) => diffs.push(format!("JSON {value} != {expected}")),
            Err(e) => diffs.push(format!("not JSON: {e}")),
        }
        // Each record carries `lyricsfile: null`.
        let expected_records = match &expected {
            Value::Array(items) => items.len(),
            Value::Object(o) if o.contains_key("syncedLyrics") => 1,
            _ => 0,
        };
        if records != expected_records {
            diffs.push(format!(
                "{records} lyricsfile fields for {expected_records} records"
            ));
        }
    }
    if ex.with_head {
        for (name, value) in &ex.expected_headers {
            let expected = if name == "content-length" {
                let recorded: usize = value.parse().unwrap();
                (recorded + records * LYRICSFILE.len()).to_string()
            } else {
                value.clone()
            };
            if got.header(name) != Some(expected.as_str()) {
                diffs.push(format!("{name}: {:?} != {expected:?}", got.header(name)));
            }
        }
        for (name, value) in &got.headers {
            let recorded = ex.expected_headers.iter().any(|(n, _)| n == name);
            // `date` is left out of the transcript; `connection: close` answers this
            // client's `Connection: close` (curl keeps the connection alive).
            if !recorded && name != "date" && name != "connection" {
                diffs.push(format!("extra header {name}: {value}"));
            }
        }
    }
    diffs
}

#[tokio::test]
async fn recorded_exchanges_are_answered_alike() {
    let fake = seeded().await;
    let base = fake.base_url();
    let mut failures = Vec::new();
    let mut replayed = 0;
    let mut skipped = Vec::new();
    for ex in exchanges() {
        if ex.path_and_query == "/api/request-challenge" {
            skipped.push(ex.command);
            continue;
        }
        let headers: Vec<(&str, &str)> = ex
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let answer = http::request(
            &base,
            &ex.method,
            &ex.path_and_query,
            &headers,
            ex.body.as_deref().map(str::as_bytes),
        )
        .await;
        let diffs = differences(&ex, &answer);
        if !diffs.is_empty() {
            failures.push(format!("$ curl {}\n  {}", ex.command, diffs.join("\n  ")));
        }
        replayed += 1;
    }
    assert_eq!(skipped.len(), 1, "only request-challenge is skipped");
    assert_eq!(replayed, 23, "every other recorded request is replayed");
    assert!(
        failures.is_empty(),
        "{} of {replayed} recorded requests answered differently:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The lines of the section whose heading starts with `heading`.
fn section(heading: &str) -> Vec<&'static str> {
    TRANSCRIPT
        .split('\n')
        .skip_while(|l| !l.starts_with(heading))
        .skip(1)
        .take_while(|l| !l.is_empty() && !l.starts_with("##"))
        .collect()
}

#[tokio::test]
async fn recorded_search_orders_are_answered_alike() {
    let fake = seeded().await;
    let base = fake.base_url();
    let lines = section("## /api/search ordering");
    assert_eq!(lines.len(), 7);
    let mut failures = Vec::new();
    for line in lines {
        let (query, outcome) = line.split_once("->").unwrap();
        let params: Vec<(&str, &str)> = query
            .trim()
            .split('&')
            .map(|kv| kv.split_once('=').unwrap())
            .collect();
        let answer = http::get_with(&base, "/api/search", &params).await;
        assert_eq!(answer.status, 200, "{line}");
        let outcome = outcome.trim();
        let got_ids = answer.ids();
        let ok = if outcome == "[]" {
            got_ids.is_empty()
        } else if let Some(names) = outcome.strip_prefix("['") {
            let names: Vec<&str> = names.trim_end_matches("']").split("', '").collect();
            let json = answer.json();
            let got: Vec<&str> = json
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["trackName"].as_str().unwrap())
                .collect();
            got == names
        } else {
            let (count, ids) = outcome.split_once(" results, ids ").unwrap();
            let ids: Vec<i64> = ids
                .trim_matches(|c| c == '[' || c == ']')
                .split(", ")
                .map(|id| id.parse().unwrap())
                .collect();
            got_ids.len() == count.parse::<usize>().unwrap() && got_ids == ids
        };
        if !ok {
            failures.push(format!("{line}\n  got ids {got_ids:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The request behind each recorded probe description (the transcript gives only the
/// description): parameters of `/api/get`, and the id a 200 must answer.
fn probe(description: &str) -> (Vec<(&'static str, &'static str)>, Option<i64>) {
    const CAFE: &str = "Café del Mar (feat. Someone) – Remix";
    const BEYONCE: &str = "Beyoncé & Jay-Z";
    const LIVE: &str = "I Want to Live";
    const SLAVOV: &str = "Borislav Slavov";
    let live = |extra: (&'static str, &'static str)| {
        vec![("track_name", LIVE), ("artist_name", SLAVOV), extra]
    };
    match description {
        "NFC accents" => (
            vec![("track_name", CAFE), ("artist_name", BEYONCE)],
            Some(5),
        ),
        "accents dropped" => (
            vec![
                ("track_name", "Cafe del Mar (feat. Someone) – Remix"),
                ("artist_name", "Beyonce & Jay-Z"),
            ],
            Some(5),
        ),
        "NFD (decomposed) accents" => (
            vec![
                ("track_name", "Cafe\u{301} del Mar (feat. Someone) – Remix"),
                ("artist_name", "Beyonce\u{301} & Jay-Z"),
            ],
            None,
        ),
        "'-' instead of en dash '–'" => (
            vec![
                ("track_name", "Café del Mar (feat. Someone) - Remix"),
                ("artist_name", BEYONCE),
            ],
            None,
        ),
        "'(feat. Someone)' removed" => (
            vec![
                ("track_name", "Café del Mar – Remix"),
                ("artist_name", BEYONCE),
            ],
            None,
        ),
        "'and' instead of '&'" => (
            vec![("track_name", CAFE), ("artist_name", "Beyoncé and Jay-Z")],
            None,
        ),
        "curly apostrophe in album" => (
            live(("album_name", "Baldur’s Gate 3 (Original Game Soundtrack)")),
            Some(1),
        ),
        "empty album_name=" => (live(("album_name", "")), Some(1)),
        "artist without 'feat. Laura V'" => (
            vec![
                ("track_name", "Drowning - Avicii Remix"),
                ("artist_name", "Armin van Buuren"),
            ],
            None,
        ),
        "fullwidth ＹＯＡＳＯＢＩ + ideographic space" => (
            vec![
                ("track_name", "夜に駆ける"),
                ("artist_name", "ＹＯＡＳＯＢＩ\u{3000}"),
            ],
            Some(8),
        ),
        "duration=NaN" => (live(("duration", "NaN")), None),
        "duration=+233" => (live(("duration", "+233")), Some(1)),
        "duration=' 233'" => (live(("duration", " 233")), None),
        other => panic!("no request for the recorded probe {other:?}"),
    }
}

#[tokio::test]
async fn recorded_normalisation_probes_are_answered_alike() {
    let fake = seeded().await;
    let base = fake.base_url();
    let lines = section("## /api/get normalisation probes");
    assert_eq!(lines.len(), 13);
    let mut failures = Vec::new();
    for line in lines {
        let (description, status) = line.trim_end().rsplit_once(' ').unwrap();
        let description = description.trim();
        let status: u16 = status.parse().unwrap();
        let (params, id) = probe(description);
        let answer = http::get_with(&base, "/api/get", &params).await;
        let id_ok = status != 200 || answer.json()["id"].as_i64() == id;
        if answer.status != status || !id_ok {
            failures.push(format!(
                "{description}: {} {}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// "q=cachetest returned [] before publishing 'Cachetest'; after the publish the same
/// (normalised) query still returned [] (in-memory cache), a new query string found it."
#[tokio::test]
async fn a_cached_empty_search_stays_empty_as_recorded() {
    let fake = FakeLrclib::start_empty(Default::default()).await.unwrap();
    let base = fake.base_url();
    let (tracks, lyrics) = db();
    for track in tracks.iter().filter(|t| t.id < 10) {
        assert_eq!(fake.insert(record(track, &lyrics)), track.id);
    }
    let search = |params: Vec<(&'static str, &'static str)>| {
        let base = base.clone();
        async move { http::get_with(&base, "/api/search", &params).await.ids() }
    };
    assert!(search(vec![("q", "cachetest")]).await.is_empty());
    let cachetest = tracks.iter().find(|t| t.name == "Cachetest").unwrap();
    assert_eq!(fake.insert(record(cachetest, &lyrics)), 10);
    assert!(search(vec![("q", "cachetest")]).await.is_empty());
    assert!(search(vec![("q", " CacheTest! ")]).await.is_empty());
    assert_eq!(search(vec![("q", "cachetest album")]).await, [10]);
    assert_eq!(search(vec![("track_name", "cachetest")]).await, [10]);
    fake.clear_search_cache();
    assert_eq!(search(vec![("q", "cachetest")]).await, [10]);
}

#[test]
fn the_recorded_rows_normalise_as_the_server_stored_them() {
    let (tracks, _) = db();
    for track in &tracks {
        let (artist, album) = ORIGINAL_ARTIST_ALBUM[track.id as usize - 1];
        assert_eq!(normalise(&track.name), track.name_lower, "{}", track.name);
        assert_eq!(normalise(artist), track.artist_lower, "{artist}");
        assert_eq!(normalise(album), track.album_lower, "{album}");
    }
}

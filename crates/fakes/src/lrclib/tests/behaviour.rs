//! What the transcript does not show, each from REFERENCE.md (section in the test's comment).

use super::http::{self, get, get_with, request, AGENT};
use crate::faults::{Fault, FaultKind};
use crate::lrclib::{FakeLrclib, Record, SEARCH_LIMIT};
use std::time::{Duration, Instant};

fn record(name: &str, artist: &str, album: &str, duration: f64) -> Record {
    Record {
        track_name: name.into(),
        artist_name: artist.into(),
        album_name: album.into(),
        duration,
        instrumental: false,
        plain_lyrics: Some("la la".into()),
        synced_lyrics: Some("[00:01.00] la la\n[00:03.00] ".into()),
    }
}

async fn empty() -> FakeLrclib {
    FakeLrclib::start_empty(Default::default()).await.unwrap()
}

async fn with_one() -> FakeLrclib {
    let fake = empty().await;
    fake.insert(record("I Want to Live", "Borislav Slavov", "Album", 233.0));
    fake
}

const TEXT: &str = "text/plain; charset=utf-8";
const JSON: &str = "application/json";

/// §3, §8: Cloudflare answers 403 HTML to a request without a `User-Agent` (or an empty one),
/// before the server sees it; it is logged.
#[tokio::test]
async fn no_user_agent_is_refused_with_cloudflare_s_page() {
    let fake = with_one().await;
    let base = fake.base_url();
    for headers in [vec![], vec![("User-Agent", "")]] {
        let answer = request(&base, "GET", "/api/get/1", &headers, None).await;
        assert_eq!(answer.status, 403);
        assert_eq!(
            answer.header("content-type"),
            Some("text/html; charset=UTF-8")
        );
        assert!(answer.text().contains("Cloudflare"));
        assert_eq!(answer.header("access-control-allow-origin"), None);
    }
    let with_agent = get(&base, "/api/get/1").await;
    assert_eq!(with_agent.status, 200);
    let log = fake.log();
    assert_eq!(log.len(), 3);
    assert_eq!((log[0].status, log[0].user_agent.as_str()), (403, ""));
    assert_eq!((log[2].status, log[2].path.as_str()), (200, "/api/get/1"));
    assert_eq!(log[2].user_agent, AGENT);
}

/// §1: wrong method → 405, empty body, `allow`; CORS header on every answer (§8).
#[tokio::test]
async fn wrong_methods_get_405_with_allow() {
    let fake = with_one().await;
    let base = fake.base_url();
    let agent = [("User-Agent", AGENT)];
    for (method, path, allow) in [
        ("POST", "/api/get?track_name=a&artist_name=b", "GET,HEAD"),
        ("DELETE", "/api/search?q=a", "GET,HEAD"),
        ("PUT", "/api/get/1", "GET,HEAD"),
        ("GET", "/api/publish", "POST"),
    ] {
        let answer = request(&base, method, path, &agent, Some(b"")).await;
        assert_eq!(answer.status, 405, "{method} {path}");
        assert_eq!(answer.header("allow"), Some(allow));
        assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
        assert!(answer.body.is_empty());
    }
}

/// §1: HEAD works on the GET routes: the GET's headers, no body.
#[tokio::test]
async fn head_answers_like_get_without_a_body() {
    let fake = with_one().await;
    let base = fake.base_url();
    for path in [
        "/api/get?track_name=I+Want+to+Live&artist_name=Borislav+Slavov",
        "/api/get/1",
        "/api/search?q=live",
        "/api/get/2",
    ] {
        let got = get(&base, path).await;
        let head = request(&base, "HEAD", path, &[("User-Agent", AGENT)], None).await;
        assert_eq!(head.status, got.status, "{path}");
        assert!(head.body.is_empty());
        assert_eq!(head.header("content-type"), Some(JSON));
        assert_eq!(
            head.header("content-length"),
            Some(got.body.len().to_string().as_str())
        );
    }
}

/// §1: unknown paths and trailing slashes → 404 with an empty body.
#[tokio::test]
async fn unknown_paths_are_404_with_an_empty_body() {
    let fake = with_one().await;
    let base = fake.base_url();
    for path in [
        "/api/get/",
        "/api/search/",
        "/api/get/1/",
        "/api",
        "/",
        "/api/get-cached?track_name=x&artist_name=y",
        "/api/request-challenge",
    ] {
        let answer = get(&base, path).await;
        assert_eq!(answer.status, 404, "{path}");
        assert!(answer.body.is_empty(), "{path}");
        assert_eq!(answer.header("content-type"), None);
        assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    }
}

/// §3: a repeated known key is axum's text 400; unknown keys, repeated or not, are ignored.
#[tokio::test]
async fn repeated_keys_and_unknown_keys() {
    let fake = with_one().await;
    let base = fake.base_url();
    let answer = get(&base, "/api/get?track_name=a&artist_name=b&track_name=c").await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.header("content-type"), Some(TEXT));
    assert_eq!(
        answer.text(),
        "Failed to deserialize query string: duplicate field `track_name`"
    );
    let answer = get(&base, "/api/search?q=a&q=b").await;
    assert_eq!(answer.status, 400);
    assert_eq!(
        answer.text(),
        "Failed to deserialize query string: duplicate field `q`"
    );
    let answer = get(
        &base,
        "/api/get?track_name=I+Want+to+Live&artist_name=Borislav+Slavov&x=1&x=2&y",
    )
    .await;
    assert_eq!(answer.status, 200);
    let answer = get(&base, "/api/get?artist_name=b&duration=1").await;
    assert_eq!(
        answer.text(),
        "Failed to deserialize query string: missing field `track_name`"
    );
    let answer = get(&base, "/api/get?track_name=a&duration=1").await;
    assert_eq!(
        answer.text(),
        "Failed to deserialize query string: missing field `artist_name`"
    );
}

async fn get_status(base: &url::Url, params: &[(&str, &str)]) -> (u16, String) {
    let answer = get_with(base, "/api/get", params).await;
    (answer.status, answer.text())
}

/// §4: inclusive ±2 s, fractional durations, NaN/inf/range/number syntax (§3).
#[tokio::test]
async fn the_duration_window_and_its_validation() {
    let fake = with_one().await;
    let base = fake.base_url();
    let names = [
        ("track_name", "I Want to Live"),
        ("artist_name", "Borislav Slavov"),
    ];
    let with = |d: &'static str| {
        let mut p = names.to_vec();
        p.push(("duration", d));
        p
    };
    for d in [
        "231", "235", "233", "231.0", "234.999", "233.5", "+233", "2.33e2",
    ] {
        assert_eq!(get_status(&base, &with(d)).await.0, 200, "{d}");
    }
    for d in ["230.99", "235.01", "NaN", "1", "3600"] {
        assert_eq!(get_status(&base, &with(d)).await.0, 404, "{d}");
    }
    let range = r#"{"message":"duration: must be between 1 and 3600","name":"ValidationError","statusCode":400}"#;
    for d in ["0.99", "-1", "3600.0001", "inf", "-inf", "infinity"] {
        assert_eq!(
            get_status(&base, &with(d)).await,
            (400, range.to_string()),
            "{d}"
        );
    }
    let invalid = "Failed to deserialize query string: invalid float literal";
    for d in [" 233", "abc", "0x10", "233s", "1,5"] {
        assert_eq!(
            get_status(&base, &with(d)).await,
            (400, invalid.to_string()),
            "{d}"
        );
    }
    let empty = "Failed to deserialize query string: cannot parse float from empty string";
    assert_eq!(get_status(&base, &with("")).await, (400, empty.to_string()));
}

/// §3: names that normalise to nothing pass validation and end as 404; an empty name fails it.
#[tokio::test]
async fn blank_names() {
    let fake = with_one().await;
    let base = fake.base_url();
    for name in [" ", "?!", "''", "()"] {
        let (status, body) = get_status(&base, &[("track_name", name), ("artist_name", "x")]).await;
        assert_eq!(status, 404, "{name:?}: {body}");
    }
    let (status, body) = get_status(&base, &[("track_name", "x"), ("artist_name", "")]).await;
    assert_eq!(status, 400);
    assert_eq!(
        body,
        r#"{"message":"artist_name: cannot be empty","name":"ValidationError","statusCode":400}"#
    );
}

/// §4: the lowest id wins, not the closest duration; album only when non-empty; album
/// mismatch → 404; a track without lyrics is still a match.
#[tokio::test]
async fn lowest_id_album_and_lyrics_free_matches() {
    let fake = empty().await;
    let base = fake.base_url();
    let a = fake.insert(record("Drowning - Avicii Remix", "Armin", "Mirage", 472.0));
    let b = fake.insert(record("Drowning (Avicii Remix)", "Armin", "Trance", 473.0));
    let mut bare = record("Bare", "Armin", "Mirage", 100.0);
    bare.plain_lyrics = None;
    bare.synced_lyrics = None;
    let c = fake.insert(bare);
    assert_eq!((a, b, c), (1, 2, 3));
    let id = |params: Vec<(&'static str, &'static str)>| {
        let base = base.clone();
        async move {
            let answer = get_with(&base, "/api/get", &params).await;
            (answer.status == 200).then(|| answer.json()["id"].as_i64().unwrap())
        }
    };
    let drowning = [
        ("track_name", "drowning avicii remix"),
        ("artist_name", "ARMIN"),
    ];
    let plus = |extra: &[(&'static str, &'static str)]| [drowning.as_slice(), extra].concat();
    assert_eq!(id(plus(&[("duration", "473")])).await, Some(1));
    assert_eq!(id(plus(&[("duration", "474.5")])).await, Some(2));
    assert_eq!(id(plus(&[("album_name", "Trance")])).await, Some(2));
    assert_eq!(id(plus(&[("album_name", " (…) ")])).await, None);
    assert_eq!(id(plus(&[("album_name", " () ")])).await, Some(1));
    assert_eq!(id(plus(&[("album_name", "Other")])).await, None);
    let answer = get_with(
        &base,
        "/api/get",
        &[("track_name", "Bare"), ("artist_name", "Armin")],
    )
    .await;
    let json = answer.json();
    assert_eq!(json["id"], 3);
    assert!(json["plainLyrics"].is_null() && json["syncedLyrics"].is_null());
    assert_eq!(json["instrumental"], false);
}

/// §2: the record's fields in the server's order plus the live `lyricsfile` (null), in every
/// route; `duration` with a fraction.
#[tokio::test]
async fn records_carry_every_field_in_order() {
    let fake = with_one().await;
    let base = fake.base_url();
    let expected = concat!(
        r#"{"id":1,"name":"I Want to Live","trackName":"I Want to Live","#,
        r#""artistName":"Borislav Slavov","albumName":"Album","duration":233.0,"#,
        r#""instrumental":false,"plainLyrics":"la la","#,
        r#""syncedLyrics":"[00:01.00] la la\n[00:03.00] ","lyricsfile":null}"#
    );
    let by_metadata = get(
        &base,
        "/api/get?track_name=i+want+to+live&artist_name=borislav+slavov",
    )
    .await;
    assert_eq!(by_metadata.text(), expected);
    assert_eq!(by_metadata.header("content-type"), Some(JSON));
    assert_eq!(get(&base, "/api/get/1").await.text(), expected);
    assert_eq!(get(&base, "/api/get/+1").await.text(), expected);
    assert_eq!(
        get(&base, "/api/search?q=live").await.text(),
        format!("[{expected}]")
    );
}

/// §3: `/api/get/{id}` parses an i64 like the server; unknown and negative ids are 404.
#[tokio::test]
async fn ids_in_the_path() {
    let fake = with_one().await;
    let base = fake.base_url();
    for (path, status) in [
        ("/api/get/-1", 404),
        ("/api/get/0", 404),
        ("/api/get/2", 404),
    ] {
        assert_eq!(get(&base, path).await.status, status, "{path}");
    }
    let answer = get(&base, "/api/get/99999999999999999999").await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.header("content-type"), Some(TEXT));
    assert_eq!(
        answer.text(),
        "Invalid URL: Cannot parse `\"99999999999999999999\"` to a `i64`"
    );
    let answer = get(&base, "/api/get/1.0").await;
    assert_eq!(
        answer.text(),
        "Invalid URL: Cannot parse `\"1.0\"` to a `i64`"
    );
}

/// §5: at most 20 results, rowid order for short queries, `[]` without `q`/`track_name`;
/// the phrase of `track_name`, the artist's first word in the artist column.
#[tokio::test]
async fn search_limits_and_fields() {
    let fake = empty().await;
    let base = fake.base_url();
    for n in 1..=25 {
        fake.insert(record(
            &format!("Song {n}"),
            "Band",
            "Disc",
            100.0 + n as f64,
        ));
    }
    fake.insert(record("Other Song", "Solo Band", "Song Book", 200.0));
    let ids = |params: Vec<(&'static str, &'static str)>| {
        let base = base.clone();
        async move { get_with(&base, "/api/search", &params).await.ids() }
    };
    let first_twenty: Vec<i64> = (1..=20).collect();
    assert_eq!(SEARCH_LIMIT, 20);
    assert_eq!(ids(vec![("q", "song")]).await, first_twenty);
    assert_eq!(ids(vec![("track_name", "SONG")]).await, first_twenty);
    assert_eq!(ids(vec![("q", "song 25")]).await, [25]);
    assert_eq!(ids(vec![("q", "son")]).await, Vec::<i64>::new());
    assert_eq!(
        ids(vec![("track_name", "other song"), ("artist_name", "solo")]).await,
        [26]
    );
    assert_eq!(
        ids(vec![("track_name", "song other")]).await,
        Vec::<i64>::new()
    );
    // "band" is in the artist column of them all; "solo" only in row 26's.
    assert_eq!(
        ids(vec![("track_name", "song"), ("artist_name", "solo band")]).await,
        [26]
    );
    assert_eq!(
        ids(vec![("track_name", "song"), ("album_name", "song book")]).await,
        [26]
    );
    assert_eq!(
        ids(vec![("artist_name", "band"), ("album_name", "disc")]).await,
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(vec![("q", "  "), ("track_name", "?")]).await,
        Vec::<i64>::new()
    );
    // `q` wins over the fields.
    assert_eq!(
        ids(vec![("q", "other"), ("track_name", "song 3")]).await,
        [26]
    );
}

/// §5: CJK titles are one token: a part of one finds nothing, the whole title does.
#[tokio::test]
async fn cjk_titles_are_whole_tokens() {
    let fake = empty().await;
    let base = fake.base_url();
    fake.insert(record("夜に駆ける", "YOASOBI", "THE BOOK", 261.0));
    let answer = get_with(&base, "/api/search", &[("q", "駆ける")]).await;
    assert_eq!(answer.ids(), Vec::<i64>::new());
    let answer = get_with(
        &base,
        "/api/search",
        &[
            ("track_name", "夜に駆ける"),
            ("artist_name", "ＹＯＡＳＯＢＩ"),
        ],
    )
    .await;
    assert_eq!(answer.ids(), [1]);
}

/// Fault injection and latency, shared with the other fakes.
#[tokio::test]
async fn faults_and_latency() {
    let fake = with_one().await;
    let base = fake.base_url();
    fake.faults()
        .push(Fault::status("/api/get?", 503, Some(5), Some("busy")));
    let answer = get(&base, "/api/get?track_name=a&artist_name=b").await;
    assert_eq!((answer.status, answer.text().as_str()), (503, "busy"));
    assert_eq!(answer.header("retry-after"), Some("5"));
    assert_eq!(get(&base, "/api/get/1").await.status, 200);
    fake.faults().clear();
    fake.faults().push(Fault {
        path_contains: "/api/search".into(),
        kind: FaultKind::HtmlErrorPage,
        times: Some(1),
    });
    let answer = get(&base, "/api/search?q=live").await;
    assert!(answer.text().contains("502"));
    assert_eq!(get(&base, "/api/search?q=live").await.ids(), [1]);
    fake.set_latency(Duration::from_millis(150));
    let started = Instant::now();
    assert_eq!(get(&base, "/api/get/1").await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(150));
    let statuses: Vec<u16> = fake.log().iter().map(|hit| hit.status).collect();
    assert_eq!(statuses, [503, 200, 200, 200, 200]);
}

/// §3, §10: publish parses its body first (415, 422, 413), then refuses the token; a ~100 kB
/// query is 414 (hyper, as on the real server), 10 kB is fine.
#[tokio::test]
async fn publish_and_size_limits() {
    let fake = with_one().await;
    let base = fake.base_url();
    let json = [("User-Agent", AGENT), ("Content-Type", "application/json")];
    let answer = request(
        &base,
        "POST",
        "/api/publish",
        &json,
        Some(br#"{"trackName":"a"}"#),
    )
    .await;
    assert_eq!(answer.status, 422);
    assert!(answer
        .text()
        .starts_with("Failed to deserialize the JSON body into the target type: "));
    assert!(answer.text().contains("missing field `artistName`"));
    let answer = request(&base, "POST", "/api/publish", &json, Some(b"{")).await;
    assert_eq!(answer.status, 400);
    assert!(answer
        .text()
        .starts_with("Failed to parse the request body as JSON"));
    let big = vec![b' '; 2 * 1024 * 1024 + 1];
    let answer = request(&base, "POST", "/api/publish", &json, Some(&big)).await;
    assert_eq!(answer.status, 413);
    assert_eq!(
        answer.text(),
        "Failed to buffer the request body: length limit exceeded"
    );
    let long = "a".repeat(100_000);
    let answer = get(&base, &format!("/api/search?q={long}")).await;
    assert_eq!(answer.status, 414);
    let fine = "a".repeat(10_000);
    assert_eq!(
        get(&base, &format!("/api/search?q={fine}")).await.status,
        200
    );
}

#[tokio::test]
async fn settings_point_at_the_server() {
    let fake = empty().await;
    let base = fake.base_url();
    assert_eq!(base.host_str(), Some("127.0.0.1"));
    assert_eq!(base.path(), "/");
    assert_eq!(fake.env(), [("LRCLIB_BASE_URL", base.to_string())]);
    assert_eq!(
        crate::lrclib::FakeLrclibOptions::realistic().latency,
        Duration::from_millis(150)
    );
    assert_eq!(http::query(&[("a", "b c")]), "a=b+c");
}

/// §3: with the database down, the server answers its 500 `UnknownError` after validating the
/// parameters; searches it has cached still answer (§5: the cache is checked first).
#[tokio::test]
async fn database_down_is_the_servers_500() {
    let fake = with_one().await;
    let base = fake.base_url();
    assert_eq!(get(&base, "/api/search?q=live").await.ids(), [1]);
    fake.set_database_down(true);
    let unknown = r#"{"message":"Something bad happened when processing your request","name":"UnknownError","statusCode":500}"#;
    for path in [
        "/api/get?track_name=I+Want+to+Live&artist_name=Borislav+Slavov",
        "/api/get?track_name=%3F&artist_name=x",
        "/api/get/1",
        "/api/search?q=other",
    ] {
        let answer = get(&base, path).await;
        assert_eq!(
            (answer.status, answer.text().as_str()),
            (500, unknown),
            "{path}"
        );
        assert_eq!(answer.header("content-type"), Some(JSON));
    }
    assert_eq!(
        get(&base, "/api/get?track_name=&artist_name=x")
            .await
            .status,
        400
    );
    assert_eq!(get(&base, "/api/get/x").await.status, 400);
    assert_eq!(get(&base, "/api/search?q=live").await.ids(), [1]);
    assert_eq!(get(&base, "/api/search").await.status, 500);
    fake.set_database_down(false);
    assert_eq!(get(&base, "/api/get/1").await.status, 200);
}

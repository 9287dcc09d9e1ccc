//! Conformance of the real `SpotifyClient` with Spotify's published OpenAPI description
//! (`../shared/spotify-web-api/fixed-spotify-open-api.yml`, community-maintained), served by the
//! Stoplight Prism mock server (`tests/conformance`, installed by `scripts/setup.sh --test`).
//!
//! A small recording reverse proxy sits between the client and Prism, because Prism reports what
//! it finds wrong with a request only in the `sl-violations` response header, which the client
//! does not expose. Two runs, each with its own Prism generating random responses (`-d`):
//! - the description as published: no request of ours may be reported invalid, and every
//!   generated answer must parse or fail with the typed `bad_response` error, never a panic;
//! - a copy patched with the real constraints the description leaves out (see `PATCHES`): then
//!   every generated answer must parse.
//!
//! Every endpoint the app calls is in `endpoints()`, one line each, and runs `RUNS` times
//! because generation is random. `cargo test --test conformance -- --nocapture` prints what
//! each endpoint did.


use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use futures_util::future::LocalBoxFuture;
use futures_util::FutureExt;
use serde_json::{json, Map, Value};
use crate::spotify_common::{fake, http, signed_in, token_path};
use spotify_plus_core::spotify::{ArtistId, PlaylistId, RetryPolicy, SpotifyClient, SpotifyError};
use spotify_plus_core::Kinded;
use spotify_plus_fakes::spotify::FakeSpotify;
use spotify_plus_test_support::process::{free_port, Group};
use std::any::Any;
use std::collections::BTreeMap;
use std::fs::File;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use url::Url;

/// Calls per endpoint and run: generation is random, so one answer proves little.
const RUNS: usize = 20;

/// The pattern of every Spotify catalog ID: 22 base-62 characters.
const BASE62_ID: &str = "^[0-9A-Za-z]{22}$";

// ---------------------------------------------------------------------------------------------
// The endpoints the app calls
// ---------------------------------------------------------------------------------------------

/// One call of the client; the view it returns is dropped (only parse success matters here).
/// (Not `Send`: `artists` is not provably `Send` behind a trait object, so calls are not spawned.)
type Call = fn(SpotifyClient) -> LocalBoxFuture<'static, Result<(), SpotifyError>>;

/// A named client call.
struct Endpoint {
    name: &'static str,
    call: Call,
}

/// `endpoint!("name", |client| client.method(args))`: one line per client method.
macro_rules! endpoint {
    ($name:literal, |$c:ident| $call:expr) => {
        Endpoint {
            name: $name,
            call: |$c| Box::pin(async move { $call.await.map(drop) }),
        }
    };
}

fn playlist_id() -> PlaylistId {
    "3cEYpjA9oz9GiPac4AsH4n".parse().unwrap()
}

fn artist_ids() -> Vec<ArtistId> {
    ["0OdUWJ0sBjDrqHygGUXeCF", "3WrFJ7ztbogyGnTHbHJFl2"]
        .iter()
        .map(|id| id.parse().unwrap())
        .collect()
}

/// Every Web API call `SpotifyClient` makes (keep in step with client.rs).
fn endpoints() -> Vec<Endpoint> {
    vec![
        endpoint!("me", |c| c.me()),
        endpoint!("currently_playing", |c| c.currently_playing()),
        endpoint!("playlists", |c| c.playlists(0)),
        endpoint!("playlists (page 2)", |c| c.playlists(10)),
        endpoint!("playlist", |c| c.playlist(&playlist_id())),
        endpoint!("playlist_items", |c| c.playlist_items(&playlist_id(), 0)),
        endpoint!("track", |c| c
            .track(&"11dFghVXANMlKmJXsNCbNl".parse().unwrap())),
        endpoint!("artist", |c| c.artist(&artist_ids()[0])),
        endpoint!("artists", |c| c.artists(&artist_ids())),
    ]
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn published_description_requests_are_valid_and_answers_never_panic() {
    let description = description();
    let rig = Rig::start(&description, "published").await;
    let calls = rig.run_all().await;
    println!("{}", summary("published description", &calls));

    let mut problems = request_problems(&calls);
    for call in &calls {
        match &call.outcome {
            Outcome::Parsed => {}
            // Prism answered 2xx with data that fits the description (checked by
            // request_problems); refusing unrealistic data is fine, as long as it is the typed
            // "could not read" error rather than, say, a 400 or a network error.
            Outcome::Failed(error) if error.kind() == "bad_response" => {}
            other => problems.push(call.describe(other)),
        }
    }
    rig.assert_violations_are_seen().await;
    assert!(
        problems.is_empty(),
        "against the published description:\n{}",
        first_few(&problems)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn realistic_answers_all_parse() {
    let dir = tempfile::tempdir().unwrap();
    let mut doc: Value = serde_yaml_ng::from_str(
        &std::fs::read_to_string(description()).expect("read the description"),
    )
    .expect("the description is YAML");
    for (name, patch) in PATCHES {
        let changed = patch(&mut doc);
        // A patch that finds nothing means the description changed shape: review the patch
        // rather than let the run silently test less.
        assert!(
            changed > 0,
            "patch {name} changed nothing in the description"
        );
    }
    let patched = dir.path().join("spotify-web-api.patched.json");
    std::fs::write(&patched, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();

    let rig = Rig::start(&patched, "patched").await;
    let calls = rig.run_all().await;
    println!("{}", summary("patched description", &calls));

    let mut problems = request_problems(&calls);
    for call in &calls {
        if !matches!(call.outcome, Outcome::Parsed) {
            problems.push(call.describe(&call.outcome));
        }
    }
    rig.assert_violations_are_seen().await;
    assert!(
        problems.is_empty(),
        "against the patched description every answer must parse:\n{}",
        first_few(&problems)
    );
}

/// A new Web API call in client.rs must join `endpoints()`, or this test would silently stop
/// covering every call the app makes.
#[test]
fn every_public_client_call_is_in_the_table() {
    let source = include_str!("../../src/spotify/client.rs");
    let covered: Vec<&str> = endpoints()
        .iter()
        .map(|e| e.name.split(' ').next().unwrap())
        .collect();
    let public_calls: Vec<&str> = source
        .lines()
        .filter_map(|line| line.trim().strip_prefix("pub async fn "))
        .filter_map(|rest| rest.split(['(', '<']).next())
        .collect();
    assert!(
        !public_calls.is_empty(),
        "no `pub async fn` found in client.rs"
    );
    let missing: Vec<&&str> = public_calls
        .iter()
        .filter(|name| !covered.contains(name))
        .collect();
    assert!(
        missing.is_empty(),
        "client calls missing from endpoints() in tests/conformance.rs: {missing:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Patches: the real constraints the description leaves out
// ---------------------------------------------------------------------------------------------

/// A patch of the description: changes the document, returns how many places it changed.
type Patch = fn(&mut Value) -> usize;

/// Each patch of the copy, by name; each says in its comment why it is true of the real API.
const PATCHES: &[(&str, Patch)] = &[
    ("base-62 catalog IDs", base62_ids),
    ("base-62 IDs in paths", base62_path_params),
    ("non-negative integers", non_negative_integers),
    ("popularity 0-100", popularity),
    (
        "catalog tracks are not local files",
        catalog_track_not_local,
    ),
    ("nulls Spotify sends", nulls_spotify_sends),
];

/// Track, artist, album, playlist, show, episode, audiobook and chapter IDs are 22 base-62
/// characters; the description says only `string`, so Prism makes IDs like "string" that no
/// real answer has. Not patched: user IDs (account names such as "wizzler" or digits), device
/// IDs (40 hex digits), category IDs (words such as "toplists") and recommendation seeds
/// (genre names), which are not base-62 IDs.
fn base62_ids(doc: &mut Value) -> usize {
    const NOT_BASE62: [&str; 6] = [
        "PrivateUserObject",
        "PublicUserObject",
        "PlaylistUserObject",
        "DeviceObject",
        "CategoryObject",
        "RecommendationSeedObject",
    ];
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
        return 0;
    };
    let mut changed = 0;
    for (name, schema) in schemas {
        if NOT_BASE62.contains(&name.as_str()) {
            continue;
        }
        if let Some(Value::Object(id)) = schema.pointer_mut("/properties/id") {
            if id.get("type") == Some(&json!("string")) {
                id.insert("pattern".into(), json!(BASE62_ID));
                changed += 1;
            }
        }
    }
    changed
}

/// The same for IDs in paths (`/tracks/{id}`, `/playlists/{playlist_id}`, ...), so that
/// Prism's request validation checks our IDs as Spotify does (it answers 400 "invalid base62
/// id"). User and category IDs are left alone for the reasons above.
fn base62_path_params(doc: &mut Value) -> usize {
    let mut changed = 0;
    walk(doc, "", &mut |_, object| {
        let is_path = object.get("in") == Some(&json!("path"));
        let name = object.get("name").and_then(Value::as_str).unwrap_or("");
        if is_path && !["user_id", "category_id"].contains(&name) {
            if let Some(Value::Object(schema)) = object.get_mut("schema") {
                schema.insert("pattern".into(), json!(BASE62_ID));
                changed += 1;
            }
        }
    });
    changed
}

/// Every integer the description leaves unbounded below is a count, total, offset, limit,
/// position, duration, progress, width, height, track or disc number or timestamp: Spotify
/// never sends one negative, while Prism draws from -1e8..1e8. The one exception is a
/// section's `key`, which is -1 when no key was detected.
fn non_negative_integers(doc: &mut Value) -> usize {
    let mut changed = 0;
    walk(doc, "", &mut |key, object| {
        if object.get("type") == Some(&json!("integer"))
            && !object.contains_key("minimum")
            && key != "key"
        {
            object.insert("minimum".into(), json!(0));
            changed += 1;
        }
    });
    changed
}

/// Popularity is a score from 0 to 100 (Spotify's reference says so in prose only), not an
/// integer in the millions.
fn popularity(doc: &mut Value) -> usize {
    let mut changed = 0;
    walk(doc, "", &mut |_, object| {
        if let Some(Value::Object(p)) = object
            .get_mut("properties")
            .and_then(|props| props.get_mut("popularity"))
        {
            p.insert("minimum".into(), json!(0));
            p.insert("maximum".into(), json!(100));
            changed += 1;
        }
    });
    changed
}

/// `GET /tracks/{id}` looks up the catalog, which holds no local files (they have no Spotify
/// ID), so its answer is never `is_local: true`; the description shares the track schema with
/// playlist entries, where local files do occur, and so lets Prism make one.
fn catalog_track_not_local(doc: &mut Value) -> usize {
    let Some(ok) = doc.pointer_mut("/paths/~1tracks~1{id}/get/responses/200") else {
        return 0;
    };
    *ok = json!({
        "description": "A catalog track (never a local file).",
        "content": {"application/json": {"schema": {"allOf": [
            {"$ref": "#/components/schemas/TrackObject"},
            {"type": "object", "properties": {"is_local": {"type": "boolean", "enum": [false]}}}
        ]}}}
    });
    1
}

/// Nulls Spotify sends that the description does not mark (its README says it under-marks
/// nullable fields), so that the patched run covers them too rather than only the happy shape.
fn nulls_spotify_sends(doc: &mut Value) -> usize {
    // OpenAPI 3.0's spelling of "or null" for a `oneOf` (json-schema-faker ignores `nullable`
    // beside `oneOf`, so a null branch is added).
    let null_branch = json!({"nullable": true, "enum": [null]});
    let mut changed = 0;
    // A playlist entry whose track or episode was removed or is unavailable: `item`/`track`
    // is null. Now playing during an ad or of an unknown item: `item` is null.
    for pointer in [
        "/components/schemas/PlaylistTrackObject/properties/item/oneOf",
        "/components/schemas/PlaylistTrackObject/properties/track/oneOf",
        "/components/schemas/CurrentlyPlayingObject/properties/item/oneOf",
    ] {
        if let Some(Value::Array(branches)) = doc.pointer_mut(pointer) {
            branches.push(null_branch.clone());
            changed += 1;
        }
    }
    // A playlist without a cover has `images: null`; an image may have a null `url` (issue 8
    // point 7); a user without a display name has `display_name: null`.
    for pointer in [
        "/components/schemas/SimplifiedPlaylistObject/properties/images",
        "/components/schemas/PlaylistObject/properties/images",
        "/components/schemas/ImageObject/properties/url",
        "/components/schemas/PrivateUserObject/properties/display_name",
    ] {
        if let Some(Value::Object(schema)) = doc.pointer_mut(pointer) {
            schema.insert("nullable".into(), json!(true));
            changed += 1;
        }
    }
    changed
}

/// Calls `visit(key, object)` on every JSON object in `value`, `key` being the name it is
/// stored under in its parent (empty for array elements and the root).
fn walk(value: &mut Value, key: &str, visit: &mut impl FnMut(&str, &mut Map<String, Value>)) {
    match value {
        Value::Object(object) => {
            visit(key, object);
            for (child_key, child) in object.iter_mut() {
                walk(child, child_key, visit);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| walk(item, "", visit)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Running the calls
// ---------------------------------------------------------------------------------------------

/// How one call of the client ended.
enum Outcome {
    Parsed,
    Failed(SpotifyError),
    Panicked(String),
}

/// One call: which endpoint, how it ended, and the HTTP exchanges it made.
struct CallRecord {
    endpoint: &'static str,
    outcome: Outcome,
    exchanges: Vec<Exchange>,
}

impl CallRecord {
    /// A failure message with what Prism sent, so a random failure can be reproduced by hand.
    fn describe(&self, outcome: &Outcome) -> String {
        let what = match outcome {
            Outcome::Parsed => "parsed".to_string(),
            Outcome::Failed(error) => format!("failed with {}: {error}", error.kind()),
            Outcome::Panicked(message) => format!("PANICKED: {message}"),
        };
        let exchanges: Vec<String> = self.exchanges.iter().map(Exchange::describe).collect();
        format!(
            "{} {what}\n{}",
            self.endpoint,
            if exchanges.is_empty() {
                "  (no request reached Prism)".to_string()
            } else {
                exchanges.join("\n")
            }
        )
    }
}

/// Violations Prism reported, answers that were not 2xx, and calls that never reached Prism.
fn request_problems(calls: &[CallRecord]) -> Vec<String> {
    let mut problems = Vec::new();
    for call in calls {
        let bad = call
            .exchanges
            .iter()
            .any(|e| e.violations.is_some() || !(200..300).contains(&e.status));
        if bad || call.exchanges.is_empty() {
            problems.push(format!("request problem: {}", call.describe(&call.outcome)));
        }
    }
    problems.dedup();
    problems
}

/// The first problems in full (with Prism's answer, to reproduce by hand), then a count.
fn first_few(problems: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = problems[..problems.len().min(SHOWN)].join("\n\n");
    if problems.len() > SHOWN {
        text.push_str(&format!("\n\n... and {} more", problems.len() - SHOWN));
    }
    text
}

/// Per endpoint: how many calls parsed, and how the others ended.
fn summary(run: &str, calls: &[CallRecord]) -> String {
    let mut table: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    for call in calls {
        let how = match &call.outcome {
            Outcome::Parsed => "parsed".to_string(),
            Outcome::Failed(error) => error.kind().to_string(),
            Outcome::Panicked(_) => "PANIC".to_string(),
        };
        *table
            .entry(call.endpoint)
            .or_default()
            .entry(how)
            .or_default() += 1;
    }
    let mut lines = vec![format!("conformance, {run} ({RUNS} calls each):")];
    for (endpoint, outcomes) in table {
        let outcomes: Vec<String> = outcomes.iter().map(|(k, n)| format!("{k} {n}")).collect();
        lines.push(format!("  {endpoint:<20} {}", outcomes.join(", ")));
    }
    lines.join("\n")
}

/// A fake accounts server for the session's tokens, Prism behind the recording proxy, and the
/// real client pointed at the proxy.
struct Rig {
    client: SpotifyClient,
    proxy: Recorder,
    proxy_url: Url,
    _prism: Group,
    _fake: FakeSpotify,
    _dir: tempfile::TempDir,
}

impl Rig {
    /// Starts Prism on `description` (logging to a temp file named after `run`) and the rest.
    async fn start(description: &Path, run: &str) -> Rig {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join(format!("prism-{run}.log"));
        let (prism, prism_url) = start_prism(description, &log).await;
        let (proxy, proxy_url) = Recorder::start(prism_url).await;
        // Only the accounts half of the fake is used: it issued the session's tokens. Prism
        // checks that a bearer token is sent, not which.
        let fake = fake().await;
        let session = signed_in(&fake, &token_path(&dir));
        let client = SpotifyClient::new(http(), proxy_url.clone(), session).with_policy(policy());
        Rig {
            client,
            proxy,
            proxy_url,
            _prism: prism,
            _fake: fake,
            _dir: dir,
        }
    }

    /// Runs every endpoint `RUNS` times, one call at a time so exchanges map to calls.
    async fn run_all(&self) -> Vec<CallRecord> {
        let mut calls = Vec::new();
        for endpoint in endpoints() {
            for _ in 0..RUNS {
                let first = self.proxy.len();
                // A panic in the client is caught and reported as a finding, with what Prism sent.
                let call = AssertUnwindSafe((endpoint.call)(self.client.clone()));
                let outcome = match call.catch_unwind().await {
                    Ok(Ok(())) => Outcome::Parsed,
                    Ok(Err(error)) => Outcome::Failed(error),
                    Err(payload) => Outcome::Panicked(panic_message(payload)),
                };
                calls.push(CallRecord {
                    endpoint: endpoint.name,
                    outcome,
                    exchanges: self.proxy.since(first),
                });
            }
        }
        calls
    }

    /// Guards against a vacuous pass: a request that breaks the description (limit above 50)
    /// must come back with a violation through the same proxy, or the header check above
    /// proves nothing (say, if a Prism release renamed the header).
    async fn assert_violations_are_seen(&self) {
        let first = self.proxy.len();
        let url = self
            .proxy_url
            .join(&format!("playlists/{}/items?limit=500", playlist_id()))
            .unwrap();
        http()
            .get(url)
            .bearer_auth("probe")
            .send()
            .await
            .expect("the probe request is answered");
        let probe = self.proxy.since(first);
        assert!(
            probe
                .iter()
                .any(|e| e.violations.as_deref().is_some_and(|v| v.contains("limit"))),
            "Prism did not report limit=500 as a violation: {probe:?}"
        );
    }
}

/// Short waits: Prism answers at once, and the tests run against the clock.
fn policy() -> RetryPolicy {
    RetryPolicy {
        request_timeout: Duration::from_secs(10),
        max_retries: 0,
        ..crate::spotify_common::fast_policy()
    }
}

fn panic_message(payload: Box<dyn Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(no message)".into())
}

// ---------------------------------------------------------------------------------------------
// Prism and the recording proxy
// ---------------------------------------------------------------------------------------------

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Spotify's description: `SPOTIFY_OPENAPI_DESCRIPTION`, else `../shared` beside the repo.
/// Missing is a failure, not a skip: CI has it.
fn description() -> PathBuf {
    let path = std::env::var_os("SPOTIFY_OPENAPI_DESCRIPTION")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            repo_root().join("../shared/spotify-web-api/fixed-spotify-open-api.yml")
        });
    assert!(
        path.is_file(),
        "Spotify's OpenAPI description is not at {} (set SPOTIFY_OPENAPI_DESCRIPTION)",
        path.display()
    );
    path
}

/// Starts `prism mock -d` on `description` on a free loopback port, its whole process group
/// ended on drop, and waits until it accepts connections.
async fn start_prism(description: &Path, log: &Path) -> (Group, Url) {
    let prism = repo_root().join("tests/conformance/node_modules/.bin/prism");
    assert!(
        prism.is_file(),
        "Prism is not installed at {}: run scripts/setup.sh --test (npm ci in tests/conformance)",
        prism.display()
    );
    let port = free_port();
    let out = File::create(log).unwrap();
    let mut group = Group::spawn(
        Command::new(&prism)
            .args(["mock", "--dynamic", "--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .arg(description)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out),
    );
    let deadline = Instant::now() + Duration::from_secs(45);
    loop {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        let exited = group.child().try_wait().unwrap();
        if exited.is_some() || Instant::now() > deadline {
            panic!(
                "Prism did not start ({exited:?}); its log:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let url = Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    (group, url)
}

/// One request through the proxy and Prism's answer.
#[derive(Clone, Debug)]
struct Exchange {
    method: String,
    target: String,
    status: u16,
    /// What Prism found wrong with the request: its `sl-violations` header, or the
    /// `validation` list of the 422 it makes when the description has no error answer.
    violations: Option<String>,
    body: String,
}

impl Exchange {
    fn describe(&self) -> String {
        const SHOWN: usize = 3000;
        let body: String = self.body.chars().take(SHOWN).collect();
        let cut = if self.body.chars().count() > SHOWN {
            " [...]"
        } else {
            ""
        };
        format!(
            "  {} {} -> {}{}\n  body: {body}{cut}",
            self.method,
            self.target,
            self.status,
            self.violations
                .as_ref()
                .map(|v| format!("\n  sl-violations: {v}"))
                .unwrap_or_default()
        )
    }
}

/// A reverse proxy in front of Prism that keeps every exchange.
#[derive(Clone)]
struct Recorder {
    upstream: Url,
    http: reqwest::Client,
    log: Arc<Mutex<Vec<Exchange>>>,
}

impl Recorder {
    /// Serves the proxy on a free loopback port; returns it and its base URL.
    async fn start(upstream: Url) -> (Recorder, Url) {
        let recorder = Recorder {
            upstream,
            http: reqwest::Client::new(),
            log: Arc::default(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let app = axum::Router::new()
            .fallback(forward)
            .with_state(recorder.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (recorder, url)
    }

    fn exchanges(&self) -> std::sync::MutexGuard<'_, Vec<Exchange>> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn len(&self) -> usize {
        self.exchanges().len()
    }

    fn since(&self, first: usize) -> Vec<Exchange> {
        self.exchanges()[first..].to_vec()
    }
}

/// Forwards the request to Prism unchanged, records the exchange, and answers with Prism's
/// status, content type and body.
async fn forward(State(recorder): State<Recorder>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let target = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let body = to_bytes(body, 1 << 20).await.unwrap_or_default();
    let mut upstream = recorder
        .http
        .request(
            parts.method.clone(),
            format!(
                "{}{}",
                recorder.upstream.as_str().trim_end_matches('/'),
                target
            ),
        )
        .body(body);
    for (name, value) in &parts.headers {
        if name != header::HOST && name != header::CONTENT_LENGTH {
            upstream = upstream.header(name, value);
        }
    }
    let mut exchange = Exchange {
        method: parts.method.to_string(),
        target,
        status: 502,
        violations: None,
        body: String::new(),
    };
    let mut response = Response::builder();
    let mut answer_body = axum::body::Bytes::new();
    match upstream.send().await {
        Ok(answer) => {
            exchange.status = answer.status().as_u16();
            exchange.violations = answer
                .headers()
                .get("sl-violations")
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            response = response.status(answer.status());
            if let Some(kind) = answer.headers().get(header::CONTENT_TYPE) {
                response = response.header(header::CONTENT_TYPE, kind);
            }
            answer_body = answer.bytes().await.unwrap_or_default();
            exchange.body = String::from_utf8_lossy(&answer_body).into_owned();
            // When the description has no answer for an invalid request, Prism makes a 422 of
            // its own and lists the violations in its body instead of the header.
            if exchange.violations.is_none() {
                exchange.violations = serde_json::from_slice::<Value>(&answer_body)
                    .ok()
                    .and_then(|problem| problem.get("validation").map(Value::to_string));
            }
        }
        Err(error) => {
            response = response.status(StatusCode::BAD_GATEWAY);
            exchange.body = format!("proxy could not reach Prism: {error}");
        }
    }
    recorder.exchanges().push(exchange);
    response.body(Body::from(answer_body)).unwrap()
}

//! Conformance of the real `SpotifyClient` with Spotify's published OpenAPI description
//! (`crates/fakes/fixtures/spotify-web-api/fixed-spotify-open-api.yml`, community-maintained, MIT), served by the
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
//! because generation is random. `cargo test -p spotify-plus-core --test it -- conformance
//! --nocapture` prints what each endpoint did.
//!
//! This file holds the endpoint table and the tests; `patches` the patched copy's constraints,
//! `prism` the mock server, `recorder` the recording proxy, `rig` the whole set-up and
//! `calls` what each call did.

mod calls;
mod patches;
mod prism;
mod recorder;
mod rig;

use calls::{first_few, request_problems, summary, Outcome};
use futures_util::future::LocalBoxFuture;
use patches::PATCHES;
use prism::description;
use rig::Rig;
use serde_json::Value;
use spotify_plus_core::spotify::{ArtistId, PlaylistId, SpotifyClient, SpotifyError};
use spotify_plus_core::Kinded;

/// Calls per endpoint and run: generation is random, so one answer proves little.
const RUNS: usize = 20;

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
    let source = include_str!("../../../src/spotify/client.rs");
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
        "client calls missing from endpoints() in tests/it/conformance/mod.rs: {missing:?}"
    );
}

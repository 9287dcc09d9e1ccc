//! The fault matrix of docs/reliability.md: every way Spotify or the model server can fail, one
//! table row each, run against the fakes over real HTTP. Every cell checks that the error is
//! the specific one, that its message says what to do and holds no secret, that retries are
//! bounded (the fakes count the attempts), that nothing partial was stored and what was stored
//! before is intact, and that the next normal request works. Cells run concurrently, each with
//! its own fake, so the whole matrix takes a few seconds.


use futures_util::future::join_all;
use spotify_plus_core::auth::TokenStore;
use spotify_plus_core::cache::Cache;
use spotify_plus_core::insight::{Insight, InsightKind, InsightService, LlmClient, LlmPolicy};
use spotify_plus_core::secret::Secret;
use spotify_plus_core::spotify::{RetryPolicy, SpotifyClient};
use spotify_plus_core::Kinded;
use spotify_plus_fakes::faults::{Fault, FaultKind};
use std::fmt::Debug;
use std::time::{Duration, Instant};
use url::Url;

/// What a cell does to the server before the request under test.
#[derive(Clone, Debug)]
enum Setup {
    /// A fault rule on the endpoint; `None` times means every request.
    Fault(FaultKind, Option<u32>),
    /// The server is gone: the request goes to a port nobody listens on.
    Refused,
    /// The model server answers with this text (LLM only).
    Reply(String),
    /// The server is healthy; the request itself is wrong (e.g. a retired model).
    Healthy,
}

fn status(status: u16, retry_after: Option<u64>) -> FaultKind {
    FaultKind::Status {
        status,
        retry_after,
        body: None,
    }
}

fn always(kind: FaultKind) -> Setup {
    Setup::Fault(kind, None)
}

/// A URL where nothing listens (a port that was free a moment ago).
fn dead_url(path: &str) -> Url {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    Url::parse(&format!("http://127.0.0.1:{port}{path}")).unwrap()
}

/// A message the user can act on: specific, says what to do next, and leaks none of `secrets`.
fn assert_actionable(cell: &str, error: &(impl std::fmt::Display + Debug), secrets: &[&str]) {
    let message = error.to_string();
    let debug = format!("{error:?}");
    assert!(
        message.len() >= 40 && !message.eq_ignore_ascii_case("error"),
        "{cell}: message too vague: {message:?}"
    );
    let next_steps = [
        "try again",
        "Try again",
        "Settings",
        "log in",
        "Log in",
        "check",
        "Check",
        "go back",
        "Go back",
        "Pick",
        "update the app",
    ];
    assert!(
        next_steps.iter().any(|s| message.contains(s)),
        "{cell}: message does not say what to do next: {message:?}"
    );
    for secret in secrets {
        assert!(
            !message.contains(secret) && !debug.contains(secret),
            "{cell}: a secret leaked into {message:?} / {debug}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Spotify Web API
// ---------------------------------------------------------------------------------------------

/// One Spotify row: the request is `GET /me/playlists` (the playlists page).
struct SpotifyCell {
    name: &'static str,
    setup: Setup,
    /// `None`: the request succeeds (the fault was recovered from).
    kind: Option<&'static str>,
    /// A fragment of the message that only this failure has.
    says: &'static str,
    /// Requests the fake receives, at most (retries are bounded).
    attempts: usize,
    /// The session must end (tokens deleted) rather than survive.
    signs_out: bool,
}

fn spotify_cells() -> Vec<SpotifyCell> {
    let cell = |name, setup, kind, says, attempts| SpotifyCell {
        name,
        setup,
        kind: Some(kind),
        says,
        attempts,
        signs_out: false,
    };
    vec![
        cell(
            "400",
            always(status(400, None)),
            "bad_request",
            "rejected the request as invalid",
            1,
        ),
        SpotifyCell {
            name: "401 once (expired token)",
            setup: Setup::Fault(status(401, None), Some(1)),
            kind: None,
            says: "",
            attempts: 2,
            signs_out: false,
        },
        SpotifyCell {
            name: "401 after refresh too (revoked)",
            setup: always(status(401, None)),
            kind: Some("unauthorized"),
            says: "log in again",
            attempts: 2,
            signs_out: true,
        },
        cell(
            "403",
            always(status(403, None)),
            "forbidden",
            "refused access",
            1,
        ),
        cell(
            "404",
            always(status(404, None)),
            "not_found",
            "could not find",
            1,
        ),
        cell(
            "429 with Retry-After",
            always(status(429, Some(1))),
            "rate_limited",
            "rate limiting",
            3,
        ),
        cell(
            "429 without Retry-After",
            always(status(429, None)),
            "rate_limited",
            "rate limiting",
            3,
        ),
        cell(
            "429 Retry-After too long",
            always(status(429, Some(3600))),
            "rate_limited",
            "for about 1 hour",
            1,
        ),
        cell("500", always(status(500, None)), "server", "HTTP 500", 3),
        cell("502", always(status(502, None)), "server", "HTTP 502", 3),
        cell("503", always(status(503, None)), "server", "HTTP 503", 3),
        cell(
            "connection refused",
            Setup::Refused,
            "network",
            "Could not reach Spotify",
            0,
        ),
        cell(
            "timeout (no answer)",
            always(FaultKind::Hang),
            "timeout",
            "did not answer in time",
            1,
        ),
        cell(
            "malformed JSON",
            always(FaultKind::MalformedJson),
            "bad_response",
            "could not read",
            1,
        ),
        cell(
            "truncated body",
            always(FaultKind::TruncatedBody),
            "bad_response",
            "could not read",
            1,
        ),
        cell(
            "HTML error page",
            always(FaultKind::HtmlErrorPage),
            "bad_response",
            "could not read",
            1,
        ),
    ]
}

/// Short waits so the matrix is quick; two retries keep "bounded" visible in the counts.
fn spotify_policy() -> RetryPolicy {
    RetryPolicy {
        request_timeout: Duration::from_millis(500),
        max_retries: 2,
        max_retry_after: Duration::from_secs(5),
        default_retry_after: Duration::from_millis(20),
        backoff: Duration::from_millis(20),
    }
}

async fn run_spotify_cell(cell: SpotifyCell) {
    let name = cell.name;
    let fake = crate::spotify_common::fake().await;
    let dir = tempfile::tempdir().unwrap();
    let path = crate::spotify_common::token_path(&dir);
    let session = crate::spotify_common::signed_in(&fake, &path);
    let saved = TokenStore::new(&path).load().unwrap();
    let secrets = [saved.access_token.expose(), saved.refresh_token.expose()];
    let http = crate::spotify_common::http();
    let api = match &cell.setup {
        Setup::Refused => dead_url("/v1"),
        _ => fake.api_base_url(),
    };
    let client =
        SpotifyClient::new(http.clone(), api, session.clone()).with_policy(spotify_policy());
    if let Setup::Fault(kind, times) = &cell.setup {
        fake.faults().push(Fault {
            path_contains: "/v1/me/playlists".into(),
            kind: kind.clone(),
            times: *times,
        });
    }

    let started = Instant::now();
    let result = client.playlists(0).await;
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(5), "{name}: took {elapsed:?}");
    assert_eq!(
        fake.api_requests("/v1/me/playlists"),
        cell.attempts,
        "{name}: attempts"
    );
    match (cell.kind, result) {
        (None, Ok(page)) => assert_eq!(page.items.len(), 10, "{name}"),
        (Some(kind), Err(error)) => {
            assert_eq!(error.kind(), kind, "{name}: {error:?}");
            assert!(error.to_string().contains(cell.says), "{name}: {error}");
            assert_actionable(name, &error, &secrets);
        }
        (expected, got) => panic!("{name}: expected {expected:?}, got {got:?}"),
    }

    // Nothing is lost: the sign-in survives every fault except a revoked token, which ends it
    // cleanly (tokens deleted, next call asks to log in without touching the network).
    fake.faults().clear();
    if cell.signs_out {
        assert!(!session.is_logged_in(), "{name}: still signed in");
        assert!(!path.exists(), "{name}: token file kept");
        let before = fake.api_requests("");
        let error = client.playlists(0).await.unwrap_err();
        assert_eq!(error.kind(), "not_logged_in", "{name}");
        assert_eq!(fake.api_requests(""), before, "{name}");
        return;
    }
    assert!(session.is_logged_in(), "{name}: signed out");
    let kept = TokenStore::new(&path).load().expect("token file kept");
    if cell.kind.is_some() {
        assert_eq!(kept, saved, "{name}: tokens changed");
    }
    // Usable: the next request works (against the live fake for the refused cell).
    let client =
        SpotifyClient::new(http, fake.api_base_url(), session).with_policy(spotify_policy());
    let page = client
        .playlists(0)
        .await
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
    assert_eq!(page.items.len(), 10, "{name}");
}

/// Spotify column of the matrix: every cell of [`spotify_cells`], concurrently.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spotify_cells_matrix() {
    let cells = spotify_cells();
    assert_eq!(cells.len(), 16);
    join_all(cells.into_iter().map(run_spotify_cell)).await;
}

// ---------------------------------------------------------------------------------------------
// Model server, through the insight pipeline and an on-disk cache
// ---------------------------------------------------------------------------------------------

/// One model-server row: the request is the track insight, with another insight already saved.
struct LlmCell {
    name: &'static str,
    setup: Setup,
    /// `None`: the insight is written and saved.
    kind: Option<&'static str>,
    says: &'static str,
    /// Chat requests the fake receives (retries are bounded).
    attempts: usize,
    /// The model asked for (a missing one gives `model_not_found`).
    model: &'static str,
}

fn big_reply() -> String {
    (0..20_000).map(|i| format!("w{:03} ", i % 1000)).collect()
}

fn llm_cells() -> Vec<LlmCell> {
    let cell = |name, setup, kind, says, attempts| LlmCell {
        name,
        setup,
        kind: Some(kind),
        says,
        attempts,
        model: crate::insight_support::MODEL,
    };
    let json_error = |code: u16, message: &str, code_name: &str| FaultKind::Status {
        status: code,
        retry_after: None,
        body: Some(format!(
            r#"{{"error":{{"message":"{message}","type":"invalid_request_error","code":"{code_name}"}}}}"#
        )),
    };
    vec![
        cell(
            "400",
            always(json_error(
                400,
                "Invalid value for 'messages'.",
                "invalid_value",
            )),
            "bad_request",
            "refused the request: Invalid value",
            1,
        ),
        cell(
            "401",
            always(status(401, None)),
            "bad_api_key",
            "rejected the API key",
            1,
        ),
        cell(
            "403",
            always(status(403, None)),
            "forbidden",
            "refused access with this API key",
            1,
        ),
        LlmCell {
            model: "retired-model",
            ..cell(
                "404 model not found",
                Setup::Healthy,
                "model_not_found",
                "does not offer the model \"retired-model\"",
                1,
            )
        },
        cell(
            "404 no such endpoint",
            always(status(404, None)),
            "endpoint_not_found",
            "no chat endpoint",
            1,
        ),
        cell(
            "429 with Retry-After",
            always(status(429, Some(1))),
            "rate_limited",
            "try again in 1 seconds",
            3,
        ),
        cell(
            "429 without Retry-After",
            always(status(429, None)),
            "rate_limited",
            "try again in a minute",
            3,
        ),
        cell(
            "429 Retry-After too long",
            always(status(429, Some(3600))),
            "rate_limited",
            "try again in 60 minutes",
            1,
        ),
        cell(
            "429 quota exhausted",
            always(json_error(
                429,
                "You exceeded your current quota.",
                "insufficient_quota",
            )),
            "quota_exceeded",
            "run out of quota",
            1,
        ),
        cell(
            "500",
            always(status(500, None)),
            "server_error",
            "HTTP 500",
            3,
        ),
        cell(
            "502",
            always(status(502, None)),
            "server_error",
            "HTTP 502",
            3,
        ),
        cell(
            "503",
            always(status(503, None)),
            "server_error",
            "HTTP 503",
            3,
        ),
        cell(
            "connection refused",
            Setup::Refused,
            "network",
            "Could not reach the AI server",
            0,
        ),
        cell(
            "timeout (no answer)",
            always(FaultKind::Hang),
            "timeout",
            "took too long",
            1,
        ),
        cell(
            "malformed JSON",
            always(FaultKind::MalformedJson),
            "bad_response",
            "not valid JSON",
            1,
        ),
        cell(
            "truncated body",
            always(FaultKind::TruncatedBody),
            "stream_cut",
            "cut off",
            1,
        ),
        cell(
            "HTML error page",
            always(FaultKind::HtmlErrorPage),
            "bad_response",
            "a web page instead",
            1,
        ),
        cell(
            "stream cut mid-way",
            always(FaultKind::CutStream),
            "stream_cut",
            "cut off",
            1,
        ),
        cell(
            "empty completion",
            Setup::Reply("  \n".into()),
            "empty",
            "empty answer",
            1,
        ),
        LlmCell {
            kind: None,
            ..cell("100 KB completion", Setup::Reply(big_reply()), "", "", 1)
        },
    ]
}

fn llm_policy() -> LlmPolicy {
    LlmPolicy {
        response_timeout: Duration::from_millis(500),
        idle_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(10),
        retry_backoff: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(5),
        max_retries: 2,
    }
}

fn llm(base: Url, model: &str) -> LlmClient {
    LlmClient::new(
        crate::insight_support::http(),
        base,
        Secret::new(crate::insight_support::KEY),
        model.into(),
    )
    .with_policy(llm_policy())
}

/// The insight saved before the fault, which must survive it.
fn previous() -> Insight {
    Insight {
        kind: InsightKind::Artist,
        key: "5art000000000000000001".into(),
        text: "Saved before the fault.".into(),
        model: "m".into(),
        created_at: 1,
        cached: true,
        grounding: Default::default(),
    }
}

async fn run_llm_cell(cell: LlmCell) {
    let name = cell.name;
    let fake = crate::insight_support::fake().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("insights.sqlite3");
    let cache = Cache::open(&path).unwrap().cache;
    cache.put(&previous()).unwrap();
    let base = match &cell.setup {
        Setup::Refused => dead_url("/v1"),
        _ => fake.base_url(),
    };
    let insights = InsightService::new(cache.clone(), llm(base, cell.model));
    match &cell.setup {
        Setup::Fault(kind, times) => fake.faults().push(Fault {
            path_contains: "/chat/completions".into(),
            kind: kind.clone(),
            times: *times,
        }),
        Setup::Reply(text) => fake.set_reply(Some(text.clone())),
        Setup::Refused | Setup::Healthy => {}
    }

    let subject = crate::insight_support::track();
    let started = Instant::now();
    let result = insights.get(subject.clone(), false, |_| {}).await;
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(5), "{name}: took {elapsed:?}");
    assert_eq!(fake.chat_calls(), cell.attempts, "{name}: attempts");
    let stored = cache.get(subject.kind(), &subject.key()).unwrap();
    match (cell.kind, result) {
        (None, Ok(insight)) => {
            assert_eq!(
                insight.text,
                big_reply().trim(),
                "{name}: text arrived whole"
            );
            assert_eq!(
                stored.map(|s| s.text),
                Some(insight.text),
                "{name}: saved whole"
            );
        }
        (Some(kind), Err(error)) => {
            assert_eq!(error.kind(), kind, "{name}: {error:?}");
            assert!(error.to_string().contains(cell.says), "{name}: {error}");
            assert_actionable(name, &error, &[crate::insight_support::KEY]);
            assert_eq!(stored, None, "{name}: a failed insight was stored");
        }
        (expected, got) => panic!("{name}: expected {expected:?}, got {got:?}"),
    }
    // What was saved before is untouched, on disk too.
    let reopened = Cache::open(&path).unwrap().cache;
    assert_eq!(
        reopened.get(InsightKind::Artist, &previous().key).unwrap(),
        Some(previous()),
        "{name}: the earlier insight was lost"
    );

    // Usable: once the server behaves, the same subject is written and saved.
    fake.faults().clear();
    fake.set_reply(None);
    insights.set_llm(llm(fake.base_url(), crate::insight_support::MODEL));
    let again = insights
        .get(subject.clone(), cell.kind.is_none(), |_| {})
        .await
        .unwrap_or_else(|e| panic!("{name}: not usable afterwards: {e:?}"));
    assert!(!again.text.is_empty(), "{name}");
    assert_eq!(cache.count().unwrap(), 2, "{name}");
}

/// Model-server column of the matrix: every cell of [`llm_cells`], concurrently.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn llm_cells_matrix() {
    let cells = llm_cells();
    assert_eq!(cells.len(), 20);
    join_all(cells.into_iter().map(run_llm_cell)).await;
}

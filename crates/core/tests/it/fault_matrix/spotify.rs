//! The Spotify Web API column: its rows (the request is `GET /me/playlists`) and how one row is
//! run against its own fake.

use super::cells::{always, assert_actionable, dead_url, status, Setup};
use spotify_plus_core::auth::TokenStore;
use spotify_plus_core::spotify::{RetryPolicy, SpotifyClient};
use spotify_plus_core::Kinded;
use spotify_plus_fakes::faults::{Fault, FaultKind};
use std::time::{Duration, Instant};

/// One Spotify row: the request is `GET /me/playlists` (the playlists page).
pub(super) struct SpotifyCell {
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

pub(super) fn spotify_cells() -> Vec<SpotifyCell> {
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

pub(super) async fn run_spotify_cell(cell: SpotifyCell) {
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

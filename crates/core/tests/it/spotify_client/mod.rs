//! The Web API client against the fake Spotify over real HTTP: both JSON shapes, paging,
//! now playing, retries, timeouts and error mapping.
//!
//! This file holds the failures (retries, timeouts, error mapping, refused IDs, signed out);
//! `reads` what the client reads and the view models it makes of it.

mod reads;

use crate::spotify_common::*;
use spotify_plus_core::spotify::{
    ArtistId, PlaylistId, RetryPolicy, SpotifyClient, SpotifyError, TrackId,
};
use spotify_plus_core::Kinded;
use spotify_plus_fakes::faults::{Fault, FaultKind};
use spotify_plus_fakes::spotify::library::PLAIN_TRACK_ID;
use spotify_plus_fakes::spotify::FakeSpotify;
use std::time::{Duration, Instant};

/// A fake, a signed-in client, and the temp dir holding its token file.
async fn setup() -> (FakeSpotify, SpotifyClient, tempfile::TempDir) {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = signed_in(&fake, &token_path(&dir));
    let client = client(&fake, session);
    (fake, client, dir)
}

fn status_fault(path: &str, status: u16, retry_after: Option<u64>, times: Option<u32>) -> Fault {
    Fault {
        path_contains: path.into(),
        kind: FaultKind::Status {
            status,
            retry_after,
            body: None,
        },
        times,
    }
}
#[tokio::test]
async fn rate_limit_honours_retry_after() {
    let (fake, client, _dir) = setup().await;
    fake.faults()
        .push(status_fault("/v1/me", 429, Some(1), Some(1)));
    let started = Instant::now();
    client.me().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(fake.api_requests("/v1/me"), 2);
}

#[tokio::test]
async fn rate_limit_is_bounded() {
    let (fake, client, _dir) = setup().await;
    fake.faults()
        .push(status_fault("/v1/me", 429, Some(0), None));
    let error = client.me().await.unwrap_err();
    assert_eq!(error.kind(), "rate_limited");
    assert_eq!(fake.api_requests("/v1/me"), 4, "one try and three retries");

    // A wait longer than the cap fails at once instead of freezing the app.
    fake.faults().clear();
    fake.faults()
        .push(status_fault("/v1/tracks", 429, Some(3600), None));
    let started = Instant::now();
    let error = client
        .track(&PLAIN_TRACK_ID.parse().unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(error, SpotifyError::RateLimited { retry_in: Some(wait), .. } if wait == Duration::from_secs(3600)),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(fake.api_requests("/v1/tracks"), 1);
}

#[tokio::test]
async fn server_errors_are_retried_then_bounded() {
    let (fake, client, _dir) = setup().await;
    fake.faults()
        .push(status_fault("/v1/me", 503, None, Some(2)));
    client.me().await.unwrap();
    assert_eq!(fake.api_requests("/v1/me"), 3);

    fake.faults()
        .push(status_fault("/v1/me/playlists", 500, None, None));
    let error = client.playlists(0).await.unwrap_err();
    assert!(
        matches!(error, SpotifyError::Server { status: 500 }),
        "{error:?}"
    );
    assert_eq!(error.kind(), "server");
    assert_eq!(fake.api_requests("/v1/me/playlists"), 4);
}

#[tokio::test]
async fn unreadable_answers_are_bad_responses() {
    let (fake, client, _dir) = setup().await;
    for kind in [
        FaultKind::MalformedJson,
        FaultKind::TruncatedBody,
        FaultKind::HtmlErrorPage,
    ] {
        fake.faults().push(Fault {
            path_contains: "/v1/me".into(),
            kind: kind.clone(),
            times: Some(1),
        });
        let error = client.me().await.unwrap_err();
        assert_eq!(error.kind(), "bad_response", "{kind:?}");
    }
    client.me().await.unwrap();
}

#[tokio::test]
async fn status_codes_map_to_kinds() {
    let (fake, client, _dir) = setup().await;
    let plain: TrackId = PLAIN_TRACK_ID.parse().unwrap();
    for (status, kind) in [(400, "bad_request"), (403, "forbidden"), (404, "not_found")] {
        fake.faults()
            .push(status_fault("/v1/tracks/", status, None, Some(1)));
        let error = client.track(&plain).await.unwrap_err();
        assert_eq!(error.kind(), kind);
        assert!(!error.to_string().is_empty());
    }
    // A 403 on the user's own profile means the whole app is refused.
    fake.faults()
        .push(status_fault("/v1/me", 403, None, Some(1)));
    assert_eq!(client.me().await.unwrap_err().kind(), "app_forbidden");
    // A well-formed ID that does not exist is the fake's own 404.
    let unknown: TrackId = "4trk999999999999999999".parse().unwrap();
    assert_eq!(
        client.track(&unknown).await.unwrap_err().kind(),
        "not_found"
    );
}

#[tokio::test]
async fn hanging_server_times_out() {
    let (fake, client, _dir) = setup().await;
    let client = client.with_policy(RetryPolicy {
        request_timeout: Duration::from_millis(300),
        ..fast_policy()
    });
    fake.faults().push(status_fault_hang());
    let started = Instant::now();
    let error = client.me().await.unwrap_err();
    assert!(matches!(error, SpotifyError::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

fn status_fault_hang() -> Fault {
    Fault {
        path_contains: "/v1/me".into(),
        kind: FaultKind::Hang,
        times: Some(1),
    }
}

#[tokio::test]
async fn unreachable_server_is_a_network_error() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = signed_in(&fake, &token_path(&dir));
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = url::Url::parse(&format!("http://127.0.0.1:{port}/v1")).unwrap();
    let client = SpotifyClient::new(http(), dead, session).with_policy(fast_policy());
    assert_eq!(client.me().await.unwrap_err().kind(), "network");
}

#[tokio::test]
async fn invalid_ids_are_rejected_before_any_request() {
    let (fake, client, _dir) = setup().await;
    client.me().await.unwrap();
    let before = fake.api_requests("");
    for bad in [
        "",
        "abc",
        "../../me/playlists",
        "4trk00000000000000000?",
        "4trk0000000000000000000",
    ] {
        let error = bad.parse::<TrackId>().unwrap_err();
        assert_eq!(error.kind(), "invalid_id");
        assert!(error.to_string().contains("track ID"), "{error}");
        assert!(bad.parse::<PlaylistId>().is_err());
        assert!(bad.parse::<ArtistId>().is_err());
    }
    assert_eq!(fake.api_requests(""), before);
}
#[tokio::test]
async fn not_logged_in_makes_no_request() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, session(&fake, &token_path(&dir)));
    let error = client.playlists(0).await.unwrap_err();
    assert!(matches!(error, SpotifyError::NotLoggedIn));
    assert!(error.to_string().contains("log in"));
    assert_eq!(fake.api_requests(""), 0);
}

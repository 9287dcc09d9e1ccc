//! State you can trust (issue 19): what servers say cannot crash or flood the app, a sign-out
//! really forgets the account, and the sign-in listener stays bounded.

use crate::spotify_common::*;
use spotify_plus_core::auth::AuthError;
use spotify_plus_core::spotify::SpotifyError;
use spotify_plus_fakes::faults::{Fault, FaultKind};
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;
use url::Url;

const LOGIN_TIMEOUT: Duration = Duration::from_secs(10);

#[tokio::test]
async fn a_retry_after_beyond_reason_bans_for_two_days_at_most_without_a_panic() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, signed_in(&fake, &token_path(&dir)));
    fake.faults()
        .push(Fault::status("/v1/me/player", 429, Some(u64::MAX), None));
    let error = client.currently_playing().await.unwrap_err();
    assert!(
        matches!(error, SpotifyError::RateLimited { .. }),
        "{error:?}"
    );
    let ban = client.blocked_for().expect("banned");
    assert!(ban <= Duration::from_secs(2 * 24 * 3600), "{ban:?}");
    assert!(ban > Duration::from_secs(24 * 3600), "{ban:?}");
}

#[tokio::test]
async fn an_answer_to_me_that_lands_after_logout_is_not_kept_for_the_next_account() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, signed_in(&fake, &token_path(&dir)));
    fake.set_api_latency(Duration::from_millis(400));
    let first = client.clone();
    let listing = tokio::spawn(async move { first.playlists(0).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Logout while `/me` is on its way; then another account signs in on the same client.
    client.forget_user();
    listing.await.unwrap().unwrap();
    fake.set_api_latency(Duration::ZERO);
    let asked = |fake: &spotify_plus_fakes::spotify::FakeSpotify| {
        fake.api_requests("") - fake.api_requests("/v1/me/")
    };
    let before = asked(&fake);
    client.playlists(0).await.unwrap();
    assert_eq!(
        asked(&fake) - before,
        1,
        "the next account's ID is asked again, not taken from the old account's answer"
    );
}

#[tokio::test]
async fn an_endless_answer_from_spotify_is_cut_off_not_buffered() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, signed_in(&fake, &token_path(&dir)));
    fake.faults().push(Fault {
        path_contains: "/v1/me".into(),
        kind: FaultKind::EndlessBody,
        times: None,
    });
    let started = Instant::now();
    let error = tokio::time::timeout(Duration::from_secs(20), client.me())
        .await
        .expect("the read stops at a cap")
        .unwrap_err();
    assert!(matches!(error, SpotifyError::BadResponse), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_endless_answer_from_the_token_endpoint_is_cut_off_not_buffered() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = signed_in(&fake, &token_path(&dir));
    fake.revoke_access_tokens();
    fake.faults().push(Fault {
        path_contains: "/api/token".into(),
        kind: FaultKind::EndlessBody,
        times: None,
    });
    let stale = session.access_token().await.unwrap();
    let started = Instant::now();
    let error = tokio::time::timeout(
        Duration::from_secs(40),
        session.refresh_after_unauthorized(&stale),
    )
    .await
    .expect("the read stops at a cap")
    .unwrap_err();
    assert!(matches!(error, AuthError::BadResponse), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
    assert!(session.is_logged_in(), "a broken answer signs no one out");
}

#[tokio::test]
async fn a_flood_of_idle_connections_cannot_hold_the_sign_in_listener() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = session(&fake, &token_path(&dir));
    let (flooded, outcome) = tokio::sync::oneshot::channel();
    let open = move |url: &Url| {
        let url = url.clone();
        tokio::spawn(async move {
            let port = redirect_uri(&url).port().unwrap();
            let mut idle = Vec::new();
            for _ in 0..100 {
                idle.push(
                    tokio::net::TcpStream::connect(("127.0.0.1", port))
                        .await
                        .unwrap(),
                );
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
            let mut closed = 0;
            for stream in &mut idle {
                let mut byte = [0u8; 1];
                let read = tokio::time::timeout(Duration::from_millis(5), stream.read(&mut byte));
                if matches!(read.await, Ok(Ok(0)) | Ok(Err(_))) {
                    closed += 1;
                }
            }
            // The genuine redirect still gets through after the flood.
            let (status, _) = browse(url).await;
            let _ = flooded.send((closed, status));
        });
        Ok(())
    };
    tokio::time::timeout(Duration::from_secs(8), session.login(open, LOGIN_TIMEOUT))
        .await
        .expect("the sign-in is not starved")
        .unwrap();
    let (closed, status) = outcome.await.unwrap();
    assert_eq!(status, 200);
    assert!(
        closed >= 100 - 16,
        "only {closed} of 100 idle connections were let go"
    );
}

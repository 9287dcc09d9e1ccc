//! Spotify as it is in late 2026, over real HTTP against a fake that is as unkind: followed
//! playlists whose items are refused, Spotify's own reasons, app-wide refusals, accounts
//! blips that must not sign anyone out, long rate-limit bans, and odd images.

use crate::spotify_common::*;
use spotify_plus_core::auth::TokenStore;
use spotify_plus_core::spotify::{ItemsRefusal, PlaylistId, PlaylistItems, SpotifyError, TrackId};
use spotify_plus_core::Kinded;
use spotify_plus_fakes::faults::{Fault, FaultKind};
use spotify_plus_fakes::spotify::library::*;
use spotify_plus_fakes::spotify::Shape;
use std::time::{Duration, Instant};

fn pid(id: &str) -> PlaylistId {
    id.parse().unwrap()
}

/// The real message Spotify sends when the account is not in the app's User Management list.
const NOT_REGISTERED: &str =
    "Check settings on developer.spotify.com/dashboard, the user may not be registered.";

#[tokio::test]
async fn the_playlists_list_marks_followed_ones_before_any_click() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, signed_in(&fake, &token_path(&dir)));
    let page = client.playlists(0).await.unwrap();
    let followed = |id: &str| {
        page.items
            .iter()
            .find(|p| p.id.as_str() == id)
            .unwrap()
            .followed
    };
    assert!(!followed(BIG_PLAYLIST_ID), "owned");
    assert!(!followed(COLLABORATIVE_PLAYLIST_ID), "collaborative");
    assert!(followed(FOLLOWED_PLAYLIST_ID), "someone else's");
    assert!(followed(SPOTIFY_OWNED_PLAYLIST_ID), "Spotify's own");
    // The user's ID is asked once, not once per page.
    client.playlists(10).await.unwrap();
    assert_eq!(
        fake.api_requests("/v1/me") - fake.api_requests("/v1/me/"),
        1
    );
}

#[tokio::test]
async fn a_followed_playlist_keeps_its_header_and_says_why_its_items_are_missing() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, signed_in(&fake, &token_path(&dir)));
    let page = client
        .playlist_page(&pid(FOLLOWED_PLAYLIST_ID), 0)
        .await
        .unwrap();
    assert_eq!(page.playlist.name, "Road Trip Classics");
    assert_eq!(page.playlist.owner, FOLLOWED_PLAYLIST_OWNER);
    assert!(!page.playlist.images.is_empty());
    assert!(page.playlist.followed);
    match page.items {
        PlaylistItems::Unavailable { reason, message } => {
            assert_eq!(reason, ItemsRefusal::NotOwned);
            assert!(message.contains("own or collaborate on"), "{message}");
            assert!(message.contains("open this one in Spotify"), "{message}");
        }
        other => panic!("items should be refused: {other:?}"),
    }
    // The refusal was Spotify's 403 on the items alone.
    assert_eq!(
        fake.api_requests(&format!("/v1/playlists/{FOLLOWED_PLAYLIST_ID}/items")),
        1
    );

    // Collaborative playlists and extended-quota apps still list the items.
    let collab = client
        .playlist_page(&pid(COLLABORATIVE_PLAYLIST_ID), 0)
        .await
        .unwrap();
    assert!(matches!(collab.items, PlaylistItems::Listed { ref page } if page.total == 12));
    fake.set_shape(Shape::Legacy);
    let extended = client
        .playlist_page(&pid(FOLLOWED_PLAYLIST_ID), 0)
        .await
        .unwrap();
    match extended.items {
        PlaylistItems::Listed { page } => assert_eq!((page.total, page.items.len()), (24, 10)),
        other => panic!("extended quota lists items: {other:?}"),
    }
}

#[tokio::test]
async fn spotify_owned_playlists_use_the_header_from_the_list() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, signed_in(&fake, &token_path(&dir)));
    let id = pid(SPOTIFY_OWNED_PLAYLIST_ID);
    // Opened straight from an address, nothing is known: Spotify's 404 stands.
    let error = client.playlist_page(&id, 0).await.unwrap_err();
    assert_eq!(error.kind(), "not_found");
    assert!(error.to_string().contains("Resource not found"), "{error}");

    client.playlists(0).await.unwrap();
    let page = client.playlist_page(&id, 0).await.unwrap();
    assert_eq!(page.playlist.name, "Today's Top Hits");
    assert_eq!(page.playlist.owner, "Spotify");
    assert!(matches!(
        page.items,
        PlaylistItems::Unavailable {
            reason: ItemsRefusal::SpotifyOwned,
            ..
        }
    ));
}

#[tokio::test]
async fn spotify_reasons_are_carried_cleaned_and_capped() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, signed_in(&fake, &token_path(&dir)));
    let hostile = format!(
        r#"{{"error":{{"status":404,"message":"<b>gone</b>\u0000\u001b[2J{}"}}}}"#,
        "x".repeat(5000)
    );
    fake.faults()
        .push(Fault::status("/v1/tracks/", 404, None, Some(&hostile)));
    let id: TrackId = PLAIN_TRACK_ID.parse().unwrap();
    let error = client.track(&id).await.unwrap_err();
    let message = error.to_string();
    assert_eq!(error.kind(), "not_found");
    assert!(message.contains("“<b>gone</b> [2Jxxx"), "{message}");
    assert!(!message.chars().any(char::is_control), "{message:?}");
    assert!(message.len() < 600, "capped: {} bytes", message.len());

    // A body that is not Spotify's JSON still gives the plain message.
    fake.faults().clear();
    fake.faults().push(Fault::status(
        "/v1/tracks/",
        400,
        None,
        Some("<html>bad</html>"),
    ));
    let error = client.track(&id).await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "Spotify rejected the request as invalid; go back and try again."
    );
}

#[tokio::test]
async fn an_app_wide_refusal_is_told_apart_from_one_resource() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, signed_in(&fake, &token_path(&dir)));
    let id: TrackId = PLAIN_TRACK_ID.parse().unwrap();

    // One resource refused while /me answers: that resource only.
    fake.faults().push(Fault::status(
        "/v1/tracks/",
        403,
        None,
        Some(r#"{"error":{"status":403,"message":"Forbidden"}}"#),
    ));
    let error = client.track(&id).await.unwrap_err();
    assert_eq!(error.kind(), "forbidden", "{error}");
    fake.faults().clear();

    // Every call refused: the account is not registered with the app.
    fake.refuse_app(Some(NOT_REGISTERED));
    for error in [
        client.track(&id).await.unwrap_err(),
        client.me().await.unwrap_err(),
        client.playlists(0).await.unwrap_err(),
    ] {
        assert!(
            matches!(&error, SpotifyError::AppForbidden { reason: Some(r) } if r == NOT_REGISTERED),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(message.contains(NOT_REGISTERED), "{message}");
        assert!(message.contains("User Management"), "{message}");
        assert!(message.contains("Premium"), "{message}");
    }
    // The session is untouched: once the owner adds the account, everything works.
    fake.refuse_app(None);
    assert_eq!(client.me().await.unwrap().id, USER_ID);
}

#[tokio::test]
async fn accounts_blips_keep_the_session_and_only_invalid_grant_ends_it() {
    for (name, fault) in [
        (
            "503",
            Fault::status("/api/token", 503, None, Some("upstream down")),
        ),
        (
            "500 with an OAuth-looking body",
            Fault::status(
                "/api/token",
                500,
                None,
                Some(r#"{"error":"server_error","error_description":"oops"}"#),
            ),
        ),
        ("429", Fault::status("/api/token", 429, Some(30), None)),
        (
            "invalid_client",
            Fault::status(
                "/api/token",
                400,
                None,
                Some(r#"{"error":"invalid_client","error_description":"Invalid client"}"#),
            ),
        ),
        (
            "timeout",
            Fault {
                path_contains: "/api/token".into(),
                kind: FaultKind::Delay(Duration::from_secs(60)),
                times: None,
            },
        ),
    ] {
        let fake = fake().await;
        let dir = tempfile::tempdir().unwrap();
        let path = token_path(&dir);
        let session = signed_in(&fake, &path);
        let saved = TokenStore::new(&path).load().unwrap();
        let client = client(&fake, session.clone());
        fake.revoke_access_tokens();
        fake.faults().push(fault);
        let result = if name == "timeout" {
            // The token request's own bound is 30 s; the caller's patience is the test's.
            tokio::time::timeout(Duration::from_secs(2), client.me())
                .await
                .ok()
        } else {
            Some(client.me().await)
        };
        if let Some(result) = result {
            let error = result.unwrap_err();
            let message = error.to_string();
            assert_ne!(error.kind(), "unauthorized", "{name}: {message}");
            assert!(
                message.contains("still signed in") || message.contains("check the client ID"),
                "{name}: {message}"
            );
        }
        assert!(session.is_logged_in(), "{name}: signed out by a blip");
        assert_eq!(
            TokenStore::new(&path).load(),
            Some(saved),
            "{name}: tokens changed"
        );

        // The next action tries again and works.
        fake.faults().clear();
        assert_eq!(client.me().await.unwrap().id, USER_ID, "{name}");
    }

    // invalid_grant (revoked, or past six months) is the one answer that signs out.
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let path = token_path(&dir);
    let session = signed_in(&fake, &path);
    let client = client(&fake, session.clone());
    fake.revoke_access_tokens();
    fake.reject_refresh_tokens(true);
    let error = client.me().await.unwrap_err();
    assert_eq!(error.kind(), "unauthorized");
    assert!(!session.is_logged_in());
    assert!(!path.exists());
}

#[tokio::test]
async fn a_refresh_without_a_new_refresh_token_keeps_the_old_one() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let path = token_path(&dir);
    let session = signed_in(&fake, &path);
    let before = TokenStore::new(&path).load().unwrap();
    let client = client(&fake, session);
    for round in 1..=3 {
        fake.revoke_access_tokens();
        client.me().await.unwrap();
        assert_eq!(fake.refresh_requests(), round);
        let after = TokenStore::new(&path).load().unwrap();
        assert_ne!(after.access_token, before.access_token);
        assert_eq!(after.refresh_token, before.refresh_token, "round {round}");
    }
}

#[tokio::test]
async fn a_long_retry_after_bans_every_call_at_once_until_it_ends() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, signed_in(&fake, &token_path(&dir)));
    fake.faults()
        .push(Fault::status("/v1/me/player", 429, Some(86_400), None));
    let started = Instant::now();
    let error = client.currently_playing().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(error.to_string().contains("about 24 hours"), "{error}");
    let ban = client.blocked_for().expect("banned");
    assert!(ban > Duration::from_secs(86_000), "{ban:?}");

    // Every other call, on every clone of the client, fails at once without a request.
    let before = fake.api_requests("");
    let other = client.clone();
    let id: TrackId = PLAIN_TRACK_ID.parse().unwrap();
    for error in [
        other.track(&id).await.unwrap_err(),
        client.playlists(0).await.unwrap_err(),
        client.me().await.unwrap_err(),
    ] {
        assert_eq!(error.kind(), "rate_limited");
        assert!(error.to_string().contains("hours"), "{error}");
    }
    assert_eq!(fake.api_requests(""), before, "no call during the ban");
}

#[tokio::test]
async fn a_short_retry_after_is_waited_out_and_retried() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, signed_in(&fake, &token_path(&dir)));
    fake.faults().push(Fault {
        times: Some(1),
        ..Fault::status("/v1/tracks/", 429, Some(1), None)
    });
    let started = Instant::now();
    let id: TrackId = PLAIN_TRACK_ID.parse().unwrap();
    client.track(&id).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(fake.api_requests("/v1/tracks/"), 2);
    assert_eq!(client.blocked_for(), None);
}

#[tokio::test]
async fn an_odd_image_is_skipped_without_losing_the_album_or_the_artist() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, signed_in(&fake, &token_path(&dir)));
    fake.set_odd_images(true);
    let track = client
        .track(&PLAIN_TRACK_ID.parse().unwrap())
        .await
        .unwrap();
    let album = track.album.expect("the album survives");
    assert!(album.release_year.is_some(), "and with it the year");
    assert!(album.images.iter().all(|i| !i.url.is_empty()));
    assert_eq!(album.images.len(), 3, "the null-url image alone is dropped");
    assert_eq!(
        (album.images[0].width, album.images[0].height),
        (None, None)
    );

    let artist = client
        .artist(&ARTIST_WITH_IMAGE_ID.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(artist.images.len(), 3);
    let page = client.playlists(0).await.unwrap();
    assert_eq!(page.items.len(), 10, "no playlist lost to an image");
}

#[tokio::test]
async fn a_quota_ban_names_the_developer_quota_on_every_refused_call() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, signed_in(&fake, &token_path(&dir)));
    // Spotify's answer once the developer account's Development Mode quota is spent.
    let body =
        r#"{"error":{"status":429,"message":"API rate limit exceeded","reason":"QUOTA_EXCEEDED"}}"#;
    fake.faults().push(Fault::status(
        "/v1/me/player",
        429,
        Some(86_400),
        Some(body),
    ));
    let error = client.currently_playing().await.unwrap_err();
    let banned = client.me().await.unwrap_err();
    for error in [error, banned] {
        let message = error.to_string();
        assert!(
            message.contains("QUOTA_EXCEEDED") && message.contains("developer account"),
            "{message}"
        );
    }
}

//! Following and controlling playback against the fake's simulated player over real HTTP:
//! items that end by themselves, progress and context, each command's exact request, and
//! Spotify's player errors (an old sign-in without the scope, a Free account, no device).

use crate::spotify_common::*;
use serde_json::json;
use spotify_plus_core::auth::{TokenStore, Tokens};
use spotify_plus_core::secret::Secret;
use spotify_plus_core::spotify::{NowPlaying, PlayRequest, Playback, SpotifyClient, SpotifyError};
use spotify_plus_core::{ErrorKind, Kinded};
use spotify_plus_fakes::spotify::library::{self, BIG_PLAYLIST_ID, TEN_ITEM_PLAYLIST_ID};
use spotify_plus_fakes::spotify::{FakeSpotify, PlayerRequest};
use std::time::Duration;

async fn setup() -> (FakeSpotify, SpotifyClient, tempfile::TempDir) {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = signed_in(&fake, &token_path(&dir));
    let client = client(&fake, session);
    (fake, client, dir)
}

fn track_id(playback: &Playback) -> String {
    match &playback.now {
        NowPlaying::Track { track, .. } => track.id.to_string(),
        other => panic!("not a track: {other:?}"),
    }
}

/// The playlist's track at `index`, as the library holds it.
fn playlist_track(playlist: &str, index: usize) -> String {
    let lib = library::library();
    match lib.playlist(playlist).unwrap().items[index] {
        library::Item::Track(i) => lib.tracks[i].id.clone(),
        ref other => panic!("item {index} is {other:?}"),
    }
}

fn request(method: &str, path: &str, body: serde_json::Value) -> PlayerRequest {
    PlayerRequest {
        method: method.into(),
        path: path.into(),
        body,
    }
}

#[tokio::test]
async fn a_track_ends_by_itself_and_the_next_one_is_playing() {
    let (fake, client, _dir) = setup().await;
    fake.set_sample_length(Some(Duration::from_millis(600)));
    fake.play_context(&format!("spotify:playlist:{TEN_ITEM_PLAYLIST_ID}"), 3);

    let first = client.playback().await.unwrap().expect("something plays");
    assert_eq!(track_id(&first), playlist_track(TEN_ITEM_PLAYLIST_ID, 3));
    assert!(first.is_playing);
    assert_eq!(first.duration_ms, Some(600));
    assert!(first.progress_ms.unwrap() <= 600);
    let context = first.context.clone().expect("played from the playlist");
    assert_eq!(context.kind, "playlist");
    assert_eq!(
        context.uri,
        format!("spotify:playlist:{TEN_ITEM_PLAYLIST_ID}")
    );
    let left = first.left().expect("a playing track has time left");
    assert!(left <= Duration::from_millis(600));

    // Once the expected end has passed, the next item plays, stamped with when it began.
    tokio::time::sleep(left + Duration::from_millis(100)).await;
    let second = client
        .playback()
        .await
        .unwrap()
        .expect("the next one plays");
    assert_eq!(track_id(&second), playlist_track(TEN_ITEM_PLAYLIST_ID, 4));
    assert!(second.timestamp.unwrap() > first.timestamp.unwrap());
    assert!(second.progress_ms.unwrap() < 600);
}

#[tokio::test]
async fn the_end_of_the_context_stops_playback() {
    let (fake, client, _dir) = setup().await;
    fake.set_sample_length(Some(Duration::from_millis(200)));
    fake.play_context(&format!("spotify:playlist:{TEN_ITEM_PLAYLIST_ID}"), 9);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let ended = client
        .playback()
        .await
        .unwrap()
        .expect("the last item stays");
    assert!(!ended.is_playing);
    assert_eq!(ended.left(), None, "nothing to wait for when paused");
}

#[tokio::test]
async fn play_in_a_playlist_starts_at_the_position_with_the_exact_request() {
    let (fake, client, _dir) = setup().await;
    let request_body = PlayRequest::Track {
        id: playlist_track(BIG_PLAYLIST_ID, 5).parse().unwrap(),
        playlist: Some(BIG_PLAYLIST_ID.parse().unwrap()),
        position: Some(5),
    };
    client.play(&request_body).await.unwrap();
    assert_eq!(
        fake.player_requests(),
        vec![request(
            "PUT",
            "/v1/me/player/play",
            json!({
                "context_uri": format!("spotify:playlist:{BIG_PLAYLIST_ID}"),
                "offset": { "position": 5 },
            })
        )]
    );
    let now = client.playback().await.unwrap().unwrap();
    assert_eq!(track_id(&now), playlist_track(BIG_PLAYLIST_ID, 5));
    assert_eq!(
        now.context.unwrap().uri,
        format!("spotify:playlist:{BIG_PLAYLIST_ID}")
    );
}

#[tokio::test]
async fn pause_resume_next_and_previous_reach_the_player() {
    let (fake, client, _dir) = setup().await;
    fake.play_context(&format!("spotify:playlist:{TEN_ITEM_PLAYLIST_ID}"), 0);
    client.pause().await.unwrap();
    assert!(!client.playback().await.unwrap().unwrap().is_playing);
    client.play(&PlayRequest::Resume).await.unwrap();
    assert!(client.playback().await.unwrap().unwrap().is_playing);
    client.next().await.unwrap();
    let after_next = client.playback().await.unwrap().unwrap();
    assert_eq!(
        track_id(&after_next),
        playlist_track(TEN_ITEM_PLAYLIST_ID, 1)
    );
    client.previous().await.unwrap();
    let after_previous = client.playback().await.unwrap().unwrap();
    assert_eq!(
        track_id(&after_previous),
        playlist_track(TEN_ITEM_PLAYLIST_ID, 0)
    );
    assert_eq!(
        fake.player_requests(),
        vec![
            request("PUT", "/v1/me/player/pause", serde_json::Value::Null),
            request("PUT", "/v1/me/player/play", serde_json::Value::Null),
            request("POST", "/v1/me/player/next", serde_json::Value::Null),
            request("POST", "/v1/me/player/previous", serde_json::Value::Null),
        ]
    );
}

#[tokio::test]
async fn a_free_account_and_no_active_device_get_their_own_errors() {
    let (fake, client, _dir) = setup().await;
    fake.play_context(&format!("spotify:playlist:{TEN_ITEM_PLAYLIST_ID}"), 0);

    fake.set_premium(false);
    let error = client.next().await.unwrap_err();
    assert!(matches!(error, SpotifyError::PremiumRequired), "{error:?}");
    assert_eq!(error.kind(), ErrorKind::PremiumRequired);
    assert!(error.to_string().contains("Premium"), "{error}");

    fake.set_premium(true);
    fake.set_active_device(false);
    let error = client.pause().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NoActiveDevice, "{error:?}");
    assert!(error.to_string().contains("Open Spotify"), "{error}");
    // Without a device nothing plays either.
    assert_eq!(client.playback().await.unwrap(), None);
    // Neither is a reason to sign anyone out.
    assert!(client.can_control());
}

#[tokio::test]
async fn an_old_sign_in_without_the_scope_is_noticed_before_any_request() {
    let fake = fake().await;
    fake.grant_old_scopes(true);
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, signed_in(&fake, &token_path(&dir)));
    assert!(!client.can_control());
    let error = client.next().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingScope);
    assert!(error.to_string().contains("sign in again"), "{error}");
    assert!(fake.player_requests().is_empty(), "no request was sent");
    // Reading still works.
    client.playback().await.unwrap();
}

#[tokio::test]
async fn spotifys_insufficient_scope_answer_is_a_missing_scope_too() {
    // The saved scopes claim the scope, the token Spotify holds lacks it (an edited file, or
    // a grant changed on Spotify's side): the 403 says so.
    let fake = fake().await;
    fake.grant_old_scopes(true);
    let issued = fake.issue_tokens();
    let dir = tempfile::tempdir().unwrap();
    TokenStore::new(token_path(&dir))
        .save(&Tokens::granted(
            Secret::new(issued.access_token).unwrap(),
            Secret::new(issued.refresh_token).unwrap(),
            Duration::from_secs(issued.expires_in),
            format!("{} user-modify-playback-state", issued.scope),
        ))
        .unwrap();
    let client = client(&fake, session(&fake, &token_path(&dir)));
    let error = client.pause().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::MissingScope, "{error:?}");
    assert_eq!(fake.player_requests().len(), 1);
}

#[tokio::test]
async fn signing_in_today_grants_control_and_refreshes_keep_it() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = session(&fake, &token_path(&dir));
    let (browser, _page) = following_browser();
    session
        .login(browser, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(session.has_scope("user-modify-playback-state"));
    assert!(session.has_scope("user-library-modify"));
    fake.revoke_access_tokens();
    let client = client(&fake, session.clone());
    fake.play_context(&format!("spotify:playlist:{TEN_ITEM_PLAYLIST_ID}"), 0);
    // The 401 refreshes; the refreshed token carries the same grant and the command passes.
    client.next().await.unwrap();
    assert!(session.has_scope("user-modify-playback-state"));
}

#[tokio::test]
async fn a_short_rate_limit_on_a_command_is_waited_out_once() {
    use spotify_plus_fakes::faults::{Fault, FaultKind};
    let (fake, client, _dir) = setup().await;
    fake.play_context(&format!("spotify:playlist:{TEN_ITEM_PLAYLIST_ID}"), 0);
    fake.faults().push(Fault {
        path_contains: "/me/player/next".into(),
        kind: FaultKind::Status {
            status: 429,
            retry_after: Some(0),
            body: None,
        },
        times: Some(1),
    });
    client.next().await.unwrap();
    let now = client.playback().await.unwrap().unwrap();
    // One skip, not two.
    assert_eq!(track_id(&now), playlist_track(TEN_ITEM_PLAYLIST_ID, 1));
}

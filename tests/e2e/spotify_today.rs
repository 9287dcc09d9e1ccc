//! Spotify as it is today, in the real window: a followed playlist shows its header and says
//! why its songs are missing; an app-wide refusal is a banner on every page with Spotify's
//! reason; an accounts blip during a refresh keeps the user signed in; a day-long rate-limit
//! ban is shown at once and stops every Spotify call.

use crate::harness::{App, Options, SERIAL};
use spotify_plus_fakes::faults::Fault;
use spotify_plus_fakes::spotify::library::*;
use std::time::{Duration, Instant};

/// The message Spotify sends when the account is missing from the app's User Management.
const NOT_REGISTERED: &str =
    "Check settings on developer.spotify.com/dashboard, the user may not be registered.";

/// Waits for an element with this `data-testid` whose text contains `needle`.
async fn wait_testid_text(app: &App, testid: &str, needle: &str) {
    let js = format!(
        "return [...document.querySelectorAll('[data-testid=\"{testid}\"]')].some(e => e.textContent.includes({}));",
        serde_json::json!(needle)
    );
    app.wait_for(&format!("[data-testid={testid}] saying {needle:?}"), &js)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_followed_playlist_shows_its_header_play_buttons_and_why_songs_are_missing() {
    let _serial = SERIAL.lock().await;
    let app = App::start("followed-playlist", Options::default()).await;
    app.sign_in().await;

    // The list marks followed playlists before any click, and only those.
    app.go("#/playlists").await;
    app.find("playlist-item").await;
    let rows: Vec<(String, bool, bool)> = serde_json::from_value(
        app.client
            .execute(
                "return [...document.querySelectorAll('[data-testid=\"playlist-item\"]')].map(r => [r.querySelector('a').textContent, r.dataset.followed === 'true', !!r.querySelector('[data-testid=\"playlist-followed\"]')]);",
                vec![],
            )
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(rows.len(), 10);
    for (name, followed, badge) in &rows {
        assert_eq!(followed, badge, "{name}: the badge says what the mark says");
    }
    let followed = |name: &str| rows.iter().find(|(n, ..)| n == name).map(|(_, f, _)| *f);
    assert_eq!(followed("Everything Mix"), Some(false), "{rows:?}");
    assert_eq!(
        followed("Band Practice"),
        Some(false),
        "collaborative: {rows:?}"
    );
    assert_eq!(followed("Road Trip Classics"), Some(true), "{rows:?}");
    assert_eq!(followed("Today's Top Hits"), Some(true), "{rows:?}");
    app.screenshot("followed-list").await;

    app.go(&format!("#/playlist/{FOLLOWED_PLAYLIST_ID}")).await;
    let notice = app.find("items-unavailable").await;
    let text = notice.text().await.unwrap();
    assert!(text.contains("own or collaborate on"), "{text}");
    let header = app
        .client
        .execute("return document.querySelector('h1').textContent;", vec![])
        .await
        .unwrap();
    assert_eq!(header, "Road Trip Classics");
    wait_testid_text(&app, "items-unavailable", "open this one in Spotify").await;
    let page_text = app
        .client
        .execute(
            "return document.getElementById('view').textContent;",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        page_text
            .as_str()
            .unwrap()
            .contains(FOLLOWED_PLAYLIST_OWNER),
        "owner shown: {page_text}"
    );
    assert!(app.find_all("track-item").await.is_empty());
    // Header and notice both offer the playlist in Spotify; the notice's button works.
    assert_eq!(app.find_all("play-app").await.len(), 2);
    assert!(
        app.find_all("error").await.is_empty(),
        "no error for a refusal"
    );
    app.screenshot("followed-playlist").await;
    // No Spotify app is active: the button opens the playlist's URI (with one active it plays
    // there, see companion.rs).
    app.spotify.set_active_device(false);
    let js = "document.querySelector('[data-testid=\"items-unavailable\"] [data-testid=\"play-app\"]').click(); return null;";
    app.client.execute(js, vec![]).await.unwrap();
    app.wait_opened(&format!("spotify:playlist:{FOLLOWED_PLAYLIST_ID}"))
        .await;

    // Spotify's own playlist, reached from the list, shows the header the list gave.
    app.go("#/playlists").await;
    app.find("playlist-item").await;
    app.go(&format!("#/playlist/{SPOTIFY_OWNED_PLAYLIST_ID}"))
        .await;
    wait_testid_text(&app, "items-unavailable", "Spotify does not share").await;
    app.find("play-web").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_app_wide_refusal_is_a_banner_on_every_page_with_spotifys_reason() {
    let _serial = SERIAL.lock().await;
    let app = App::start("app-forbidden", Options::default()).await;
    app.sign_in().await;
    app.spotify.refuse_app(Some(NOT_REGISTERED));
    app.go("#/playlists").await;
    wait_testid_text(&app, "error", NOT_REGISTERED).await;
    wait_testid_text(&app, "error", "User Management").await;
    app.screenshot("app-forbidden").await;
    // The banner stays across pages, once.
    for route in ["#/", &format!("#/track/{PLAIN_TRACK_ID}")] {
        app.go(route).await;
        tokio::time::sleep(Duration::from_millis(800)).await;
        let banners = app
            .client
            .execute(
                "return document.querySelectorAll('#banner [data-testid=\"error\"]').length;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(banners, 1, "on {route}");
        wait_testid_text(&app, "error", NOT_REGISTERED).await;
    }
    // Once the owner adds the account, the next page clears it; the user never signed out.
    app.spotify.refuse_app(None);
    app.go("#/playlists").await;
    app.find("playlist-item").await;
    app.wait_for(
        "the banner to go",
        "return document.querySelectorAll('#banner [data-testid=\"error\"]').length === 0;",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_accounts_503_during_a_refresh_leaves_the_user_signed_in() {
    let _serial = SERIAL.lock().await;
    let app = App::start("accounts-503", Options::default()).await;
    app.sign_in().await;
    app.spotify.revoke_access_tokens();
    app.spotify
        .faults()
        .push(Fault::status("/api/token", 503, None, None));
    app.go("#/playlists").await;
    wait_testid_text(&app, "error", "still signed in").await;
    assert!(app.find_all("login").await.is_empty(), "no login screen");
    app.screenshot("accounts-503").await;
    assert!(app.data_dir.path().join("tokens.json").exists());

    // The service is back: the next action refreshes and works.
    app.spotify.faults().clear();
    app.go("#/").await;
    app.go("#/playlists").await;
    app.find("playlist-item").await;
    assert!(app.find_all("login").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_day_long_rate_limit_ban_shows_at_once_and_stops_every_spotify_call() {
    let _serial = SERIAL.lock().await;
    let app = App::start("rate-limit-ban", Options::default()).await;
    app.sign_in().await;
    app.spotify
        .faults()
        .push(Fault::status("/v1/me/playlists", 429, Some(86_400), None));
    let started = Instant::now();
    app.go("#/playlists").await;
    wait_testid_text(&app, "error", "about 24 hours").await;
    let shown_after = started.elapsed();
    assert!(shown_after < Duration::from_secs(5), "{shown_after:?}");
    // WebKit may hand out the previous frame right after a change.
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.screenshot("rate-limit-ban").await;

    // From now on nothing reaches Spotify: not the pages, not the now-playing poller.
    let calls = app.spotify.api_requests("");
    for route in [
        "#/".to_string(),
        format!("#/playlist/{BIG_PLAYLIST_ID}"),
        format!("#/track/{PLAIN_TRACK_ID}"),
        format!("#/artist/{ARTIST_WITH_IMAGE_ID}"),
    ] {
        app.go(&route).await;
        wait_testid_text(&app, "error", "about 24 hours").await;
    }
    // Longer than the poller's visible interval (5 s).
    tokio::time::sleep(Duration::from_secs(7)).await;
    assert_eq!(
        app.spotify.api_requests(""),
        calls,
        "Spotify was called during the ban"
    );
}

//! End-to-end tests of the real app in a real window (see harness.rs for the set-up).

mod a11y;
mod companion;
mod faults;
mod find;
mod grounded;
mod harness;
mod keyring;
mod lyrics;
mod models;
mod notify;
mod spotify_today;
mod tray;
mod tray_menu;
mod trust;

use harness::{App, Options, SERIAL, THEMES};
use spotify_plus_fakes::spotify::library::*;
use spotify_plus_fakes::spotify::NowPlayingState;

fn text_of_js(testid: &str) -> String {
    format!(
        "return [...document.querySelectorAll('[data-testid=\"{testid}\"]')].map(e => e.textContent);"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_run_without_keys_shows_the_setup_screen() {
    let _serial = SERIAL.lock().await;
    let app = App::start(
        "setup",
        Options {
            configured: false,
            ..Default::default()
        },
    )
    .await;
    let setup = app.find("setup").await;
    let text = setup.text().await.unwrap();
    assert!(text.contains("developer.spotify.com/dashboard"), "{text}");
    assert!(
        text.contains("http://127.0.0.1:"),
        "the redirect URI to register is shown"
    );
    // What Spotify requires of a Development Mode app today.
    for needed in [
        "Spotify Premium",
        "up to 25 apps (client IDs), sharing one Development Mode quota",
        "User Management",
        "at most 5",
    ] {
        assert!(text.contains(needed), "setup says {needed:?}: {text}");
    }
    let redirect = app.find("redirect-uri").await.text().await.unwrap();
    assert!(
        redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"),
        "{redirect}"
    );
    assert!(app.find_all("login").await.is_empty());
    app.screenshot("setup").await;

    // Pasting a client ID and saving leads to the sign-in screen, and it is kept.
    let field = app
        .client
        .find(fantoccini::Locator::Id("client-id"))
        .await
        .unwrap();
    field
        .send_keys("0123456789abcdef0123456789abcdef")
        .await
        .unwrap();
    app.click("settings-save").await;
    app.find("login").await;
    let store = std::fs::read_to_string(app.data_dir.path().join("settings.json")).unwrap();
    assert!(
        store.contains("0123456789abcdef0123456789abcdef"),
        "{store}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_shows_now_playing_refreshing_itself_and_the_first_playlists() {
    let _serial = SERIAL.lock().await;
    let app = App::start("sign-in", Options::default()).await;
    app.spotify
        .set_now_playing(NowPlayingState::Track(MULTI_ARTIST_TRACK_ID.to_string()));
    app.find("login").await;
    app.screenshot("login").await;
    app.sign_in().await;
    let opened = app.opened();
    assert!(
        opened[0].contains("/authorize?") && opened[0].contains("code_challenge_method=S256"),
        "the consent page was opened with PKCE: {opened:?}"
    );
    let title = library().track(MULTI_ARTIST_TRACK_ID).unwrap().name.clone();
    app.wait_text("now-playing", &title).await;
    app.wait_for(
        "the first page of playlists",
        "return document.querySelectorAll('[data-testid=\"playlist-item\"]').length === 10;",
    )
    .await;
    app.screenshot("home").await;

    // The tray's poller fetches the playing track's insights in the background...
    let start = std::time::Instant::now();
    while app.openai.chat_calls() < 2 {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "no prefetch"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // ...so opening its page needs no model call of its own: it joins or reads that fetch.
    app.go(&format!("#/track/{MULTI_ARTIST_TRACK_ID}")).await;
    app.wait_state("track-insight", "done").await;
    app.wait_state("artists-insight", "done").await;
    assert_eq!(app.openai.chat_calls(), 2);

    app.go("#/").await;
    app.spotify
        .set_now_playing(NowPlayingState::Track(PLAIN_TRACK_ID.to_string()));
    let next = library().track(PLAIN_TRACK_ID).unwrap().name.clone();
    app.wait_text("now-playing", &next).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn playlists_and_a_playlist_page_ten_at_a_time() {
    let _serial = SERIAL.lock().await;
    let app = App::start("pagination", Options::default()).await;
    app.sign_in().await;

    app.go("#/playlists").await;
    app.wait_text("page-info", "Page 1 of 3").await;
    assert_eq!(app.find_all("playlist-item").await.len(), 10);
    app.click("page-next").await;
    app.wait_text("page-info", "Page 2 of 3").await;
    app.click("page-next").await;
    app.wait_text("page-info", "Page 3 of 3").await;
    assert_eq!(
        app.find_all("playlist-item").await.len(),
        PLAYLIST_COUNT - 20
    );
    let next = app.find("page-next").await;
    assert!(
        next.attr("disabled").await.unwrap().is_some(),
        "no page after the last"
    );
    app.screenshot("playlists-page-3").await;
    app.click("page-prev").await;
    app.wait_text("page-info", "Page 2 of 3").await;

    app.go(&format!("#/playlist/{BIG_PLAYLIST_ID}")).await;
    app.wait_text("page-info", "Page 1 of 13").await;
    let rows = app.wait_for("ten rows", &text_of_js("track-item")).await;
    let rows: Vec<String> = serde_json::from_value(rows).unwrap();
    assert_eq!(rows.len(), 10);
    assert!(
        rows[BIG_PLAYLIST_LOCAL_FILE_INDEX].contains("Local file"),
        "{rows:?}"
    );
    assert!(
        rows[BIG_PLAYLIST_EPISODE_INDEX].contains("Podcast episode"),
        "{rows:?}"
    );
    assert!(
        rows[BIG_PLAYLIST_NULL_ITEM_INDEX].contains("no longer available"),
        "{rows:?}"
    );
    assert!(
        rows[BIG_PLAYLIST_UNAVAILABLE_INDEX].contains("Unavailable"),
        "{rows:?}"
    );
    app.screenshot("playlist-page-1").await;

    app.go(&format!("#/playlist/{BIG_PLAYLIST_ID}?offset=120"))
        .await;
    app.wait_text("page-info", "Page 13 of 13").await;
    assert_eq!(
        app.find_all("track-item").await.len(),
        BIG_PLAYLIST_ITEMS - 120
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn track_page_streams_both_insights_and_a_revisit_asks_no_model() {
    let _serial = SERIAL.lock().await;
    // This test is about the two model calls overlapping: with MusicBrainz refusing at once,
    // neither card waits for facts (grounding has its own tests in grounded.rs).
    let options = Options {
        env: vec![("MUSICBRAINZ_BASE_URL", "http://127.0.0.1:9".into())],
        ..Options::default()
    };
    let app = App::start("track", options).await;
    app.sign_in().await;
    let track = library().track(MULTI_ARTIST_TRACK_ID).unwrap();

    app.go(&format!("#/track/{MULTI_ARTIST_TRACK_ID}")).await;
    app.wait_text("track-title", &track.name).await;
    app.find("album-image").await;
    assert!(
        app.find_all("artist-link").await.len() >= 2,
        "every artist is a link"
    );
    app.wait_for(
        "insights to stream",
        "return document.querySelector('[data-testid=\"track-insight\"]')?.dataset.state === 'streaming'",
    )
    .await;
    app.wait_state("track-insight", "done").await;
    app.wait_state("artists-insight", "done").await;
    assert_eq!(app.openai.chat_calls(), 2);
    assert_eq!(
        app.openai.max_concurrent_chats(),
        2,
        "track and artists insights were requested at the same time"
    );
    app.screenshot("track").await;

    app.go("#/").await;
    app.find("now-playing").await;
    app.go(&format!("#/track/{MULTI_ARTIST_TRACK_ID}")).await;
    app.wait_state("track-insight", "done").await;
    app.wait_state("artists-insight", "done").await;
    app.wait_text("track-insight", "Saved").await;
    assert_eq!(app.openai.chat_calls(), 2, "a revisit makes no model call");

    app.click("regenerate").await;
    app.wait_state("track-insight", "done").await;
    assert_eq!(
        app.openai.chat_calls(),
        3,
        "regenerate asks the model again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn artist_page_and_play_buttons_open_only_spotify() {
    let _serial = SERIAL.lock().await;
    let app = App::start("artist", Options::default()).await;
    app.sign_in().await;
    // No Spotify app is active: "Spotify app" opens the URI (with one active it plays there,
    // see companion.rs).
    app.spotify.set_active_device(false);
    let artist = library().artist(ARTIST_WITH_IMAGE_ID).unwrap();
    app.go(&format!("#/artist/{ARTIST_WITH_IMAGE_ID}")).await;
    app.wait_text("artist-name", &artist.name).await;
    app.wait_state("artist-insight", "done").await;
    app.screenshot("artist").await;

    app.click("play-app").await;
    app.wait_opened(&format!("spotify:artist:{ARTIST_WITH_IMAGE_ID}"))
        .await;
    app.click("play-web").await;
    app.wait_opened(&format!(
        "https://open.spotify.com/artist/{ARTIST_WITH_IMAGE_ID}"
    ))
    .await;

    app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
    app.find("track-title").await;
    app.click("play-app").await;
    app.wait_opened(&format!("spotify:track:{PLAIN_TRACK_ID}"))
        .await;
    app.click("play-web").await;
    app.wait_opened(&format!("https://open.spotify.com/track/{PLAIN_TRACK_ID}"))
        .await;

    let refused = app
        .client
        .execute_async(
            "window.__TAURI__.core.invoke('plugin:opener|open_url', {url: 'https://evil.example/'}).then(() => arguments[0]('opened'), e => arguments[0]('refused: ' + e));",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        refused.as_str().unwrap().starts_with("refused"),
        "{refused}"
    );
    // The app's own door checks the parsed URL: crafted ones that a raw-string pattern such as
    // `https://*.wikipedia.org/*` would pass are refused (issue 19).
    for crafted in [
        "https://evil.example/?.wikipedia.org/",
        "https://en.wikipedia.org.evil.example/wiki/X",
        "https://en.wikipedia.org@evil.example/wiki/X",
        "https://open.spotify.com.evil.example/track/4uLU6hMCjMI75M1A2tKUQC",
        "http://musicbrainz.org/",
    ] {
        let answer = app
            .client
            .execute_async(
                "window.__TAURI__.core.invoke('open_link', {url: arguments[0]}).then(() => arguments[1]('opened'), e => arguments[1]('refused: ' + e.message));",
                vec![serde_json::json!(crafted)],
            )
            .await
            .unwrap();
        assert!(
            answer
                .as_str()
                .unwrap()
                .starts_with("refused: Spotify Plus opens only"),
            "{crafted}: {answer}"
        );
    }
    assert!(!app.opened().iter().any(|u| u.contains("evil")));
    assert!(!app
        .opened()
        .iter()
        .any(|u| u.starts_with("http://musicbrainz")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_names_are_shown_as_text_and_run_nothing() {
    let _serial = SERIAL.lock().await;
    let app = App::start("hostile", Options::default()).await;
    app.sign_in().await;
    app.go(&format!("#/track/{HOSTILE_TRACK_ID}")).await;
    app.wait_text("track-title", HOSTILE_TRACK_NAME).await;
    app.go(&format!("#/artist/{HOSTILE_ARTIST_ID}")).await;
    app.wait_text("artist-name", HOSTILE_ARTIST_NAME).await;
    app.wait_state("artist-insight", "done").await;
    app.go(&format!("#/playlist/{HOSTILE_PLAYLIST_ID}")).await;
    app.find("page-info").await;
    let injected = app
        .client
        .execute(
            "return document.querySelectorAll('#view script, #view img[src=\"x\"], [onerror]').length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        injected,
        serde_json::json!(0),
        "no element came from API text"
    );
    app.screenshot("hostile").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_returns_to_login_and_a_restart_stays_logged_out() {
    let _serial = SERIAL.lock().await;
    let mut app = App::start("logout", Options::default()).await;
    app.sign_in().await;
    assert!(app.data_dir.path().join("tokens.json").exists());
    app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
    app.wait_state("track-insight", "done").await;
    let cache = app.data_dir.path().join("insights.sqlite3");
    let cached = || {
        spotify_plus_core::cache::Cache::open(&cache)
            .unwrap()
            .cache
            .count()
            .unwrap()
    };
    assert!(cached() > 0, "the track's insights are cached");
    // Log out asks first, and offers to delete what the cache knows of the user's listening.
    app.click("logout").await;
    app.screenshot("logout-dialog").await;
    app.click("logout-clear-cache").await;
    app.click("logout-confirm").await;
    app.find("login").await;
    assert!(
        !app.data_dir.path().join("tokens.json").exists(),
        "tokens deleted"
    );
    assert_eq!(cached(), 0, "the cache was emptied as asked");
    app.restart().await;
    app.find("login").await;
    assert!(app.find_all("now-playing").await.is_empty());
    app.screenshot("after-restart").await;
}

/// Also makes the README's screenshots: the demo's track page in the light and dark themes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_theme_follows_the_system_and_the_demo_is_labelled() {
    let _serial = SERIAL.lock().await;
    for (theme, gtk_theme) in THEMES {
        let app = App::start(
            &format!("demo-{theme}"),
            Options {
                env: vec![
                    ("GTK_THEME", gtk_theme.to_string()),
                    ("SPOTIFY_PLUS_DEMO", "1".to_string()),
                ],
                ..Default::default()
            },
        )
        .await;
        app.sign_in().await;
        let applied = app
            .client
            .execute("return document.documentElement.dataset.bsTheme;", vec![])
            .await
            .unwrap();
        assert_eq!(applied, serde_json::json!(theme));
        app.wait_for(
            "the DEMO DATA label",
            "return !document.getElementById('demo-badge').hidden;",
        )
        .await;
        app.go(&format!("#/track/{MULTI_ARTIST_TRACK_ID}")).await;
        app.wait_state("track-insight", "done").await;
        app.wait_state("artists-insight", "done").await;
        app.screenshot("track").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_fit_a_small_800_by_600_window() {
    let _serial = SERIAL.lock().await;
    let app = App::start("small", Options::default()).await;
    app.sign_in().await;
    app.client.set_window_size(800, 600).await.unwrap();
    for route in [
        "#/".to_string(),
        format!("#/playlist/{BIG_PLAYLIST_ID}"),
        format!("#/track/{MULTI_ARTIST_TRACK_ID}"),
        "#/settings".to_string(),
    ] {
        app.go(&route).await;
        app.wait_for(
            "the page to render",
            "return !document.querySelector('#view .spinner-border') && document.querySelector('#view').children.length > 0;",
        )
        .await;
        let overflow = app
            .client
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            overflow,
            serde_json::json!(0),
            "{route} scrolls sideways at 800x600"
        );
    }
    app.go(&format!("#/track/{MULTI_ARTIST_TRACK_ID}")).await;
    app.wait_state("track-insight", "done").await;
    app.screenshot("track-800x600").await;
}

/// Issue 20: a track page is one call from the page to Rust: the view, the heart, the model
/// notice and both insights come from it, and no insight card asks for the model's status.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_track_page_is_one_call() {
    let _serial = SERIAL.lock().await;
    let log = tempfile::tempdir().unwrap();
    let calls_file = log.path().join("ipc.log");
    let app = App::start(
        "one-call",
        Options {
            env: vec![("SPOTIFY_PLUS_IPC_LOG", calls_file.display().to_string())],
            ..Default::default()
        },
    )
    .await;
    app.sign_in().await;
    let calls = || {
        std::fs::read_to_string(&calls_file)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let before = calls().len();
    for id in [PLAIN_TRACK_ID, MULTI_ARTIST_TRACK_ID] {
        app.go(&format!("#/track/{id}")).await;
        app.wait_text("track-title", &library().track(id).unwrap().name)
            .await;
        app.wait_state("track-insight", "done").await;
        app.wait_state("artists-insight", "done").await;
        app.wait_for(
            "the heart's state",
            "const b = document.querySelector('[data-testid=\"like\"]'); return !!b && !b.disabled;",
        )
        .await;
    }
    assert_eq!(
        calls()[before..],
        ["track_page", "track_page"],
        "one call per track page, none for the insights' model status"
    );
}

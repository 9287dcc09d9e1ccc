//! Closing to the tray: the window is destroyed with WebKit's processes, the app lives on, and
//! opening it again (a second launch, routed by the single-instance plugin to the same handler
//! as the tray's Show) shows the same page from the core's caches, with no model call.

use crate::harness::{app_binary, App, Options, SessionBus, SERIAL};
use spotify_plus_core::auth::{TokenStore, Tokens};
use spotify_plus_core::secret::Secret;
use spotify_plus_fakes::openai::FakeOpenAi;
use spotify_plus_fakes::spotify::library::{BIG_PLAYLIST_ID, MULTI_ARTIST_TRACK_ID};
use spotify_plus_fakes::spotify::{FakeSpotify, FakeSpotifyOptions, NowPlayingState};
use spotify_plus_test_support::{
    display::{close_window, windows_titled, Display},
    process::{free_port, Group},
    procfs::descendants,
    tray::TrayMenu,
};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TITLE: &str = "Spotify Plus";
const WAIT: Duration = Duration::from_secs(20);

/// Waits until `done` holds, polling; panics with `what` after WAIT.
async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < WAIT, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The names of the app's WebKit processes (abbreviated by /proc).
fn webkit(app_pid: u32) -> Vec<String> {
    descendants(app_pid)
        .into_iter()
        .map(|(_, n)| n)
        .filter(|n| n.starts_with("WebKit"))
        .collect()
}

/// Points WebDriver at the window that was built again (the old one is gone with its page).
async fn switch_to_new_window(app: &App) {
    let start = Instant::now();
    loop {
        if let Some(handle) = app
            .client
            .windows()
            .await
            .ok()
            .and_then(|w| w.last().cloned())
        {
            if app.client.switch_to_window(handle).await.is_ok()
                && app
                    .client
                    .execute("return location.href", vec![])
                    .await
                    .is_ok()
            {
                return;
            }
        }
        assert!(start.elapsed() < WAIT, "WebDriver never saw the new window");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The texts of both insights of the track page.
const INSIGHT_TEXTS: &str = "return ['track-insight', 'artists-insight'].map((id) => document.querySelector(`[data-testid=\"${id}\"] .insight-text`)?.textContent ?? '');";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_to_the_tray_the_window_goes_and_comes_back_on_the_same_page_from_cache() {
    let _serial = SERIAL.lock().await;
    let bus = SessionBus::start();
    let app = App::start(
        "tray",
        Options {
            env: vec![("DBUS_SESSION_BUS_ADDRESS", bus.address.clone())],
            ..Default::default()
        },
    )
    .await;
    app.sign_in().await;
    let route = format!("#/track/{MULTI_ARTIST_TRACK_ID}");
    app.go(&route).await;
    app.wait_state("track-insight", "done").await;
    app.wait_state("artists-insight", "done").await;
    let shown = app.client.execute(INSIGHT_TEXTS, vec![]).await.unwrap();
    // The poller keeps asking what is playing; the page's own data must come from the caches.
    let page_calls = || ["/tracks", "/artists"].map(|p| app.spotify.api_requests(p));
    let (model_calls, spotify_calls) = (app.openai.chat_calls(), page_calls());
    assert_eq!(model_calls, 2, "one call per insight before closing");
    let pid = app.app_pid();
    assert!(
        webkit(pid).iter().any(|n| n == "WebKitWebProces"),
        "{:?}",
        webkit(pid)
    );

    // The window manager's close button: the window and WebKit's web process go, the app stays.
    // (Without WebDriver the network process goes too: see the last test.)
    assert_eq!(close_window(app.display(), TITLE), 1);
    until("the window to go", || {
        windows_titled(app.display(), TITLE).is_empty()
    })
    .await;
    until("WebKit's web process to end", || {
        !webkit(pid).iter().any(|n| n == "WebKitWebProces")
    })
    .await;
    assert!(
        std::path::Path::new(&format!("/proc/{pid}")).exists(),
        "the app quit instead of staying in the tray"
    );

    // Opening again: a second launch hands over to this app, which builds the window anew.
    let exit = app
        .launch_again(
            &[("DBUS_SESSION_BUS_ADDRESS", &bus.address)],
            Duration::from_secs(15),
        )
        .expect("the second launch kept running instead of handing over");
    assert!(exit.success(), "{exit:?}");
    until("the window to come back", || {
        windows_titled(app.display(), TITLE).len() == 1
    })
    .await;
    switch_to_new_window(&app).await;
    app.wait_state("track-insight", "done").await;
    app.wait_state("artists-insight", "done").await;
    let hash = app
        .client
        .execute("return location.hash", vec![])
        .await
        .unwrap();
    assert_eq!(hash, serde_json::json!(route), "the same page");
    let again = app.client.execute(INSIGHT_TEXTS, vec![]).await.unwrap();
    assert!(shown[0].as_str().is_some_and(|t| t.len() > 20), "{shown}");
    assert_eq!(again, shown, "the same insights, from the cache");
    // WebKit's screenshot is the last frame drawn: wait for one drawn after the insights came.
    app.client
        .execute_async(
            "requestAnimationFrame(() => requestAnimationFrame(() => arguments[0]()));",
            vec![],
        )
        .await
        .expect("a frame is drawn");
    app.screenshot("reopened").await;
    assert_eq!(app.openai.chat_calls(), model_calls, "no model call");
    assert_eq!(page_calls(), spotify_calls, "no Spotify call for the page");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tray_menu_hides_the_window_shows_it_again_where_it_was_and_quits() {
    let _serial = SERIAL.lock().await;
    let bus = SessionBus::start();
    let app = App::start(
        "tray-menu",
        Options {
            env: vec![("DBUS_SESSION_BUS_ADDRESS", bus.address.clone())],
            ..Default::default()
        },
    )
    .await;
    app.sign_in().await;
    let route = format!("#/playlist/{BIG_PLAYLIST_ID}?offset=120");
    app.go(&route).await;
    app.wait_text("page-info", "Page 13 of 13").await;
    let pid = app.app_pid();
    let menu = TrayMenu::find(&bus.address, pid, WAIT);

    menu.click("Show/Hide window");
    until("the window to go", || {
        windows_titled(app.display(), TITLE).is_empty()
    })
    .await;
    until("WebKit's web process to end", || {
        !webkit(pid).iter().any(|n| n == "WebKitWebProces")
    })
    .await;

    menu.click("Show/Hide window");
    until("the window to come back", || {
        windows_titled(app.display(), TITLE).len() == 1
    })
    .await;
    switch_to_new_window(&app).await;
    app.wait_text("page-info", "Page 13 of 13").await;
    let hash = app
        .client
        .execute("return location.hash", vec![])
        .await
        .unwrap();
    assert_eq!(hash, serde_json::json!(route), "the same page, offset kept");
    app.screenshot("tray-shown-again").await;

    // Quit really quits: the exit handler keeps the app only when the last window closes.
    menu.click("Quit");
    until("the app to quit", || {
        !std::path::Path::new(&format!("/proc/{pid}")).exists()
            || std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .is_ok_and(|s| s.contains(") Z "))
    })
    .await;
}

/// WebDriver sessions live in WebKit's network process, so the app keeps that process while
/// driven; this test runs the app as a user does, without WebDriver.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_the_tray_no_webkit_process_is_left_and_show_starts_webkit_again() {
    let _serial = SERIAL.lock().await;
    let spotify = FakeSpotify::start(FakeSpotifyOptions::default())
        .await
        .expect("fake Spotify");
    spotify.set_now_playing(NowPlayingState::Nothing);
    let openai = FakeOpenAi::start(Default::default())
        .await
        .expect("fake OpenAI");
    let data_dir = tempfile::tempdir().unwrap();
    let issued = spotify.issue_tokens();
    let tokens = Tokens::granted(
        Secret::new(issued.access_token).unwrap(),
        Secret::new(issued.refresh_token).unwrap(),
        Duration::from_secs(issued.expires_in),
        issued.scope,
    );
    TokenStore::new(data_dir.path().join("tokens.json"))
        .save(&tokens)
        .unwrap();
    let display = Display::start(100..200, WAIT);
    let bus = SessionBus::start();
    let mut command = Command::new(app_binary());
    command
        .current_dir(data_dir.path())
        .env("DISPLAY", display.name())
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .env("RUST_LOG", "warn")
        .env("CLIENT_ID", "e2e-client")
        .env("OPENAI_API_KEY", "sk-test")
        .env("OPENAI_MODEL", "gpt-4o-mini")
        .env("OPENAI_BASE_URL", openai.base_url().to_string())
        .env("SPOTIFY_API_BASE_URL", spotify.api_base_url().to_string())
        .env(
            "SPOTIFY_ACCOUNTS_BASE_URL",
            spotify.accounts_base_url().to_string(),
        )
        .env("SPOTIFY_REDIRECT_PORT", free_port().to_string())
        .env("SPOTIFY_PLUS_DATA_DIR", data_dir.path())
        .env_remove("TAURI_WEBVIEW_AUTOMATION")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    let app = Group::spawn(&mut command);
    let pid = app.pid();
    // The home view asks for the playlists: the page is up and talking to the core.
    let playlists = || spotify.api_requests("/me/playlists");
    until("the home view", || playlists() >= 1).await;

    assert_eq!(close_window(display.name(), TITLE), 1);
    until("the window to go", || {
        windows_titled(display.name(), TITLE).is_empty()
    })
    .await;
    until("every WebKit process to end", || webkit(pid).is_empty()).await;
    assert!(std::path::Path::new(&format!("/proc/{pid}")).exists());

    let before = playlists();
    TrayMenu::find(&bus.address, pid, WAIT).click("Show/Hide window");
    until("the window to come back", || {
        windows_titled(display.name(), TITLE).len() == 1
    })
    .await;
    until("the home view again", || playlists() > before).await;
    let running = webkit(pid);
    for needed in ["WebKitWebProces", "WebKitNetworkP"] {
        assert!(running.iter().any(|n| n.starts_with(needed)), "{running:?}");
    }
    // No WebDriver here: the screen itself, for people to look at.
    let dir = std::env::var("SPOTIFY_PLUS_SCREENSHOTS").map_or_else(
        |_| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots"),
        std::path::PathBuf::from,
    );
    std::fs::create_dir_all(&dir).unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let shot = dir.join("tray-direct-shown-again.png");
    let _ = Command::new("import")
        .args(["-display", display.name(), "-window", "root"])
        .arg(&shot)
        .status();
}

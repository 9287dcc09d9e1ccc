//! The fault matrix where the user sees it: model and Spotify failures, a revoked session, a
//! damaged cache, a read-only data folder, hand-edited addresses, hostile model text and a
//! second launch, each in the real window (see docs/reliability.md).

use crate::harness::{App, Options, SessionBus, SERIAL};
use spotify_plus_core::auth::{TokenStore, Tokens};
use spotify_plus_core::secret::Secret;
use spotify_plus_fakes::faults::{Fault, FaultKind};
use spotify_plus_fakes::spotify::library::*;
use spotify_plus_fakes::spotify::FakeSpotify;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn status(status: u16) -> FaultKind {
    FaultKind::Status {
        status,
        retry_after: None,
        body: None,
    }
}

/// Texts of every element with this `data-testid`.
async fn texts(app: &App, testid: &str) -> Vec<String> {
    let js = format!(
        "return [...document.querySelectorAll('[data-testid=\"{testid}\"]')].map(e => e.textContent);"
    );
    serde_json::from_value(app.client.execute(&js, vec![]).await.unwrap()).unwrap()
}

/// Waits for an alert of this kind (`error` or `notice`) containing `needle`.
async fn wait_alert(app: &App, testid: &str, needle: &str) {
    let js = format!(
        "return [...document.querySelectorAll('[data-testid=\"{testid}\"]')].some(e => e.textContent.includes({}));",
        serde_json::json!(needle)
    );
    app.wait_for(&format!("a {testid} alert saying {needle:?}"), &js)
        .await;
}

/// Saves a signed-in token pair issued by the fake into the data folder.
fn save_tokens(dir: &Path, spotify: &FakeSpotify) {
    let issued = spotify.issue_tokens();
    TokenStore::new(dir.join("tokens.json"))
        .save(&Tokens::granted(
            Secret::new(issued.access_token).unwrap(),
            Secret::new(issued.refresh_token).unwrap(),
            std::time::Duration::from_secs(issued.expires_in),
            issued.scope,
        ))
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn model_401_names_the_api_key_and_saved_insights_still_show() {
    let _serial = SERIAL.lock().await;
    let app = App::start("fault-model-401", Options::default()).await;
    app.sign_in().await;
    app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
    app.wait_state("track-insight", "done").await;

    app.openai.faults().push(Fault {
        path_contains: "/chat/completions".into(),
        kind: status(401),
        times: None,
    });
    app.go(&format!("#/track/{MULTI_ARTIST_TRACK_ID}")).await;
    app.wait_state("track-insight", "error").await;
    app.wait_state("artists-insight", "error").await;
    app.wait_text("track-insight", "API key").await;
    app.screenshot("model-401").await;

    // The insight saved before the fault is still shown, from the cache.
    app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
    app.wait_state("track-insight", "done").await;
    app.wait_text("track-insight", "Saved").await;
    app.screenshot("saved-still-shown").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spotify_5xx_on_playlists_is_a_dismissible_alert_and_the_app_stays_usable() {
    let _serial = SERIAL.lock().await;
    let app = App::start("fault-spotify-5xx", Options::default()).await;
    app.sign_in().await;
    for code in [500, 503] {
        app.spotify.faults().push(Fault {
            path_contains: "/v1/me/playlists".into(),
            kind: status(code),
            times: None,
        });
        let before = app.spotify.api_requests("/v1/me/playlists");
        app.go(&format!("#/playlists?offset=1{code}")).await;
        wait_alert(&app, "error", &format!("HTTP {code}")).await;
        let text = texts(&app, "error").await.join(" ");
        assert!(text.contains("try again"), "{text}");
        let attempts = app.spotify.api_requests("/v1/me/playlists") - before;
        assert!((1..=4).contains(&attempts), "bounded retries: {attempts}");
        app.screenshot(&format!("playlists-{code}")).await;
        // Dismissible.
        let close = app
            .client
            .find(fantoccini::Locator::Css(
                "[data-testid=\"error\"] .btn-close",
            ))
            .await
            .unwrap();
        close.click().await.unwrap();
        app.wait_for(
            "the alert to go",
            "return document.querySelectorAll('[data-testid=\"error\"]').length === 0;",
        )
        .await;
        app.spotify.faults().clear();
    }
    // Still navigable, and the same page works once Spotify recovers.
    app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
    app.find("track-title").await;
    app.go("#/playlists").await;
    app.find("playlist-item").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_session_returns_to_login_with_a_message() {
    let _serial = SERIAL.lock().await;
    let app = App::start("fault-revoked", Options::default()).await;
    app.sign_in().await;
    app.spotify.revoke_access_tokens();
    app.spotify.reject_refresh_tokens(true);
    app.go("#/playlists").await;
    app.find("login").await;
    wait_alert(&app, "error", "log in again").await;
    assert!(!app.data_dir.path().join("tokens.json").exists());
    app.screenshot("revoked").await;
    // Signing in again works.
    app.spotify.reject_refresh_tokens(false);
    // Signing in again brings the user back to the page they were on.
    app.click("login").await;
    app.find("playlist-item").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_cache_at_start_is_a_notice_and_insights_work() {
    let _serial = SERIAL.lock().await;
    let app = App::start(
        "fault-corrupt-cache",
        Options {
            prepare: Some(Box::new(|dir, _| {
                std::fs::write(dir.join("insights.sqlite3"), b"garbage, not SQLite\0\x01").unwrap();
            })),
            ..Default::default()
        },
    )
    .await;
    wait_alert(&app, "notice", "damaged").await;
    app.sign_in().await;
    app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
    app.wait_state("track-insight", "done").await;
    app.wait_state("artists-insight", "done").await;
    app.screenshot("corrupt-cache").await;
    let set_aside = std::fs::read_dir(app.data_dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains(".corrupt-"));
    assert!(set_aside, "the damaged file is kept aside");
}

/// Makes the folder read-only even for root (`chattr +i`), returning whether it worked.
fn make_read_only(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let writable = |dir: &Path| {
        let probe = dir.join(".probe");
        let ok = std::fs::write(&probe, b"x").is_ok();
        let _ = std::fs::remove_file(probe);
        ok
    };
    if writable(dir) {
        let _ = Command::new("chattr").arg("+i").arg(dir).status();
    }
    !writable(dir)
}

fn make_writable(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = Command::new("chattr").arg("-i").arg(dir).status();
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_data_folder_shows_insights_without_saving() {
    let _serial = SERIAL.lock().await;
    let (tx, rx) = std::sync::mpsc::channel();
    let app = App::start(
        "fault-read-only",
        Options {
            prepare: Some(Box::new(move |dir, spotify| {
                save_tokens(dir, spotify);
                let _ = tx.send(make_read_only(dir));
            })),
            ..Default::default()
        },
    )
    .await;
    let read_only = rx.recv().unwrap();
    if read_only {
        wait_alert(&app, "notice", "cannot be written").await;
    }
    app.find("now-playing").await;
    app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
    app.wait_state("track-insight", "done").await;
    app.wait_state("artists-insight", "done").await;
    app.screenshot("read-only").await;
    make_writable(app.data_dir.path());
    assert!(
        read_only,
        "the data folder could not be made read-only here"
    );
    assert!(!app.data_dir.path().join("insights.sqlite3").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hand_edited_routes_get_clear_messages() {
    let _serial = SERIAL.lock().await;
    let app = App::start("bad-routes", Options::default()).await;
    app.sign_in().await;
    for (route, says, step) in [
        (
            "#/playlists?offset=-5",
            "\"-5\" is not a page offset",
            "offset-negative",
        ),
        (
            "#/playlists?offset=99999999",
            "is not a page offset",
            "offset-huge",
        ),
        (
            "#/playlists?offset=abc",
            "\"abc\" is not a page offset",
            "offset-text",
        ),
        (
            "#/playlist/not-an-id",
            "not a valid Spotify playlist ID",
            "playlist-id",
        ),
        (
            "#/track/not-an-id",
            "not a valid Spotify track ID",
            "track-id",
        ),
        (
            "#/artist/%3Cscript%3E",
            "not a valid Spotify artist ID",
            "artist-id",
        ),
    ] {
        app.go(route).await;
        wait_alert(&app, "error", says).await;
        app.screenshot(step).await;
    }
    // The offset cases still show the first page.
    app.go("#/playlists?offset=-1").await;
    app.wait_text("page-info", "1").await;
    app.go("#/nope").await;
    app.wait_for(
        "the not-found page",
        "return document.getElementById('view').textContent.includes('Page not found');",
    )
    .await;
    app.screenshot("unknown-route").await;
    app.go("#/").await;
    app.find("now-playing").await;
}

/// Script tags, event-handler attributes and `javascript:` URLs from the model stay text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_model_text_renders_as_text() {
    let _serial = SERIAL.lock().await;
    let app = App::start("hostile-model", Options::default()).await;
    let hostile = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\"><a href=\"javascript:window.__pwned=3\">click</a>";
    app.openai.set_reply(Some(hostile.to_string()));
    app.sign_in().await;
    app.go(&format!("#/track/{HOSTILE_TRACK_ID}")).await;
    app.wait_state("track-insight", "done").await;
    app.wait_text("track-insight", "<script>window.__pwned=1</script>")
        .await;
    let injected = app
        .client
        .execute(
            "return [document.querySelectorAll('#view script, #view img[src=\"x\"], [onerror], a[href^=\"javascript\"]').length, window.__pwned ?? 0];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(injected, serde_json::json!([0, 0]));
    app.screenshot("hostile-model").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_launch_focuses_the_running_app() {
    let _serial = SERIAL.lock().await;
    let bus = SessionBus::start();
    let app = App::start(
        "single-instance",
        Options {
            env: vec![("DBUS_SESSION_BUS_ADDRESS", bus.address.clone())],
            ..Default::default()
        },
    )
    .await;
    app.sign_in().await;
    let exit = app.launch_again(
        &[("DBUS_SESSION_BUS_ADDRESS", &bus.address)],
        Duration::from_secs(15),
    );
    let exit = exit.expect("the second launch kept running instead of handing over");
    assert!(exit.success(), "{exit:?}");
    // The first app is still there and usable.
    app.go("#/playlists").await;
    app.find("playlist-item").await;
    app.screenshot("after-second-launch").await;
}

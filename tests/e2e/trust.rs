//! Trust boundaries as the user meets them: a sign-in that waits can be cancelled or replaced
//! without a "port in use" error, and the OpenAI key does not follow the base URL elsewhere.

use crate::harness::{App, Options, SERIAL};
use spotify_plus_fakes::faults::{Fault, FaultKind};
use spotify_plus_test_support::process::free_port;
use std::time::Duration;

/// A script returning whether the page's text contains `needle`.
fn body_has(needle: &str) -> String {
    format!(
        "return document.body.textContent.includes({});",
        serde_json::json!(needle)
    )
}

const WAITING: &str = "const b = document.querySelector('[data-testid=\"login\"]'); const c = document.querySelector('[data-testid=\"login-cancel\"]'); return !!b && b.disabled && !!c && !c.hidden;";
const IDLE: &str = "const b = document.querySelector('[data-testid=\"login\"]'); const c = document.querySelector('[data-testid=\"login-cancel\"]'); return !!b && !b.disabled && b.textContent === 'Log in with Spotify' && !!c && c.hidden;";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiting_sign_in_can_be_cancelled_or_replaced_without_a_port_error() {
    let _serial = SERIAL.lock().await;
    // An accounts server that never answers: the browser gets nowhere, the sign-in waits.
    let silent = format!("http://127.0.0.1:{}", free_port());
    let app = App::start(
        "sign-in-guard",
        Options {
            env: vec![("SPOTIFY_ACCOUNTS_BASE_URL", silent)],
            ..Default::default()
        },
    )
    .await;
    app.click("login").await;
    app.wait_for("the sign-in to wait, with a Cancel", WAITING)
        .await;
    app.screenshot("waiting").await;
    app.click("login-cancel").await;
    app.wait_for("the login button back", IDLE).await;
    assert!(
        app.find_all("error").await.is_empty(),
        "a cancel is not an error"
    );

    // The page is reloaded while a sign-in waits, and the user logs in again.
    app.click("login").await;
    app.wait_for("the sign-in to wait", WAITING).await;
    app.client
        .execute("location.reload(); return null;", vec![])
        .await
        .unwrap();
    app.wait_for("a fresh login screen", IDLE).await;
    app.click("login").await;
    app.wait_for("the second sign-in to wait", WAITING).await;

    // Settings shows the sign-in waiting and cancels it.
    app.go("#/settings").await;
    app.find("sign-in-pending").await;
    app.screenshot("settings-pending").await;
    app.click("settings-login-cancel").await;
    app.wait_for(
        "the pending notice to go",
        "return !document.querySelector('[data-testid=\"sign-in-pending\"]');",
    )
    .await;
    app.go("#/").await;
    app.click("login").await;
    app.wait_for("a third sign-in to wait", WAITING).await;
    assert!(
        app.find_all("error").await.is_empty(),
        "no sign-in failed on a port still in use"
    );
    let authorize = app
        .opened()
        .iter()
        .filter(|u| u.contains("/authorize?"))
        .count();
    // One browser trip per "Log in" (four clicks; a re-render may add one more).
    assert!(authorize >= 4, "{:?}", app.opened());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_does_not_follow_the_base_url_to_another_server() {
    let _serial = SERIAL.lock().await;
    let app = App::start("key-origin", Options::default()).await;
    app.find("login").await;
    app.go("#/settings").await;
    let origin = app.openai.base_url().origin().ascii_serialization();
    app.wait_text("key-origin", &format!("sent only to {origin}"))
        .await;
    app.client
        .execute(
            "const el = document.getElementById('openai-base'); el.value = 'https://llm.example/v1'; el.dispatchEvent(new Event('input')); return null;",
            vec![],
        )
        .await
        .unwrap();
    app.wait_text(
        "key-origin-warning",
        &format!("was given for {origin} and is never sent to https://llm.example"),
    )
    .await;
    app.screenshot("warning").await;
    app.click("settings-save").await;
    // Saved; at the restart of the services the key stays home, and the page says why.
    app.wait_for(
        "the notice naming both servers",
        &body_has(&format!(
            "was given for {origin}, so it is not sent to https://llm.example"
        )),
    )
    .await;
    app.screenshot("withheld").await;
}

/// Issue 19: Spotify's day-long ban holds across a Settings save, with no call to Spotify.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ban_survives_a_settings_save() {
    let _serial = SERIAL.lock().await;
    let app = App::start("ban-save", Options::default()).await;
    app.sign_in().await;
    app.spotify
        .faults()
        .push(Fault::status("/v1/me/player", 429, Some(86_400), None));
    app.go("#/now").await;
    app.wait_for(
        "the ban's banner",
        &body_has("Spotify has paused this app's requests for about 24 hours"),
    )
    .await;
    app.spotify.faults().clear();
    let before = app.spotify.api_requests("");
    app.go("#/settings").await;
    let settings = app.data_dir.path().join("settings.json");
    assert!(!settings.exists());
    app.click("settings-save").await;
    let started = std::time::Instant::now();
    while !settings.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the save never landed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The save woke the poller; the window reloaded its status and page.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        app.spotify.api_requests(""),
        before,
        "no Spotify call during the ban, before or after the save"
    );
    app.go("#/playlists").await;
    app.wait_for(
        "the ban's message on the next page",
        &body_has("Spotify has paused this app's requests"),
    )
    .await;
    assert_eq!(app.spotify.api_requests(""), before);
    app.screenshot("banned-after-save").await;
}

/// Issue 19: a refresh in flight when the user logs out cannot write the tokens back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_stays_logged_out_under_a_concurrent_refresh() {
    let _serial = SERIAL.lock().await;
    let mut app = App::start("logout-refresh", Options::default()).await;
    app.sign_in().await;
    let tokens = app.data_dir.path().join("tokens.json");
    assert!(tokens.exists());
    // The next Spotify call meets a 401 and refreshes; the token endpoint takes its time.
    app.spotify.faults().push(Fault {
        path_contains: "/api/token".into(),
        kind: FaultKind::Delay(Duration::from_millis(1500)),
        times: Some(1),
    });
    app.spotify.revoke_access_tokens();
    let refreshes = app.spotify.refresh_requests();
    app.go("#/playlists").await;
    // The page's first call has met the 401 and its refresh waits at the token endpoint.
    tokio::time::sleep(Duration::from_millis(400)).await;
    app.click("logout").await;
    app.click("logout-confirm").await;
    app.find("login").await;
    // Let the refresh's answer arrive after the sign-out.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        app.spotify.refresh_requests() > refreshes,
        "a refresh was under way during the sign-out"
    );
    assert!(!tokens.exists(), "the refresh wrote the tokens back");
    app.restart().await;
    app.find("login").await;
    assert!(app.find_all("now-playing").await.is_empty());
}

/// Issue 19: a broken `%` in the address shows "Page not found" with a message instead of
/// throwing and leaving the old page; "Skip to content" focuses the page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_address_and_the_skip_link_are_handled() {
    let _serial = SERIAL.lock().await;
    let app = App::start("router", Options::default()).await;
    app.sign_in().await;
    app.go("#/playlists").await;
    app.find("playlist-item").await;
    app.go("#/track/%E0%A4%A").await;
    app.wait_for("page not found", &body_has("Page not found"))
        .await;
    app.wait_for("the message", &body_has("could not be read"))
        .await;
    assert!(
        app.find_all("playlist-item").await.is_empty(),
        "the old page is gone"
    );
    app.go("#/").await;
    app.find("now-playing").await;
    let focused = app
        .client
        .execute(
            "const link = document.getElementById('skip-link'); link.focus(); link.click(); return [document.activeElement.id, location.hash, document.body.textContent.includes('Page not found')];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(focused, serde_json::json!(["view", "#/", false]));
}

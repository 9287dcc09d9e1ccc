//! Trust boundaries as the user meets them: a sign-in that waits can be cancelled or replaced
//! without a "port in use" error, and the OpenAI key does not follow the base URL elsewhere.

use crate::harness::{App, Options, SERIAL};
use spotify_plus_test_support::process::free_port;

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

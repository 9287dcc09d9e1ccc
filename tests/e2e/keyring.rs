//! The keyring in use: the real app on a private bus with a real Secret Service (gnome-keyring)
//! signs in, restarts, signs out; the secrets appear in and vanish from the keyring, and no plain
//! token file or plain key in settings.json is left.

use crate::harness::{App, Options, SERIAL};
use spotify_plus_test_support::keyring::SecretService;
use std::path::Path;

const SERVICE: &str = "app.spotifyplus.desktop";
const PLAIN_SECRET: &str = "cs-e2e-plain-61c2";

/// The settings store as an older version wrote it: the client secret in plain text.
fn older_settings(dir: &Path) {
    let store = serde_json::json!({ "settings": { "clientSecret": PLAIN_SECRET } });
    std::fs::write(dir.join("settings.json"), store.to_string()).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_restart_and_logout_with_the_keyring_in_use() {
    let _serial = SERIAL.lock().await;
    let keyring = SecretService::start();
    let mut app = App::start(
        "keyring",
        Options {
            env: keyring.env(),
            prepare: Some(Box::new(|dir, _| older_settings(dir))),
            ..Default::default()
        },
    )
    .await;
    let dir = app.data_dir.path().to_path_buf();
    let entry = |name: &str| {
        let user = format!("{name}@{}", dir.display());
        keyring.lookup(&[("service", SERVICE), ("username", &user)])
    };
    let settings_json = || std::fs::read_to_string(dir.join("settings.json")).unwrap_or_default();

    // First start: the plain secret moved into the keyring and out of settings.json.
    app.find("login").await;
    assert_eq!(
        entry("spotify-client-secret").as_deref(),
        Some(PLAIN_SECRET)
    );
    assert!(
        !settings_json().contains(PLAIN_SECRET),
        "{}",
        settings_json()
    );

    app.sign_in().await;
    let refresh = entry("spotify-refresh-token").expect("refresh token in the keyring");
    assert!(!refresh.is_empty());
    assert!(entry("spotify-access-token").is_some());
    assert!(!dir.join("tokens.json").exists(), "no plain token file");
    assert!(!dir.join("secrets.json").exists(), "no fallback file");

    app.go("#/settings").await;
    app.wait_for(
        "Settings to name the keyring",
        "const el = document.querySelector('[data-testid=\"secret-store\"]'); return !!el && el.dataset.store === 'keyring' && el.textContent.includes('system keyring');",
    )
    .await;
    app.client
        .execute(
            "document.querySelector('[data-testid=\"secret-store\"]').scrollIntoView({block: 'center'}); return null;",
            vec![],
        )
        .await
        .unwrap();
    // WebKitGTK scrolls smoothly: wait until the line is inside the window.
    app.wait_for(
        "the store line in view",
        "const r = document.querySelector('[data-testid=\"secret-store\"]').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    app.screenshot("settings-keyring").await;

    // A restart signs in from the keyring.
    app.restart().await;
    app.find("now-playing").await;

    app.click("logout").await;
    app.click("logout-confirm").await;
    app.find("login").await;
    assert_eq!(
        entry("spotify-refresh-token"),
        None,
        "refresh token deleted"
    );
    assert_eq!(entry("spotify-access-token"), None, "access token deleted");
    assert_eq!(
        entry("spotify-client-secret"),
        None,
        "client secret deleted"
    );
    assert_eq!(
        keyring.count(&[("service", SERVICE)]),
        0,
        "logout deletes every entry"
    );
    assert!(!dir.join("tokens.json").exists());
    let leftovers = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .filter(|text| text.contains(&refresh) || text.contains(PLAIN_SECRET))
        .count();
    assert_eq!(leftovers, 0, "no file in the data folder holds a secret");
    app.screenshot("logged-out").await;
}

/// Issue 19: a keyring waiting for an unlock prompt does not freeze the window. Saving Settings
/// says it waits for the keyring, the other pages keep working meanwhile, and the save lands
/// once the keyring answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_stays_responsive_while_a_keyring_call_waits() {
    let _serial = SERIAL.lock().await;
    let keyring = SecretService::start();
    let app = App::start(
        "keyring-wait",
        Options {
            env: keyring.env(),
            ..Default::default()
        },
    )
    .await;
    app.sign_in().await;
    app.go("#/settings").await;
    app.find("settings-save").await;
    app.client
        .execute(
            "const el = document.getElementById('openai-model'); el.value = 'gpt-5-mini'; return null;",
            vec![],
        )
        .await
        .unwrap();
    keyring.freeze();
    app.click("settings-save").await;
    app.wait_for(
        "the keyring waiting line",
        "const el = document.querySelector('[data-testid=\"settings-keyring-waiting\"]'); return !!el && !el.hidden;",
    )
    .await;
    app.screenshot("waiting-for-keyring").await;
    // The window answers: another page opens and Spotify's data comes in.
    let started = std::time::Instant::now();
    app.go("#/playlists").await;
    app.find("playlist-item").await;
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "the window was frozen for {:?}",
        started.elapsed()
    );
    keyring.thaw();
    app.go("#/settings").await;
    app.wait_for(
        "the saved model",
        "const el = document.getElementById('openai-model'); return !!el && el.value === 'gpt-5-mini';",
    )
    .await;
}

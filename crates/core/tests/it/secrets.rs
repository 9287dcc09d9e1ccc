//! Where secrets live: a real Secret Service (gnome-keyring on a private bus) when one answers,
//! 0600 files otherwise; plain copies of older versions move in; logout empties the store.
//!
//! The keyring crate finds the Secret Service through `DBUS_SESSION_BUS_ADDRESS`, which is
//! process-wide: so the keyring steps run in a child process of this test binary (this same
//! test, told its step by an environment variable), and every other test of the binary keeps
//! the environment it was started with.

use spotify_plus_core::app::Services;
use spotify_plus_core::auth::{TokenStore, Tokens};
use spotify_plus_core::config::{Config, SavedSettings};
use spotify_plus_core::secret::Secret;
use spotify_plus_core::vault::{self, BoundKey, Entry, StoreChoice, StoreKind, StoredKey, Vault};
use spotify_plus_test_support::keyring::SecretService;
use std::path::Path;
use std::process::Command;

const STEP: &str = "SPOTIFY_PLUS_TEST_KEYRING_STEP";
const DIR: &str = "SPOTIFY_PLUS_TEST_KEYRING_DIR";
const SERVICE: &str = "app.spotifyplus.desktop";
const ACCESS: &str = "access-kr-7d1e";
const REFRESH: &str = "refresh-kr-93ab";
const KEY: &str = "sk-kr-5c20";
const CLIENT_SECRET: &str = "cs-kr-11f4";
/// The keyring test's own test name, for the child runs.
const THIS_TEST: &str = "secrets::the_keyring_holds_every_secret_and_logout_empties_it";

fn tokens() -> Tokens {
    Tokens {
        access_token: Secret::new(ACCESS).unwrap(),
        refresh_token: Secret::new(REFRESH).unwrap(),
        // Far ahead, so the restarted session needs no refresh.
        expires_at: 4_102_444_800,
        scope: "playlist-read-private".into(),
        signed_in_at: Some(1_780_000_000),
    }
}

/// Settings as a version before the vault saved them: keys in plain text.
fn plain_settings() -> SavedSettings {
    serde_json::from_value(serde_json::json!({
        "clientId": "kr-client", "clientSecret": CLIENT_SECRET, "openaiApiKey": KEY
    }))
    .unwrap()
}

fn loaded(saved: &SavedSettings) -> spotify_plus_core::config::Loaded {
    Config::resolve(saved, |_| None, None)
}

#[test]
fn the_keyring_holds_every_secret_and_logout_empties_it() {
    if let Ok(step) = std::env::var(STEP) {
        return in_child(&step, Path::new(&std::env::var(DIR).unwrap()));
    }
    let keyring = SecretService::start();
    let dir = tempfile::tempdir().unwrap();
    // A data folder as an older version left it: the plain token file.
    TokenStore::new(dir.path().join(vault::TOKENS_FILE))
        .save(&tokens())
        .unwrap();
    let user = |entry: Entry| format!("{}@{}", entry.name(), dir.path().display());
    let lookup = |entry: Entry| {
        let user = user(entry);
        keyring.lookup(&[("service", SERVICE), ("username", &user)])
    };

    run_child(&keyring, "first start", dir.path());
    assert!(
        !dir.path().join(vault::TOKENS_FILE).exists(),
        "plain tokens removed"
    );
    assert!(!dir.path().join(vault::SECRETS_FILE).exists());
    assert_eq!(lookup(Entry::SpotifyRefreshToken).as_deref(), Some(REFRESH));
    assert!(lookup(Entry::SpotifyAccessToken).is_some_and(|a| a.contains(ACCESS)));
    // The key is kept with the server it was given for, in one entry.
    let key_entry: serde_json::Value =
        serde_json::from_str(&lookup(Entry::OpenAiApiKey).unwrap()).unwrap();
    assert_eq!(
        key_entry,
        serde_json::json!({"key": KEY, "origin": "https://api.openai.com"})
    );
    assert_eq!(lookup(Entry::ClientSecret).as_deref(), Some(CLIENT_SECRET));
    // One entry per secret, under the app's identifier.
    assert_eq!(keyring.count(&[("service", SERVICE)]), 4);

    run_child(&keyring, "restart and log out", dir.path());
    assert_eq!(lookup(Entry::SpotifyRefreshToken), None);
    assert_eq!(lookup(Entry::SpotifyAccessToken), None);
    // The core's logout ends the Spotify session; the window's Log out then deletes the keys as
    // well (e2e `keyring::sign_in_restart_and_logout_with_the_keyring_in_use`).
    assert!(lookup(Entry::OpenAiApiKey).is_some_and(|k| k.contains(KEY)));
    assert!(!dir.path().join(vault::TOKENS_FILE).exists());
}

/// The slow-keyring test's own name, for its child run.
const FROZEN_TEST: &str =
    "secrets::a_keyring_that_does_not_answer_at_start_is_waited_for_not_taken_for_signed_out";

#[test]
fn a_keyring_that_does_not_answer_at_start_is_waited_for_not_taken_for_signed_out() {
    if let Ok(step) = std::env::var(STEP) {
        return frozen_child(&step, Path::new(&std::env::var(DIR).unwrap()));
    }
    let keyring = SecretService::start();
    let dir = tempfile::tempdir().unwrap();
    TokenStore::new(dir.path().join(vault::TOKENS_FILE))
        .save(&tokens())
        .unwrap();
    run_child_of(FROZEN_TEST, &keyring, "seed", dir.path());
    // The keyring waits for an unlock prompt nobody has answered yet.
    keyring.freeze();
    let child = child_command(FROZEN_TEST, &keyring, "frozen start", dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let seen = dir.path().join("waiting-seen");
    let started = std::time::Instant::now();
    while !seen.exists() && started.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    keyring.thaw();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        seen.exists(),
        "the app never said it waits for the keyring:\n{stdout}"
    );
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "frozen start failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn frozen_child(step: &str, dir: &Path) {
    use spotify_plus_core::state::{AppState, Environment};
    match step {
        "seed" => {
            let vault = Vault::open(StoreChoice::Auto, dir);
            assert_eq!(vault.kind(), StoreKind::Keyring);
            assert!(TokenStore::open(&vault).load().is_some(), "tokens moved in");
        }
        "frozen start" => {
            let env = Environment::new(
                |k| (k == "CLIENT_ID").then(|| "kr-client".to_string()),
                None,
            );
            let state = AppState::open(Some(dir.to_path_buf()), env);
            let status = state.services().status();
            assert_eq!(status.state, "keyring", "not taken for signed out");
            assert!(status.keyring_problem.is_some());
            assert!(
                !dir.join(vault::TOKENS_FILE).exists(),
                "nothing fell back to files"
            );
            std::fs::write(dir.join("waiting-seen"), "").unwrap();
            // Once the keyring answers, "Try again" finds the sign-in.
            let started = std::time::Instant::now();
            while !state.services().retry_keyring() {
                assert!(started.elapsed() < std::time::Duration::from_secs(60));
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            assert_eq!(state.services().status().state, "ready");
        }
        other => panic!("unknown step {other}"),
    }
}

/// Runs one keyring step in a child process that sees only the test's Secret Service.
fn run_child(keyring: &SecretService, step: &str, dir: &Path) {
    run_child_of(THIS_TEST, keyring, step, dir)
}

fn run_child_of(test: &str, keyring: &SecretService, step: &str, dir: &Path) {
    let output = child_command(test, keyring, step, dir).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "step {step:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// This test binary, told to run `test`'s `step` against `keyring` on `dir`.
fn child_command(test: &str, keyring: &SecretService, step: &str, dir: &Path) -> Command {
    // /proc/self/exe runs this very binary even if a rebuild has replaced the file meanwhile.
    let exe = Path::new("/proc/self/exe");
    let exe = if exe.exists() {
        exe.to_path_buf()
    } else {
        std::env::current_exe().unwrap()
    };
    let mut command = Command::new(exe);
    command
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(STEP, step)
        .env(DIR, dir)
        .envs(keyring.env());
    command
}

fn in_child(step: &str, dir: &Path) {
    let vault = Vault::open(StoreChoice::Auto, dir);
    assert_eq!(vault.kind(), StoreKind::Keyring, "the keyring answers");
    match step {
        "first start" => {
            // The plain token file moved in when the vault opened, its access token marked
            // spent: a copy of the file may exist, so the first call buys a new one.
            let moved = Tokens {
                expires_at: 0,
                ..tokens()
            };
            assert_eq!(TokenStore::open(&vault).load(), Some(moved));
            let mut saved = plain_settings();
            assert!(vault::adopt_plain_settings(&vault, &mut saved).unwrap());
            assert_eq!(
                (&saved.openai_api_key, &saved.client_secret),
                (&None, &None)
            );
            assert_eq!(
                vault.get_key().unwrap(),
                Some(StoredKey::Bound(BoundKey {
                    key: Secret::new(KEY).unwrap(),
                    origin: "https://api.openai.com".into()
                }))
            );
        }
        "restart and log out" => {
            let mut saved = SavedSettings {
                client_id: Some("kr-client".into()),
                openai_key_origin: Some("https://api.openai.com".into()),
                ..Default::default()
            };
            let Some(StoredKey::Bound(bound)) = vault.get_key().unwrap() else {
                panic!("the key is bound to its server");
            };
            saved.openai_api_key = Some(bound.key);
            let services = Services::start(loaded(&saved), dir);
            assert_eq!(services.secret_store(), StoreKind::Keyring);
            assert!(services.is_logged_in(), "signed in from the keyring");
            assert_eq!(services.config().openai_api_key, Secret::new(KEY));
            services.logout().unwrap();
            assert!(!services.is_logged_in());
            assert_eq!(TokenStore::open(&vault).load(), None);
        }
        other => panic!("unknown step {other}"),
    }
}

#[test]
fn without_a_keyring_secrets_live_in_files_only_the_user_can_read() {
    let dir = tempfile::tempdir().unwrap();
    let vault = Vault::open(StoreChoice::File, dir.path());
    assert_eq!(vault.kind(), StoreKind::File);
    let mut saved = plain_settings();
    assert!(vault::adopt_plain_settings(&vault, &mut saved).unwrap());
    let store_json = serde_json::to_string(&saved).unwrap();
    assert!(
        !store_json.contains(KEY) && !store_json.contains(CLIENT_SECRET),
        "{store_json}"
    );
    assert_eq!(
        vault.get_key().unwrap(),
        Some(StoredKey::Bound(BoundKey {
            key: Secret::new(KEY).unwrap(),
            origin: "https://api.openai.com".into()
        }))
    );
    assert_eq!(
        vault.get(Entry::ClientSecret).unwrap(),
        Secret::new(CLIENT_SECRET)
    );
    // A second start finds nothing left to move.
    assert!(!vault::adopt_plain_settings(&vault, &mut saved).unwrap());

    TokenStore::open(&vault).save(&tokens()).unwrap();
    #[cfg(unix)]
    for file in [vault::SECRETS_FILE, vault::TOKENS_FILE] {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(file))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{file}");
    }
    let services = Services::start(
        Config::resolve(
            &SavedSettings {
                client_id: Some("file-client".into()),
                ..Default::default()
            },
            |k| (k == "SPOTIFY_PLUS_SECRET_STORE").then(|| "file".into()),
            None,
        ),
        dir.path(),
    );
    assert_eq!(services.secret_store(), StoreKind::File);
    assert!(services.is_logged_in());
    services.logout().unwrap();
    assert!(!dir.path().join(vault::TOKENS_FILE).exists());
    vault.delete(Entry::OpenAiApiKey).unwrap();
    vault.delete(Entry::ClientSecret).unwrap();
    assert!(
        !dir.path().join(vault::SECRETS_FILE).exists(),
        "no empty secrets file left"
    );
}

#[test]
fn an_unknown_store_choice_is_named_and_auto_is_used() {
    let loaded = Config::resolve(
        &SavedSettings::default(),
        |k| (k == "SPOTIFY_PLUS_SECRET_STORE").then(|| "vault9".into()),
        None,
    );
    assert_eq!(loaded.config.secret_store, StoreChoice::Auto);
    assert!(loaded.problems[0]
        .to_string()
        .starts_with("SPOTIFY_PLUS_SECRET_STORE"));
}

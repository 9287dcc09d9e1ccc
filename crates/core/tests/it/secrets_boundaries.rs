//! Trust boundaries around the secrets: nothing that holds one prints it, endpoints from `.env`
//! or the environment cannot send credentials away from Spotify, and sign-in cannot wedge on its
//! own port.

use crate::spotify_common::*;
use spotify_plus_core::auth::{AuthError, AuthSettings, Session, TokenStore, Tokens};
use spotify_plus_core::config::{Config, ConfigError, SavedSettings};
use spotify_plus_core::secret::Secret;
use spotify_plus_core::settings::{SettingsForm, SettingsView};
use spotify_plus_core::vault::{StoreKind, Vault};
use spotify_plus_test_support::process::free_port;
use std::sync::Arc;
use std::time::Duration;

const SECRETS: [&str; 5] = [
    "sk-debug-key-4471",
    "cs-debug-secret-9d",
    "access-debug-0c3",
    "refresh-debug-77e",
    "sk-debug-typed-51",
];

#[test]
fn no_settings_or_config_type_prints_a_secret() {
    let [key, client_secret, access, refresh, typed] = SECRETS;
    let saved = SavedSettings {
        client_id: Some("client".into()),
        client_secret: Secret::new(client_secret),
        openai_api_key: Secret::new(key),
        openai_key_origin: Some("https://api.openai.com".into()),
        ..Default::default()
    };
    let loaded = Config::resolve(&saved, |_| None, None);
    assert_eq!(
        loaded.config.openai_api_key,
        Secret::new(key),
        "the key is in use"
    );
    let form: SettingsForm = serde_json::from_value(serde_json::json!({
        "clientId": "client", "clientSecret": client_secret, "openaiApiKey": typed,
        "clearOpenaiApiKey": false, "openaiBaseUrl": "", "openaiModel": ""
    }))
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let tokens = Tokens::granted(
        Secret::new(access).unwrap(),
        Secret::new(refresh).unwrap(),
        Duration::from_secs(60),
        String::new(),
    );
    let auth = AuthSettings {
        client_id: "client".into(),
        client_secret: Secret::new(client_secret),
        accounts_base_url: url::Url::parse("https://accounts.spotify.com").unwrap(),
        redirect_port: 0,
    };
    let moved = Config::resolve(
        &saved,
        |k| (k == "OPENAI_BASE_URL").then(|| "https://elsewhere.example/v1".into()),
        None,
    );
    let printed = [
        format!("{saved:?}"),
        format!("{saved:#?}"),
        format!("{:?}", loaded.config),
        format!("{loaded:#?}"),
        format!("{moved:?}"),
        format!("{form:?}"),
        format!("{:?}", form.clone().apply_to(&saved)),
        format!(
            "{:?}",
            SettingsView::new(&loaded.config, dir.path(), StoreKind::File, false)
        ),
        format!("{tokens:?}"),
        format!("{auth:?}"),
        format!("{:?}", TokenStore::new(dir.path().join("tokens.json"))),
        format!("{:?}", Vault::files(dir.path())),
        format!("{}", moved.problems[0]),
    ]
    .join("\n");
    for secret in SECRETS {
        assert!(!printed.contains(secret), "{secret} printed in:\n{printed}");
    }
    assert!(printed.contains("Secret(***)"), "{printed}");
}

#[test]
fn endpoints_from_env_or_dotenv_cannot_point_spotify_credentials_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let dotenv = dir.path().join(".env");
    std::fs::write(
        &dotenv,
        "SPOTIFY_ACCOUNTS_BASE_URL=https://accounts.spotify.com.evil.example\n\
         SPOTIFY_API_BASE_URL=http://api.spotify.com/v1\n\
         OPENAI_BASE_URL=http://llm.lan:8080/v1\n",
    )
    .unwrap();
    let loaded = Config::resolve(&SavedSettings::default(), |_| None, Some(&dotenv));
    let messages: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages.iter().any(
        |m| m.starts_with("SPOTIFY_ACCOUNTS_BASE_URL may only point at https://*.spotify.com")
    ));
    // From `.env`, even a Spotify host needs https (and a loopback server the environment).
    assert!(messages
        .iter()
        .any(|m| m.starts_with("SPOTIFY_API_BASE_URL in .env must use https://")));
    assert!(loaded.problems.contains(&ConfigError::Insecure {
        setting: "OPENAI_BASE_URL"
    }));
    let c = loaded.config;
    assert_eq!(
        c.spotify_accounts_base_url.as_str(),
        "https://accounts.spotify.com/"
    );
    assert_eq!(
        c.spotify_api_base_url.as_str(),
        "https://api.spotify.com/v1"
    );
    assert_eq!(c.openai_base_url.as_str(), "https://api.openai.com/v1");
    // A local fake or proxy is the user's own: allowed.
    let local = Config::resolve(
        &SavedSettings::default(),
        |k| (k == "SPOTIFY_API_BASE_URL").then(|| "http://127.0.0.1:4010/v1".into()),
        None,
    );
    assert!(local.problems.is_empty(), "{:?}", local.problems);
}

fn session_on(fake: &spotify_plus_fakes::spotify::FakeSpotify, port: u16) -> Arc<Session> {
    let dir = tempfile::tempdir().unwrap().keep();
    let mut settings = settings(fake);
    settings.redirect_port = port;
    Arc::new(Session::new(
        settings,
        TokenStore::new(dir.join("tokens.json")),
        http(),
    ))
}

/// A sign-in whose browser never comes back, running in the background.
fn waiting_login(session: &Arc<Session>) -> tokio::task::JoinHandle<Result<(), AuthError>> {
    let session = session.clone();
    tokio::spawn(async move { session.login(|_| Ok(()), Duration::from_secs(60)).await })
}

async fn until_pending(session: &Session) {
    for _ in 0..200 {
        if session.login_pending() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the sign-in never started waiting");
}

#[tokio::test]
async fn a_second_login_replaces_the_waiting_one_instead_of_failing_on_its_port() {
    let fake = fake().await;
    let port = free_port();
    let first = session_on(&fake, port);
    let abandoned = waiting_login(&first);
    until_pending(&first).await;
    // Settings were saved meanwhile: a new session on the same port logs in.
    let second = session_on(&fake, port);
    let (browser, page) = following_browser();
    second
        .login(browser, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(second.is_logged_in());
    assert_eq!(page.await.unwrap().0, 200);
    let outcome = abandoned.await.unwrap();
    assert!(matches!(outcome, Err(AuthError::Cancelled)), "{outcome:?}");
    assert!(!first.is_logged_in());
    assert!(!second.login_pending() && !first.login_pending());
}

#[tokio::test]
async fn cancel_ends_the_waiting_sign_in_and_frees_its_port() {
    let fake = fake().await;
    let port = free_port();
    let session = session_on(&fake, port);
    assert!(!session.cancel_login(), "nothing to cancel yet");
    let waiting = waiting_login(&session);
    until_pending(&session).await;
    assert!(session.cancel_login());
    let outcome = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("cancel ends the sign-in at once")
        .unwrap();
    let error = outcome.unwrap_err();
    assert_eq!(error.kind(), spotify_plus_core::ErrorKind::Cancelled);
    assert!(!session.login_pending());
    std::net::TcpListener::bind(("127.0.0.1", port)).expect("the port is free again");
}

use spotify_plus_core::Kinded;

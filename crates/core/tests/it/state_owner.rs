//! The core's state owner (issue 19): settings saved atomically by one writer, a rebuild on
//! save that keeps Spotify's ban, the session and its waiting sign-in, and a sign-out that no
//! refresh in flight can undo. Everything over real HTTP against the fake Spotify, with real
//! files in a temporary data folder.

use crate::spotify_common::*;
use spotify_plus_core::app::AppError;
use spotify_plus_core::auth::{AuthError, TokenStore};
use spotify_plus_core::config::SETTINGS_FILE;
use spotify_plus_core::settings::SettingsForm;
use spotify_plus_core::spotify::SpotifyError;
use spotify_plus_core::state::{AppState, Environment};
use spotify_plus_fakes::faults::{Fault, FaultKind};
use spotify_plus_fakes::spotify::FakeSpotify;
use spotify_plus_test_support::process::free_port;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// An app state on `dir`, its Spotify the fake, its secrets in files.
fn state(fake: &FakeSpotify, dir: &tempfile::TempDir) -> Arc<AppState> {
    let vars = [
        ("SPOTIFY_API_BASE_URL", fake.api_base_url().to_string()),
        (
            "SPOTIFY_ACCOUNTS_BASE_URL",
            fake.accounts_base_url().to_string(),
        ),
        ("SPOTIFY_REDIRECT_PORT", free_port().to_string()),
        ("SPOTIFY_PLUS_SECRET_STORE", "file".to_string()),
        ("CLIENT_ID", "owner-client".to_string()),
    ];
    let env = Environment::new(
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
        },
        None,
    );
    Arc::new(AppState::open(Some(dir.path().to_path_buf()), env))
}

fn form(json: serde_json::Value) -> SettingsForm {
    let mut base = serde_json::json!({
        "clientId": "owner-client", "clientSecret": "", "openaiApiKey": "",
        "clearOpenaiApiKey": false, "openaiBaseUrl": "", "openaiModel": "gpt-5.1"
    });
    base.as_object_mut()
        .unwrap()
        .extend(json.as_object().unwrap().clone());
    serde_json::from_value(base).unwrap()
}

#[tokio::test]
async fn spotify_s_ban_survives_a_settings_save() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    signed_in(&fake, &token_path(&dir));
    let state = state(&fake, &dir);
    fake.faults()
        .push(Fault::status("/v1/me/player", 429, Some(86_400), None));
    let error = state.services().playback().await.unwrap_err();
    assert!(
        matches!(error, AppError::Spotify(SpotifyError::RateLimited { .. })),
        "{error:?}"
    );
    fake.faults().clear();
    let before = fake.api_requests("");
    state
        .run(|s| s.save_form(form(serde_json::json!({"openaiModel": "gpt-5-mini"}))))
        .await
        .unwrap();
    let services = state.services();
    assert_eq!(
        services.config().openai_model,
        "gpt-5-mini",
        "the save took"
    );
    assert!(services.spotify_blocked_for().unwrap() > Duration::from_secs(86_000));
    let error = services.playback().await.unwrap_err();
    assert!(
        matches!(error, AppError::Spotify(SpotifyError::RateLimited { .. })),
        "{error:?}"
    );
    assert_eq!(
        fake.api_requests(""),
        before,
        "no Spotify call during the ban"
    );
}

#[tokio::test]
async fn a_sign_in_finishing_after_a_settings_save_lands() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let state = state(&fake, &dir);
    assert_eq!(state.services().status().state, "login");
    let (release, released) = tokio::sync::oneshot::channel::<()>();
    let (seen, authorize) = tokio::sync::oneshot::channel::<Url>();
    let services = state.services();
    let login = tokio::spawn(async move {
        services
            .login(move |url| {
                let _ = seen.send(url.clone());
                Ok(())
            })
            .await
    });
    let url = authorize.await.unwrap();
    // The user saves Settings while the browser is out (the automatic model pick does too).
    state
        .run(|s| s.save_form(form(serde_json::json!({"openaiModel": "gpt-5-mini"}))))
        .await
        .unwrap();
    assert!(
        state.services().login_pending(),
        "the new services know the waiting sign-in"
    );
    tokio::spawn(async move {
        let _ = released.await;
        browse(url).await
    });
    release.send(()).unwrap();
    login.await.unwrap().unwrap();
    assert_eq!(
        state.services().status().state,
        "ready",
        "the sign-in landed"
    );
    state.services().playback().await.unwrap();
}

#[tokio::test]
async fn a_change_of_spotify_app_ends_the_old_app_s_sign_in() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let state = state(&fake, &dir);
    let services = state.services();
    let login = tokio::spawn(async move { services.login(|_| Ok(())).await });
    while !state.services().login_pending() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    state
        .run(|s| s.save_form(form(serde_json::json!({"clientId": "another-app"}))))
        .await
        .unwrap();
    let error = login.await.unwrap().unwrap_err();
    assert!(
        matches!(error, AppError::Auth(AuthError::Cancelled)),
        "{error:?}"
    );
}

#[tokio::test]
async fn nothing_writes_a_token_after_logout_not_even_a_refresh_in_flight() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let path = token_path(&dir);
    // The services before a settings save, and those after: two sessions on one store.
    let old = signed_in(&fake, &path);
    let new = session(&fake, &path);
    fake.revoke_access_tokens();
    fake.faults().push(Fault {
        path_contains: "/api/token".into(),
        kind: FaultKind::Delay(Duration::from_millis(400)),
        times: Some(1),
    });
    let stale = old.access_token().await.unwrap();
    let refreshing = {
        let old = old.clone();
        tokio::spawn(async move { old.refresh_after_unauthorized(&stale).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    new.logout().unwrap();
    let error = refreshing.await.unwrap().unwrap_err();
    assert!(matches!(error, AuthError::NotLoggedIn), "{error:?}");
    assert!(!path.exists(), "the refresh did not write the tokens back");
    assert_eq!(TokenStore::new(&path).load(), None);
    assert!(!old.is_logged_in(), "the old services are signed out too");
    assert!(matches!(
        old.access_token().await,
        Err(AuthError::NotLoggedIn)
    ));
}

#[tokio::test]
async fn a_lost_settings_file_never_sends_the_key_to_the_default_server() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let state = state(&fake, &dir);
    state
        .run(|s| {
            s.save_form(form(serde_json::json!({
                "openaiApiKey": "sk-for-llm-example",
                "openaiBaseUrl": "https://llm.example/v1"
            })))
        })
        .await
        .unwrap();
    assert_eq!(
        state
            .services()
            .config()
            .openai_api_key
            .as_ref()
            .map(|k| k.expose().to_string()),
        Some("sk-for-llm-example".to_string())
    );
    // A crash or a full disk leaves the settings file cut short.
    let file = dir.path().join(SETTINGS_FILE);
    let whole = std::fs::read(&file).unwrap();
    std::fs::write(&file, &whole[..whole.len() / 3]).unwrap();

    let reopened = self::state(&fake, &dir);
    let services = reopened.services();
    assert_eq!(
        services.config().openai_base_url.as_str(),
        "https://api.openai.com/v1"
    );
    assert_eq!(
        services.config().openai_api_key,
        None,
        "the key stays with its server"
    );
    let status = services.status();
    assert!(
        status
            .problems
            .iter()
            .any(|p| p.contains("https://llm.example")),
        "{:?}",
        status.problems
    );
    assert!(
        status
            .notices
            .iter()
            .any(|n| n.contains("could not be read")),
        "the unreadable file is reported: {:?}",
        status.notices
    );
}

#[tokio::test]
async fn the_sign_in_date_is_kept_through_refreshes_and_a_week_before_its_end_renewal_is_offered() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let path = token_path(&dir);
    let session = session(&fake, &path);
    let (browser, _page) = following_browser();
    session
        .login(browser, Duration::from_secs(10))
        .await
        .unwrap();
    let signed_in = TokenStore::new(&path).load().unwrap().signed_in_at.unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(now.abs_diff(signed_in) < 60, "{signed_in} vs {now}");
    fake.revoke_access_tokens();
    let stale = session.access_token().await.unwrap();
    session.refresh_after_unauthorized(&stale).await.unwrap();
    let refreshed = TokenStore::new(&path).load().unwrap();
    assert_eq!(
        refreshed.signed_in_at,
        Some(signed_in),
        "a refresh does not extend it"
    );
    let six_months = spotify_plus_core::auth::SIGN_IN_LIFETIME.as_secs();
    assert_eq!(session.sign_in_expires_at(), Some(signed_in + six_months));

    // The same sign-in, 100 and then 178 days old.
    for (age_days, renew) in [(100, false), (178, true)] {
        let mut tokens = TokenStore::new(&path).load().unwrap();
        tokens.signed_in_at = Some(now - age_days * 24 * 3600);
        TokenStore::new(&path).save(&tokens).unwrap();
        let status = state(&fake, &dir).services().status();
        assert_eq!(status.state, "ready");
        assert_eq!(status.renew_sign_in, renew, "{age_days} days");
        assert_eq!(
            status.sign_in_expires_at,
            Some(now - age_days * 24 * 3600 + six_months)
        );
    }
}

#[tokio::test]
async fn nothing_needs_me_to_say_whether_the_account_is_premium() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    signed_in(&fake, &token_path(&dir));
    let state = state(&fake, &dir);
    // Spotify's `/me` of today has no `product`; the app reads none.
    let token = fake.issue_tokens().access_token;
    let me: serde_json::Value = http()
        .get(format!(
            "{}/me",
            fake.api_base_url().as_str().trim_end_matches('/')
        ))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        me.get("id").is_some() && me.get("product").is_none(),
        "{me}"
    );
    fake.set_premium(false);
    let error = state
        .services()
        .play(&spotify_plus_core::spotify::PlayRequest::Resume)
        .await
        .unwrap_err();
    assert!(
        matches!(error, AppError::Spotify(SpotifyError::PremiumRequired)),
        "Premium is learned from PREMIUM_REQUIRED: {error:?}"
    );
}

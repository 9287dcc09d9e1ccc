//! Sign-in, token storage, refresh and sign-out against the fake accounts service over real HTTP.

use crate::spotify_common::*;
use oauth2::PkceCodeChallenge;
use spotify_plus_core::auth::{AuthError, TokenStore};
use spotify_plus_core::spotify::SpotifyError;
use spotify_plus_core::Kinded;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use url::Url;

const LOGIN_TIMEOUT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn pkce_login_round_trip_saves_private_tokens() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = session(&fake, &token_path(&dir));
    assert!(!session.is_logged_in());

    let seen = Arc::new(Mutex::new(None));
    let seen_in_browser = seen.clone();
    let (browser, page) = following_browser();
    let open = move |url: &Url| {
        *seen_in_browser.lock().unwrap() = Some(url.clone());
        browser(url)
    };
    session.login(open, LOGIN_TIMEOUT).await.unwrap();

    let (status, text) = page.await.unwrap();
    assert_eq!(status, 200);
    assert!(text.contains("Signed in to Spotify Plus"), "{text}");
    assert!(session.is_logged_in());
    assert_eq!(fake.token_requests(), 1);

    let url = seen.lock().unwrap().clone().unwrap();
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    assert_eq!(url.path(), "/authorize");
    assert_eq!(param("code_challenge_method").as_deref(), Some("S256"));
    assert!(param("state").is_some_and(|s| s.len() >= 16));
    let scope = param("scope").unwrap();
    for needed in [
        "user-read-currently-playing",
        "user-read-playback-state",
        "playlist-read-private",
        "playlist-read-collaborative",
    ] {
        assert!(scope.split(' ').any(|s| s == needed), "{scope}");
    }
    let redirect = redirect_uri(&url);
    assert_eq!(redirect.host_str(), Some("127.0.0.1"));
    assert_eq!(redirect.path(), "/callback");

    // The listener is closed once sign-in is done.
    let port = redirect.port().unwrap();
    assert!(tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err());

    let saved = TokenStore::new(token_path(&dir)).load().unwrap();
    assert!(saved.scope.contains("playlist-read-private"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(token_path(&dir))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // The token file round-trips through a new session and works against the API.
    let again = crate::spotify_common::session(&fake, &token_path(&dir));
    assert!(again.is_logged_in());
    assert_eq!(
        client(&fake, again).me().await.unwrap().display_name,
        "Demo Listener"
    );
}

#[tokio::test]
async fn fake_rejects_a_wrong_code_verifier() {
    let fake = fake().await;
    let http = http();
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let challenge = challenge.as_str().to_string();
    let verifier = verifier.secret().as_str();
    let redirect = "http://127.0.0.1:9/callback";
    let authorize = |challenge: &str, redirect: &str| {
        let mut url = fake.accounts_base_url().join("authorize").unwrap();
        url.query_pairs_mut()
            .append_pair("client_id", "c")
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", redirect)
            .append_pair("code_challenge_method", "S256")
            .append_pair("code_challenge", challenge)
            .append_pair("state", "st");
        url
    };
    let code_for = |location: &str| {
        let url = Url::parse(location).unwrap();
        assert_eq!(
            url.query_pairs().find(|(k, _)| k == "state").unwrap().1,
            "st"
        );
        url.query_pairs()
            .find(|(k, _)| k == "code")
            .unwrap()
            .1
            .into_owned()
    };
    let exchange = |code: String, verifier: &str| {
        http.post(fake.accounts_base_url().join("api/token").unwrap())
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", redirect),
                ("client_id", "c"),
                ("code_verifier", verifier),
            ])
    };

    for (sent_verifier, expected) in [("not-the-verifier", 400), (verifier, 200)] {
        let response = http
            .get(authorize(&challenge, redirect))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 302);
        let code = code_for(response.headers()["location"].to_str().unwrap());
        let response = exchange(code, sent_verifier).send().await.unwrap();
        assert_eq!(response.status(), expected);
        if expected == 400 {
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(body["error"], "invalid_grant");
        }
    }
    // Non-loopback redirect URIs are refused, like Spotify does since 2025.
    let bad = authorize(&challenge, "http://localhost:9/callback");
    assert_eq!(http.get(bad).send().await.unwrap().status(), 400);
}

/// Starts `login` with a browser that only sends a forged callback and asks for another path.
#[tokio::test]
async fn wrong_state_and_other_paths_never_sign_in() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = session(&fake, &token_path(&dir));
    let (tx, rx) = tokio::sync::oneshot::channel();
    let open = move |url: &Url| {
        let callback = redirect_uri(url);
        tokio::spawn(async move {
            let mut forged = callback.clone();
            forged.set_query(Some("code=stolen&state=not-the-state"));
            let forged = reqwest::get(forged).await.unwrap().status().as_u16();
            let favicon = callback.join("/favicon.ico").unwrap();
            let other = reqwest::get(favicon).await.unwrap().status().as_u16();
            let _ = tx.send((forged, other));
        });
        Ok(())
    };
    let result = session.login(open, Duration::from_millis(700)).await;
    assert!(matches!(result, Err(AuthError::Timeout)), "{result:?}");
    assert_eq!(rx.await.unwrap(), (400, 404));
    assert!(!session.is_logged_in());
    assert_eq!(fake.token_requests(), 0, "a forged code is never exchanged");
}

#[tokio::test]
async fn genuine_callback_after_a_forged_one_signs_in() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = session(&fake, &token_path(&dir));
    let (tx, rx) = tokio::sync::oneshot::channel();
    let open = move |url: &Url| {
        let mut forged = redirect_uri(url);
        forged.set_query(Some("code=stolen&state=forged"));
        let genuine = url.clone();
        // The forged callback is answered first; the listener must keep waiting after it.
        tokio::spawn(async move {
            let forged = browse(forged).await.0;
            let _ = tx.send((forged, browse(genuine).await.0));
        });
        Ok(())
    };
    session.login(open, LOGIN_TIMEOUT).await.unwrap();
    assert_eq!(rx.await.unwrap(), (400, 200));
    assert!(session.is_logged_in());
}

#[tokio::test]
async fn access_denied_is_reported() {
    let fake = fake().await;
    fake.deny_consent(true);
    let dir = tempfile::tempdir().unwrap();
    let session = session(&fake, &token_path(&dir));
    let (browser, page) = following_browser();
    let error = session.login(browser, LOGIN_TIMEOUT).await.unwrap_err();
    assert!(matches!(error, AuthError::Denied));
    assert_eq!(error.kind(), "denied");
    assert_eq!(page.await.unwrap().0, 200);
    assert!(!session.is_logged_in());
    assert!(!token_path(&dir).exists());
}

#[tokio::test]
async fn login_times_out_and_closes_the_listener() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = session(&fake, &token_path(&dir));
    let port = Arc::new(Mutex::new(0));
    let port_seen = port.clone();
    let open = move |url: &Url| {
        *port_seen.lock().unwrap() = redirect_uri(url).port().unwrap();
        Ok(())
    };
    let started = std::time::Instant::now();
    let error = session
        .login(open, Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(matches!(error, AuthError::Timeout), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    let port = *port.lock().unwrap();
    assert!(tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err());
}

#[tokio::test]
async fn browser_failure_and_missing_client_id_are_reported() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = session(&fake, &token_path(&dir));
    let error = session
        .login(|_: &Url| Err("no opener".into()), LOGIN_TIMEOUT)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), "browser");

    let mut settings = settings(&fake);
    settings.client_id = "  ".into();
    let unconfigured =
        spotify_plus_core::auth::Session::new(settings, TokenStore::new(token_path(&dir)), http());
    let error = unconfigured
        .login(|_: &Url| Ok(()), LOGIN_TIMEOUT)
        .await
        .unwrap_err();
    assert!(matches!(error, AuthError::NotConfigured));
}

#[tokio::test]
async fn refresh_after_401_persists_for_the_next_session() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let first = signed_in(&fake, &token_path(&dir));
    fake.revoke_access_tokens();
    assert_eq!(client(&fake, first).me().await.unwrap().id, "demolistener");
    assert_eq!(fake.refresh_requests(), 1);

    // The old access token was revoked, so this only works without a token request if the
    // refreshed one was saved.
    let second = session(&fake, &token_path(&dir));
    client(&fake, second).me().await.unwrap();
    assert_eq!(fake.token_requests(), 1);
}

#[tokio::test]
async fn token_near_expiry_is_refreshed_before_use() {
    let fake = fake().await;
    // Older answers rotated the refresh token; such an answer must still be kept whole.
    fake.rotate_refresh_tokens(true);
    fake.set_access_token_ttl(30); // inside the 60 s margin
    let dir = tempfile::tempdir().unwrap();
    let session = signed_in(&fake, &token_path(&dir));
    let before = TokenStore::new(token_path(&dir)).load().unwrap();
    let token = session.access_token().await.unwrap();
    assert_eq!(fake.refresh_requests(), 1);
    assert_ne!(token, before.access_token);
    let after = TokenStore::new(token_path(&dir)).load().unwrap();
    assert_eq!(after.access_token, token);
    assert_ne!(
        after.refresh_token, before.refresh_token,
        "a rotated refresh token is kept"
    );
}

#[tokio::test]
async fn racing_refreshes_make_one_call() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = signed_in(&fake, &token_path(&dir));
    let stale = session.access_token().await.unwrap();
    fake.revoke_access_tokens();
    let (a, b, c) = tokio::join!(
        session.refresh_after_unauthorized(&stale),
        session.refresh_after_unauthorized(&stale),
        session.refresh_after_unauthorized(&stale),
    );
    assert_eq!(fake.refresh_requests(), 1);
    let a = a.unwrap();
    assert_eq!(a, b.unwrap());
    assert_eq!(a, c.unwrap());

    // Concurrent API calls that all hit 401 also share one refresh.
    fake.revoke_access_tokens();
    let api = client(&fake, session);
    let (x, y) = tokio::join!(api.me(), api.playlists(0));
    x.unwrap();
    y.unwrap();
    assert_eq!(fake.refresh_requests(), 2);
}

#[tokio::test]
async fn rejected_refresh_token_signs_out() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = signed_in(&fake, &token_path(&dir));
    fake.revoke_access_tokens();
    fake.reject_refresh_tokens(true);
    let error = client(&fake, session.clone()).me().await.unwrap_err();
    assert!(matches!(error, SpotifyError::Unauthorized), "{error:?}");
    assert!(error.to_string().contains("log in again"));
    assert!(!session.is_logged_in());
    assert!(!token_path(&dir).exists());
    let error = session.access_token().await.unwrap_err();
    assert_eq!(error.kind(), "not_logged_in");
}

#[tokio::test]
async fn still_unauthorized_after_refresh_signs_out() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = signed_in(&fake, &token_path(&dir));
    fake.faults().push(spotify_plus_fakes::faults::Fault {
        path_contains: "/v1/me".into(),
        kind: spotify_plus_fakes::faults::FaultKind::Status {
            status: 401,
            retry_after: None,
            body: None,
        },
        times: None,
    });
    let token = session.access_token().await.unwrap();
    let error = client(&fake, session.clone()).me().await.unwrap_err();
    assert_eq!(error.kind(), "unauthorized");
    assert!(!error.to_string().contains(token.expose()));
    assert_eq!(fake.refresh_requests(), 1);
    assert_eq!(fake.api_requests("/v1/me"), 2);
    assert!(!session.is_logged_in());
    assert!(!token_path(&dir).exists());
}

#[tokio::test]
async fn logout_deletes_the_token_file() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = signed_in(&fake, &token_path(&dir));
    assert!(token_path(&dir).exists());
    session.logout().unwrap();
    assert!(!session.is_logged_in());
    assert!(!token_path(&dir).exists());
    let error = client(&fake, session).me().await.unwrap_err();
    assert_eq!(error.kind(), "not_logged_in");
    assert_eq!(fake.api_requests(""), 0);
}

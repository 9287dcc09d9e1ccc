//! Helpers shared by the auth and Spotify integration tests: a fake Spotify, sessions on real
//! token files, and a stand-in "browser" that follows the authorize redirect.

use spotify_plus_core::auth::{AuthSettings, Session, TokenStore, Tokens};
use spotify_plus_core::secret::Secret;
use spotify_plus_core::spotify::{RetryPolicy, SpotifyClient};
use spotify_plus_fakes::spotify::{FakeSpotify, FakeSpotifyOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::oneshot;
use url::Url;

pub async fn fake() -> FakeSpotify {
    FakeSpotify::start(FakeSpotifyOptions::default())
        .await
        .expect("fake Spotify starts")
}

pub fn settings(fake: &FakeSpotify) -> AuthSettings {
    AuthSettings {
        client_id: "test-client-id".into(),
        client_secret: None,
        accounts_base_url: fake.accounts_base_url(),
        redirect_port: 0,
    }
}

/// The client OAuth token requests should use: no redirects.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub fn token_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("tokens.json")
}

pub fn session(fake: &FakeSpotify, path: &Path) -> Arc<Session> {
    Arc::new(Session::new(settings(fake), TokenStore::new(path), http()))
}

/// A signed-in session without the browser: tokens issued by the fake, saved to `path`.
pub fn signed_in(fake: &FakeSpotify, path: &Path) -> Arc<Session> {
    let issued = fake.issue_tokens();
    TokenStore::new(path)
        .save(&Tokens::granted(
            Secret::new(issued.access_token).unwrap(),
            Secret::new(issued.refresh_token).unwrap(),
            Duration::from_secs(issued.expires_in),
            issued.scope,
        ))
        .unwrap();
    session(fake, path)
}

/// Short waits so failure paths stay fast.
pub fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        request_timeout: Duration::from_secs(5),
        max_retries: 3,
        max_retry_after: Duration::from_secs(5),
        default_retry_after: Duration::from_millis(10),
        backoff: Duration::from_millis(10),
    }
}

pub fn client(fake: &FakeSpotify, session: Arc<Session>) -> SpotifyClient {
    SpotifyClient::new(http(), fake.api_base_url(), session).with_policy(fast_policy())
}

/// What the test browser saw: final status and page text.
pub type BrowserResult = oneshot::Receiver<(u16, String)>;

/// An `open_browser` callback that loads the authorize URL with a redirect-following client,
/// as a real browser would, and reports the page it ended on.
pub fn following_browser() -> (impl FnOnce(&Url) -> Result<(), String>, BrowserResult) {
    let (tx, rx) = oneshot::channel();
    let open = move |url: &Url| {
        let url = url.clone();
        tokio::spawn(async move {
            let _ = tx.send(browse(url).await);
        });
        Ok(())
    };
    (open, rx)
}

/// Loads `url` following redirects; returns the final status and page text.
pub async fn browse(url: Url) -> (u16, String) {
    let response = reqwest::get(url).await.expect("browser request");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// The loopback callback URL inside an authorize URL.
pub fn redirect_uri(authorize: &Url) -> Url {
    let (_, value) = authorize
        .query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .expect("authorize URL has redirect_uri");
    Url::parse(&value).unwrap()
}

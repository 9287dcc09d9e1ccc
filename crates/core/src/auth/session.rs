//! The signed-in state: PKCE login, token refresh (near expiry and after a 401), logout.

use super::callback;
use super::pending;
use super::tokens::{TokenStore, Tokens};
use super::AuthError;
use crate::secret::Secret;
use oauth2::basic::{BasicClient, BasicErrorResponse, BasicErrorResponseType, BasicTokenResponse};
use oauth2::{
    AsyncHttpClient, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, HttpRequest, HttpResponse, PkceCodeChallenge, RedirectUrl, RefreshToken,
    RequestTokenError, Scope, TokenResponse, TokenUrl,
};
use std::future::Future;
use std::net::Ipv4Addr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock};
use std::time::Duration;
use tokio::net::TcpListener;
use url::Url;

/// Scopes requested at sign-in: now-playing and playlists to read, playback and the library to
/// change; nothing more.
pub const SCOPES: [&str; 7] = [
    "user-read-currently-playing",
    "user-read-playback-state",
    "playlist-read-private",
    "playlist-read-collaborative",
    // Controls and "Play" on the active device.
    "user-modify-playback-state",
    // The heart on track pages (`/me/library`).
    "user-library-read",
    "user-library-modify",
];

/// Access tokens this close to expiry are refreshed before use.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// Bound on a token request, so a silent accounts server cannot hang the app.
const TOKEN_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Used when Spotify omits `expires_in` (it normally says 3600).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);
/// How long a new sign-in waits for a cancelled one to let go of the callback port.
const PORT_HANDOVER: Duration = Duration::from_secs(2);

/// What the session needs to know about the Spotify app and the accounts service.
#[derive(Clone, Debug)]
pub struct AuthSettings {
    /// Client ID of the user's Spotify app.
    pub client_id: String,
    /// Optional client secret; PKCE works without it.
    pub client_secret: Option<Secret>,
    /// Root of `/authorize` and `/api/token`, normally `https://accounts.spotify.com`.
    pub accounts_base_url: Url,
    /// Loopback port of the redirect URI (`0` picks a free one, useful in tests).
    pub redirect_port: u16,
}

type OAuthClient =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;
type TokenRequestError = RequestTokenError<AccountsHttpError, BasicErrorResponse>;

/// Why the accounts service gave no usable answer at the HTTP level.
#[derive(Debug, thiserror::Error)]
enum AccountsHttpError {
    /// A 5xx or 429: the service is having a blip; the tokens are still good.
    #[error("accounts service unavailable (HTTP {0})")]
    Unavailable(u16),
    /// Connecting or reading failed.
    #[error(transparent)]
    Transport(#[from] reqwest::Error),
    /// The answer is larger than any token answer: not read further.
    #[error("token answer too large")]
    TooLarge,
}

/// Largest token answer read (a real one is under a kilobyte).
const MAX_TOKEN_BODY: usize = 64 * 1024;

/// The HTTP client handed to `oauth2`: it turns 5xx and 429 answers into
/// [`AccountsHttpError::Unavailable`] before `oauth2` reads their bodies, so a blip can never
/// pass for an OAuth error and sign the user out, and reads any other body up to a cap.
struct AccountsHttp<'a>(&'a reqwest::Client);

impl<'c> AsyncHttpClient<'c> for AccountsHttp<'_> {
    type Error = AccountsHttpError;
    type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, Self::Error>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let response = self
                .0
                .request(parts.method, parts.uri.to_string())
                .headers(parts.headers)
                .body(body)
                .send()
                .await?;
            let status = response.status();
            if status.is_server_error() || status.as_u16() == 429 {
                return Err(AccountsHttpError::Unavailable(status.as_u16()));
            }
            let headers = response.headers().clone();
            let body = match crate::net::read_capped(response, MAX_TOKEN_BODY).await {
                Ok(body) => body,
                Err(crate::net::BodyError::Transport(error)) => return Err(error.into()),
                Err(crate::net::BodyError::TooLarge) => return Err(AccountsHttpError::TooLarge),
            };
            let mut answer = HttpResponse::new(body);
            *answer.status_mut() = status;
            *answer.headers_mut() = headers;
            Ok(answer)
        })
    }
}

/// The user's Spotify session; share it with `Arc`.
pub struct Session {
    settings: RwLock<AuthSettings>,
    store: TokenStore,
    http: reqwest::Client,
    tokens: Mutex<Option<Tokens>>,
    /// The store's sign-out count when the tokens held were obtained: after another sign-out
    /// (by this session or any other on the same store) they are neither used nor saved.
    sign_outs: AtomicU64,
    /// Why the saved tokens could not be read (a keyring that did not answer): not the same
    /// as signed out, and [`Session::reload`] tries again.
    unreadable: Mutex<Option<String>>,
    /// Held while refreshing, so concurrent callers share one refresh (single flight).
    refresh_lock: tokio::sync::Mutex<()>,
    /// Which waiting sign-in this session's "Log in" replaces (see [`pending`]).
    gate: u64,
}

impl Session {
    /// A session using the tokens saved in `store`, if any. `http` should not follow redirects.
    pub fn new(settings: AuthSettings, store: TokenStore, http: reqwest::Client) -> Self {
        let session = Self {
            gate: pending::gate_key(settings.redirect_port),
            settings: RwLock::new(settings),
            sign_outs: AtomicU64::new(store.sign_outs()),
            store,
            http,
            tokens: Mutex::new(None),
            unreadable: Mutex::new(None),
            refresh_lock: tokio::sync::Mutex::new(()),
        };
        session.reload();
        session
    }

    /// Reads the saved tokens again (after the keyring did not answer); true when they could
    /// be read, whether or not there were any.
    pub fn reload(&self) -> bool {
        let sign_outs = self.store.sign_outs();
        match self.store.try_load() {
            Ok(tokens) => {
                *self.lock() = tokens;
                self.sign_outs.store(sign_outs, Ordering::SeqCst);
                *self.unreadable_lock() = None;
                true
            }
            Err(error) => {
                *self.unreadable_lock() = Some(error.to_string());
                false
            }
        }
    }

    /// Why the saved tokens could not be read, if they could not (the keyring is locked or
    /// slow): the user is not known to be signed out.
    pub fn unreadable(&self) -> Option<String> {
        self.unreadable_lock().clone()
    }

    /// True when tokens are held (they may still need a refresh) and no sign-out has happened
    /// since they were obtained.
    pub fn is_logged_in(&self) -> bool {
        self.current().is_some()
    }

    /// Whether `other` can stand in for this session's app: the same client ID, accounts
    /// service and callback port (a new client secret is taken over by [`Session::adopt`]).
    pub fn same_app(&self, other: &AuthSettings) -> bool {
        let mine = self.settings();
        mine.client_id == other.client_id
            && mine.accounts_base_url == other.accounts_base_url
            && mine.redirect_port == other.redirect_port
    }

    /// The Spotify app's client ID (Spotify's rate limits count per client ID).
    pub fn client_id(&self) -> String {
        self.settings().client_id
    }

    /// Takes over `settings` of the same app (see [`Session::same_app`]): its client secret.
    pub fn adopt(&self, settings: AuthSettings) {
        *self.settings.write().unwrap_or_else(|e| e.into_inner()) = settings;
    }

    fn settings(&self) -> AuthSettings {
        self.settings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The tokens held, unless a sign-out of the store has happened since they were obtained
    /// (then they are dropped).
    fn current(&self) -> Option<Tokens> {
        let mut held = self.lock();
        if held.is_some() && self.store.sign_outs() != self.sign_outs.load(Ordering::SeqCst) {
            *held = None;
        }
        held.clone()
    }

    /// Where the tokens are kept.
    pub fn store_kind(&self) -> crate::vault::StoreKind {
        self.store.kind()
    }

    /// Whether a sign-in on this session's callback port waits for the browser.
    pub fn login_pending(&self) -> bool {
        pending::is_waiting(self.gate)
    }

    /// Ends the sign-in waiting on this session's callback port (it fails with
    /// [`AuthError::Cancelled`]); false when none was waiting.
    pub fn cancel_login(&self) -> bool {
        pending::cancel(self.gate)
    }

    /// When the user must sign in again (the refresh token's six months are over), if known.
    pub fn sign_in_expires_at(&self) -> Option<u64> {
        self.current()?.sign_in_expires_at()
    }

    /// Whether the sign-in granted `scope` (a sign-in older than a feature lacks its scope).
    pub fn has_scope(&self, scope: &str) -> bool {
        self.current()
            .as_ref()
            .is_some_and(|t| t.scope.split_whitespace().any(|s| s == scope))
    }

    /// Signs in: listens on `127.0.0.1:{redirect_port}`, hands the authorize URL to
    /// `open_browser`, waits up to `timeout` for the callback, swaps the code for tokens and saves them.
    /// A sign-in already waiting on the port is cancelled first.
    pub async fn login(
        &self,
        open_browser: impl FnOnce(&Url) -> Result<(), String>,
        timeout: Duration,
    ) -> Result<(), AuthError> {
        let port = self.settings().redirect_port;
        let sign_outs = self.store.sign_outs();
        let listener_error = |e: std::io::Error| AuthError::Listener {
            port,
            reason: e.to_string(),
        };
        let attempt = pending::begin(self.gate);
        // Bind before the browser opens so the redirect can never race the listener.
        let listener = bind_handing_over(port).await.map_err(listener_error)?;
        let port = listener.local_addr().map_err(listener_error)?.port();
        let client = self.oauth_client()?.set_redirect_uri(
            RedirectUrl::new(format!("http://127.0.0.1:{port}/callback"))
                .map_err(|_| AuthError::BadAccountsUrl)?,
        );
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state) = client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(SCOPES.map(|s| Scope::new(s.to_string())))
            .set_pkce_challenge(challenge)
            .url();
        open_browser(&url).map_err(AuthError::Browser)?;
        let code = tokio::select! {
            code = tokio::time::timeout(timeout, callback::wait_for_code(&listener, state.secret())) => {
                code.map_err(|_| AuthError::Timeout)??
            }
            () = attempt.cancelled() => {
                tracing::info!("sign-in cancelled");
                return Err(AuthError::Cancelled);
            }
        };
        drop(listener);
        drop(attempt);

        let response = self
            .token_request(
                client
                    .exchange_code(AuthorizationCode::new(code))
                    .set_pkce_verifier(verifier)
                    .request_async(&AccountsHttp(&self.http)),
            )
            .await
            .map_err(|e| match e {
                TokenFailure::InvalidGrant | TokenFailure::Refused(_) => AuthError::Exchange,
                TokenFailure::Other(e) => e,
            })?;
        let refresh_token = response
            .refresh_token()
            .and_then(|r| Secret::new(r.secret().as_str()))
            .ok_or(AuthError::BadResponse)?;
        let tokens = tokens_from(&response, refresh_token)?;
        if !self.store.save_unless_signed_out(&tokens, sign_outs)? {
            // Signed out while the browser was away: that choice stands.
            return Err(AuthError::Cancelled);
        }
        *self.lock() = Some(tokens);
        self.sign_outs.store(sign_outs, Ordering::SeqCst);
        *self.unreadable_lock() = None;
        tracing::info!("signed in to Spotify");
        Ok(())
    }

    /// A usable access token, refreshed first when it expires within a minute.
    pub async fn access_token(&self) -> Result<Secret, AuthError> {
        let current = self.current().ok_or(AuthError::NotLoggedIn)?;
        if !current.expires_within(REFRESH_MARGIN) {
            return Ok(current.access_token);
        }
        self.refresh(&current.access_token).await
    }

    /// A new access token after the Web API rejected `rejected` with 401. If another caller has
    /// already replaced it, that token is returned without another refresh.
    pub async fn refresh_after_unauthorized(&self, rejected: &Secret) -> Result<Secret, AuthError> {
        self.refresh(rejected).await
    }

    /// Forgets and deletes the tokens, and ends a sign-in waiting for the browser. Nothing
    /// obtained before (a refresh in flight, another session on the same store) is saved after.
    pub fn logout(&self) -> Result<(), AuthError> {
        self.cancel_login();
        *self.lock() = None;
        self.store.delete()
    }

    async fn refresh(&self, stale: &Secret) -> Result<Secret, AuthError> {
        let _flight = self.refresh_lock.lock().await;
        let current = self.current().ok_or(AuthError::NotLoggedIn)?;
        if current.access_token != *stale && !current.expires_within(REFRESH_MARGIN) {
            return Ok(current.access_token);
        }
        let client = self.oauth_client()?;
        let refresh_token = RefreshToken::new(current.refresh_token.expose().to_string());
        let result = self
            .token_request(
                client
                    .exchange_refresh_token(&refresh_token)
                    .request_async(&AccountsHttp(&self.http)),
            )
            .await;
        let response = match result {
            Ok(response) => response,
            Err(TokenFailure::InvalidGrant) => {
                // The refresh token is dead (revoked, or past its six months): only a new login
                // helps. Nothing else signs the user out.
                if let Err(error) = self.logout() {
                    tracing::warn!(%error, "could not delete rejected Spotify tokens");
                }
                tracing::info!("Spotify refresh token rejected; signed out");
                return Err(AuthError::SessionExpired);
            }
            Err(TokenFailure::Refused(code)) => {
                tracing::warn!(%code, "Spotify refused a token refresh; keeping the session");
                return Err(AuthError::Refused(code));
            }
            Err(TokenFailure::Other(e)) => {
                tracing::info!(
                    kind = %crate::Kinded::kind(&e),
                    "token refresh failed; keeping the session"
                );
                return Err(e);
            }
        };
        // Spotify may rotate the refresh token; keep the old one when it does not.
        let refresh_token = response
            .refresh_token()
            .and_then(|r| Secret::new(r.secret().as_str()))
            .unwrap_or(current.refresh_token);
        let mut tokens = tokens_from(&response, refresh_token)?;
        // A refresh does not extend the sign-in: its six months still count from the first.
        tokens.signed_in_at = current.signed_in_at;
        let sign_outs = self.sign_outs.load(Ordering::SeqCst);
        match self.store.save_unless_signed_out(&tokens, sign_outs) {
            Ok(true) => {}
            Ok(false) => {
                // Signed out while the refresh was in flight: stay signed out.
                *self.lock() = None;
                return Err(AuthError::NotLoggedIn);
            }
            // The session keeps working from memory; only the next app start needs a login.
            Err(error) => tracing::warn!(%error, "could not save refreshed Spotify tokens"),
        }
        let mut held = self.lock();
        if held.is_none() {
            return Err(AuthError::NotLoggedIn);
        }
        *held = Some(tokens.clone());
        Ok(tokens.access_token)
    }

    fn oauth_client(&self) -> Result<OAuthClient, AuthError> {
        let settings = self.settings();
        let id = settings.client_id.trim();
        if id.is_empty() {
            return Err(AuthError::NotConfigured);
        }
        let base = settings.accounts_base_url.as_str().trim_end_matches('/');
        let auth_url = AuthUrl::new(format!("{base}/authorize"));
        let token_url = TokenUrl::new(format!("{base}/api/token"));
        let (Ok(auth_url), Ok(token_url)) = (auth_url, token_url) else {
            return Err(AuthError::BadAccountsUrl);
        };
        let mut client = BasicClient::new(ClientId::new(id.to_string()))
            .set_auth_uri(auth_url)
            .set_token_uri(token_url);
        if let Some(secret) = &settings.client_secret {
            client = client.set_client_secret(ClientSecret::new(secret.expose().to_string()));
        }
        Ok(client)
    }

    /// Runs a token request with a time bound, sorting failures into `invalid_grant`, another
    /// OAuth refusal, and blips. Response bodies are never put into errors.
    async fn token_request(
        &self,
        request: impl Future<Output = Result<BasicTokenResponse, TokenRequestError>>,
    ) -> Result<BasicTokenResponse, TokenFailure> {
        match tokio::time::timeout(TOKEN_REQUEST_TIMEOUT, request).await {
            Err(_) => Err(TokenFailure::Other(AuthError::Network(None))),
            Ok(Ok(response)) => Ok(response),
            Ok(Err(RequestTokenError::ServerResponse(e))) => match e.error() {
                BasicErrorResponseType::InvalidGrant => Err(TokenFailure::InvalidGrant),
                other => Err(TokenFailure::Refused(other.to_string())),
            },
            Ok(Err(RequestTokenError::Request(AccountsHttpError::Unavailable(status)))) => {
                Err(TokenFailure::Other(AuthError::Unavailable { status }))
            }
            Ok(Err(RequestTokenError::Request(AccountsHttpError::Transport(e)))) => {
                Err(TokenFailure::Other(AuthError::Network(Some(Box::new(e)))))
            }
            Ok(Err(RequestTokenError::Request(AccountsHttpError::TooLarge))) => {
                Err(TokenFailure::Other(AuthError::BadResponse))
            }
            Ok(Err(RequestTokenError::Parse(..) | RequestTokenError::Other(_))) => {
                Err(TokenFailure::Other(AuthError::BadResponse))
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<Tokens>> {
        self.tokens.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn unreadable_lock(&self) -> MutexGuard<'_, Option<String>> {
        self.unreadable.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Binds the callback port; while a cancelled sign-in is still letting go of it, tries again
/// for up to [`PORT_HANDOVER`].
async fn bind_handing_over(port: u16) -> std::io::Result<TcpListener> {
    let start = std::time::Instant::now();
    loop {
        match TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
            Err(e)
                if e.kind() == std::io::ErrorKind::AddrInUse && start.elapsed() < PORT_HANDOVER =>
            {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            other => return other,
        }
    }
}

/// How a token request failed: the grant is dead, Spotify refused for another OAuth reason
/// (named by its error code), or anything else (blips, unreadable answers).
enum TokenFailure {
    InvalidGrant,
    Refused(String),
    Other(AuthError),
}

fn tokens_from(response: &BasicTokenResponse, refresh_token: Secret) -> Result<Tokens, AuthError> {
    let access_token =
        Secret::new(response.access_token().secret().as_str()).ok_or(AuthError::BadResponse)?;
    let lifetime = response.expires_in().unwrap_or(DEFAULT_LIFETIME);
    let scope = match response.scopes() {
        Some(scopes) => scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        None => SCOPES.join(" "),
    };
    Ok(Tokens::granted(
        access_token,
        refresh_token,
        lifetime,
        scope,
    ))
}

//! Fake Spotify: accounts service (`/authorize`, `/api/token`) and Web API (`/v1/...`) on one
//! loopback port, serving the deterministic [`library`], with knobs for tests.

mod accounts;
pub mod discography;
mod images;
pub mod library;
mod player;
mod saved;
mod webapi;

pub use player::{PlayerRequest, Queued};
pub use saved::LibraryRequest;

use crate::faults::Faults;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::collections::{HashMap, HashSet};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use url::Url;

/// Which generation of the Web API JSON the fake speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Shape {
    /// Development-mode apps since February 2026: `items`/`item`, no popularity/followers.
    #[default]
    Dev2026,
    /// Extended-quota apps and everything before 2026: `tracks`/`track`, all fields.
    Legacy,
}

/// What `GET /me/player/currently-playing` answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NowPlayingState {
    /// 204 No Content.
    Nothing,
    /// This track (a library track ID) is playing.
    Track(String),
    /// The library's podcast episode is playing.
    Episode,
    /// An advertisement (`currently_playing_type: "ad"`, null item).
    Ad,
    /// Something is playing but `item` is null.
    NullItem,
}

/// How to start a [`FakeSpotify`].
#[derive(Clone, Debug)]
pub struct FakeSpotifyOptions {
    /// Port on 127.0.0.1; `None` picks a free one.
    pub port: Option<u16>,
    /// Delay added to every Web API call (not to the accounts service).
    pub api_latency: Duration,
    /// Lifetime of issued access tokens, in seconds.
    pub access_token_ttl: u64,
    /// JSON generation to speak at start.
    pub shape: Shape,
    /// Client ID `/authorize` insists on; `None` accepts any non-empty one.
    pub client_id: Option<String>,
}

impl Default for FakeSpotifyOptions {
    fn default() -> Self {
        Self {
            port: None,
            api_latency: Duration::ZERO,
            access_token_ttl: 3600,
            shape: Shape::Dev2026,
            client_id: None,
        }
    }
}

/// A running fake Spotify; stops when dropped.
pub struct FakeSpotify {
    addr: SocketAddr,
    shared: Arc<Shared>,
    faults: Faults,
    server: JoinHandle<()>,
}

/// A token pair issued directly by [`FakeSpotify::issue_tokens`], bypassing the browser.
#[derive(Clone, Debug)]
pub struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: u64,
    pub scope: String,
}

/// State shared by the handlers and the controlling [`FakeSpotify`].
pub(crate) struct Shared {
    /// Root URL (`http://127.0.0.1:PORT`), used to build `href`s and image URLs.
    pub(crate) root: String,
    pub(crate) client_id: Option<String>,
    pub(crate) state: Mutex<State>,
    pub(crate) in_flight: AtomicUsize,
    pub(crate) peak_in_flight: AtomicUsize,
}

/// Mutable knobs, tokens and counters.
pub(crate) struct State {
    pub(crate) shape: Shape,
    pub(crate) now_playing: NowPlayingState,
    pub(crate) access_token_ttl: u64,
    pub(crate) api_latency: Duration,
    pub(crate) deny_consent: bool,
    pub(crate) reject_refresh: bool,
    /// Whether a refresh answer carries a new refresh token (Spotify's PKCE answers no longer do).
    pub(crate) rotate_refresh: bool,
    /// Spotify's 403 message for every Web API call, as when the account is not in the app's
    /// User Management list; `None` serves normally.
    pub(crate) app_refusal: Option<String>,
    /// Image lists start with a null-`url` entry and one of nonsense size, as seen in the wild.
    pub(crate) odd_images: bool,
    pub(crate) access_tokens: HashMap<String, Instant>,
    pub(crate) refresh_tokens: HashSet<String>,
    /// Authorization code -> (code_challenge, redirect_uri).
    pub(crate) codes: HashMap<String, (String, String)>,
    /// Authorization code -> the scopes its `/authorize` asked for.
    pub(crate) code_scopes: HashMap<String, String>,
    pub(crate) token_requests: usize,
    pub(crate) refresh_requests: usize,
    pub(crate) api_log: Vec<String>,
    /// The simulated player (`currently-playing` follows it once it plays).
    pub(crate) player: player::Player,
    /// Access and refresh token -> the scopes granted with it.
    pub(crate) scopes: HashMap<String, String>,
    /// Tokens are granted only the scopes of before playback control (an old sign-in).
    pub(crate) old_scopes: bool,
    /// The user's saved items and the `/me/library` requests seen.
    pub(crate) saved: saved::SavedLibrary,
}

impl Shared {
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        // A panicking handler must not poison the fake for the rest of a test.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl State {
    /// Whether `token` was granted `scope` (Spotify answers 403 "Insufficient client scope").
    pub(crate) fn grants(&self, token: &str, scope: &str) -> bool {
        self.scopes
            .get(token)
            .is_some_and(|granted| granted.split(' ').any(|s| s == scope))
    }

    /// Mints a fresh access/refresh token pair granting `requested` (as far as the fake
    /// grants it, see [`accounts::grant`]) and remembers both.
    pub(crate) fn issue(&mut self, requested: &str) -> IssuedTokens {
        let scope = accounts::grant(requested, self.old_scopes);
        let refresh_token = format!("fake-refresh-{:016x}", rand::random::<u64>());
        self.refresh_tokens.insert(refresh_token.clone());
        self.scopes.insert(refresh_token.clone(), scope.clone());
        IssuedTokens {
            access_token: self.issue_access(&scope),
            refresh_token,
            expires_in: self.access_token_ttl,
            scope,
        }
    }

    /// Mints a fresh access token alone with `scope` (what a refresh gives a PKCE client today).
    pub(crate) fn issue_access(&mut self, scope: &str) -> String {
        let access_token = format!("fake-access-{:016x}", rand::random::<u64>());
        let expires_at = Instant::now() + Duration::from_secs(self.access_token_ttl);
        self.access_tokens.insert(access_token.clone(), expires_at);
        self.scopes.insert(access_token.clone(), scope.to_string());
        access_token
    }
}

impl FakeSpotify {
    /// Binds 127.0.0.1 (on `options.port` or a free port) and serves until dropped.
    pub async fn start(options: FakeSpotifyOptions) -> std::io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, options.port.unwrap_or(0))).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            root: format!("http://{addr}"),
            client_id: options.client_id,
            state: Mutex::new(State {
                shape: options.shape,
                now_playing: NowPlayingState::Track(library::MULTI_ARTIST_TRACK_ID.into()),
                access_token_ttl: options.access_token_ttl,
                api_latency: options.api_latency,
                deny_consent: false,
                reject_refresh: false,
                rotate_refresh: false,
                app_refusal: None,
                odd_images: false,
                access_tokens: HashMap::new(),
                refresh_tokens: HashSet::new(),
                codes: HashMap::new(),
                code_scopes: HashMap::new(),
                token_requests: 0,
                refresh_requests: 0,
                api_log: Vec::new(),
                player: player::Player::default(),
                scopes: HashMap::new(),
                old_scopes: false,
                saved: saved::SavedLibrary::default(),
            }),
            in_flight: AtomicUsize::new(0),
            peak_in_flight: AtomicUsize::new(0),
        });
        let faults = Faults::default();
        let app = Router::new()
            .merge(
                accounts::router(shared.clone())
                    .layer(from_fn_with_state(faults.clone(), crate::faults::inject)),
            )
            .nest("/v1", webapi::router(shared.clone(), faults.clone()))
            .route("/images/{file}", get(image));
        let server = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "fake Spotify stopped");
            }
        });
        Ok(Self {
            addr,
            shared,
            faults,
            server,
        })
    }

    /// Root of `/authorize` and `/api/token`, e.g. `http://127.0.0.1:PORT`.
    pub fn accounts_base_url(&self) -> Url {
        Url::parse(&self.shared.root).expect("root URL is valid")
    }

    /// Root of the Web API, e.g. `http://127.0.0.1:PORT/v1`.
    pub fn api_base_url(&self) -> Url {
        Url::parse(&format!("{}/v1", self.shared.root)).expect("API URL is valid")
    }

    /// The socket address the fake listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Fault rules applied to Web API and accounts (`/api/token`) requests.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Switches the JSON generation served from now on.
    pub fn set_shape(&self, shape: Shape) {
        self.shared.state().shape = shape;
    }

    /// Sets what the currently-playing endpoint answers.
    pub fn set_now_playing(&self, now_playing: NowPlayingState) {
        let mut state = self.shared.state();
        state.player.clear();
        state.now_playing = now_playing;
    }

    /// Lifetime in seconds of access tokens issued from now on.
    pub fn set_access_token_ttl(&self, secs: u64) {
        self.shared.state().access_token_ttl = secs;
    }

    /// Delay added to every Web API call from now on.
    pub fn set_api_latency(&self, latency: Duration) {
        self.shared.state().api_latency = latency;
    }

    /// Invalidates every access token issued so far (the next API call gets 401).
    pub fn revoke_access_tokens(&self) {
        self.shared.state().access_tokens.clear();
    }

    /// When true, every refresh-token grant fails with `invalid_grant`.
    pub fn reject_refresh_tokens(&self, reject: bool) {
        self.shared.state().reject_refresh = reject;
    }

    /// When true, refresh answers carry a new refresh token and retire the old one (as older
    /// Spotify answers did); by default they carry none and the old one stays valid.
    pub fn rotate_refresh_tokens(&self, rotate: bool) {
        self.shared.state().rotate_refresh = rotate;
    }

    /// Makes every Web API call answer 403 with Spotify's `message` (as for an account missing
    /// from a Development Mode app's User Management list); `None` serves normally again.
    pub fn refuse_app(&self, message: Option<&str>) {
        self.shared.state().app_refusal = message.map(str::to_string);
    }

    /// Serves image lists that start with a null-`url` image and one of nonsense size.
    pub fn set_odd_images(&self, odd: bool) {
        self.shared.state().odd_images = odd;
    }

    /// When true, `/authorize` redirects back with `error=access_denied`.
    pub fn deny_consent(&self, deny: bool) {
        self.shared.state().deny_consent = deny;
    }

    /// Issues a valid token pair without the browser flow (for test and benchmark setup),
    /// granting every scope the app asks for today (unless [`Self::grant_old_scopes`]).
    pub fn issue_tokens(&self) -> IssuedTokens {
        self.shared.state().issue(accounts::ALL_SCOPES)
    }

    /// When true, sign-ins and issued tokens get only the scopes of before playback control
    /// and the library (a sign-in from an older version of the app), whatever was asked.
    pub fn grant_old_scopes(&self, old: bool) {
        self.shared.state().old_scopes = old;
    }

    /// Number of `POST /api/token` requests (any grant type).
    pub fn token_requests(&self) -> usize {
        self.shared.state().token_requests
    }

    /// Number of `refresh_token` grants requested.
    pub fn refresh_requests(&self) -> usize {
        self.shared.state().refresh_requests
    }

    /// Number of Web API requests whose path and query contain `path_contains` (`""` = all).
    pub fn api_requests(&self, path_contains: &str) -> usize {
        let state = self.shared.state();
        state
            .api_log
            .iter()
            .filter(|p| p.contains(path_contains))
            .count()
    }

    /// Highest number of Web API requests seen in flight at once.
    pub fn max_concurrent_api_requests(&self) -> usize {
        self.shared.peak_in_flight.load(Ordering::SeqCst)
    }
}

impl Drop for FakeSpotify {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// `GET /images/{name}.png`: a tiny PNG for any name, so image URLs work offline.
async fn image(Path(file): Path<String>) -> Response {
    match file.strip_suffix(".png") {
        Some(name) => ([(header::CONTENT_TYPE, "image/png")], images::png(name)).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

//! The facade the Tauri commands call: one method per user action, each wiring config,
//! session, Spotify client, insight pipeline and cache together. This file composes the
//! services; the actions live in one file per area below `app/`.

use crate::auth::{AuthError, AuthSettings, Session, TokenStore};
use crate::cache::Cache;
use crate::config::{Config, ConfigError, DotenvUse, Loaded, SettingsFileError};
use crate::insight::{InsightError, InsightService, LlmClient};
use crate::lyrics::LyricsService;
use crate::memo::Memo;
use crate::spotify::{SpotifyClient, SpotifyError, TrackMemo};
use crate::vault::VaultError;
use crate::{ErrorKind, ErrorScope, Kinded};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use ts_rs::TS;
use url::Url;

mod find;
mod insights;
mod library;
mod lyrics;
mod model_status;
mod pages;
mod playback;
mod secrets;

use model_status::ModelList;
pub use model_status::ModelStatus;
pub use pages::PagePart;

/// What [`Services::rebuild`] hands from the old services to the new.
struct Carried {
    http: reqwest::Client,
    cache: Cache,
    tokens: TokenStore,
    notices: Vec<String>,
    tracks: Arc<TrackMemo>,
}

/// How long before the sign-in ends the page starts offering to renew it.
const RENEW_NOTICE: Duration = Duration::from_secs(7 * 24 * 3600);

/// How long sign-in waits for the browser to come back.
const LOGIN_TIMEOUT: Duration = Duration::from_secs(300);

/// Every way a user action can fail.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No Spotify client ID configured.
    #[error("Spotify Plus is not set up yet: add your Spotify client ID in Settings.")]
    NotConfigured,
    /// Sign-in and tokens.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// The Spotify Web API.
    #[error(transparent)]
    Spotify(#[from] SpotifyError),
    /// The model server or the cache.
    #[error(transparent)]
    Insight(#[from] InsightError),
    /// A setting.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The secrets store.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// The settings file.
    #[error(transparent)]
    Settings(#[from] SettingsFileError),
    /// The insight cache.
    #[error(transparent)]
    Cache(#[from] crate::cache::CacheError),
    /// LRCLIB, or lyrics the track does not have.
    #[error(transparent)]
    Lyrics(crate::lyrics::LyricsError),
    /// The keyring did not answer within the overall bound of a settings change or sign-out.
    #[error("The system keyring has not answered for {} s: unlock it (it may be asking for your password), then try again. The change may still be made once it answers.", crate::state::KEYRING_BOUND.as_secs())]
    KeyringTimeout,
    /// The app is still reading its settings and secrets.
    #[error(
        "Spotify Plus is still starting (waiting for the system keyring); try again in a moment."
    )]
    Starting,
}

impl Kinded for AppError {
    fn kind(&self) -> ErrorKind {
        match self {
            AppError::NotConfigured => ErrorKind::NotConfigured,
            AppError::Auth(e) => e.kind(),
            AppError::Spotify(e) => e.kind(),
            AppError::Insight(e) => e.kind(),
            AppError::Config(e) => e.kind(),
            AppError::Vault(e) => e.kind(),
            AppError::Settings(e) => e.kind(),
            AppError::Cache(e) => e.kind(),
            AppError::Lyrics(e) => e.kind(),
            AppError::KeyringTimeout | AppError::Starting => ErrorKind::SecretStore,
        }
    }

    fn scope(&self) -> ErrorScope {
        match self {
            AppError::NotConfigured => ErrorScope::Page,
            AppError::Auth(e) => e.scope(),
            AppError::Spotify(e) => e.scope(),
            AppError::Insight(e) => e.scope(),
            AppError::Config(e) => e.scope(),
            AppError::Vault(e) => e.scope(),
            AppError::Settings(e) => e.scope(),
            AppError::Cache(e) => e.scope(),
            AppError::Lyrics(e) => e.scope(),
            AppError::KeyringTimeout | AppError::Starting => ErrorScope::Page,
        }
    }
}

/// Which screen the UI shows, with what it should tell the user once.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// `starting` (reading settings and secrets), `setup` (no client ID), `login` (signed out),
    /// `keyring` (the saved sign-in could not be
    /// read: the keyring is locked or slow) or `ready`.
    pub state: &'static str,
    /// Why the saved sign-in could not be read, when `state` is `keyring`.
    pub keyring_problem: Option<String>,
    /// When the user must sign in again (Spotify's refresh tokens last six months from the
    /// sign-in), in seconds since the Unix epoch, if known.
    #[ts(type = "number | null")]
    pub sign_in_expires_at: Option<u64>,
    /// The sign-in ends within a week (or has): the page offers, quietly, to sign in again.
    pub renew_sign_in: bool,
    /// The redirect URI to register with Spotify.
    pub redirect_uri: String,
    /// Settings that were ignored because they were unusable.
    pub problems: Vec<String>,
    /// Things worth knowing, e.g. a corrupt cache that was moved aside.
    pub notices: Vec<String>,
    /// Whether an OpenAI key is configured.
    pub has_openai_key: bool,
    /// The chat model in use.
    pub model: String,
}

/// The running core: built from a configuration and a data folder.
pub struct Services {
    config: Config,
    problems: Vec<String>,
    from_dotenv: Option<DotenvUse>,
    http: reqwest::Client,
    tokens: TokenStore,
    session: Option<Arc<Session>>,
    spotify: Option<SpotifyClient>,
    insights: InsightService,
    lyrics: LyricsService,
    tracks: Arc<TrackMemo>,
    /// The server's model list, read once per settings (a failure only for a minute).
    models: Memo<(), ModelList>,
    /// Notices raised after start (e.g. the model picked), shown by the next status once.
    late_notices: Mutex<Vec<String>>,
    /// Stands in while the settings and secrets are read (see [`Services::starting`]).
    starting: bool,
}

impl Services {
    /// Services that stand in while the app reads its settings and secrets: no session, an
    /// in-memory cache; the status says `starting`.
    pub fn starting(loaded: Loaded) -> Self {
        let carried = Carried {
            http: reqwest::Client::new(),
            cache: Cache::in_memory().expect("an in-memory SQLite database"),
            tokens: TokenStore::new(PathBuf::new()),
            notices: Vec::new(),
            tracks: Arc::default(),
        };
        let mut services = Self::assemble(loaded, carried, None);
        services.session = None;
        services.spotify = None;
        services.starting = true;
        services
    }

    /// Starts the services with the secrets store `Vault::open` picks for `data_dir`; problems
    /// with the cache become notices, never a failure.
    pub fn start(loaded: Loaded, data_dir: &Path) -> Self {
        let vault = crate::vault::Vault::open(loaded.config.secret_store, data_dir);
        Self::start_with(loaded, data_dir, &vault)
    }

    /// Starts the services with the tokens of `vault`.
    pub fn start_with(loaded: Loaded, data_dir: &Path, vault: &crate::vault::Vault) -> Self {
        let http = crate::net::client_builder()
            .user_agent(concat!("SpotifyPlus/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            // The token endpoint must not be followed through redirects (oauth2's advice).
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client with default TLS settings");
        let mut notices = Vec::new();
        let cache = match Cache::open(&data_dir.join(crate::data_dir::CACHE_FILE)) {
            Ok(opened) => {
                notices.extend(opened.notice);
                opened.cache
            }
            Err(error) => {
                notices.push(format!(
                    "{error} Insights will still be shown, but not saved until this is fixed."
                ));
                Cache::in_memory().expect("an in-memory SQLite database")
            }
        };
        let carried = Carried {
            http,
            cache,
            tokens: TokenStore::open(vault),
            notices,
            tracks: Arc::default(),
        };
        Self::assemble(loaded, carried, None)
    }

    /// The services for new settings. What must survive a Settings save is kept: the session
    /// (with a sign-in waiting for the browser, which lands in the new services) when the
    /// Spotify app is the same, Spotify's rate-limit ban on that app, the user and track memos,
    /// the cache and its connection, and notices not yet shown.
    pub fn rebuild(&self, loaded: Loaded) -> Self {
        let carried = Carried {
            http: self.http.clone(),
            cache: self.insights.cache().clone(),
            tokens: self.tokens.clone(),
            notices: self.take_notices(),
            tracks: self.tracks.clone(),
        };
        Self::assemble(loaded, carried, Some(self))
    }

    fn assemble(loaded: Loaded, carried: Carried, previous: Option<&Services>) -> Self {
        let Loaded {
            config,
            problems,
            from_dotenv,
        } = loaded;
        let Carried {
            http,
            cache,
            tokens,
            notices,
            tracks,
        } = carried;
        let llm = LlmClient::new(
            http.clone(),
            config.openai_base_url.clone(),
            config.openai_api_key.clone(),
            config.openai_model.clone(),
        );
        let old_session = previous.and_then(|p| p.session.clone());
        let session = config.client_id.clone().map(|client_id| {
            let auth = AuthSettings {
                client_id,
                client_secret: config.client_secret.clone(),
                accounts_base_url: config.spotify_accounts_base_url.clone(),
                redirect_port: config.redirect_port,
            };
            match old_session.as_ref().filter(|old| old.same_app(&auth)) {
                Some(old) => {
                    old.adopt(auth);
                    old.clone()
                }
                None => Arc::new(Session::new(auth, tokens.clone(), http.clone())),
            }
        });
        if let Some(old) = &old_session {
            if !session.as_ref().is_some_and(|s| Arc::ptr_eq(s, old)) {
                // Another Spotify app: a sign-in begun for the old one cannot land here.
                old.cancel_login();
            }
        }
        let old_spotify = previous.and_then(|p| p.spotify.as_ref());
        let spotify = session.clone().map(|session| {
            let client =
                SpotifyClient::new(http.clone(), config.spotify_api_base_url.clone(), session);
            match old_spotify {
                Some(old) => client.carrying(old),
                None => client,
            }
        });
        Self {
            problems: problems.iter().map(ToString::to_string).collect(),
            lyrics: LyricsService::new(config.lrclib_base_url.clone(), cache.clone()),
            insights: InsightService::new(cache.in_language(&config.facts.language), llm)
                .grounded(&config.facts),
            config,
            from_dotenv,
            http,
            tokens,
            session,
            spotify,
            tracks,
            models: Memo::new(1, model_status::keep_models),
            late_notices: Mutex::new(notices),
            starting: false,
        }
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Whether a Spotify session exists.
    pub fn is_logged_in(&self) -> bool {
        self.session.as_ref().is_some_and(|s| s.is_logged_in())
    }

    /// Which screen to show.
    pub fn status(&self) -> Status {
        let sign_in_expires_at = self.session.as_ref().and_then(|s| s.sign_in_expires_at());
        let state = match &self.session {
            _ if self.starting => "starting",
            None => "setup",
            Some(s) if s.is_logged_in() => "ready",
            Some(s) if s.unreadable().is_some() => "keyring",
            Some(_) => "login",
        };
        Status {
            state,
            redirect_uri: self.config.redirect_uri(),
            problems: self.problems.clone(),
            keyring_problem: self.session.as_ref().and_then(|s| s.unreadable()),
            sign_in_expires_at,
            renew_sign_in: sign_in_expires_at
                .is_some_and(|at| crate::auth::now_unix() + RENEW_NOTICE.as_secs() >= at),
            notices: self.take_notices(),
            has_openai_key: self.config.openai_api_key.is_some(),
            model: self.config.openai_model.clone(),
        }
    }

    /// Signs in: `open_browser` shows Spotify's consent page.
    pub async fn login(
        &self,
        open_browser: impl FnOnce(&Url) -> Result<(), String>,
    ) -> Result<(), AppError> {
        let session = self.session.as_ref().ok_or(AppError::NotConfigured)?;
        Ok(session.login(open_browser, LOGIN_TIMEOUT).await?)
    }

    /// Reads the saved sign-in again after the keyring did not answer; true when it could.
    pub fn retry_keyring(&self) -> bool {
        self.session.as_ref().is_none_or(|s| s.reload())
    }

    /// Deletes every token and session datum.
    pub fn logout(&self) -> Result<(), AppError> {
        if let Some(session) = &self.session {
            session.logout()?;
        }
        if let Some(spotify) = &self.spotify {
            spotify.forget_user();
        }
        self.tracks.clear();
        Ok(())
    }

    fn spotify(&self) -> Result<&SpotifyClient, AppError> {
        self.spotify.as_ref().ok_or(AppError::NotConfigured)
    }

    /// The settings a `.env` file supplied, for Settings to name.
    pub fn from_dotenv(&self) -> Option<&DotenvUse> {
        self.from_dotenv.as_ref()
    }

    /// The notices not yet shown (they move to the services that replace these).
    pub fn take_notices(&self) -> Vec<String> {
        self.late_notices
            .lock()
            .expect("notices")
            .drain(..)
            .collect()
    }

    /// Deletes every insight, fact and lyric kept in the cache (what the user listened to).
    pub fn clear_cache(&self) -> Result<(), AppError> {
        Ok(self.insights.cache().clear()?)
    }

    /// Adds a notice for the next [`Services::status`].
    pub fn notify(&self, notice: String) {
        self.late_notices.lock().expect("notices").push(notice);
    }
}

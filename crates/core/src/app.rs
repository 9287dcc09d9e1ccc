//! The facade the Tauri commands call: one method per user action, each wiring config,
//! session, Spotify client, insight pipeline and cache together. This file composes the
//! services; the actions live in one file per area below `app/`.

use crate::auth::{AuthError, AuthSettings, Session, TokenStore};
use crate::cache::Cache;
use crate::config::{Config, ConfigError, Loaded};
use crate::insight::{InsightError, InsightService, LlmClient};
use crate::spotify::{SpotifyClient, SpotifyError, TrackMemo};
use crate::{ErrorKind, ErrorScope, Kinded};
use serde::Serialize;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use ts_rs::TS;
use url::Url;

mod find;
mod insights;
mod library;
mod model_status;
mod playback;
mod secrets;

use model_status::ModelList;
pub use model_status::ModelStatus;

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
}

impl Kinded for AppError {
    fn kind(&self) -> ErrorKind {
        match self {
            AppError::NotConfigured => ErrorKind::NotConfigured,
            AppError::Auth(e) => e.kind(),
            AppError::Spotify(e) => e.kind(),
            AppError::Insight(e) => e.kind(),
            AppError::Config(e) => e.kind(),
        }
    }

    fn scope(&self) -> ErrorScope {
        match self {
            AppError::NotConfigured => ErrorScope::Page,
            AppError::Auth(e) => e.scope(),
            AppError::Spotify(e) => e.scope(),
            AppError::Insight(e) => e.scope(),
            AppError::Config(e) => e.scope(),
        }
    }
}

/// Which screen the UI shows, with what it should tell the user once.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// `setup` (no client ID), `login` (signed out) or `ready`.
    pub state: &'static str,
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
    notices: Vec<String>,
    session: Option<Arc<Session>>,
    spotify: Option<SpotifyClient>,
    insights: InsightService,
    tracks: TrackMemo,
    /// The server's model list, read once per settings (a failure only for a minute).
    models: tokio::sync::Mutex<Option<(Instant, ModelList)>>,
    /// Notices raised after start (e.g. the model picked), shown by the next status once.
    late_notices: Mutex<Vec<String>>,
}

impl Services {
    /// Starts the services; problems with the cache become notices, never a failure.
    pub fn start(loaded: Loaded, data_dir: &Path) -> Self {
        let Loaded { config, problems } = loaded;
        let http = crate::net::client_builder()
            .user_agent(concat!("SpotifyPlus/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            // The token endpoint must not be followed through redirects (oauth2's advice).
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client with default TLS settings");
        let mut notices = Vec::new();
        let cache = match Cache::open(&data_dir.join("insights.sqlite3")) {
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
        let llm = LlmClient::new(
            http.clone(),
            config.openai_base_url.clone(),
            config.openai_api_key.clone(),
            config.openai_model.clone(),
        );
        let session = config.client_id.clone().map(|client_id| {
            Arc::new(Session::new(
                AuthSettings {
                    client_id,
                    client_secret: config.client_secret.clone(),
                    accounts_base_url: config.spotify_accounts_base_url.clone(),
                    redirect_port: config.redirect_port,
                },
                TokenStore::open(&crate::vault::Vault::open(config.secret_store, data_dir)),
                http.clone(),
            ))
        });
        let spotify = session.clone().map(|session| {
            SpotifyClient::new(http.clone(), config.spotify_api_base_url.clone(), session)
        });
        Self {
            problems: problems.iter().map(ToString::to_string).collect(),
            notices,
            insights: InsightService::new(cache, llm).grounded(&config.facts),
            config,
            session,
            spotify,
            tracks: TrackMemo::default(),
            models: tokio::sync::Mutex::new(None),
            late_notices: Mutex::new(Vec::new()),
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
        let state = match &self.session {
            None => "setup",
            Some(s) if s.is_logged_in() => "ready",
            Some(_) => "login",
        };
        Status {
            state,
            redirect_uri: self.config.redirect_uri(),
            problems: self.problems.clone(),
            notices: self
                .notices
                .iter()
                .cloned()
                .chain(self.late_notices.lock().expect("notices").drain(..))
                .collect(),
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

    /// Adds a notice for the next [`Services::status`].
    pub fn notify(&self, notice: String) {
        self.late_notices.lock().expect("notices").push(notice);
    }
}

//! The facade the Tauri commands call: one method per user action, each wiring config,
//! session, Spotify client, insight pipeline and cache together.

use crate::auth::{AuthError, AuthSettings, Session, TokenStore};
use crate::cache::Cache;
use crate::config::{Config, ConfigError, Loaded};
use crate::facts::Lookup;
use crate::insight::{
    models, Insight, InsightError, InsightEvent, InsightKind, InsightService, LlmClient,
    ModelChoice, ModelInfo, Subject,
};
use crate::spotify::models::{Artist, NowPlaying, Page, PlaylistSummary, Track};
use crate::spotify::{
    ArtistId, PlaylistId, PlaylistPage, SpotifyClient, SpotifyError, TrackId, TrackMemo,
};
use crate::{ErrorKind, ErrorScope, Kinded, UiError};
use serde::Serialize;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use ts_rs::TS;
use url::Url;

/// How long sign-in waits for the browser to come back.
const LOGIN_TIMEOUT: Duration = Duration::from_secs(300);
/// How long a failed `/models` read is remembered before the next caller asks again (each
/// insight card asks, and an unreachable server should not be asked twice per page).
const MODELS_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The server's answer to `GET /models`.
type ModelList = Result<Vec<ModelInfo>, InsightError>;

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

/// What Settings and the insight cards show about the model in use.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ModelStatus {
    /// The model in use.
    pub model: String,
    /// No model is configured: `model` is the fallback until one is picked.
    pub unset: bool,
    /// When the provider shuts the model in use down, exactly as `/models` gave it.
    pub shutdown_date: Option<String>,
    /// A model without a shutdown date to switch to, when the one in use has a date or is not
    /// offered at all.
    pub suggestion: Option<String>,
    /// Every model the server offers, with its shutdown date.
    pub models: Vec<ModelInfo>,
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
        let http = reqwest::Client::builder()
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
                TokenStore::new(data_dir.join("tokens.json")),
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

    /// What is playing now, if anything.
    pub async fn now_playing(&self) -> Result<Option<NowPlaying>, AppError> {
        Ok(self.spotify()?.currently_playing().await?)
    }

    /// One page of the user's playlists.
    pub async fn playlists(&self, offset: u32) -> Result<Page<PlaylistSummary>, AppError> {
        Ok(self.spotify()?.playlists(offset).await?)
    }

    /// A playlist and one page of its items, or why Spotify withholds them.
    pub async fn playlist(&self, id: &PlaylistId, offset: u32) -> Result<PlaylistPage, AppError> {
        Ok(self.spotify()?.playlist_page(id, offset).await?)
    }

    /// How long Spotify still bans this app's calls, if it does (the poller sleeps it out).
    pub fn spotify_blocked_for(&self) -> Option<Duration> {
        self.spotify.as_ref().and_then(SpotifyClient::blocked_for)
    }

    /// A track's details, from the memo when it was fetched in the last few minutes; concurrent
    /// first asks for the same track share one Spotify call.
    pub async fn track(&self, id: &TrackId) -> Result<Track, AppError> {
        Ok(self.tracks.track(self.spotify()?, id).await?)
    }

    /// An artist's details.
    pub async fn artist(&self, id: &ArtistId) -> Result<Artist, AppError> {
        Ok(self.spotify()?.artist(id).await?)
    }

    /// Both insights of a track page, concurrently, each ending its stream with `Failed` when it
    /// cannot be written; the outer error is about the track itself.
    pub async fn track_insights(
        &self,
        id: &TrackId,
        regenerate: Option<InsightKind>,
        on_track: impl Fn(InsightEvent) + Send + Sync + 'static,
        on_artists: impl Fn(InsightEvent) + Send + Sync + 'static,
    ) -> Result<(Result<(), AppError>, Result<(), AppError>), AppError> {
        let track = self.track(id).await?;
        let (a, b) = tokio::join!(
            self.stream(
                Subject::from(&track),
                Some(Lookup::track(&track)),
                regenerate == Some(InsightKind::Track),
                on_track
            ),
            self.stream(
                Subject::artists_of(&track),
                Some(Lookup::artists(&track)),
                regenerate == Some(InsightKind::TrackArtists),
                on_artists
            ),
        );
        Ok((
            a.map(drop).map_err(Into::into),
            b.map(drop).map_err(Into::into),
        ))
    }

    /// Regenerates one of a track page's insights. A failure to write it ends the stream with
    /// `Failed`; the error returned is about the track itself.
    pub async fn track_insight(
        &self,
        id: &TrackId,
        kind: InsightKind,
        sink: impl Fn(InsightEvent) + Send + Sync + 'static,
    ) -> Result<(), AppError> {
        let track = self.track(id).await?;
        let (subject, lookup) = match kind {
            InsightKind::TrackArtists => (Subject::artists_of(&track), Lookup::artists(&track)),
            _ => (Subject::from(&track), Lookup::track(&track)),
        };
        let _ = self.stream(subject, Some(lookup), true, sink).await;
        Ok(())
    }

    /// Streams one insight into `sink`, ending with [`InsightEvent::Failed`] when it cannot be
    /// written, so the page learns every outcome from the one stream.
    async fn stream(
        &self,
        subject: Subject,
        lookup: Option<Lookup>,
        regenerate: bool,
        sink: impl Fn(InsightEvent) + Send + Sync + 'static,
    ) -> Result<Insight, InsightError> {
        let sink = Arc::new(sink);
        let events = sink.clone();
        let result = self
            .insights
            .get_grounded(subject, lookup, regenerate, move |event| events(event))
            .await;
        if let Err(error) = &result {
            sink(InsightEvent::Failed {
                error: UiError::from(error),
            });
        }
        result
    }

    /// Fetches a track's insights in the background; returns the track insight for the tray.
    pub async fn prefetch_track_insights(&self, id: &TrackId) -> Result<Insight, AppError> {
        let track = self.track(id).await?;
        let (track_insight, _) = tokio::join!(
            self.insights.get_grounded(
                Subject::from(&track),
                Some(Lookup::track(&track)),
                false,
                |_| {}
            ),
            self.insights.get_grounded(
                Subject::artists_of(&track),
                Some(Lookup::artists(&track)),
                false,
                |_| {}
            ),
        );
        Ok(track_insight?)
    }

    /// An artist page's insight; `regenerate` replaces the saved one. A failure to write it ends
    /// the stream with `Failed`; the error returned is about the artist itself.
    pub async fn artist_insight(
        &self,
        id: &ArtistId,
        regenerate: bool,
        sink: impl Fn(InsightEvent) + Send + Sync + 'static,
    ) -> Result<(), AppError> {
        // Facts need only the Spotify ID: they start while Spotify is asked for the artist.
        let lookup = Lookup::artist(id.clone());
        let key = id.as_str().to_string();
        self.insights
            .warm_facts(InsightKind::Artist, key, lookup.clone(), regenerate)
            .await;
        let artist = self.artist(id).await?;
        let subject = Subject::Artist {
            id: artist.id,
            name: artist.name,
        };
        let _ = self.stream(subject, Some(lookup), regenerate, sink).await;
        Ok(())
    }

    /// Model names offered by the configured server.
    pub async fn list_models(&self) -> Result<Vec<String>, AppError> {
        Ok(self.insights.list_models().await?)
    }

    /// The background fetch of the playing track's insights, if the user's setting allows it
    /// now: it sends their listening to the model server and costs money. `None` when skipped.
    pub async fn background_track_insights(
        &self,
        id: &TrackId,
        window_visible: bool,
    ) -> Result<Option<Insight>, AppError> {
        if !self.config.background_insights.allows(window_visible) {
            tracing::debug!(setting = ?self.config.background_insights, "background insights skipped");
            return Ok(None);
        }
        self.prefetch_track_insights(id).await.map(Some)
    }

    /// The server's models with their shutdown dates: read once, again when `refresh`.
    async fn models(&self, refresh: bool) -> Result<Vec<ModelInfo>, InsightError> {
        let mut memo = self.models.lock().await;
        let fresh = |(at, result): &(Instant, Result<_, _>)| {
            result.is_ok() || at.elapsed() < MODELS_RETRY_AFTER
        };
        match memo.as_ref() {
            Some(entry) if !refresh && fresh(entry) => entry.1.clone(),
            _ => {
                let result = self.insights.models().await;
                *memo = Some((Instant::now(), result.clone()));
                result
            }
        }
    }

    /// The model in use, its shutdown date and a replacement, with everything the server offers.
    pub async fn model_status(&self, refresh: bool) -> Result<ModelStatus, AppError> {
        let models = self.models(refresh).await?;
        let model = self.config.openai_model.clone();
        let offered = models.iter().find(|m| m.id == model);
        let shutdown_date = offered.and_then(|m| m.shutdown_date.clone());
        let suggestion = (shutdown_date.is_some() || offered.is_none())
            .then(|| models::suggest(&models, Some(&model), self.insights.is_openai()))
            .flatten();
        Ok(ModelStatus {
            model,
            unset: self.config.openai_model_unset,
            shutdown_date,
            suggestion,
            models,
        })
    }

    /// When no model is configured (and a key is), the one to use, picked from the server's
    /// `/models`: the caller saves it when [`ModelChoice::save`] and shows its notice.
    pub async fn choose_model(&self) -> Option<ModelChoice> {
        if !self.config.openai_model_unset || self.config.openai_api_key.is_none() {
            return None;
        }
        let offered = match self.models(false).await {
            Ok(models) => Some(models),
            Err(error) => {
                tracing::warn!(
                    kind = %error.kind(),
                    "could not read the model list: {error}"
                );
                None
            }
        };
        Some(models::choose(
            offered.as_deref(),
            self.insights.is_openai(),
        ))
    }

    /// Adds a notice for the next [`Services::status`].
    pub fn notify(&self, notice: String) {
        self.late_notices.lock().expect("notices").push(notice);
    }
}

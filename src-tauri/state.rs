//! The shell's state: the core's state owner (settings, secrets and services, see
//! `spotify_plus_core::state`) and what only the shell knows: the demo flag and the poller's
//! wake-up.

use crate::contract::{emit, SessionChanged};
use spotify_plus_core::app::Services;
use spotify_plus_core::state::{self as core_state, Environment};
use std::path::Path;
use std::sync::Arc;
use tauri::{AppHandle, Manager, Runtime};
use tokio::sync::Notify;

/// Shared state of the running app.
pub struct AppState {
    core: Arc<core_state::AppState>,
    demo: bool,
    /// Wakes the now-playing poller at once (sign-in, sign-out, window shown).
    pub poll_now: Notify,
}

impl AppState {
    /// The state of the data folder, with services that say the app is starting: the settings
    /// and secrets are read by [`finish_opening`], off the main thread.
    pub fn starting<R: Runtime>(app: &AppHandle<R>) -> Self {
        let core =
            core_state::AppState::starting(app.path().app_data_dir().ok(), Environment::process());
        Self {
            core: Arc::new(core),
            demo: std::env::var("SPOTIFY_PLUS_DEMO").is_ok_and(|v| v == "1"),
            poll_now: Notify::new(),
        }
    }

    /// The core's state owner.
    pub fn core(&self) -> &Arc<core_state::AppState> {
        &self.core
    }

    /// The current services; cheap to clone and safe to hold across awaits.
    pub fn services(&self) -> Arc<Services> {
        self.core.services()
    }

    /// The folder holding the cache, the secrets and the settings.
    pub fn data_dir(&self) -> &Path {
        self.core.data_dir()
    }

    /// Whether the app runs against the demo's fake servers.
    pub fn demo(&self) -> bool {
        self.demo
    }
}

/// The current services of the app's state.
pub fn services<R: Runtime>(app: &AppHandle<R>) -> Arc<Services> {
    app.state::<AppState>().services()
}

/// Reads the settings and secrets (the keyring may take its time: the window says it is
/// waiting), then tells the window and picks a model if none is set.
pub async fn finish_opening<R: Runtime>(app: AppHandle<R>) {
    let core = app.state::<AppState>().core().clone();
    let opened = tauri::async_runtime::spawn_blocking(move || core.finish_opening()).await;
    if let Err(error) = opened {
        tracing::error!(%error, "opening the settings failed");
    }
    let state = app.state::<AppState>();
    tracing::info!(data_dir = %state.data_dir().display(), "started");
    state.poll_now.notify_one();
    emit::<SessionChanged, _>(&app, &None);
    choose_model(app).await;
}

/// When no model is configured: asks the server's `/models` once, saves the model picked (if it
/// came from the list) and tells the window which it is.
pub async fn choose_model<R: Runtime>(app: AppHandle<R>) {
    let state = app.state::<AppState>();
    let Some(choice) = state.services().choose_model().await else {
        return;
    };
    if choice.save {
        let model = choice.model.clone();
        match state
            .core()
            .run(move |core| core.keep_picked_model(&model))
            .await
        {
            Ok(true) => {}
            Ok(false) => return, // the user chose one meanwhile
            Err(error) => {
                tracing::warn!("could not save the model picked: {error}");
                return;
            }
        }
    }
    tracing::info!(model = %choice.model, saved = choice.save, "model picked");
    state.services().notify(choice.notice);
    // The window reloads the status, which carries the notice.
    emit::<SessionChanged, _>(&app, &None);
}

//! App state: the core services, rebuilt when settings change, and where settings live.

use spotify_plus_core::app::Services;
use spotify_plus_core::config::{Config, SavedSettings};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_store::StoreExt;
use tokio::sync::Notify;

const STORE_FILE: &str = "settings.json";
const SETTINGS_KEY: &str = "settings";

/// Shared state of the running app.
pub struct AppState {
    services: RwLock<Arc<Services>>,
    data_dir: PathBuf,
    demo: bool,
    /// Wakes the now-playing poller at once (sign-in, sign-out, window shown).
    pub poll_now: Notify,
}

impl AppState {
    /// Resolves the data folder and settings, and starts the core services.
    pub fn load<R: Runtime>(app: &AppHandle<R>) -> Self {
        let env_only = resolve(&SavedSettings::default());
        let data_dir = env_only
            .config
            .data_dir
            .clone()
            .or_else(|| app.path().app_data_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        let saved = read_saved(app, &data_dir);
        let demo = std::env::var("SPOTIFY_PLUS_DEMO").is_ok_and(|v| v == "1");
        let services = Services::start(resolve(&saved), &data_dir);
        Self {
            services: RwLock::new(Arc::new(services)),
            data_dir,
            demo,
            poll_now: Notify::new(),
        }
    }

    /// The current services; cheap to clone and safe to hold across awaits.
    pub fn services(&self) -> Arc<Services> {
        self.services.read().expect("services lock").clone()
    }

    /// The folder holding the cache, the tokens and the settings store.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Whether the app runs against the demo's fake servers.
    pub fn demo(&self) -> bool {
        self.demo
    }

    /// The settings saved in the store.
    pub fn saved<R: Runtime>(&self, app: &AppHandle<R>) -> SavedSettings {
        read_saved(app, &self.data_dir)
    }

    /// Saves settings and restarts the services with them.
    pub fn save<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        saved: &SavedSettings,
    ) -> Result<(), String> {
        let path = self.data_dir.join(STORE_FILE);
        let store = app.store(&path).map_err(|e| e.to_string())?;
        store.set(
            SETTINGS_KEY,
            serde_json::to_value(saved).map_err(|e| e.to_string())?,
        );
        store.save().map_err(|e| e.to_string())?;
        restrict_permissions(&path);
        let services = Services::start(resolve(saved), &self.data_dir);
        *self.services.write().expect("services lock") = Arc::new(services);
        self.poll_now.notify_one();
        Ok(())
    }
}

/// When no model is configured: asks the server's `/models` once, saves the model picked (if it
/// came from the list) and tells the window which it is.
pub async fn choose_model<R: Runtime>(app: AppHandle<R>) {
    let state = app.state::<AppState>();
    let Some(choice) = state.services().choose_model().await else {
        return;
    };
    if choice.save {
        let mut saved = state.saved(&app);
        if saved.openai_model.is_some() {
            return; // the user chose one meanwhile
        }
        saved.openai_model = Some(choice.model.clone());
        if let Err(error) = state.save(&app, &saved) {
            tracing::warn!("could not save the model picked: {error}");
            return;
        }
    }
    tracing::info!(model = %choice.model, saved = choice.save, "model picked");
    state.services().notify(choice.notice);
    // The window reloads the status, which carries the notice.
    let _ = app.emit("auth-changed", ());
}

fn resolve(saved: &SavedSettings) -> spotify_plus_core::config::Loaded {
    let dotenv = std::env::current_dir().ok().map(|d| d.join(".env"));
    Config::resolve(saved, |k| std::env::var(k).ok(), dotenv.as_deref())
}

fn read_saved<R: Runtime>(app: &AppHandle<R>, data_dir: &Path) -> SavedSettings {
    app.store(data_dir.join(STORE_FILE))
        .ok()
        .and_then(|store| store.get(SETTINGS_KEY))
        .and_then(|value| serde_json::from_value(value).ok())
        .unwrap_or_default()
}

/// The store holds API keys: readable by the user only.
fn restrict_permissions(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

//! App state: the core services, rebuilt when settings change, and where settings live: the
//! plain ones in the settings store, the secrets in the vault (the OS keyring, or 0600 files).

use spotify_plus_core::app::Services;
use spotify_plus_core::config::{Config, SavedSettings};
use spotify_plus_core::vault::{self, Entry, Vault};
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
    vault: Vault,
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
        let vault = Vault::open(env_only.config.secret_store, &data_dir);
        tracing::info!(store = ?vault.kind(), "secrets store");
        let saved = read_saved(app, &data_dir, &vault);
        let demo = std::env::var("SPOTIFY_PLUS_DEMO").is_ok_and(|v| v == "1");
        let services = Services::start(resolve(&saved), &data_dir);
        Self {
            services: RwLock::new(Arc::new(services)),
            data_dir,
            vault,
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

    /// The settings saved in the store, with the secrets from the vault.
    pub fn saved<R: Runtime>(&self, app: &AppHandle<R>) -> SavedSettings {
        read_saved(app, &self.data_dir, &self.vault)
    }

    /// Saves settings and restarts the services with them.
    pub fn save<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        saved: &SavedSettings,
    ) -> Result<(), String> {
        let secrets = [
            (Entry::OpenAiApiKey, saved.openai_api_key.as_ref()),
            (Entry::ClientSecret, saved.client_secret.as_ref()),
        ];
        for (entry, value) in secrets {
            self.vault.put(entry, value).map_err(|e| e.to_string())?;
        }
        write_store(app, &self.data_dir, saved)?;
        let services = Services::start(resolve(saved), &self.data_dir);
        *self.services.write().expect("services lock") = Arc::new(services);
        self.poll_now.notify_one();
        Ok(())
    }
}

impl AppState {
    /// Deletes the saved OpenAI key and client secret from the vault (logout deletes every
    /// entry) and restarts the services without them.
    pub fn forget_secrets<R: Runtime>(&self, app: &AppHandle<R>) -> Result<(), String> {
        let mut saved = self.saved(app);
        if saved.openai_api_key.is_none() && saved.client_secret.is_none() {
            return Ok(());
        }
        saved.openai_api_key = None;
        saved.openai_key_origin = None;
        saved.client_secret = None;
        self.save(app, &saved)
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

/// The store's settings; plain secrets an older version left there move into the vault and
/// the store is rewritten without them. The secrets come from the vault.
fn read_saved<R: Runtime>(app: &AppHandle<R>, data_dir: &Path, vault: &Vault) -> SavedSettings {
    let mut saved: SavedSettings = app
        .store(data_dir.join(STORE_FILE))
        .ok()
        .and_then(|store| store.get(SETTINGS_KEY))
        .and_then(|value| serde_json::from_value(value).ok())
        .unwrap_or_default();
    match vault::adopt_plain_settings(vault, &mut saved) {
        Ok(false) => {}
        Ok(true) => match write_store(app, data_dir, &saved) {
            Ok(()) => {
                tracing::info!(store = ?vault.kind(), "moved saved keys out of the settings store")
            }
            Err(error) => tracing::warn!("could not rewrite the settings store: {error}"),
        },
        Err(error) => {
            tracing::warn!(%error, "saved keys stay in the settings store until the next start")
        }
    }
    let read = |entry| {
        vault.get(entry).unwrap_or_else(|error| {
            tracing::warn!(%error, "could not read a saved secret");
            None
        })
    };
    saved.openai_api_key = read(Entry::OpenAiApiKey);
    saved.client_secret = read(Entry::ClientSecret);
    saved
}

/// Writes the plain settings (the secrets are never serialised) to the store.
fn write_store<R: Runtime>(
    app: &AppHandle<R>,
    data_dir: &Path,
    saved: &SavedSettings,
) -> Result<(), String> {
    let path = data_dir.join(STORE_FILE);
    let store = app.store(&path).map_err(|e| e.to_string())?;
    store.set(
        SETTINGS_KEY,
        serde_json::to_value(saved).map_err(|e| e.to_string())?,
    );
    store.save().map_err(|e| e.to_string())?;
    restrict_permissions(&path);
    Ok(())
}

/// The store says which servers the user talks to: readable by the user only.
fn restrict_permissions(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

//! The owner of the app's state: one data folder with its settings file and secrets vault, and
//! the running services, rebuilt when the settings change (see [`Services::rebuild`] for what
//! survives a rebuild: the session and its waiting sign-in, Spotify's ban, the memos).
//!
//! Opening, saving and signing out may wait for the keyring (an unlock prompt): the shell runs
//! them through [`AppState::run`], on a blocking thread with one overall bound, while the page
//! says it is waiting for the keyring.

use crate::app::{AppError, Services};
use crate::config::{Config, Loaded, SavedSettings, SettingsFile};
use crate::secret::Secret;
use crate::settings::SettingsForm;
use crate::vault::{self, BoundKey, Entry, StoreChoice, StoredKey, Vault};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Duration;

/// The longest a settings change, a sign-out or the start waits for the keyring in all.
pub const KEYRING_BOUND: Duration = Duration::from_secs(15);

/// A lookup of environment variables.
type Vars = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Where settings come from besides the saved ones: environment variables and a `.env` file.
pub struct Environment {
    vars: Vars,
    dotenv: Option<PathBuf>,
}

impl Environment {
    /// The process's environment and the `.env` of the folder it started in.
    pub fn process() -> Self {
        Self::new(
            |name| std::env::var(name).ok(),
            std::env::current_dir().ok().map(|d| d.join(".env")),
        )
    }

    /// `vars` and the `.env` file at `dotenv`.
    pub fn new(
        vars: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
        dotenv: Option<PathBuf>,
    ) -> Self {
        Self {
            vars: Box::new(vars),
            dotenv,
        }
    }

    fn resolve(&self, saved: &SavedSettings) -> Loaded {
        Config::resolve(saved, &self.vars, self.dotenv.as_deref())
    }
}

/// The app's state: see the module docs.
pub struct AppState {
    data_dir: PathBuf,
    env: Environment,
    /// Where the environment says secrets go (read once, at start).
    secret_store: StoreChoice,
    file: SettingsFile,
    /// Set once the keyring has been asked (see [`AppState::finish_opening`]).
    vault: OnceLock<Vault>,
    services: RwLock<Arc<Services>>,
    /// One settings change at a time: each reads, changes and writes the whole settings.
    changing: Mutex<()>,
}

impl AppState {
    /// The state of the data folder the environment names (else `fallback_dir`), made private
    /// and cleaned of crash leftovers, with placeholder services that say the app is starting:
    /// quick, and never asks the keyring. [`AppState::finish_opening`] does the rest.
    pub fn starting(fallback_dir: Option<PathBuf>, env: Environment) -> Self {
        let env_only = env.resolve(&SavedSettings::default());
        let data_dir = env_only
            .config
            .data_dir
            .clone()
            .or(fallback_dir)
            .unwrap_or_else(|| PathBuf::from("."));
        let secret_store = env_only.config.secret_store;
        let placeholder = Services::starting(env_only);
        if let Err(error) = crate::data_dir::prepare(&data_dir) {
            placeholder.notify(format!(
                "The data folder {} could not be prepared ({error}); check that it is writable.",
                data_dir.display()
            ));
        }
        Self {
            file: SettingsFile::new(&data_dir),
            secret_store,
            data_dir,
            env,
            vault: OnceLock::new(),
            services: RwLock::new(Arc::new(placeholder)),
            changing: Mutex::new(()),
        }
    }

    /// Opens the secrets store, reads the settings and starts the services. May wait for the
    /// keyring; a keyring that does not answer leaves the sign-in unread (the page says so and
    /// offers to try again), never "signed out".
    pub fn finish_opening(&self) {
        let _changing = self.lock();
        let vault = self
            .vault
            .get_or_init(|| Vault::open(self.secret_store, &self.data_dir));
        tracing::info!(store = ?vault.kind(), "secrets store");
        let mut notices = Vec::new();
        let saved = match self.read_saved(vault, &mut notices) {
            Ok(saved) => saved,
            Err(error) => {
                notices.push(error.to_string());
                self.file.load().unwrap_or_default()
            }
        };
        let services = Services::start_with(self.env.resolve(&saved), &self.data_dir, vault);
        let old = self.services();
        for notice in old.take_notices().into_iter().chain(notices) {
            services.notify(notice);
        }
        *self.services.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(services);
    }

    /// Opens a state at once, for tests and tools: [`AppState::starting`], then
    /// [`AppState::finish_opening`].
    pub fn open(fallback_dir: Option<PathBuf>, env: Environment) -> Self {
        let state = Self::starting(fallback_dir, env);
        state.finish_opening();
        state
    }

    /// Runs `action` on a blocking thread (it may wait for the keyring), failing with
    /// [`AppError::KeyringTimeout`] when it takes longer than [`KEYRING_BOUND`] in all.
    pub async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        action: impl FnOnce(&AppState) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let state = self.clone();
        let work = tokio::task::spawn_blocking(move || action(&state));
        match tokio::time::timeout(KEYRING_BOUND, work).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => std::panic::resume_unwind(join.into_panic()),
            Err(_) => Err(AppError::KeyringTimeout),
        }
    }

    /// The current services; cheap to clone and safe to hold across awaits.
    pub fn services(&self) -> Arc<Services> {
        self.services
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The folder holding the cache, the settings and (without a keyring) the secrets.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The saved settings with their secrets; an error when the keyring does not answer, so a
    /// change is never saved over secrets that could not be read.
    pub fn saved(&self) -> Result<SavedSettings, AppError> {
        let mut notices = Vec::new();
        let saved = self.read_saved(self.vault()?, &mut notices)?;
        let services = self.services();
        notices.into_iter().for_each(|n| services.notify(n));
        Ok(saved)
    }

    /// Saves what the Settings form sent (see [`SettingsForm::apply_to`]).
    pub fn save_form(&self, form: SettingsForm) -> Result<(), AppError> {
        let _changing = self.lock();
        let saved = form.apply_to(&self.saved()?)?;
        self.save(&saved)
    }

    /// Switches to `model` (Settings' one-click suggestion).
    pub fn set_model(&self, model: &str) -> Result<(), AppError> {
        let _changing = self.lock();
        let mut saved = self.saved()?;
        saved.openai_model = Some(model.trim().to_string());
        saved.validate()?;
        self.save(&saved)
    }

    /// Saves `model` as the one picked for the user, unless one was chosen meanwhile; true when
    /// it was saved.
    pub fn keep_picked_model(&self, model: &str) -> Result<bool, AppError> {
        let _changing = self.lock();
        let mut saved = self.saved()?;
        if saved.openai_model.is_some() {
            return Ok(false);
        }
        saved.openai_model = Some(model.to_string());
        self.save(&saved).map(|()| true)
    }

    /// Signs out: deletes the tokens first (nothing obtained before may be written after),
    /// then the saved OpenAI key and client secret, and with `clear_cache` the insights and
    /// facts kept about what the user listened to.
    pub fn logout(&self, clear_cache: bool) -> Result<(), AppError> {
        let _changing = self.lock();
        let services = self.services();
        services.logout()?;
        let mut saved = self.saved()?;
        if saved.openai_api_key.is_some() || saved.client_secret.is_some() {
            saved.openai_api_key = None;
            saved.openai_key_origin = None;
            saved.client_secret = None;
            self.save(&saved)?;
        }
        if clear_cache {
            self.services().clear_cache()?;
        }
        Ok(())
    }

    /// Writes the secrets (the key with its origin) to the vault and the rest to the settings
    /// file, then rebuilds the services with them.
    fn save(&self, saved: &SavedSettings) -> Result<(), AppError> {
        let vault = self.vault()?;
        let key = saved.openai_api_key.clone().map(|key| BoundKey {
            key,
            origin: saved.key_origin(),
        });
        vault.put_key(key.as_ref())?;
        vault.put(Entry::ClientSecret, saved.client_secret.as_ref())?;
        self.file.save(saved)?;
        let rebuilt = self.services().rebuild(self.env.resolve(saved));
        *self.services.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(rebuilt);
        Ok(())
    }

    /// The settings file with the vault's secrets. Plain secrets an older version left in the
    /// file move into the vault first; an unreadable file is reported (and kept) in `notices`.
    fn read_saved(
        &self,
        vault: &Vault,
        notices: &mut Vec<String>,
    ) -> Result<SavedSettings, AppError> {
        let mut saved = self.file.load().unwrap_or_else(|error| {
            notices.push(error.to_string());
            SavedSettings::default()
        });
        if vault::adopt_plain_settings(vault, &mut saved)? {
            self.file.save(&saved)?;
            tracing::info!(store = ?vault.kind(), "moved saved keys out of the settings file");
        }
        saved.client_secret = vault.get(Entry::ClientSecret)?;
        let (key, origin) = match vault.get_key()? {
            Some(StoredKey::Bound(bound)) => (Some(bound.key), Some(bound.origin)),
            Some(StoredKey::Unbound(key)) => self.bind_old_key(vault, key, &saved, notices)?,
            None => (None, None),
        };
        saved.openai_api_key = key;
        saved.openai_key_origin = origin;
        Ok(saved)
    }

    /// A key saved before keys carried their origin: bound to the origin the settings file
    /// recorded for it, else not used (it cannot be known where it may go).
    fn bind_old_key(
        &self,
        vault: &Vault,
        key: Secret,
        saved: &SavedSettings,
        notices: &mut Vec<String>,
    ) -> Result<(Option<Secret>, Option<String>), AppError> {
        let Some(origin) = saved.openai_key_origin.clone() else {
            notices.push(
                "The saved OpenAI key has no record of the server it was given for, so it is not used: enter it again in Settings."
                    .into(),
            );
            return Ok((None, None));
        };
        vault.put_key(Some(&BoundKey {
            key: key.clone(),
            origin: origin.clone(),
        }))?;
        Ok((Some(key), Some(origin)))
    }

    fn vault(&self) -> Result<&Vault, AppError> {
        self.vault.get().ok_or(AppError::Starting)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.changing.lock().unwrap_or_else(|e| e.into_inner())
    }
}

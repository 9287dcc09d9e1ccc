//! Where secrets live: the OS credential store (Secret Service, Keychain, Credential Manager)
//! when one answers, else files in the data folder that are readable by the user only from the
//! moment they exist. Plain copies left by older versions move in on first start.

mod file;
#[cfg(any(target_os = "linux", target_os = "macos", windows))]
mod keyring;
#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
#[path = "no_keyring.rs"]
mod keyring;
mod migrate;

pub(crate) use file::write_private;
pub use migrate::adopt_plain_settings;

use crate::secret::Secret;
use crate::{ErrorKind, Kinded};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// Which store the user asked for (`SPOTIFY_PLUS_SECRET_STORE`); `Auto` uses the keyring when it
/// answers within a moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StoreChoice {
    /// The keyring when reachable, else the files.
    #[default]
    Auto,
    /// The keyring; if it does not answer, the files, with a warning in the log.
    Keyring,
    /// Always the files.
    File,
}

impl StoreChoice {
    /// Reads `auto`, `keyring` or `file`.
    pub fn parse(value: &str) -> Option<Self> {
        match value.trim().to_ascii_lowercase().as_str() {
            "auto" => Some(Self::Auto),
            "keyring" => Some(Self::Keyring),
            "file" => Some(Self::File),
            _ => None,
        }
    }
}

/// The store in use, as Settings names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum StoreKind {
    /// The operating system's credential store.
    Keyring,
    /// Files in the data folder, mode 0600 from creation.
    File,
}

/// One secret the app keeps; each is its own keyring entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// The Spotify access token, with its expiry and scopes.
    SpotifyAccessToken,
    /// The Spotify refresh token.
    SpotifyRefreshToken,
    /// The OpenAI-compatible server's API key.
    OpenAiApiKey,
    /// The optional Spotify client secret.
    ClientSecret,
}

impl Entry {
    /// The entry's name in the keyring and in the secrets file.
    pub fn name(self) -> &'static str {
        match self {
            Self::SpotifyAccessToken => "spotify-access-token",
            Self::SpotifyRefreshToken => "spotify-refresh-token",
            Self::OpenAiApiKey => "openai-api-key",
            Self::ClientSecret => "spotify-client-secret",
        }
    }
}

/// The OpenAI key with the origin it was given for (`https://api.openai.com`), kept together in
/// one entry: nothing outside the vault (a lost or rewritten settings file) can send the key to
/// another server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoundKey {
    /// The key.
    pub key: Secret,
    /// The origin it may be sent to, and nowhere else.
    pub origin: String,
}

/// The key entry as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoredKey {
    /// A key with its origin.
    Bound(BoundKey),
    /// A key saved by a version that kept the origin elsewhere: not used until it is bound.
    Unbound(Secret),
}

/// The key entry's JSON; no `Debug`, so it cannot be printed.
#[derive(Serialize, Deserialize)]
struct KeyEntry {
    key: String,
    origin: String,
}

/// Why a secret could not be read, saved or deleted. Never carries the secret.
#[derive(Debug, Clone, thiserror::Error)]
pub enum VaultError {
    /// The keyring answered with an error or not at all.
    #[error("The system keyring could not {action} the {entry} ({reason}); unlock your keyring, or set SPOTIFY_PLUS_SECRET_STORE=file to keep secrets in the data folder.")]
    Keyring {
        /// What was asked (`read`, `save`, `delete`).
        action: &'static str,
        /// The entry's name.
        entry: &'static str,
        /// The keyring's or the operating system's reason.
        reason: String,
    },
    /// The secrets file could not be written.
    #[error(
        "Could not save secrets in {path} ({reason}); check that the data folder is writable."
    )]
    File {
        /// The secrets file.
        path: String,
        /// The keyring's or the operating system's reason.
        reason: String,
    },
}

impl Kinded for VaultError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::SecretStore
    }
}

/// The secret store of one data folder.
#[derive(Clone, Debug)]
pub struct Vault {
    backend: Backend,
    data_dir: PathBuf,
}

#[derive(Clone, Debug)]
enum Backend {
    Keyring(keyring::Keyring),
    File(file::SecretsFile),
}

/// Name of the fallback file for keys (the tokens keep their own `tokens.json`).
pub const SECRETS_FILE: &str = "secrets.json";
/// Name of the fallback file for the Spotify tokens.
pub const TOKENS_FILE: &str = "tokens.json";

impl Vault {
    /// The store for `data_dir`: the keyring if `choice` allows and it answers, else the files.
    /// With the keyring, plain token and secrets files are moved into it and deleted.
    pub fn open(choice: StoreChoice, data_dir: &Path) -> Vault {
        let keyring = (choice != StoreChoice::File)
            .then(|| keyring::Keyring::reachable(data_dir))
            .flatten();
        let vault = match keyring {
            Some(keyring) => Vault {
                backend: Backend::Keyring(keyring),
                data_dir: data_dir.to_path_buf(),
            },
            None => {
                if choice == StoreChoice::Keyring {
                    tracing::warn!("SPOTIFY_PLUS_SECRET_STORE=keyring, but no keyring answers: secrets go to files in the data folder");
                }
                Vault::files(data_dir)
            }
        };
        if vault.kind() == StoreKind::Keyring {
            migrate::plain_files_into(&vault);
        }
        vault
    }

    /// Which store [`Vault::open`] would pick, without touching any data folder.
    pub fn probe(choice: StoreChoice) -> StoreKind {
        let reachable =
            choice != StoreChoice::File && keyring::Keyring::reachable(Path::new("")).is_some();
        if reachable {
            StoreKind::Keyring
        } else {
            StoreKind::File
        }
    }

    /// The file store, whatever the system offers.
    pub fn files(data_dir: &Path) -> Vault {
        Vault {
            backend: Backend::File(file::SecretsFile::new(data_dir.join(SECRETS_FILE))),
            data_dir: data_dir.to_path_buf(),
        }
    }

    /// Which store this is.
    pub fn kind(&self) -> StoreKind {
        match self.backend {
            Backend::Keyring(_) => StoreKind::Keyring,
            Backend::File(_) => StoreKind::File,
        }
    }

    /// The data folder whose secrets these are.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The secret saved under `entry`, if any.
    pub fn get(&self, entry: Entry) -> Result<Option<Secret>, VaultError> {
        match &self.backend {
            Backend::Keyring(k) => k.get(entry),
            Backend::File(f) => Ok(f.get(entry)),
        }
    }

    /// Saves `value` under `entry`, replacing what was there.
    pub fn set(&self, entry: Entry, value: &Secret) -> Result<(), VaultError> {
        match &self.backend {
            Backend::Keyring(k) => k.set(entry, value),
            Backend::File(f) => f.set(entry, Some(value)),
        }
    }

    /// Saves `value`, or deletes the entry for `None`.
    pub fn put(&self, entry: Entry, value: Option<&Secret>) -> Result<(), VaultError> {
        match value {
            Some(value) => self.set(entry, value),
            None => self.delete(entry),
        }
    }

    /// The OpenAI key and the origin it was given for.
    pub fn get_key(&self) -> Result<Option<StoredKey>, VaultError> {
        let Some(raw) = self.get(Entry::OpenAiApiKey)? else {
            return Ok(None);
        };
        Ok(match serde_json::from_str::<KeyEntry>(raw.expose()) {
            Ok(entry) => Secret::new(entry.key).map(|key| {
                StoredKey::Bound(BoundKey {
                    key,
                    origin: entry.origin,
                })
            }),
            Err(_) => Some(StoredKey::Unbound(raw)),
        })
    }

    /// Saves the OpenAI key with its origin, or deletes it for `None`.
    pub fn put_key(&self, key: Option<&BoundKey>) -> Result<(), VaultError> {
        let Some(bound) = key else {
            return self.delete(Entry::OpenAiApiKey);
        };
        let entry = serde_json::to_string(&KeyEntry {
            key: bound.key.expose().to_string(),
            origin: bound.origin.clone(),
        })
        .expect("two strings serialise");
        self.set(
            Entry::OpenAiApiKey,
            &Secret::new(entry).expect("a JSON object is never blank"),
        )
    }

    /// Deletes the entry; a missing one is not an error.
    pub fn delete(&self, entry: Entry) -> Result<(), VaultError> {
        match &self.backend {
            Backend::Keyring(k) => k.delete(entry),
            Backend::File(f) => f.set(entry, None),
        }
    }
}

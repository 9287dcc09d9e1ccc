//! The token pair and where it is kept: the OS keyring, or a JSON file written atomically and
//! readable only by the user.

use super::AuthError;
use crate::secret::Secret;
use crate::vault::{write_private, Entry, StoreKind, Vault, VaultError, TOKENS_FILE};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Access and refresh tokens as granted by Spotify.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    /// Bearer token for the Web API.
    pub access_token: Secret,
    /// Long-lived token that buys new access tokens.
    pub refresh_token: Secret,
    /// When the access token expires, in seconds since the Unix epoch.
    pub expires_at: u64,
    /// Space-separated scopes granted.
    pub scope: String,
    /// When the user signed in (seconds since the Unix epoch): Spotify's refresh tokens expire
    /// six months later, and a refresh does not extend them. `None` for a sign-in from before
    /// it was recorded.
    #[serde(default)]
    pub signed_in_at: Option<u64>,
}

/// How long a refresh token lives from the sign-in (Spotify's rule since July 2026): six
/// months, counted short (182 days) so the app asks a little early rather than late.
pub const SIGN_IN_LIFETIME: Duration = Duration::from_secs(182 * 24 * 3600);

impl Tokens {
    /// Tokens just granted, with an access token valid for `lifetime` from now (a server's
    /// lifetime beyond [`crate::net::MAX_SERVER_WAIT`] counts as that).
    pub fn granted(
        access_token: Secret,
        refresh_token: Secret,
        lifetime: Duration,
        scope: String,
    ) -> Self {
        Self {
            access_token,
            refresh_token,
            expires_at: now_unix()
                .saturating_add(lifetime.min(crate::net::MAX_SERVER_WAIT).as_secs()),
            scope,
            signed_in_at: Some(now_unix()),
        }
    }

    /// When the refresh token stops working and the user must sign in again, if known.
    pub fn sign_in_expires_at(&self) -> Option<u64> {
        self.signed_in_at
            .map(|at| at.saturating_add(SIGN_IN_LIFETIME.as_secs()))
    }

    /// True when the access token expires within `margin` from now (or already has).
    pub fn expires_within(&self, margin: Duration) -> bool {
        now_unix() + margin.as_secs() >= self.expires_at
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Where the tokens live: two keyring entries (access and refresh token), or, where no keyring
/// answers, the 0600 file `<data_dir>/tokens.json`.
#[derive(Clone, Debug)]
pub struct TokenStore {
    backend: Backend,
    guard: Arc<Guard>,
}

/// What every [`TokenStore`] of one place shares, whichever session holds it: one write at a
/// time, and the number of sign-outs so far, so that tokens obtained before a sign-out (by a
/// refresh in flight, or by a session of settings since replaced) are never written after it.
#[derive(Debug, Default)]
struct Guard {
    sign_outs: Mutex<u64>,
}

/// The guard of the store at `place` (its file, or the keyring scope of its data folder).
fn guard_of(place: String) -> Arc<Guard> {
    static GUARDS: OnceLock<Mutex<HashMap<String, Arc<Guard>>>> = OnceLock::new();
    let mut guards = GUARDS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    guards.entry(place).or_default().clone()
}

#[derive(Clone, Debug)]
enum Backend {
    File(PathBuf),
    Vault(Vault),
}

/// The access-token entry: the token with what is known about it (the refresh token is an
/// entry of its own).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AccessEntry {
    access_token: Secret,
    expires_at: u64,
    scope: String,
    #[serde(default)]
    signed_in_at: Option<u64>,
}

impl TokenStore {
    /// A file store at `path`; nothing is touched until `load`, `save` or `delete`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        Self {
            guard: guard_of(format!("file:{}", path.display())),
            backend: Backend::File(path),
        }
    }

    /// The tokens of `vault`'s data folder: in the keyring when the vault is one, else in its
    /// `tokens.json`.
    pub fn open(vault: &Vault) -> Self {
        match vault.kind() {
            StoreKind::Keyring => Self {
                guard: guard_of(format!("keyring:{}", vault.data_dir().display())),
                backend: Backend::Vault(vault.clone()),
            },
            StoreKind::File => Self::new(vault.data_dir().join(TOKENS_FILE)),
        }
    }

    /// Which store holds the tokens.
    pub fn kind(&self) -> StoreKind {
        match self.backend {
            Backend::File(_) => StoreKind::File,
            Backend::Vault(_) => StoreKind::Keyring,
        }
    }

    /// The saved tokens; `None` when there are none or they are unreadable (the user signs in
    /// again).
    pub fn load(&self) -> Option<Tokens> {
        self.try_load().unwrap_or_else(|error| {
            tracing::warn!(%error, "could not read the Spotify tokens");
            None
        })
    }

    /// The saved tokens; an error when the keyring did not answer (which says nothing about
    /// whether the user is signed in). A damaged token file reads as none.
    pub fn try_load(&self) -> Result<Option<Tokens>, VaultError> {
        match &self.backend {
            Backend::File(path) => Ok(load_file(path)),
            Backend::Vault(vault) => load_vault(vault),
        }
    }

    /// How many sign-outs this store has seen: tokens obtained now may be saved by
    /// [`TokenStore::save_unless_signed_out`] until the next one.
    pub fn sign_outs(&self) -> u64 {
        *self.lock()
    }

    /// Saves the tokens, replacing the old ones.
    pub fn save(&self, tokens: &Tokens) -> Result<(), AuthError> {
        let _one_writer = self.lock();
        self.write(tokens)
    }

    /// Saves tokens obtained when the store had seen `sign_outs` sign-outs, unless it has seen
    /// another since; false when they were not written for that reason.
    pub fn save_unless_signed_out(
        &self,
        tokens: &Tokens,
        sign_outs: u64,
    ) -> Result<bool, AuthError> {
        let now = self.lock();
        if *now != sign_outs {
            return Ok(false);
        }
        self.write(tokens).map(|()| true)
    }

    fn write(&self, tokens: &Tokens) -> Result<(), AuthError> {
        match &self.backend {
            Backend::File(path) => {
                let json = serde_json::to_vec_pretty(tokens).expect("tokens serialise");
                write_private(path, &json).map_err(|e| storage_error(path, e))
            }
            Backend::Vault(vault) => {
                let access = serde_json::to_string(&AccessEntry {
                    access_token: tokens.access_token.clone(),
                    expires_at: tokens.expires_at,
                    scope: tokens.scope.clone(),
                    signed_in_at: tokens.signed_in_at,
                })
                .expect("tokens serialise");
                let access = Secret::new(access).expect("a JSON object is never blank");
                vault.set(Entry::SpotifyRefreshToken, &tokens.refresh_token)?;
                vault.set(Entry::SpotifyAccessToken, &access)?;
                Ok(())
            }
        }
    }

    /// Deletes the tokens (a sign-out: nothing obtained before it is written after it);
    /// missing ones are not an error.
    pub fn delete(&self) -> Result<(), AuthError> {
        let mut sign_outs = self.lock();
        *sign_outs += 1;
        match &self.backend {
            Backend::File(path) => match fs::remove_file(path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(storage_error(path, e)),
                _ => Ok(()),
            },
            Backend::Vault(vault) => {
                let access = vault.delete(Entry::SpotifyAccessToken);
                vault.delete(Entry::SpotifyRefreshToken)?;
                Ok(access?)
            }
        }
    }
}

impl TokenStore {
    fn lock(&self) -> MutexGuard<'_, u64> {
        self.guard
            .sign_outs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }
}

fn load_file(path: &Path) -> Option<Tokens> {
    let raw = fs::read(path).ok()?;
    match serde_json::from_slice(&raw) {
        Ok(tokens) => Some(tokens),
        Err(error) => {
            tracing::warn!(path = %path.display(), %error, "ignoring unreadable token file");
            None
        }
    }
}

fn load_vault(vault: &Vault) -> Result<Option<Tokens>, VaultError> {
    let Some(refresh_token) = vault.get(Entry::SpotifyRefreshToken)? else {
        return Ok(None);
    };
    let access = vault
        .get(Entry::SpotifyAccessToken)?
        .and_then(|a| serde_json::from_str::<AccessEntry>(a.expose()).ok());
    Ok(Some(match access {
        Some(a) => Tokens {
            access_token: a.access_token,
            refresh_token,
            expires_at: a.expires_at,
            scope: a.scope,
            signed_in_at: a.signed_in_at,
        },
        // Only the refresh token survived: an access token that has expired buys a new one.
        None => Tokens {
            access_token: Secret::new("expired").expect("not blank"),
            refresh_token,
            expires_at: 0,
            scope: String::new(),
            signed_in_at: None,
        },
    }))
}

fn storage_error(path: &Path, error: io::Error) -> AuthError {
    AuthError::Storage {
        path: path.display().to_string(),
        reason: error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(expires_at: u64) -> Tokens {
        Tokens {
            access_token: Secret::new("access-1").unwrap(),
            refresh_token: Secret::new("refresh-1").unwrap(),
            expires_at,
            scope: "playlist-read-private".into(),
            signed_in_at: Some(1_780_000_000),
        }
    }

    #[test]
    fn save_load_delete_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let store = TokenStore::new(dir.path().join("nested/tokens.json"));
        assert_eq!(store.load(), None);
        store.save(&tokens(10)).unwrap();
        store.save(&tokens(20)).unwrap();
        assert_eq!(store.load(), Some(tokens(20)));
        // Only the token file remains: no temporary files left behind.
        assert_eq!(fs::read_dir(dir.path().join("nested")).unwrap().count(), 1);
        store.delete().unwrap();
        store.delete().unwrap();
        assert_eq!(store.load(), None);
    }

    #[test]
    fn corrupt_file_reads_as_signed_out() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("tokens.json");
        fs::write(&path, b"{not json").unwrap();
        assert_eq!(TokenStore::new(path).load(), None);
    }

    #[test]
    fn a_lifetime_beyond_reason_is_capped_instead_of_overflowing() {
        let granted = Tokens::granted(
            Secret::new("a").unwrap(),
            Secret::new("r").unwrap(),
            Duration::from_secs(u64::MAX),
            String::new(),
        );
        assert_eq!(
            granted.expires_at,
            now_unix() + crate::net::MAX_SERVER_WAIT.as_secs()
        );
    }

    #[test]
    fn expiry_margin() {
        let now = now_unix();
        assert!(tokens(now + 30).expires_within(Duration::from_secs(60)));
        assert!(!tokens(now + 120).expires_within(Duration::from_secs(60)));
    }
}

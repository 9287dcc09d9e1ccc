//! The token pair and its file: JSON, written atomically, readable only by the user on Unix.

use super::AuthError;
use crate::secret::Secret;
use serde::{Deserialize, Serialize};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
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
}

impl Tokens {
    /// Tokens just granted, with an access token valid for `lifetime` from now.
    pub fn granted(
        access_token: Secret,
        refresh_token: Secret,
        lifetime: Duration,
        scope: String,
    ) -> Self {
        Self {
            access_token,
            refresh_token,
            expires_at: now_unix() + lifetime.as_secs(),
            scope,
        }
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

/// Where the tokens live on disk (the app passes `<data_dir>/tokens.json`).
#[derive(Clone, Debug)]
pub struct TokenStore {
    path: PathBuf,
}

impl TokenStore {
    /// A store at `path`; nothing is touched until `load`, `save` or `delete`.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The token file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved tokens; `None` when there is no file or it is unreadable (the user signs in again).
    pub fn load(&self) -> Option<Tokens> {
        let raw = fs::read(&self.path).ok()?;
        match serde_json::from_slice(&raw) {
            Ok(tokens) => Some(tokens),
            Err(error) => {
                tracing::warn!(path = %self.path.display(), %error, "ignoring unreadable token file");
                None
            }
        }
    }

    /// Writes the tokens: a fresh 0600 file beside the target, then an atomic rename over it.
    pub fn save(&self, tokens: &Tokens) -> Result<(), AuthError> {
        let json = serde_json::to_vec_pretty(tokens).expect("tokens serialise");
        let tmp = self.path.with_file_name(format!(
            ".{}.{}.tmp",
            self.file_name(),
            rand::random::<u32>()
        ));
        let written = self
            .write_private(&tmp, &json)
            .and_then(|()| fs::rename(&tmp, &self.path));
        if written.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        written.map_err(|e| self.storage_error(e))
    }

    /// Deletes the token file; a missing file is not an error.
    pub fn delete(&self) -> Result<(), AuthError> {
        match fs::remove_file(&self.path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(self.storage_error(e)),
            _ => Ok(()),
        }
    }

    fn file_name(&self) -> String {
        self.path
            .file_name()
            .map_or_else(|| "tokens".into(), |n| n.to_string_lossy().into_owned())
    }

    fn write_private(&self, tmp: &Path, contents: &[u8]) -> io::Result<()> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir)?;
        }
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        // The mode is set at creation so the tokens are never readable by others, even briefly.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(tmp)?;
        file.write_all(contents)?;
        file.sync_all()
    }

    fn storage_error(&self, error: io::Error) -> AuthError {
        AuthError::Storage {
            path: self.path.display().to_string(),
            reason: error.to_string(),
        }
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
    fn expiry_margin() {
        let now = now_unix();
        assert!(tokens(now + 30).expires_within(Duration::from_secs(60)));
        assert!(!tokens(now + 120).expires_within(Duration::from_secs(60)));
    }
}

//! The fallback store: a JSON map in the data folder, written to a fresh 0600 file that is then
//! renamed over the old one, so no other user can read it even for a moment.

use super::{Entry, VaultError};
use crate::secret::Secret;
use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Serialises writers of this process, so two saves cannot lose each other's entry.
static WRITE: Mutex<()> = Mutex::new(());

/// `secrets.json`: entry name to secret.
#[derive(Clone, Debug)]
pub(super) struct SecretsFile {
    path: PathBuf,
}

impl SecretsFile {
    pub(super) fn new(path: PathBuf) -> Self {
        Self { path }
    }

    pub(super) fn get(&self, entry: Entry) -> Option<Secret> {
        self.read().remove(entry.name())
    }

    /// Sets or (for `None`) removes one entry; an empty file is deleted.
    pub(super) fn set(&self, entry: Entry, value: Option<&Secret>) -> Result<(), VaultError> {
        let _guard = WRITE.lock().unwrap_or_else(|e| e.into_inner());
        let mut all = self.read();
        let changed = match value {
            Some(value) => {
                all.insert(entry.name().to_string(), value.clone()) != Some(value.clone())
            }
            None => all.remove(entry.name()).is_some(),
        };
        if !changed {
            return Ok(());
        }
        let result = if all.is_empty() {
            match fs::remove_file(&self.path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        } else {
            let json = serde_json::to_vec_pretty(&all).expect("a map of strings serialises");
            write_private(&self.path, &json)
        };
        result.map_err(|e| VaultError::File {
            path: self.path.display().to_string(),
            reason: e.to_string(),
        })
    }

    /// Everything saved; an unreadable file reads as empty (the user enters the keys again).
    pub(super) fn read(&self) -> BTreeMap<String, Secret> {
        let Ok(raw) = fs::read(&self.path) else {
            return BTreeMap::new();
        };
        serde_json::from_slice(&raw).unwrap_or_else(|error| {
            tracing::warn!(path = %self.path.display(), %error, "ignoring unreadable secrets file");
            BTreeMap::new()
        })
    }
}

/// Writes `contents` to `path` through a fresh file created with mode 0600 beside it and an
/// atomic rename, creating the folder if needed.
pub(crate) fn write_private(path: &Path, contents: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map_or_else(|| "secrets".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", rand::random::<u32>()));
    let written = create_private(path, &tmp, contents).and_then(|()| fs::rename(&tmp, path));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

fn create_private(path: &Path, tmp: &Path, contents: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir)?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    // The mode is set at creation so the secrets are never readable by others, even briefly.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(tmp)?;
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_in_a_private_file_that_goes_when_empty() {
        let dir = tempfile::tempdir().unwrap();
        let file = SecretsFile::new(dir.path().join("nested/secrets.json"));
        let key = Secret::new("sk-file-1").unwrap();
        file.set(Entry::OpenAiApiKey, Some(&key)).unwrap();
        file.set(Entry::ClientSecret, Some(&key)).unwrap();
        assert_eq!(file.get(Entry::OpenAiApiKey), Some(key.clone()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join("nested/secrets.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(fs::read_dir(dir.path().join("nested")).unwrap().count(), 1);
        file.set(Entry::OpenAiApiKey, None).unwrap();
        file.set(Entry::ClientSecret, None).unwrap();
        assert!(!dir.path().join("nested/secrets.json").exists());
        assert_eq!(file.get(Entry::ClientSecret), None);
    }
}

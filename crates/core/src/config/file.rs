//! `settings.json` in the data folder: the plain settings (never a secret), written whole to a
//! fresh private file renamed over the old one, one writer at a time. A file that cannot be
//! read is set aside and reported, never silently replaced by the defaults.
//!
//! The layout is the one tauri-plugin-store wrote (`{"settings": {...}}`), so older files load.

use super::SavedSettings;
use crate::vault::write_private;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// The settings file's name in the data folder.
pub const SETTINGS_FILE: &str = "settings.json";
/// The key the settings sit under.
const KEY: &str = "settings";

/// Why the settings file could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsFileError {
    /// The file exists but is not readable JSON settings; it was moved aside.
    #[error("Your settings in {path} could not be read ({reason}); the file was kept as {kept}, and the defaults are used until you save Settings again.")]
    Unreadable {
        /// The settings file.
        path: String,
        /// Why it could not be read.
        reason: String,
        /// Where its contents were kept.
        kept: String,
    },
    /// The file could not be written.
    #[error(
        "Settings could not be saved in {path} ({reason}); check that the data folder is writable."
    )]
    Write {
        /// The settings file.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
}

impl crate::Kinded for SettingsFileError {
    fn kind(&self) -> crate::ErrorKind {
        crate::ErrorKind::Storage
    }
}

/// The settings file of one data folder.
#[derive(Debug)]
pub struct SettingsFile {
    path: PathBuf,
    writer: Mutex<()>,
}

impl SettingsFile {
    /// The file in `data_dir`; nothing is read until [`SettingsFile::load`].
    pub fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join(SETTINGS_FILE),
            writer: Mutex::new(()),
        }
    }

    /// The saved settings; the defaults when there is no file yet. A file that cannot be read
    /// is renamed to `settings.json.unreadable-<unix time>` (so the next save cannot overwrite
    /// what it holds) and reported.
    pub fn load(&self) -> Result<SavedSettings, SettingsFileError> {
        let _writer = self.lock();
        let raw = match std::fs::read(&self.path) {
            Ok(raw) => raw,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(SavedSettings::default())
            }
            Err(e) => return Err(self.unreadable(e.to_string())),
        };
        let parsed = serde_json::from_slice::<serde_json::Value>(&raw)
            .map_err(|e| e.to_string())
            .and_then(|value| match value.get(KEY) {
                None if value.is_object() => Ok(SavedSettings::default()),
                None => Err("it is not a JSON object".to_string()),
                Some(settings) => {
                    serde_json::from_value(settings.clone()).map_err(|e| e.to_string())
                }
            });
        parsed.map_err(|reason| self.unreadable(reason))
    }

    /// Replaces the file with `saved` (its secrets are never serialised).
    pub fn save(&self, saved: &SavedSettings) -> Result<(), SettingsFileError> {
        let _writer = self.lock();
        let json = serde_json::to_vec_pretty(&serde_json::json!({ KEY: saved }))
            .expect("settings serialise");
        write_private(&self.path, &json).map_err(|e| SettingsFileError::Write {
            path: self.path.display().to_string(),
            reason: e.to_string(),
        })
    }

    fn unreadable(&self, reason: String) -> SettingsFileError {
        let stamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let kept = self
            .path
            .with_file_name(format!("{SETTINGS_FILE}.unreadable-{stamp}"));
        let kept = match std::fs::rename(&self.path, &kept) {
            Ok(()) => kept.display().to_string(),
            Err(_) => self.path.display().to_string(),
        };
        tracing::warn!(%reason, kept, "unreadable settings file set aside");
        SettingsFileError::Unreadable {
            path: self.path.display().to_string(),
            reason,
            kept,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(model: &str) -> SavedSettings {
        SavedSettings {
            client_id: Some("client".into()),
            openai_model: Some(model.into()),
            ..Default::default()
        }
    }

    #[test]
    fn settings_round_trip_in_the_store_layout_and_a_missing_file_is_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::new(dir.path());
        assert_eq!(file.load().unwrap(), SavedSettings::default());
        file.save(&saved("m1")).unwrap();
        assert_eq!(file.load().unwrap(), saved("m1"));
        // What tauri-plugin-store wrote before loads the same.
        std::fs::write(
            dir.path().join(SETTINGS_FILE),
            r#"{"settings":{"clientId":"client","openaiModel":"m1","openaiBaseUrl":null}}"#,
        )
        .unwrap();
        assert_eq!(file.load().unwrap(), saved("m1"));
    }

    #[test]
    fn an_unreadable_file_is_reported_and_kept_not_reset() {
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::new(dir.path());
        file.save(&saved("m1")).unwrap();
        let path = dir.path().join(SETTINGS_FILE);
        let whole = std::fs::read(&path).unwrap();
        std::fs::write(&path, &whole[..whole.len() / 2]).unwrap();
        let error = file.load().unwrap_err();
        let SettingsFileError::Unreadable { kept, .. } = &error else {
            panic!("{error:?}");
        };
        assert!(error.to_string().contains("could not be read"), "{error}");
        assert_eq!(std::fs::read(kept).unwrap(), &whole[..whole.len() / 2]);
        assert!(
            !path.exists(),
            "the next save cannot overwrite what it held"
        );
    }

    #[test]
    fn concurrent_saves_leave_one_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = std::sync::Arc::new(SettingsFile::new(dir.path()));
        let writers: Vec<_> = (0..16)
            .map(|i| {
                let file = file.clone();
                std::thread::spawn(move || file.save(&saved(&format!("model-{i}"))).unwrap())
            })
            .collect();
        for writer in writers {
            writer.join().unwrap();
        }
        let model = file.load().unwrap().openai_model.unwrap();
        assert!(model.starts_with("model-"), "{model}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary left"
        );
    }
}

//! The insight cache: one SQLite file in the app's data folder, versioned with
//! `PRAGMA user_version`, migrated forward, and reset (keeping a backup) when it is damaged.

mod error;
mod facts;
mod lyrics;
mod schema;

pub use error::CacheError;
pub use facts::FactsRow;
pub use lyrics::LyricsRow;
pub use schema::SCHEMA_VERSION;

use rusqlite::{Connection, ErrorCode};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A handle on the cache; clones share one connection. rusqlite is synchronous, so every call
/// holds the lock only for one short statement. Insights are read and written in the handle's
/// language (see [`Cache::in_language`]).
#[derive(Clone)]
pub struct Cache {
    conn: Arc<Mutex<Connection>>,
    lang: Arc<str>,
}

/// A cache that was just opened, with a message for the user when something had to be repaired.
pub struct Opened {
    /// The ready cache.
    pub cache: Cache,
    /// Set when a damaged file was set aside and a fresh cache started; names the backup.
    pub notice: Option<String>,
}

/// Why a file could not be opened: damage is repaired by starting afresh, anything else is not.
enum Failure {
    Corrupt,
    Other(CacheError),
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => Self::Corrupt,
            _ => Self::Other(e.into()),
        }
    }
}

impl From<CacheError> for Failure {
    fn from(e: CacheError) -> Self {
        match e {
            CacheError::Database(e) => e.into(),
            other => Self::Other(other),
        }
    }
}

impl Cache {
    /// Opens (creating it and its folder if needed) the cache file at `path` and migrates it.
    /// A damaged file is renamed to `<name>.corrupt-<unix time>` and replaced by an empty cache;
    /// a file from a newer app version is an error and is left untouched.
    pub fn open(path: &Path) -> Result<Opened, CacheError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| CacheError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        match open_file(path) {
            Ok(cache) => Ok(Opened {
                cache,
                notice: None,
            }),
            Err(Failure::Other(e)) => Err(unwritable(path, e)),
            Err(Failure::Corrupt) => {
                let backup = set_aside(path)?;
                tracing::warn!(backup = %backup.display(), "insight cache was damaged; started a fresh one");
                let cache = match open_file(path) {
                    Ok(cache) => cache,
                    Err(Failure::Other(e)) => return Err(e),
                    Err(Failure::Corrupt) => {
                        return Err(rusqlite::Error::SqliteFailure(
                            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
                            None,
                        )
                        .into())
                    }
                };
                Ok(Opened {
                    cache,
                    notice: Some(format!(
                        "The insight cache was damaged, so a fresh one was started; the old file was kept as {}.",
                        backup.display()
                    )),
                })
            }
        }
    }

    /// A cache that lives only as long as the app, for when the data folder is unusable.
    pub fn in_memory() -> Result<Cache, CacheError> {
        let mut conn = Connection::open_in_memory()?;
        schema::migrate(&mut conn, 0)?;
        Ok(Self::wrap(conn))
    }

    fn wrap(conn: Connection) -> Self {
        Self {
            conn: Arc::new(Mutex::new(conn)),
            lang: Arc::from(""),
        }
    }

    /// This cache with insights in `lang` (a language code): another language's insights are
    /// not served, and come back when the language does. Insights from before languages were
    /// recorded are taken to be in `lang`, the language in use when they were written unless it
    /// has changed since.
    pub fn in_language(&self, lang: &str) -> Cache {
        if !lang.is_empty() {
            let adopted = self.conn().execute(
                "UPDATE insights SET lang = ?1 WHERE lang = ''",
                rusqlite::params![lang],
            );
            if let Err(error) = adopted {
                tracing::warn!(%error, "could not label older insights with their language");
            }
        }
        Cache {
            conn: self.conn.clone(),
            lang: Arc::from(lang),
        }
    }

    /// The language insights are read and written in.
    pub(crate) fn lang(&self) -> &str {
        &self.lang
    }

    /// The connection; a panic while it was held cannot leave SQLite inconsistent (every
    /// write is one statement or one transaction), so a poisoned lock is simply taken over.
    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Names the usual cause (the folder) when SQLite could not create or write the file.
fn unwritable(path: &Path, error: CacheError) -> CacheError {
    let code = match &error {
        CacheError::Database(e) => e.sqlite_error_code(),
        _ => None,
    };
    match code {
        Some(
            ErrorCode::CannotOpen
            | ErrorCode::ReadOnly
            | ErrorCode::PermissionDenied
            | ErrorCode::DiskFull,
        ) => CacheError::Unwritable {
            path: path.to_path_buf(),
        },
        _ => error,
    }
}

/// Opens and checks an existing or new file, then migrates it. Reads the version before
/// anything writes, so a newer file is never modified.
fn open_file(path: &Path) -> Result<Cache, Failure> {
    let mut conn = Connection::open(path).map_err(CacheError::from)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    let found = schema::version(&conn)?;
    if found > SCHEMA_VERSION {
        return Err(Failure::Other(CacheError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        }));
    }
    let check: String = conn.query_row("PRAGMA quick_check", [], |row| row.get(0))?;
    if check != "ok" {
        return Err(Failure::Corrupt);
    }
    conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
    // A cache can lose its last write on power loss without harm; NORMAL is safe with WAL.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    schema::migrate(&mut conn, found)?;
    Ok(Cache::wrap(conn))
}

/// Renames a damaged file (and its `-wal`/`-shm` companions, kept next to it under the same
/// new name so SQLite could still read them together) to `<name>.corrupt-<unix time>`.
fn set_aside(path: &Path) -> Result<PathBuf, CacheError> {
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let mut backup = path.with_file_name(format!("{name}.corrupt-{stamp}"));
    let mut n = 1;
    while backup.exists() {
        n += 1;
        backup = path.with_file_name(format!("{name}.corrupt-{stamp}-{n}"));
    }
    let rename = |from: &Path, to: &Path| {
        std::fs::rename(from, to).map_err(|source| CacheError::Io {
            path: from.to_path_buf(),
            source,
        })
    };
    rename(path, &backup)?;
    for suffix in ["-wal", "-shm"] {
        let companion = with_suffix(path, suffix);
        if companion.exists() {
            rename(&companion, &with_suffix(&backup, suffix))?;
        }
    }
    Ok(backup)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

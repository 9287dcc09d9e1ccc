//! Errors of the SQLite insight cache.

use crate::{ErrorKind, Kinded};
use std::path::PathBuf;

/// Why the insight cache could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The cache folder or file could not be created, renamed or opened.
    #[error("The insight cache at {} could not be used ({source}); check that the data folder is writable, or set SPOTIFY_PLUS_DATA_DIR to another folder.", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// The underlying failure.
        #[source]
        source: std::io::Error,
    },
    /// SQLite could not create or write the file: a read-only, full or forbidden data folder.
    #[error("The insight cache at {} cannot be written (the data folder is read-only, full or not yours); check that the data folder is writable, or set SPOTIFY_PLUS_DATA_DIR to another folder.", path.display())]
    Unwritable {
        /// The cache file.
        path: PathBuf,
    },
    /// The file was written by a newer Spotify Plus; it is left untouched.
    #[error("The insight cache at {} was written by a newer version of Spotify Plus (schema {found}, this version knows up to {supported}); update the app, or move that file away to start a fresh cache.", path.display())]
    NewerSchema {
        /// The cache file.
        path: PathBuf,
        /// Schema version found in the file.
        found: i32,
        /// Newest schema version this build knows.
        supported: i32,
    },
    /// SQLite failed while reading or writing.
    #[error("The insight cache could not be read or written ({0}); insights still work but may not be saved.")]
    Database(#[from] rusqlite::Error),
}

impl Kinded for CacheError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Io { .. } => ErrorKind::CacheIo,
            Self::Unwritable { .. } => ErrorKind::CacheUnwritable,
            Self::NewerSchema { .. } => ErrorKind::CacheNewerSchema,
            Self::Database(_) => ErrorKind::CacheDatabase,
        }
    }
}

//! The data folder holds the listening history (the insight cache), the settings and, without a
//! keyring, the tokens: it is made readable by the user only, and what a crash left half
//! written is removed before anything else reads it.

use std::fs;
use std::io;
use std::path::Path;

/// The insight cache's file name.
pub const CACHE_FILE: &str = "insights.sqlite3";

/// Files of the folder that are tightened to 0600 if an older version left them readable.
const PRIVATE_FILES: [&str; 5] = [
    "settings.json",
    CACHE_FILE,
    "insights.sqlite3-wal",
    "insights.sqlite3-shm",
    "insights.sqlite3-journal",
];

/// Creates `dir` if needed, makes it and its files private (0700 and 0600 on Unix), creates
/// the cache file private so SQLite never makes it readable by others (its journals take the
/// file's mode), and removes temporary files left by an interrupted write
/// (`.<name>.<number>.tmp`, see [`crate::vault::write_private`]). Call it once per process,
/// before anything writes to the folder.
pub fn prepare(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    private(dir, 0o700)?;
    for name in PRIVATE_FILES {
        let path = dir.join(name);
        if path.exists() {
            private(&path, 0o600)?;
        }
    }
    let cache = dir.join(CACHE_FILE);
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&cache) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(e),
        _ => {}
    }
    for entry in fs::read_dir(dir)?.flatten() {
        let name = entry.file_name();
        if is_stale_temporary(&name.to_string_lossy()) {
            tracing::info!(file = %name.to_string_lossy(), "removing a file an interrupted write left");
            let _ = fs::remove_file(entry.path());
        }
    }
    Ok(())
}

/// `.<name>.<digits>.tmp`, the shape of [`crate::vault::write_private`]'s temporary files.
fn is_stale_temporary(name: &str) -> bool {
    let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    inner.rsplit_once('.').is_some_and(|(file, digits)| {
        !file.is_empty() && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

#[cfg(unix)]
fn private(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn private(_path: &Path, _mode: u32) -> io::Result<()> {
    // Windows keeps the profile folder's ACL (the user's own), macOS likewise for its
    // Application Support folder.
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn the_folder_and_its_files_are_private_and_crash_leftovers_go() {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("data");
        fs::create_dir(&dir).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
        fs::write(dir.join("settings.json"), "{}").unwrap();
        fs::set_permissions(dir.join("settings.json"), fs::Permissions::from_mode(0o644)).unwrap();
        for leftover in [".tokens.json.3141592.tmp", ".secrets.json.7.tmp"] {
            fs::write(dir.join(leftover), "{\"refresh\":\"x\"}").unwrap();
        }
        for kept in ["notes.tmp", ".tokens.json.tmp", "tokens.json"] {
            fs::write(dir.join(kept), "").unwrap();
        }
        prepare(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("settings.json")), 0o600);
        assert_eq!(mode(&dir.join(CACHE_FILE)), 0o600);
        let mut left: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                ".tokens.json.tmp",
                CACHE_FILE,
                "notes.tmp",
                "settings.json",
                "tokens.json"
            ]
        );
        // SQLite opens the empty private file as a new database and keeps its mode.
        let opened = crate::cache::Cache::open(&dir.join(CACHE_FILE)).unwrap();
        drop(opened);
        assert_eq!(mode(&dir.join(CACHE_FILE)), 0o600);
    }
}

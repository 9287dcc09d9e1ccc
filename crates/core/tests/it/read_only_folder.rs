//! A data folder the app cannot write (Unix permissions, and `chattr +i` for root): insights
//! are still shown, from memory, and nothing is saved.

use crate::app_resilience::{cache_path, fakes, insights_work, start};
use crate::spotify_common::signed_in;
use spotify_plus_fakes::spotify::library::PLAIN_TRACK_ID;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Makes a folder read-only for this process, even as root (`chattr +i`); undone on drop.
struct ReadOnly {
    dir: PathBuf,
    immutable: bool,
}

impl ReadOnly {
    fn new(dir: &Path) -> Option<Self> {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        let mut guard = Self {
            dir: dir.to_path_buf(),
            immutable: false,
        };
        if guard.writable() {
            // Root ignores permissions; the immutable attribute binds it too.
            guard.immutable = Command::new("chattr")
                .arg("+i")
                .arg(dir)
                .status()
                .is_ok_and(|s| s.success());
        }
        (!guard.writable()).then_some(guard)
    }

    fn writable(&self) -> bool {
        let probe = self.dir.join(".probe");
        let ok = std::fs::write(&probe, b"x").is_ok();
        let _ = std::fs::remove_file(probe);
        ok
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if self.immutable {
            let _ = Command::new("chattr").arg("-i").arg(&self.dir).status();
        }
        let _ = std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o755));
    }
}

#[tokio::test]
async fn a_read_only_data_folder_still_shows_insights_without_saving() {
    let f = fakes().await;
    let dir = tempfile::tempdir().unwrap();
    signed_in(&f.spotify, &dir.path().join("tokens.json"));
    // Where no folder can be made read-only (root on a file system without `chattr +i`), the
    // test cannot run as written: it fails rather than pass without testing anything.
    let _read_only = ReadOnly::new(dir.path()).expect(
        "cannot make a read-only folder here (root on a file system without chattr +i): this test cannot run as written",
    );
    let app = start(&f, dir.path(), false);
    let status = app.status();
    assert_eq!(status.state, "ready", "the saved sign-in is still read");
    assert_eq!(status.notices.len(), 1, "{:?}", status.notices);
    let notice = &status.notices[0];
    assert!(
        notice.contains("writable") && notice.contains("not saved"),
        "{notice}"
    );
    insights_work(&app, PLAIN_TRACK_ID).await;
    // Shown again from memory for the rest of the session, without another model call.
    let calls = f.openai.chat_calls();
    insights_work(&app, PLAIN_TRACK_ID).await;
    assert_eq!(f.openai.chat_calls(), calls);
    assert!(!cache_path(dir.path()).exists());
}

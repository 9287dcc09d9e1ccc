//! The page's types are generated from these Rust types into `ui/js/bindings/` (by ts-rs) and
//! checked here for drift: change a view model, run
//! `UPDATE_BINDINGS=1 cargo test -p spotify-plus --lib bindings`, and `tsc` then checks every
//! use in the page.

use crate::commands::session::ShellStatus;
use spotify_plus_core::app::ModelStatus;
use spotify_plus_core::insight::InsightEvent;
use spotify_plus_core::settings::{SettingsForm, SettingsView};
use spotify_plus_core::spotify::models::{Artist, NowPlaying, PlaylistSummary, Track};
use spotify_plus_core::spotify::{AlbumPage, SearchResults};
use spotify_plus_core::spotify::{Page, PlayRequest, Playback, PlaylistPage};
use spotify_plus_core::UiError;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use ts_rs::{Config, TS};

/// Writes every type the page receives or sends, with the types they use, into `dir`.
fn export_all(dir: &Path) {
    // Durations and counts are JSON numbers, far below 2^53.
    let cfg = &Config::new().with_out_dir(dir).with_large_int("number");
    let results = [
        ShellStatus::export_all(cfg),
        ModelStatus::export_all(cfg),
        InsightEvent::export_all(cfg),
        SettingsForm::export_all(cfg),
        SettingsView::export_all(cfg),
        Artist::export_all(cfg),
        NowPlaying::export_all(cfg),
        Playback::export_all(cfg),
        PlayRequest::export_all(cfg),
        Page::<PlaylistSummary>::export_all(cfg),
        PlaylistPage::export_all(cfg),
        Track::export_all(cfg),
        UiError::export_all(cfg),
        SearchResults::export_all(cfg),
        AlbumPage::export_all(cfg),
    ];
    for result in results {
        result.expect("bindings export");
    }
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (name, std::fs::read_to_string(e.path()).unwrap_or_default())
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn generated_bindings_match_the_rust_types() {
    let committed: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/js/bindings");
    let fresh = tempfile::tempdir().unwrap();
    export_all(fresh.path());
    let generated = read_dir(fresh.path());
    assert!(
        generated.contains_key("UiError.ts"),
        "{:?}",
        generated.keys()
    );
    if std::env::var("UPDATE_BINDINGS").is_ok_and(|v| v == "1") {
        let _ = std::fs::remove_dir_all(&committed);
        std::fs::create_dir_all(&committed).unwrap();
        for (name, text) in &generated {
            std::fs::write(committed.join(name), text).unwrap();
        }
    }
    let on_disk = read_dir(&committed);
    let stale: BTreeSet<&String> = generated
        .keys()
        .chain(on_disk.keys())
        .filter(|name| generated.get(*name) != on_disk.get(*name))
        .collect();
    assert!(
        stale.is_empty(),
        "ui/js/bindings is out of date for {stale:?}: run `UPDATE_BINDINGS=1 cargo test -p spotify-plus --lib bindings`"
    );
}

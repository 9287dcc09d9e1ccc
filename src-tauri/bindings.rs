//! The page's types are generated from these Rust types into `ui/js/bindings/` (by ts-rs), and
//! its contract (every command and event, `contract.js`) from `contract.rs`; both are checked here
//! for drift: change a view model or a command, run
//! `UPDATE_BINDINGS=1 cargo test -p spotify-plus --lib bindings`, and `tsc` then checks every
//! use in the page.

use crate::commands::session::ShellStatus;
use spotify_plus_core::app::{ModelStatus, PagePart};
use spotify_plus_core::insight::InsightEvent;
use spotify_plus_core::lyrics::versions::LyricsTask;
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
        PagePart::<Track>::export_all(cfg),
        LyricsTask::export_all(cfg),
    ];
    for result in results {
        result.expect("bindings export");
    }
    std::fs::write(dir.join("contract.js"), contract_js(cfg, dir)).expect("contract written");
}

/// The type parameters a generated type declares (`export type Page<T> = ...`), for its alias.
fn type_params(dir: &Path, file: &str, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(format!("{file}.ts"))).ok()?;
    let head = format!("export type {name}<");
    let start = text.find(&head)? + head.len();
    let end = start + text[start..].find('>')?;
    Some(text[start..end].to_string())
}

/// `snake_case` as the page writes it (`camelCase`), as Tauri maps command arguments.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        match c {
            '_' | '-' => upper = true,
            c if upper => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            c => out.push(c),
        }
    }
    out
}

/// The page's side of `contract.rs`: the names to call and listen to, and their types.
fn contract_js(cfg: &Config, dir: &Path) -> String {
    let commands = crate::contract::commands(cfg);
    let events = crate::contract::events(cfg);
    let mut imports = BTreeMap::new();
    for dep in commands
        .iter()
        .flat_map(|c| &c.uses)
        .chain(events.iter().flat_map(|e| &e.uses))
    {
        let file = dep.output_path.with_extension("");
        imports.insert(dep.ts_name.clone(), file.display().to_string());
    }
    let mut js = String::from(
        "// @ts-check\n// Generated from src-tauri/contract.rs by `UPDATE_BINDINGS=1 cargo test -p spotify-plus --lib bindings`; do not edit.\n\n",
    );
    for (name, file) in &imports {
        js += &match type_params(dir, file, name) {
            Some(params) => format!(
                "/** @template {params} @typedef {{import(\"./{file}\").{name}<{params}>}} {name} */\n"
            ),
            None => format!("/** @typedef {{import(\"./{file}\").{name}}} {name} */\n"),
        };
    }
    js += "\n/**\n * Every command the page may call: its arguments (channels included) and its answer.\n * @typedef {{\n";
    for c in &commands {
        let args: Vec<String> = c
            .args
            .iter()
            .map(|(name, ty)| format!("{}: {ty}", camel(name)))
            .collect();
        js += &format!(
            " *   {}: {{ args: {{ {} }}, result: {} }},\n",
            c.name,
            args.join(", "),
            c.result
        );
    }
    js += " * }} Commands\n */\n\n/**\n * Every event the app sends the page, with what it carries.\n * @typedef {{\n";
    for e in &events {
        js += &format!(" *   \"{}\": {},\n", e.name, e.payload);
    }
    js += " * }} Events\n */\n\n/** The commands, by their name in the page. */\nexport const COMMAND = /** @type {const} */ ({\n";
    for c in &commands {
        js += &format!("  {}: \"{}\",\n", camel(c.name), c.name);
    }
    js += "});\n\n/** The events, by their name in the page. */\nexport const EVENT = /** @type {const} */ ({\n";
    for e in &events {
        js += &format!("  {}: \"{}\",\n", camel(e.name), e.name);
    }
    js += "});\n\n/** Commands whose success means Spotify answered. @type {ReadonlySet<string>} */\nexport const ASKS_SPOTIFY = new Set([\n";
    for c in commands.iter().filter(|c| c.asks_spotify) {
        js += &format!("  COMMAND.{},\n", camel(c.name));
    }
    js += "]);\n";
    js
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "ts" || x == "js"))
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

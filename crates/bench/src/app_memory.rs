//! The real app in a real window under its own Xvfb: time to a visible window, and resident
//! memory idle on a track page (app plus its WebKit processes).

use crate::cold::{MODEL_FIRST_TOKEN, MODEL_TOTAL, SPOTIFY_LATENCY};
use crate::rig::{track_ids, Rig};
use crate::stats::Samples;
use fantoccini::{Client, Locator};
use spotify_plus_test_support::{
    display::Display,
    process::{free_port, Group},
    procfs::{find_below, tree_memory, ProcessMemory},
    webdriver::start_session,
};
use std::ops::Range;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long anything in a window run may take before the run fails.
pub const WAIT: Duration = Duration::from_secs(30);
/// How long the app sits idle on the track page before its memory is read.
const IDLE: Duration = Duration::from_secs(3);
/// The app window's title.
pub const TITLE: &str = "Spotify Plus";

/// What the window runs cost.
pub struct AppFigures {
    pub startup_to_window_ms: Samples,
    pub startup_to_ui_ms: Samples,
    pub idle_rss_mb: Samples,
    pub idle_pss_mb: Samples,
    pub processes: Vec<ProcessMemory>,
}

/// Environment for the app: the fakes, a signed-in data folder, this display.
pub fn app_env(rig: &Rig, data_dir: &Path, display: &str) -> Vec<(String, String)> {
    let mut env = rig.env(data_dir);
    env.push(("SPOTIFY_REDIRECT_PORT".into(), free_port().to_string()));
    env.push(("DISPLAY".into(), display.into()));
    env.push(("RUST_LOG".into(), "warn".into()));
    env
}

/// The fakes (with the cold-page latencies) and a private display numbered in `displays`, for
/// a run of real windows; fails first if one of `binaries` was not built.
pub async fn window_rig(binaries: &[&Path], displays: Range<u32>) -> (Rig, Display) {
    for binary in binaries {
        assert!(
            binary.exists(),
            "{} is missing: build it first (`cargo build --workspace --bins`)",
            binary.display()
        );
    }
    let rig = Rig::start(SPOTIFY_LATENCY, MODEL_FIRST_TOKEN, MODEL_TOTAL).await;
    (rig, Display::start(displays, WAIT))
}

/// A WebDriver session with the app started with `env` from an empty working folder (so no
/// `.env` of this checkout is read); the folder lives as long as the returned guard.
pub async fn app_session(
    app: &Path,
    env: &[(String, String)],
) -> (tempfile::TempDir, Group, Client) {
    let cwd = tempfile::tempdir().expect("temp dir");
    let configure = |command: &mut Command| {
        command
            .current_dir(cwd.path())
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::null())
            .stderr(Stdio::null());
    };
    let (driver, client) = start_session(app, configure, WAIT).await;
    (cwd, driver, client)
}

/// `startups` direct launches (time to a visible window) and `visits` launches through
/// WebDriver to a track page (memory when idle there).
pub async fn run(app: &Path, startups: usize, visits: usize) -> AppFigures {
    // Above the numbers the end-to-end tests use (100..200), so both can run at once.
    let (rig, xvfb) = window_rig(&[app], 300..400).await;
    let display = xvfb.name();
    let mut figures = AppFigures {
        startup_to_window_ms: Samples::default(),
        startup_to_ui_ms: Samples::default(),
        idle_rss_mb: Samples::default(),
        idle_pss_mb: Samples::default(),
        processes: Vec::new(),
    };
    for _ in 0..startups {
        let data_dir = tempfile::tempdir().expect("temp dir");
        rig.seed_tokens(data_dir.path());
        let env = app_env(&rig, data_dir.path(), display);
        let ms = time_to_window(app, &env, display).await;
        figures.startup_to_window_ms.push(ms);
    }
    for (i, id) in track_ids().iter().take(visits).enumerate() {
        let data_dir = tempfile::tempdir().expect("temp dir");
        rig.seed_tokens(data_dir.path());
        let env = app_env(&rig, data_dir.path(), display);
        let (ui_ms, processes) = idle_on_track_page(app, &env, id).await;
        figures.startup_to_ui_ms.push(ui_ms);
        let kb = |f: fn(&ProcessMemory) -> u64| processes.iter().map(f).sum::<u64>() as f64;
        figures.idle_rss_mb.push(kb(|p| p.rss_kb) / 1024.0);
        figures.idle_pss_mb.push(kb(|p| p.pss_kb) / 1024.0);
        if i == 0 {
            figures.processes = processes;
        }
    }
    figures
}

/// Launches the app directly and waits until X reports its window viewable (mapped).
async fn time_to_window(app: &Path, env: &[(String, String)], display: &str) -> f64 {
    let cwd = tempfile::tempdir().expect("temp dir");
    let log = cwd.path().join("app.log");
    let mut command = Command::new(app);
    command
        .current_dir(cwd.path())
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log file"));
    let start = Instant::now();
    let _app = Group::spawn(&mut command);
    loop {
        let out = Command::new("xwininfo")
            .args(["-display", display, "-name", TITLE])
            .stderr(Stdio::null())
            .output()
            .expect("xwininfo (package x11-utils) runs");
        if String::from_utf8_lossy(&out.stdout).contains("IsViewable") {
            return start.elapsed().as_secs_f64() * 1e3;
        }
        assert!(
            start.elapsed() < WAIT,
            "no {TITLE:?} window within {WAIT:?}; the app said:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        // The fakes serve the starting app from this runtime: yield, do not block.
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Launches the app through tauri-driver, opens a track page, waits for both insights, idles,
/// then reads the memory of the app and every process below it. Also returns the time from
/// asking WebDriver for a session to the home view being shown.
async fn idle_on_track_page(
    app: &Path,
    env: &[(String, String)],
    id: &str,
) -> (f64, Vec<ProcessMemory>) {
    let start = Instant::now();
    let (_cwd, driver, client) = app_session(app, env).await;
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("[data-testid=\"now-playing\"]"))
        .await
        .expect("the home view");
    let ui_ms = start.elapsed().as_secs_f64() * 1e3;
    client
        .execute(
            "window.location.hash = arguments[0]; return null;",
            vec![serde_json::json!(format!("#/track/{id}"))],
        )
        .await
        .expect("navigate");
    for testid in ["track-insight", "artists-insight"] {
        wait_done(&client, testid).await;
    }
    tokio::time::sleep(IDLE).await;
    let app_name: String = app
        .file_name()
        .map(|n| n.to_string_lossy().chars().take(15).collect())
        .unwrap_or_default();
    let processes = app_tree(driver.pid(), &app_name);
    let _ = client.close().await;
    drop(driver);
    (ui_ms, processes)
}

/// Waits until the insight card `testid` shows a complete insight.
pub async fn wait_done(client: &Client, testid: &str) {
    let js = format!(
        "const el = document.querySelector('[data-testid=\"{testid}\"]'); return !!el && el.dataset.state === 'done';"
    );
    let start = Instant::now();
    while client.execute(&js, vec![]).await.expect("script") != serde_json::json!(true) {
        assert!(start.elapsed() < WAIT, "{testid} did not finish");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The app process below `root` (named `app_name`, as /proc abbreviates it) and everything
/// below it, with their memory.
fn app_tree(root: u32, app_name: &str) -> Vec<ProcessMemory> {
    let app = find_below(root, app_name).expect("the app process under tauri-driver");
    tree_memory(app)
}

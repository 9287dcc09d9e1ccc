//! The window against the floor of its stack, and the app in the tray: an empty Tauri window and
//! the app on its signed-in home view (same Tauri, WebKitGTK and window size), the app after
//! closing to the tray, and how fast the tray's Show brings a page back. Each is launched as a
//! user launches it (no WebDriver) on a private Xvfb and D-Bus; only the time to the page drawn
//! needs WebDriver, to see the page.

use crate::app_memory::{app_env, app_session, wait_done, window_rig, TITLE, WAIT};
use crate::report::Row;
use crate::rig::{track_ids, Rig};
use crate::stats::Samples;
use spotify_plus_test_support::{
    bus::SessionBus,
    display::{close_window, windows_titled},
    process::Group,
    procfs::{find_below, tree_memory, ProcessMemory},
    tray::TrayMenu,
};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The bare window's title (its tauri.conf.json).
const BARE_TITLE: &str = "Bare Window";
const TRAY_SHOW: &str = "Show/Hide window";

/// How long each phase waits before memory is read.
pub struct Timing {
    /// After the window (bare or the app's home view) is drawn.
    pub settle: Duration,
    /// After closing to the tray.
    pub tray_idle: Duration,
}

/// Memory of one phase: the sums over the process tree, and the processes of the first run.
#[derive(Default)]
pub struct Phase {
    pub rss_mb: Samples,
    pub pss_mb: Samples,
    pub processes: Vec<ProcessMemory>,
}

impl Phase {
    fn push(&mut self, processes: Vec<ProcessMemory>) {
        let mb =
            |f: fn(&ProcessMemory) -> u64| processes.iter().map(f).sum::<u64>() as f64 / 1024.0;
        self.rss_mb.push(mb(|p| p.rss_kb));
        self.pss_mb.push(mb(|p| p.pss_kb));
        if self.processes.is_empty() {
            self.processes = processes;
        }
    }
}

/// What the runs measured.
pub struct TrayFigures {
    pub bare: Phase,
    pub home: Phase,
    pub tray: Phase,
    /// Tray Show to the window mapped, without WebDriver (WebKit's processes start again).
    pub reopen_to_window_ms: Samples,
    /// Tray Show to the track page drawn with its cached insights (through WebDriver).
    pub reopen_to_view_ms: Samples,
    /// Model calls made by those reopened pages (the cache serves them: 0).
    pub reopen_model_calls: usize,
}

/// `runs` times: the bare window, the app's home view, the app in the tray, the tray's Show;
/// then `runs` reopenings of a track page through WebDriver.
pub async fn run(app: &Path, bare: &Path, runs: usize, timing: &Timing) -> TrayFigures {
    // Above the numbers the end-to-end tests (100..200) and the other window runs (300..400) use.
    let (rig, xvfb) = window_rig(&[app, bare], 400..500).await;
    let display = xvfb.name();
    let mut figures = TrayFigures {
        bare: Phase::default(),
        home: Phase::default(),
        tray: Phase::default(),
        reopen_to_window_ms: Samples::default(),
        reopen_to_view_ms: Samples::default(),
        reopen_model_calls: 0,
    };
    for _ in 0..runs {
        figures
            .bare
            .push(bare_window(bare, display, timing.settle).await);
        let bus = SessionBus::start();
        let data_dir = tempfile::tempdir().expect("temp dir");
        rig.seed_tokens(data_dir.path());
        let mut env = app_env(&rig, data_dir.path(), display);
        env.push(("DBUS_SESSION_BUS_ADDRESS".into(), bus.address.clone()));
        let cwd = tempfile::tempdir().expect("temp dir");
        let playlists_before = rig.spotify.api_requests("/me/playlists");
        let app_group = Group::spawn(
            Command::new(app)
                .current_dir(cwd.path())
                .envs(env.iter().map(|(k, v)| (k, v)))
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        );
        let pid = app_group.pid();
        until(WAIT, "the app's window", || {
            windows_titled(display, TITLE).len() == 1
        })
        .await;
        // The home view asks for the playlists once it runs: the page is up.
        until(WAIT, "the home view", || {
            rig.spotify.api_requests("/me/playlists") > playlists_before
        })
        .await;
        tokio::time::sleep(timing.settle).await;
        figures.home.push(tree_memory(pid));

        assert_eq!(close_window(display, TITLE), 1, "the app's window");
        until(WAIT, "the window to close", || {
            windows_titled(display, TITLE).is_empty()
        })
        .await;
        tokio::time::sleep(timing.tray_idle).await;
        figures.tray.push(tree_memory(pid));

        let menu = TrayMenu::find(&bus.address, pid, WAIT);
        let start = Instant::now();
        menu.click(TRAY_SHOW);
        until(WAIT, "the window to come back", || {
            windows_titled(display, TITLE).len() == 1
        })
        .await;
        figures.reopen_to_window_ms.push_ms(start.elapsed());
        drop(app_group);
    }
    for id in track_ids().iter().take(runs) {
        let (ms, model_calls) = reopen_track_page(&rig, app, display, id).await;
        figures.reopen_to_view_ms.push(ms);
        figures.reopen_model_calls += model_calls;
    }
    figures
}

/// Launches the bare window, waits until it is mapped and `settle` more, reads its memory.
async fn bare_window(bare: &Path, display: &str, settle: Duration) -> Vec<ProcessMemory> {
    let cwd = tempfile::tempdir().expect("temp dir");
    let group = Group::spawn(
        Command::new(bare)
            .current_dir(cwd.path())
            .env("DISPLAY", display)
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
    );
    until(WAIT, "the bare window", || {
        windows_titled(display, BARE_TITLE).len() == 1
    })
    .await;
    tokio::time::sleep(settle).await;
    tree_memory(group.pid())
}

/// Opens a track page through WebDriver, waits for its insights, closes the window to the tray,
/// and returns the time from the tray's Show to the page drawn again with its insights, and the
/// model calls made meanwhile.
async fn reopen_track_page(rig: &Rig, app: &Path, display: &str, id: &str) -> (f64, usize) {
    let bus = SessionBus::start();
    let data_dir = tempfile::tempdir().expect("temp dir");
    rig.seed_tokens(data_dir.path());
    let mut env = app_env(rig, data_dir.path(), display);
    env.push(("DBUS_SESSION_BUS_ADDRESS".into(), bus.address.clone()));
    let (_cwd, driver, client) = app_session(app, &env).await;
    let route = format!("#/track/{id}");
    client
        .execute(
            "window.location.hash = arguments[0]; return null;",
            vec![serde_json::json!(route)],
        )
        .await
        .expect("navigate");
    for testid in ["track-insight", "artists-insight"] {
        wait_done(&client, testid).await;
    }
    let app_name: String = app
        .file_name()
        .map(|n| n.to_string_lossy().chars().take(15).collect())
        .unwrap_or_default();
    let pid = find_below(driver.pid(), &app_name).expect("the app under tauri-driver");
    assert_eq!(close_window(display, TITLE), 1, "the app's window");
    until(WAIT, "the window to close", || {
        windows_titled(display, TITLE).is_empty()
    })
    .await;
    // Past the end of the web process and the app's trim of its memory, as after a while in
    // the tray. (An app that only hides its window keeps its web process: measured all the same.)
    tokio::time::sleep(Duration::from_secs(3)).await;
    let menu = TrayMenu::find(&bus.address, pid, WAIT);

    let model_calls = rig.openai.chat_calls();
    let start = Instant::now();
    menu.click(TRAY_SHOW);
    // The page is drawn when it is the same route, both insights are complete, and a frame
    // has been drawn since (two animation frames).
    let drawn = format!(
        "return location.hash === {} && ['track-insight', 'artists-insight'].every((id) => document.querySelector(`[data-testid=\"${{id}}\"]`)?.dataset.state === 'done');",
        serde_json::json!(route)
    );
    loop {
        assert!(start.elapsed() < WAIT, "the track page did not come back");
        // The new window is WebDriver's last; the old one went with its page.
        if let Some(handle) = client.windows().await.ok().and_then(|w| w.last().cloned()) {
            if client.switch_to_window(handle).await.is_ok()
                && client.execute(&drawn, vec![]).await.ok() == Some(serde_json::json!(true))
            {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    client
        .execute_async(
            "requestAnimationFrame(() => requestAnimationFrame(() => arguments[0]()));",
            vec![],
        )
        .await
        .expect("a frame drawn");
    let ms = start.elapsed().as_secs_f64() * 1e3;
    let calls = rig.openai.chat_calls() - model_calls;
    let _ = client.close().await;
    drop(driver);
    (ms, calls)
}

async fn until(wait: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < wait, "no {what} within {wait:?}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// The app on its home view against the bare window, in PSS (medians).
pub fn window_pss_ratio(t: &TrayFigures) -> f64 {
    t.home.pss_mb.summary().p50 / t.bare.pss_mb.summary().p50
}

/// The rows of the bare-window, tray and reopen runs.
pub fn rows(t: &TrayFigures) -> Vec<Row> {
    let (bare, bare_rss) = (t.bare.pss_mb.summary(), t.bare.rss_mb.summary());
    let (home, home_rss) = (t.home.pss_mb.summary(), t.home.rss_mb.summary());
    let (idle, idle_rss) = (t.tray.pss_mb.summary(), t.tray.rss_mb.summary());
    let ratio = window_pss_ratio(t);
    let view = t.reopen_to_view_ms.summary();
    let window = t.reopen_to_window_ms.summary();
    vec![
        Row::spread(
            "bare Tauri window, PSS sum (MB)",
            bare.p50,
            bare.p95,
            "",
            None,
        ),
        Row::spread("  RSS sum (MB)", bare_rss.p50, bare_rss.p95, "", None),
        Row::spread("home view, PSS sum (MB)", home.p50, home.p95, "", None),
        Row::spread("  RSS sum (MB)", home_rss.p50, home_rss.p95, "", None),
        Row::single(
            "window_pss_ratio (home view / bare window)",
            ratio,
            "<= 1.10",
            Some(ratio <= 1.10),
        ),
        Row::spread(
            "tray_idle_pss_mb (all processes)",
            idle.p50,
            idle.p95,
            "<= 100",
            Some(idle.p50 <= 100.0),
        ),
        Row::spread("  RSS sum (MB)", idle_rss.p50, idle_rss.p95, "", None),
        Row::spread(
            "reopen_to_view_ms (tray Show to track page drawn)",
            view.p50,
            view.p95,
            "< 700",
            Some(view.p50 < 700.0),
        ),
        Row::single(
            &format!("  model calls ({} reopenings)", view.n),
            t.reopen_model_calls as f64,
            "0",
            Some(t.reopen_model_calls == 0),
        ),
        Row::spread(
            "  tray Show to window mapped, no WebDriver (ms)",
            window.p50,
            window.p95,
            "",
            None,
        ),
    ]
}

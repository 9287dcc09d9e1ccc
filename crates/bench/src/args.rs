//! The command line: which runs, how many of each (full or smoke), and where the binaries are.

use crate::{companion, tray};
use std::path::{Path, PathBuf};
use std::time::Duration;

const USAGE: &str = "usage: spotify-plus-bench [--smoke] [--skip-app] [--release] [--app PATH] [--bare PATH] [--out DIR]
  --smoke     few iterations: checks that everything runs (figures are not meaningful)
  --skip-app  skip the real window (no Xvfb/tauri-driver): the window figures are null
  --release   measure the release builds (target/release/...; scripts/bench.sh builds them)
  --app PATH  the app binary to launch (default target/debug/spotify-plus)
  --bare PATH the empty Tauri window to compare with (default target/debug/spotify-plus-bare-window)
  --out DIR   where to write summary.json and details.json (default target/bench)";

/// How many times each scenario runs.
pub struct Sizes {
    pub cold_runs: usize,
    pub warm_tracks: usize,
    pub warm_repeats: usize,
    pub cache_insights: usize,
    pub cache_lookups: usize,
    pub startups: usize,
    pub visits: usize,
    /// Bare window, home view, tray and reopen runs.
    pub tray_runs: usize,
    pub tray: tray::Timing,
    pub companion: companion::Timing,
}

pub const FULL: Sizes = Sizes {
    cold_runs: 20,
    warm_tracks: 10,
    warm_repeats: 10,
    cache_insights: 100_000,
    cache_lookups: 10_000,
    startups: 5,
    visits: 3,
    tray_runs: 3,
    // As the issue measured: 10 s after start; 30 s after closing to the tray.
    tray: tray::Timing {
        settle: Duration::from_secs(10),
        tray_idle: Duration::from_secs(30),
    },
    companion: companion::Timing {
        changes: 5,
        sample: Duration::from_secs(4),
        count_for: Duration::from_secs(90),
        lyric_lines: 12,
    },
};

pub const SMOKE: Sizes = Sizes {
    cold_runs: 3,
    warm_tracks: 3,
    warm_repeats: 3,
    cache_insights: 10_000,
    cache_lookups: 1_000,
    startups: 1,
    visits: 1,
    tray_runs: 1,
    tray: tray::Timing {
        settle: Duration::from_secs(2),
        tray_idle: Duration::from_secs(4),
    },
    companion: companion::Timing {
        changes: 2,
        sample: Duration::from_secs(3),
        count_for: Duration::from_secs(12),
        lyric_lines: 3,
    },
};

pub struct Args {
    pub smoke: bool,
    pub skip_app: bool,
    pub app: PathBuf,
    pub bare: PathBuf,
    pub out: PathBuf,
}

pub fn parse_args() -> Args {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().unwrap_or(root);
    let mut args = Args {
        smoke: false,
        skip_app: false,
        app: root.join("target/debug/spotify-plus"),
        bare: root.join("target/debug/spotify-plus-bare-window"),
        out: root.join("target/bench"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--smoke" => args.smoke = true,
            "--skip-app" => args.skip_app = true,
            "--release" => {
                args.app = root.join("target/release/spotify-plus");
                args.bare = root.join("target/release/spotify-plus-bare-window");
            }
            "--bare" => args.bare = it.next().map(absolute).unwrap_or_else(|| usage()),
            // Absolute, because the app is started from a folder of its own.
            "--app" => args.app = it.next().map(absolute).unwrap_or_else(|| usage()),
            "--out" => args.out = it.next().map(PathBuf::from).unwrap_or_else(|| usage()),
            _ => usage(),
        }
    }
    args
}

fn absolute(path: String) -> PathBuf {
    std::path::absolute(&path).unwrap_or_else(|_| PathBuf::from(path))
}

fn usage() -> ! {
    eprintln!("{USAGE}");
    std::process::exit(2)
}

//! `spotify-plus-fakes serve` runs the fake servers and prints the settings that point the app
//! at them; `spotify-plus-fakes demo APP` also launches the app against them, with a browser
//! stand-in that completes the fake sign-in, so every view can be tried without accounts.

use spotify_plus_fakes::facts::{FakeFacts, FakeFactsOptions};
use spotify_plus_fakes::lrclib::{FakeLrclib, FakeLrclibOptions};
use spotify_plus_fakes::openai::{FakeOpenAi, FakeOpenAiOptions};
use spotify_plus_fakes::spotify::library::MULTI_ARTIST_TRACK_ID;
use spotify_plus_fakes::spotify::{FakeSpotify, FakeSpotifyOptions, NowPlayingState};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const SPOTIFY_PORT: u16 = 18990;
const OPENAI_PORT: u16 = 18991;
const DEMO_REDIRECT_PORT: u16 = 18992;
const USAGE: &str =
    "usage: spotify-plus-fakes serve | spotify-plus-fakes demo <path to spotify-plus>";

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (spotify, openai) = start().await;
    // Open music data with real-world latency, so grounded insights can be tried too.
    let facts = FakeFacts::start(FakeFactsOptions::realistic())
        .await
        .unwrap_or_else(|e| fail(&format!("fake MusicBrainz/Wikidata/Wikipedia: {e}")));
    // Lyrics for the sample library (synced for the now-playing track), at lrclib.net's latency.
    let lrclib = FakeLrclib::start(FakeLrclibOptions::realistic())
        .await
        .unwrap_or_else(|e| fail(&format!("fake LRCLIB: {e}")));
    let mut env = settings(&spotify, &openai);
    env.extend(facts.env());
    env.extend(lrclib.env());
    match args.first().map(String::as_str) {
        Some("serve") => {
            for (key, value) in &env {
                println!("{key}={value}");
            }
            eprintln!("fakes running; Ctrl-C to stop");
            let _ = tokio::signal::ctrl_c().await;
        }
        Some("demo") if args.len() == 2 => {
            let code = demo(Path::new(&args[1]), &env, &spotify).await;
            std::process::exit(code);
        }
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    }
}

async fn start() -> (FakeSpotify, FakeOpenAi) {
    let spotify = FakeSpotify::start(FakeSpotifyOptions {
        port: Some(SPOTIFY_PORT),
        ..Default::default()
    })
    .await
    .unwrap_or_else(|e| fail(&format!("fake Spotify on port {SPOTIFY_PORT}: {e}")));
    spotify.set_now_playing(NowPlayingState::Track(MULTI_ARTIST_TRACK_ID.to_string()));
    // Latency like a real model's, so streaming is visible.
    let openai = FakeOpenAi::start(FakeOpenAiOptions {
        port: Some(OPENAI_PORT),
        first_token_delay: Duration::from_millis(400),
        total_duration: Duration::from_millis(2500),
        ..Default::default()
    })
    .await
    .unwrap_or_else(|e| fail(&format!("fake OpenAI on port {OPENAI_PORT}: {e}")));
    (spotify, openai)
}

fn settings(spotify: &FakeSpotify, openai: &FakeOpenAi) -> Vec<(&'static str, String)> {
    vec![
        ("CLIENT_ID", "demo-client-id".into()),
        ("OPENAI_API_KEY", "sk-test".into()),
        ("OPENAI_BASE_URL", openai.base_url().to_string()),
        ("OPENAI_MODEL", "gpt-4o-mini".into()),
        ("SPOTIFY_API_BASE_URL", spotify.api_base_url().to_string()),
        (
            "SPOTIFY_ACCOUNTS_BASE_URL",
            spotify.accounts_base_url().to_string(),
        ),
        ("SPOTIFY_REDIRECT_PORT", DEMO_REDIRECT_PORT.to_string()),
    ]
}

async fn demo(app: &Path, env: &[(&'static str, String)], spotify: &FakeSpotify) -> i32 {
    let dir = std::env::temp_dir().join(format!("spotify-plus-demo-{}", std::process::id()));
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap_or_else(|e| fail(&format!("{}: {e}", bin.display())));
    write_browser_stand_in(&bin, spotify);
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    eprintln!("demo: data in {}", dir.display());
    let status = Command::new(app)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("SPOTIFY_PLUS_DEMO", "1")
        .env("SPOTIFY_PLUS_DATA_DIR", dir.join("data"))
        .env("PATH", path)
        .status();
    let _ = std::fs::remove_dir_all(&dir);
    match status {
        Ok(status) => status.code().unwrap_or(1),
        Err(e) => fail(&format!("could not start {}: {e}", app.display())),
    }
}

/// The demo's `xdg-open`: the fake consent page is followed like a browser would (there is
/// nothing to consent to); everything else goes to the real opener.
fn write_browser_stand_in(bin: &Path, spotify: &FakeSpotify) {
    let accounts = spotify.accounts_base_url().to_string();
    let real = which("xdg-open").map_or_else(|| "true".into(), |p| p.display().to_string());
    let script = format!(
        "#!/bin/sh\ncase \"$1\" in\n  {}*) exec curl -sL -o /dev/null \"$1\" ;;\n  *) exec {} \"$1\" ;;\nesac\n",
        accounts.trim_end_matches('/'),
        real
    );
    let path = bin.join("xdg-open");
    std::fs::write(&path, script).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755));
    }
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

fn fail(message: &str) -> ! {
    eprintln!("spotify-plus-fakes: {message}");
    std::process::exit(1)
}

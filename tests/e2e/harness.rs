//! Runs the real `spotify-plus` binary in a real WebKitGTK window under Xvfb, driven over
//! WebDriver (tauri-driver + WebKitWebDriver), against the fake Spotify and OpenAI servers, with
//! a recording `xdg-open` first on PATH that also follows the sign-in URL like a browser.

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use spotify_plus_fakes::facts::{FakeFacts, FakeFactsOptions};
use spotify_plus_fakes::lrclib::{FakeLrclib, FakeLrclibOptions};
use spotify_plus_fakes::openai::{FakeOpenAi, FakeOpenAiOptions};
use spotify_plus_fakes::spotify::{
    FakeSpotify, FakeSpotifyOptions, NowPlayingState, PlayerRequest,
};
use spotify_plus_test_support::{
    display::Display,
    process::{free_port, Group},
    webdriver::start_session,
};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// One end-to-end test runs at a time: each owns a display, a driver and an app.
pub static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const WAIT: Duration = Duration::from_secs(20);

/// The light and the dark theme, as GTK names them (`GTK_THEME`), for tests that run in both.
pub const THEMES: [(&str, &str); 2] = [("light", "Adwaita"), ("dark", "Adwaita:dark")];

/// Prepares the data folder before the app starts (e.g. a damaged cache, saved tokens).
pub type Prepare = Box<dyn FnOnce(&Path, &FakeSpotify) + Send>;

/// What a test may configure before the app starts.
pub struct Options {
    /// Whether CLIENT_ID (and the OpenAI key) are set: `false` shows the setup screen.
    pub configured: bool,
    /// More environment for the app, e.g. `GTK_THEME` or `SPOTIFY_PLUS_DEMO`.
    pub env: Vec<(&'static str, String)>,
    /// Runs on the data folder before the app starts.
    pub prepare: Option<Prepare>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            configured: true,
            env: Vec::new(),
            prepare: None,
        }
    }
}

/// The app, its fakes and its window.
pub struct App {
    pub client: Client,
    pub spotify: FakeSpotify,
    pub openai: FakeOpenAi,
    /// MusicBrainz, Wikidata and Wikipedia: grounding is on by default, and never leaves the machine.
    pub facts: FakeFacts,
    /// LRCLIB, with lyrics for the sample library.
    pub lrclib: FakeLrclib,
    pub data_dir: TempDir,
    opened_log: PathBuf,
    env: Vec<(String, String)>,
    bin_dir: TempDir,
    driver: Option<Group>,
    display: Display,
    name: String,
}

/// The debug build of the app that the tests drive.
pub fn app_binary() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/debug/spotify-plus");
    assert!(
        path.exists(),
        "build the app first (`cargo build`): {} is missing",
        path.display()
    );
    path
}

/// The recording opener: logs every URL; follows the fake's sign-in page like a browser.
fn write_xdg_open(bin_dir: &Path, log: &Path) {
    let script = format!(
        "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\ncase \"$1\" in\n  http://127.0.0.1:*/authorize*) curl -sL -o /dev/null \"$1\" & ;;\nesac\nexit 0\n",
        log.display()
    );
    let path = bin_dir.join("xdg-open");
    std::fs::write(&path, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

impl App {
    /// Starts fakes, Xvfb, tauri-driver and the app; `name` names the screenshots.
    pub async fn start(name: &str, options: Options) -> App {
        let spotify = FakeSpotify::start(FakeSpotifyOptions::default())
            .await
            .expect("fake Spotify");
        // Tests that want something playing say so; otherwise the tray's background fetch
        // of the playing track's insights would mix into their model-call counts.
        spotify.set_now_playing(NowPlayingState::Nothing);
        let openai = FakeOpenAi::start(FakeOpenAiOptions {
            first_token_delay: Duration::from_millis(150),
            total_duration: Duration::from_millis(600),
            ..Default::default()
        })
        .await
        .expect("fake OpenAI");
        let facts = FakeFacts::start(FakeFactsOptions::default())
            .await
            .expect("fake open music data");
        let lrclib = FakeLrclib::start(FakeLrclibOptions::default())
            .await
            .expect("fake LRCLIB");
        let data_dir = tempfile::tempdir().unwrap();
        let bin_dir = tempfile::tempdir().unwrap();
        let opened_log = bin_dir.path().join("opened.log");
        write_xdg_open(bin_dir.path(), &opened_log);
        let mut env = vec![
            (
                "SPOTIFY_API_BASE_URL".into(),
                spotify.api_base_url().to_string(),
            ),
            (
                "SPOTIFY_ACCOUNTS_BASE_URL".into(),
                spotify.accounts_base_url().to_string(),
            ),
            ("SPOTIFY_REDIRECT_PORT".into(), free_port().to_string()),
            ("OPENAI_BASE_URL".into(), openai.base_url().to_string()),
            ("OPENAI_MODEL".into(), "gpt-4o-mini".into()),
            (
                "SPOTIFY_PLUS_DATA_DIR".into(),
                data_dir.path().display().to_string(),
            ),
        ];
        env.extend(facts.env().into_iter().map(|(k, v)| (k.to_string(), v)));
        env.extend(lrclib.env().into_iter().map(|(k, v)| (k.to_string(), v)));
        if options.configured {
            env.push(("CLIENT_ID".into(), "e2e-client".into()));
            env.push(("OPENAI_API_KEY".into(), "sk-test".into()));
        }
        env.extend(
            options
                .env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        if let Some(prepare) = options.prepare {
            prepare(data_dir.path(), &spotify);
        }
        let display = Display::start(100..200, WAIT);
        let (driver, client) = launch(display.name(), bin_dir.path(), &env).await;
        App {
            client,
            spotify,
            openai,
            facts,
            lrclib,
            data_dir,
            opened_log,
            env,
            bin_dir,
            driver: Some(driver),
            display,
            name: name.to_string(),
        }
    }

    /// Quits the app and starts it again with the same data folder.
    pub async fn restart(&mut self) {
        let _ = self.client.clone().close().await;
        self.driver = None;
        let (driver, client) = launch(self.display.name(), self.bin_dir.path(), &self.env).await;
        self.driver = Some(driver);
        self.client = client;
    }

    /// Navigates to a hash route such as `#/playlists`.
    pub async fn go(&self, route: &str) {
        self.client
            .execute(
                "window.location.hash = arguments[0]; return null;",
                vec![serde_json::json!(route)],
            )
            .await
            .expect("navigate");
    }

    /// Waits for an element with this `data-testid`.
    pub async fn find(&self, testid: &str) -> Element {
        let css = format!("[data-testid=\"{testid}\"]");
        let mut found = self
            .client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(&css))
            .await;
        // The page may re-render just as the element is found (a status reload after sign-in):
        // WebKit then reports it stale; the next look finds the new one.
        for _ in 0..3 {
            match &found {
                Err(e) if e.to_string().contains("Stale element") => {
                    found = self
                        .client
                        .wait()
                        .at_most(WAIT)
                        .for_element(Locator::Css(&css))
                        .await;
                }
                _ => break,
            }
        }
        match found {
            Ok(element) => element,
            Err(e) => {
                self.screenshot(&format!("not-found-{testid}")).await;
                panic!("no [data-testid={testid}] within {WAIT:?}: {e}");
            }
        }
    }

    /// Waits for the first element with this `data-testid`, scrolls it into view and clicks it.
    pub async fn click(&self, testid: &str) {
        let element = self.find(testid).await;
        self.click_element(element, testid).await;
    }

    /// Scrolls `element` (named `what` in failures) into view, waits until it settles, clicks it.
    pub async fn click_element(&self, element: Element, what: &str) {
        let arg = vec![serde_json::to_value(&element).unwrap()];
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center'}); return null;",
                arg.clone(),
            )
            .await
            .unwrap();
        // WebKitGTK scrolls asynchronously (and smoothly): a click sent before the scroll has
        // settled is refused or lands elsewhere, so wait until the element is inside the
        // viewport and has stopped moving.
        let start = Instant::now();
        let mut last = serde_json::Value::Null;
        loop {
            let top = self
                .client
                .execute(
                    "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight ? r.top : null;",
                    arg.clone(),
                )
                .await
                .unwrap();
            if !top.is_null() && top == last {
                break;
            }
            last = top;
            assert!(start.elapsed() < WAIT, "{what} never settled in view");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        if let Err(e) = element.click().await {
            self.screenshot(&format!("click-failed-{what}")).await;
            panic!("could not click {what}: {e}");
        }
    }

    /// All elements with this `data-testid` now.
    pub async fn find_all(&self, testid: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(&format!("[data-testid=\"{testid}\"]")))
            .await
            .unwrap()
    }

    /// Waits until `js` (a function body returning a value) returns something truthy.
    pub async fn wait_for(&self, what: &str, js: &str) -> serde_json::Value {
        let start = Instant::now();
        loop {
            let value = self.client.execute(js, vec![]).await.unwrap();
            let truthy = !matches!(
                value,
                serde_json::Value::Null | serde_json::Value::Bool(false)
            ) && value != serde_json::json!(0)
                && value != serde_json::json!("");
            if truthy {
                return value;
            }
            if start.elapsed() > WAIT {
                self.screenshot("timed-out").await;
                panic!("timed out waiting for {what}; last value {value} (see the timed-out screenshot)");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits at most `within` until the fake player's commands so far satisfy `done`; `what`
    /// names the awaited command in a failure.
    pub async fn wait_player(
        &self,
        what: &str,
        within: Duration,
        done: impl Fn(&[PlayerRequest]) -> bool,
    ) {
        let start = Instant::now();
        loop {
            let seen = self.spotify.player_requests();
            if done(&seen) {
                return;
            }
            assert!(
                start.elapsed() < within,
                "{what} never reached the player; it saw {seen:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the text of `testid` contains `needle`.
    pub async fn wait_text(&self, testid: &str, needle: &str) {
        let js = format!(
            "const el = document.querySelector('[data-testid=\"{testid}\"]'); return !!el && el.textContent.includes({});",
            serde_json::json!(needle)
        );
        self.wait_for(&format!("{testid} to contain {needle:?}"), &js)
            .await;
    }

    /// Waits for an element's `data-state`.
    pub async fn wait_state(&self, testid: &str, state: &str) {
        let js = format!(
            "const el = document.querySelector('[data-testid=\"{testid}\"]'); return !!el && el.dataset.state === '{state}';"
        );
        self.wait_for(&format!("{testid} to be {state}"), &js).await;
    }

    /// Signs in through the UI: the opener follows the fake's consent page.
    pub async fn sign_in(&self) {
        self.click("login").await;
        self.find("now-playing").await;
    }

    /// Every URL the app asked the system opener to open, in order.
    pub fn opened(&self) -> Vec<String> {
        std::fs::read_to_string(&self.opened_log)
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// Waits until the app has asked the system opener to open exactly `url`.
    pub async fn wait_opened(&self, url: &str) {
        let start = Instant::now();
        while !self.opened().iter().any(|u| u == url) {
            assert!(
                start.elapsed() < WAIT,
                "{url} was not opened; opened: {:?}",
                self.opened()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves a screenshot of the window to the test command's screenshot folder.
    pub async fn screenshot(&self, step: &str) {
        let dir = std::env::var("SPOTIFY_PLUS_SCREENSHOTS")
            .map(PathBuf::from)
            .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots"));
        std::fs::create_dir_all(&dir).unwrap();
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(dir.join(format!("{}-{step}.png", self.name)), png).unwrap();
    }
}

impl App {
    /// The X display the window is on, e.g. `:100`.
    pub fn display(&self) -> &str {
        self.display.name()
    }

    /// The app's process id (tauri-driver started it).
    pub fn app_pid(&self) -> u32 {
        let driver = self.driver.as_ref().expect("the app runs");
        spotify_plus_test_support::procfs::find_below(driver.pid(), "spotify-plus")
            .expect("the app process under tauri-driver")
    }
}

/// A private D-Bus session bus (the single-instance plugin and the tray menu talk over it).
pub use spotify_plus_test_support::bus::SessionBus;

impl App {
    /// Launches the app binary a second time, directly, with the first one's environment plus
    /// `extra`; returns how it exited (`None` if it was still running after `within`).
    pub fn launch_again(
        &self,
        extra: &[(&str, &str)],
        within: Duration,
    ) -> Option<std::process::ExitStatus> {
        let path = format!(
            "{}:{}",
            self.bin_dir.path().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = Command::new(app_binary());
        command
            .env("DISPLAY", self.display.name())
            .env("PATH", path)
            .env_remove("CLIENT_ID")
            .env_remove("OPENAI_API_KEY")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .envs(extra.iter().copied())
            .current_dir(self.data_dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut second = Group::spawn(&mut command);
        let start = Instant::now();
        while start.elapsed() < within {
            if let Ok(Some(status)) = second.child().try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        None // dropping the group ends it
    }
}

/// Starts tauri-driver and a WebDriver session, which launches the app.
async fn launch(display: &str, bin_dir: &Path, env: &[(String, String)]) -> (Group, Client) {
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let cwd = tempfile::tempdir().unwrap().keep();
    let configure = |command: &mut Command| {
        command
            .current_dir(cwd)
            .env("DISPLAY", display)
            .env("PATH", path)
            .env("RUST_LOG", "warn")
            .env_remove("CLIENT_ID")
            .env_remove("OPENAI_API_KEY")
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
    };
    start_session(&app_binary(), configure, WAIT).await
}

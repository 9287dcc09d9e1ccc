//! The real app in a real window, for end-to-end tests and benchmarks: children ended together
//! with their whole process group (the app spawns WebKit processes), a private Xvfb display, and
//! WebDriver sessions through tauri-driver.

use fantoccini::{Client, ClientBuilder};
use std::net::TcpListener;
use std::ops::Range;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child started in its own process group; the whole group is ended on drop.
pub struct Group(Child);

impl Group {
    /// Spawns `command` as the leader of a new process group.
    pub fn spawn(command: &mut Command) -> Self {
        let child = command
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {command:?}: {e}"));
        Group(child)
    }

    /// The leader's process id.
    pub fn pid(&self) -> u32 {
        self.0.id()
    }

    /// The leader itself, e.g. to read its piped output or see whether it exited.
    pub fn child(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let pgid = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &pgid]).status();
        std::thread::sleep(Duration::from_millis(200));
        let _ = Command::new("kill").args(["-KILL", "--", &pgid]).status();
        let _ = self.0.wait();
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A private X display (Xvfb), ended on drop.
pub struct Display {
    _xvfb: Group,
    name: String,
}

impl Display {
    /// Starts Xvfb (1280x1024) on the first display number in `numbers` that is not taken.
    pub fn start(numbers: Range<u32>, wait: Duration) -> Self {
        let number = numbers
            .into_iter()
            .find(|n| !Path::new(&format!("/tmp/.X{n}-lock")).exists())
            .expect("a free X display number");
        let name = format!(":{number}");
        let xvfb = Group::spawn(
            Command::new("Xvfb")
                .args([&name, "-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        );
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
        let start = Instant::now();
        while !socket.exists() {
            assert!(start.elapsed() < wait, "Xvfb did not start on {name}");
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { _xvfb: xvfb, name }
    }

    /// The `DISPLAY` value, e.g. `:100`.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Starts tauri-driver (after `configure` set its environment, which the app inherits) and a
/// WebDriver session, which launches `app`. The driver group holds the app and its WebKit
/// processes.
pub async fn start_session(
    app: &Path,
    configure: impl FnOnce(&mut Command),
    wait: Duration,
) -> (Group, Client) {
    let port = free_port();
    let mut command = Command::new("tauri-driver");
    command.args([
        "--port",
        &port.to_string(),
        "--native-port",
        &free_port().to_string(),
    ]);
    configure(&mut command);
    let driver = Group::spawn(&mut command);
    let capabilities = serde_json::json!({
        "browserName": "wry",
        "tauri:options": { "application": app },
    });
    let capabilities = capabilities.as_object().expect("an object").clone();
    let start = Instant::now();
    loop {
        match ClientBuilder::native()
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return (driver, client),
            Err(e) => {
                assert!(start.elapsed() < wait, "no WebDriver session: {e}");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
}

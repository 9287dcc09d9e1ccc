//! WebDriver sessions with the real app through tauri-driver.

use crate::process::{free_port, Group};
use fantoccini::{Client, ClientBuilder};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

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

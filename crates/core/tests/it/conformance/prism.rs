//! Stoplight Prism, the mock server of Spotify's published description: where the description
//! is, and starting Prism on it.

use spotify_plus_test_support::process::{free_port, Group};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use url::Url;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Spotify's description: the repository's copy in the fakes' fixtures (with its licence), or
/// another version named by `SPOTIFY_OPENAPI_DESCRIPTION`. Missing is a failure, not a skip.
pub(super) fn description() -> PathBuf {
    let path = std::env::var_os("SPOTIFY_OPENAPI_DESCRIPTION")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            repo_root().join("crates/fakes/fixtures/spotify-web-api/fixed-spotify-open-api.yml")
        });
    assert!(
        path.is_file(),
        "Spotify's OpenAPI description is not at {}",
        path.display()
    );
    path
}

/// Starts `prism mock -d` on `description` on a free loopback port, its whole process group
/// ended on drop, and waits until it accepts connections.
pub(super) async fn start_prism(description: &Path, log: &Path) -> (Group, Url) {
    let prism = repo_root().join("tests/conformance/node_modules/.bin/prism");
    assert!(
        prism.is_file(),
        "Prism is not installed at {}: run scripts/setup.sh --test (npm ci in tests/conformance)",
        prism.display()
    );
    let port = free_port();
    let out = File::create(log).unwrap();
    let mut group = Group::spawn(
        Command::new(&prism)
            .args(["mock", "--dynamic", "--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .arg(description)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out),
    );
    let deadline = Instant::now() + Duration::from_secs(45);
    loop {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        let exited = group.child().try_wait().unwrap();
        if exited.is_some() || Instant::now() > deadline {
            panic!(
                "Prism did not start ({exited:?}); its log:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let url = Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    (group, url)
}

//! Security checks: the sign-in listener is reachable from this machine only, and no token,
//! client secret or API key ever reaches a log line (at TRACE, the most verbose level) or an
//! error the UI would show.

use crate::spotify_common::*;
use spotify_plus_core::app::Services;
use spotify_plus_core::auth::TokenStore;
use spotify_plus_core::config::{Config, SavedSettings};
use spotify_plus_core::insight::InsightEvent;
use spotify_plus_core::Kinded;
use spotify_plus_fakes::faults::{Fault, FaultKind};
use spotify_plus_fakes::openai::{FakeOpenAi, FakeOpenAiOptions};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use url::Url;

const API_KEY: &str = "sk-test";
const CLIENT_SECRET: &str = "client-secret-3f9a1c77d2";

/// Every log line of this test binary, captured by a TRACE subscriber.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Installs the capturing subscriber once for the whole binary. The fakes' own logs are left
/// out: they are the "server side", which is allowed to know the tokens it issues.
fn capture_logs() -> Captured {
    static LOGS: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Captured::default();
        let writer = logs.clone();
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "trace,spotify_plus_fakes=off",
            ))
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .init();
        logs
    })
    .clone()
}

fn services(
    spotify: &spotify_plus_fakes::spotify::FakeSpotify,
    openai: &FakeOpenAi,
    dir: &std::path::Path,
) -> Services {
    let env = [
        ("CLIENT_ID", "sec-client".to_string()),
        ("CLIENT_SECRET", CLIENT_SECRET.to_string()),
        ("OPENAI_API_KEY", API_KEY.to_string()),
        ("OPENAI_BASE_URL", openai.base_url().to_string()),
        ("OPENAI_MODEL", "gpt-4o-mini".to_string()),
        ("SPOTIFY_API_BASE_URL", spotify.api_base_url().to_string()),
        (
            "SPOTIFY_ACCOUNTS_BASE_URL",
            spotify.accounts_base_url().to_string(),
        ),
        ("SPOTIFY_REDIRECT_PORT", free_port().to_string()),
    ];
    let loaded = Config::resolve(
        &SavedSettings::default(),
        |k| env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone()),
        None,
    );
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    Services::start(loaded, dir)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The local addresses (hex, as in /proc/net/tcp) of sockets listening on `port`.
fn listening_addresses(port: u16) -> Vec<String> {
    let mut found = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(text) = std::fs::read_to_string(table) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (Some(local), Some(state)) = (fields.get(1), fields.get(3)) else {
                continue;
            };
            let Some((addr, p)) = local.rsplit_once(':') else {
                continue;
            };
            // State 0A is LISTEN.
            if *state == "0A" && u16::from_str_radix(p, 16).ok() == Some(port) {
                found.push(addr.to_string());
            }
        }
    }
    found
}

/// A non-loopback address of this machine, if it has one (no packet is sent to find it).
fn lan_address() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// The callback listener is bound to 127.0.0.1 only: no socket on any other address, and a
/// connection to the machine's LAN address (when it has one) is refused.
#[tokio::test]
async fn the_sign_in_listener_binds_loopback_only() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = session(&fake, &token_path(&dir));
    let (tx, rx) = tokio::sync::oneshot::channel();
    let open = move |url: &Url| {
        let port = redirect_uri(url).port().unwrap();
        let _ = tx.send((port, listening_addresses(port)));
        let genuine = url.clone();
        tokio::spawn(async move {
            if let Some(ip) = lan_address() {
                let reached = tokio::net::TcpStream::connect((ip, port)).await;
                assert!(reached.is_err(), "the listener answered on {ip}");
            }
            browse(genuine).await
        });
        Ok(())
    };
    session.login(open, Duration::from_secs(5)).await.unwrap();
    let (port, addresses) = rx.await.unwrap();
    assert_eq!(addresses, ["0100007F"], "only 127.0.0.1:{port} listens");
    // One callback served, then closed.
    assert!(listening_addresses(port).is_empty());
}

/// Runs sign-in, refresh, API calls, failures and insights through the app facade with TRACE
/// logging, then looks for every secret in the logs and in every error's Display and Debug.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_reaches_the_logs_or_an_error() {
    let logs = capture_logs();
    let spotify = fake().await;
    let openai = FakeOpenAi::start(FakeOpenAiOptions::default())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = services(&spotify, &openai, dir.path());
    let tokens = TokenStore::new(dir.path().join("tokens.json"));
    let mut secrets = vec![API_KEY.to_string(), CLIENT_SECRET.to_string()];
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut keep = |e: &dyn Fn() -> (String, String)| errors.push(e());

    let (browser, _page) = following_browser();
    app.login(browser).await.unwrap();
    let first = tokens.load().unwrap();
    secrets.push(first.access_token.expose().into());
    secrets.push(first.refresh_token.expose().into());

    app.playback().await.unwrap();
    app.playlists(0).await.unwrap();
    let track = spotify_plus_fakes::spotify::library::MULTI_ARTIST_TRACK_ID;
    let (a, b) = app
        .track_insights(&track.parse().unwrap(), None, |_| {}, |_| {})
        .await
        .unwrap();
    a.and(b).unwrap();

    // A refresh after a 401 mints a new pair.
    spotify.revoke_access_tokens();
    app.playlists(10).await.unwrap();
    let second = tokens.load().unwrap();
    secrets.push(second.access_token.expose().into());
    secrets.push(second.refresh_token.expose().into());

    // Failures of every layer.
    for kind in [FaultKind::MalformedJson, FaultKind::HtmlErrorPage] {
        spotify.faults().push(Fault {
            path_contains: "/v1/me/playlists".into(),
            kind,
            times: Some(1),
        });
        let e = app.playlists(0).await.unwrap_err();
        keep(&|| (e.to_string(), format!("{e:?} {}", e.kind())));
    }
    // Model servers quote the rejected key in their error text.
    for status in [401, 400] {
        openai.faults().push(Fault {
            path_contains: "/chat/completions".into(),
            kind: FaultKind::Status {
                status,
                retry_after: None,
                body: Some(format!(
                    r#"{{"error":{{"message":"Incorrect API key provided: {API_KEY}. Bearer {API_KEY}","code":"invalid_api_key"}}}}"#
                )),
            },
            times: Some(1),
        });
        // The failure reaches the page as the stream's last event.
        let failed = Arc::new(Mutex::new(None));
        let sink = failed.clone();
        app.track_insight(
            &track.parse().unwrap(),
            spotify_plus_core::insight::InsightKind::Track,
            move |event| {
                if let InsightEvent::Failed { error } = event {
                    *sink.lock().unwrap() = Some(error);
                }
            },
        )
        .await
        .unwrap();
        let e = failed.lock().unwrap().take().expect("a Failed event");
        keep(&|| (e.message.clone(), format!("{e:?}")));
    }
    // A revoked session: 401 and a rejected refresh token.
    spotify.revoke_access_tokens();
    spotify.reject_refresh_tokens(true);
    let e = app.playlists(0).await.unwrap_err();
    assert_eq!(e.kind(), "unauthorized");
    keep(&|| (e.to_string(), format!("{e:?}")));
    let e = app.playlists(0).await.unwrap_err();
    keep(&|| (e.to_string(), format!("{e:?}")));
    let status = serde_json::to_string(&app.status()).unwrap();
    errors.push((status, format!("{:?}", app.config())));

    let logged = logs.text();
    assert!(
        logged.contains("TRACE") && logged.contains("signed in to Spotify"),
        "the subscriber captured TRACE logs of the flows ({} bytes)",
        logged.len()
    );
    for secret in &secrets {
        assert!(!logged.contains(secret.as_str()), "a secret is in the logs");
        for (display, debug) in &errors {
            assert!(
                !display.contains(secret.as_str()) && !debug.contains(secret.as_str()),
                "a secret is in an error: {display} / {debug}"
            );
        }
    }
    println!(
        "scanned {} bytes of TRACE logs and {} errors for {} secrets",
        logged.len(),
        errors.len(),
        secrets.len()
    );
}

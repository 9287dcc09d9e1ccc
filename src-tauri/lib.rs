//! The Tauri layer of Spotify Plus: builds the app and wires the core to the window.

#[cfg(test)]
mod bindings;
mod commands;
mod contract;
mod controls;
mod csp;
mod error;
mod notify;
mod poller;
mod state;
mod tray;
mod trim;
mod window;

use state::AppState;
use tauri::{Manager, RunEvent, WindowEvent};

/// Builds and runs the app.
pub fn run() {
    init_logging();
    tauri::Builder::default()
        // A second launch would write to the same cache and tokens: focus this one instead.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tray::show_window(app)
        }))
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(navigation_guard())
        .setup(|app| {
            let state = AppState::starting(app.handle());
            tracing::info!(data_dir = %state.data_dir().display(), "starting");
            app.manage(state);
            app.manage(window::Remembered::default());
            if let Err(error) = tray::build(app.handle()) {
                tracing::warn!("no tray icon: {error}");
            }
            poller::spawn(app.handle().clone());
            tauri::async_runtime::spawn(state::finish_opening(app.handle().clone()));
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window destroys it, and WebKit's processes with it: hiding it would
            // keep hundreds of MB alive for a window nobody sees. The app lives on in the tray
            // (see the exit handler below); Open builds the window again where it was.
            match event {
                WindowEvent::CloseRequested { .. } => {
                    if let Some(webview) = window.app_handle().get_webview_window(window.label()) {
                        window::remember(&webview);
                    }
                }
                WindowEvent::Destroyed if window.label() == window::MAIN => {
                    trim::after_window_closed(window.app_handle());
                }
                _ => {}
            }
        })
        .invoke_handler(contract::handler())
        .build(csp::context(tauri::generate_context!()))
        .expect("error while building Spotify Plus")
        .run(|app, event| {
            // The last window closed (no exit code): stay in the tray, if there is one; Quit
            // in the tray exits with a code.
            if let RunEvent::ExitRequested {
                code: None, api, ..
            } = event
            {
                if app.tray_by_id("main").is_some() {
                    api.prevent_exit();
                }
            }
        });
}

/// The webview may only show the app's own bundle; links elsewhere go through the opener.
fn navigation_guard<R: tauri::Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(|_webview, url| is_own_bundle(url))
        .build()
}

/// Whether `url` is a page of the app's own bundle: `tauri://localhost` (Linux, macOS) or
/// `http://tauri.localhost` (Windows), compared by whole origin: scheme, host and port.
fn is_own_bundle(url: &url::Url) -> bool {
    const OWN: [&str; 2] = ["tauri://localhost", "http://tauri.localhost"];
    let origin = match url.origin() {
        url::Origin::Tuple(scheme, host, port) => match (scheme.as_str(), port) {
            ("http", 80) | ("https", 443) => format!("{scheme}://{host}"),
            (_, port) => format!("{scheme}://{host}:{port}"),
        },
        // Custom schemes (`tauri:`) have opaque origins in the URL standard: build it by hand.
        url::Origin::Opaque(_) => match (url.host_str(), url.port()) {
            (Some(host), None) => format!("{}://{host}", url.scheme()),
            _ => return false,
        },
    };
    OWN.contains(&origin.as_str())
}

/// Logs to stderr; `RUST_LOG` sets the level. Secrets are typed so they print as `***`.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::is_own_bundle;

    #[test]
    fn only_the_bundle_origin_may_be_shown() {
        for own in [
            "tauri://localhost/",
            "tauri://localhost/index.html#/track/4uLU6hMCjMI75M1A2tKUQC",
            "http://tauri.localhost/index.html",
        ] {
            assert!(is_own_bundle(&own.parse().unwrap()), "{own}");
        }
        for other in [
            "tauri://evil.example/",
            "http://tauri.localhost:8080/",
            "https://tauri.localhost/",
            "ftp://tauri.localhost/",
            "javascript://tauri.localhost/%0aalert(1)",
            "http://tauri.localhost.evil.example/",
            "https://evil.example/?tauri.localhost",
            "tauri://localhost:9/",
        ] {
            assert!(!is_own_bundle(&other.parse().unwrap()), "{other}");
        }
    }
}

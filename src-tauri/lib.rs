//! The Tauri layer of Spotify Plus: builds the app and wires the core to the window.

#[cfg(test)]
mod bindings;
mod commands;
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
        .plugin(tauri_plugin_store::Builder::default().build())
        .plugin(navigation_guard())
        .setup(|app| {
            let state = AppState::load(app.handle());
            tracing::info!(data_dir = %state.data_dir().display(), "starting");
            app.manage(state);
            app.manage(window::Remembered::default());
            if let Err(error) = tray::build(app.handle()) {
                tracing::warn!("no tray icon: {error}");
            }
            poller::spawn(app.handle().clone());
            tauri::async_runtime::spawn(state::choose_model(app.handle().clone()));
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
        .invoke_handler(tauri::generate_handler![
            commands::session::status,
            commands::session::login,
            commands::session::logout,
            commands::session::login_cancel,
            commands::library::now_playing,
            commands::library::playlists,
            commands::library::playlist,
            commands::library::track,
            commands::library::artist,
            commands::insights::track_insights,
            commands::insights::artist_insight,
            commands::insights::regenerate_track_insight,
            commands::find::search,
            commands::find::album,
            commands::find::album_insight,
            commands::find::liked,
            commands::find::set_liked,
            commands::player::playback,
            commands::player::controls_allowed,
            commands::player::play,
            commands::player::pause,
            commands::player::next,
            commands::player::previous,
            commands::settings::settings_get,
            commands::settings::settings_save,
            commands::settings::list_models,
            commands::settings::model_status,
            commands::settings::settings_set_model,
        ])
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
        .on_navigation(|_webview, url| {
            url.scheme() == "tauri" || url.host_str() == Some("tauri.localhost")
        })
        .build()
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

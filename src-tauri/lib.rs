//! The Tauri layer of Spotify Plus: builds the app and wires the core to the window.

mod commands;
mod error;
mod poller;
mod state;
mod tray;

use state::AppState;
use tauri::{Manager, WindowEvent};

/// Builds and runs the app.
pub fn run() {
    init_logging();
    tauri::Builder::default()
        // A second launch would write to the same cache and tokens: focus this one instead.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tray::show_window(app)
        }))
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_store::Builder::default().build())
        .plugin(navigation_guard())
        .setup(|app| {
            let state = AppState::load(app.handle());
            tracing::info!(data_dir = %state.data_dir().display(), "starting");
            app.manage(state);
            if let Err(error) = tray::build(app.handle()) {
                tracing::warn!("no tray icon: {error}");
            }
            poller::spawn(app.handle().clone());
            tauri::async_runtime::spawn(state::choose_model(app.handle().clone()));
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window keeps the app (and its tray) running; Quit is in the tray.
            if let WindowEvent::CloseRequested { api, .. } = event {
                if window.app_handle().tray_by_id("main").is_some() {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::session::status,
            commands::session::login,
            commands::session::logout,
            commands::library::now_playing,
            commands::library::playlists,
            commands::library::playlist,
            commands::library::track,
            commands::library::artist,
            commands::insights::track_insights,
            commands::insights::artist_insight,
            commands::insights::regenerate_insight,
            commands::settings::settings_get,
            commands::settings::settings_save,
            commands::settings::list_models,
            commands::settings::model_status,
            commands::settings::settings_set_model,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Spotify Plus");
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

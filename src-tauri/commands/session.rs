//! Status, sign-in and sign-out.

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;
use serde::Serialize;
use spotify_plus_core::app::Status;
use tauri::{AppHandle, Emitter, State};
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;

/// Status plus what only the shell knows.
#[derive(Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShellStatus {
    #[serde(flatten)]
    status: Status,
    /// Whether the app runs against the demo's fake servers.
    demo: bool,
}

/// Which screen the UI should show, and the messages it should show once.
#[tauri::command]
pub fn status(state: State<'_, AppState>) -> ShellStatus {
    ShellStatus {
        status: state.services().status(),
        demo: state.demo(),
    }
}

/// Opens Spotify's consent page in the browser and waits for the loopback callback.
#[tauri::command]
pub async fn login(app: AppHandle, state: State<'_, AppState>) -> CommandResult<()> {
    let opener = app.clone();
    state
        .services()
        .login(move |url| {
            opener
                .opener()
                .open_url(url.as_str(), None::<&str>)
                .map_err(|e| e.to_string())
        })
        .await?;
    state.poll_now.notify_one();
    app.emit("auth-changed", ())
        .map_err(|e| CommandError::app(e.to_string()))
}

/// Cancels a sign-in that waits for the browser; false when none was waiting.
#[tauri::command]
pub fn login_cancel(state: State<'_, AppState>) -> bool {
    state.services().cancel_login()
}

/// Deletes every token and session datum and every saved secret (the keys too), and with
/// `clear_cache` the insights kept about what the user listened to.
#[tauri::command]
pub async fn logout(
    app: AppHandle,
    state: State<'_, AppState>,
    clear_cache: bool,
) -> CommandResult<()> {
    state
        .core()
        .run(move |core| core.logout(clear_cache))
        .await?;
    crate::tray::show_now_playing(&app, None);
    Ok(())
}

/// Reads the saved sign-in again after the keyring did not answer; true when it could.
#[tauri::command]
pub async fn retry_keyring(app: AppHandle, state: State<'_, AppState>) -> CommandResult<bool> {
    let services = state.services();
    let read = state
        .core()
        .run(move |_| Ok(services.retry_keyring()))
        .await?;
    state.poll_now.notify_one();
    let _ = app.emit("auth-changed", ());
    Ok(read)
}

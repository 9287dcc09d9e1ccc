//! Status, sign-in and sign-out.

use crate::contract::{emit, SessionChanged};
use crate::error::{CommandError, CommandResult};
use crate::state::{services, AppState};
use serde::Serialize;
use spotify_plus_core::app::Status;
use tauri::{AppHandle, Manager};
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
pub async fn status(app: AppHandle) -> CommandResult<ShellStatus> {
    Ok(ShellStatus {
        status: services(&app).status(),
        demo: app.state::<AppState>().demo(),
    })
}

/// Opens Spotify's consent page in the browser and waits for the loopback callback.
pub async fn login(app: AppHandle) -> CommandResult<()> {
    let opener = app.clone();
    services(&app)
        .login(move |url| {
            opener
                .opener()
                .open_url(url.as_str(), None::<&str>)
                .map_err(|e| e.to_string())
        })
        .await?;
    app.state::<AppState>().poll_now.notify_one();
    emit::<SessionChanged, _>(&app, &None);
    Ok(())
}

/// Cancels a sign-in that waits for the browser; false when none was waiting.
pub async fn login_cancel(app: AppHandle) -> CommandResult<bool> {
    Ok(services(&app).cancel_login())
}

/// Deletes every token and session datum and every saved secret (the keys too), and with
/// `clear_cache` the insights kept about what the user listened to.
pub async fn logout(app: AppHandle, clear_cache: bool) -> CommandResult<()> {
    let core = app.state::<AppState>().core().clone();
    core.run(move |core| core.logout(clear_cache)).await?;
    crate::tray::show_now_playing(&app, None);
    Ok(())
}

/// Reads the saved sign-in again after the keyring did not answer; true when it could.
pub async fn retry_keyring(app: AppHandle) -> CommandResult<bool> {
    let state = app.state::<AppState>();
    let services = state.services();
    let read = state
        .core()
        .run(move |_| Ok(services.retry_keyring()))
        .await
        .map_err(CommandError::from)?;
    state.poll_now.notify_one();
    emit::<SessionChanged, _>(&app, &None);
    Ok(read)
}

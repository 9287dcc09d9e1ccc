//! Following and controlling playback: the now page, its controls and "Play". After a command
//! the poller is woken, so the page and the tray show what Spotify now plays at once.

use crate::error::CommandResult;
use crate::state::{services, AppState};
use spotify_plus_core::spotify::{PlayRequest, Playback};
use tauri::{AppHandle, Manager};

/// What plays now, with progress, timestamp and context.
pub async fn playback(app: AppHandle) -> CommandResult<Option<Playback>> {
    Ok(services(&app).playback().await?)
}

/// Whether this sign-in may control playback (older ones lack the scope).
pub async fn controls_allowed(app: AppHandle) -> CommandResult<bool> {
    Ok(services(&app).controls_allowed())
}

/// Starts something on the active device.
pub async fn play(app: AppHandle, request: PlayRequest) -> CommandResult<()> {
    let result = services(&app).play(&request).await;
    woken(&app, result)
}

/// Pauses.
pub async fn pause(app: AppHandle) -> CommandResult<()> {
    let result = services(&app).pause().await;
    woken(&app, result)
}

/// Skips to the next item.
pub async fn next(app: AppHandle) -> CommandResult<()> {
    let result = services(&app).next_item().await;
    woken(&app, result)
}

/// Goes back to the previous item.
pub async fn previous(app: AppHandle) -> CommandResult<()> {
    let result = services(&app).previous_item().await;
    woken(&app, result)
}

fn woken(
    app: &AppHandle,
    result: Result<(), spotify_plus_core::app::AppError>,
) -> CommandResult<()> {
    result?;
    app.state::<AppState>().poll_now.notify_one();
    Ok(())
}

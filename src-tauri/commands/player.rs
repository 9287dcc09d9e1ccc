//! Following and controlling playback: the now page, its controls and "Play". After a command
//! the poller is woken, so the page and the tray show what Spotify now plays at once.

use crate::error::CommandResult;
use crate::state::AppState;
use spotify_plus_core::spotify::{PlayRequest, Playback};
use tauri::State;

/// What plays now, with progress, timestamp and context.
#[tauri::command]
pub async fn playback(state: State<'_, AppState>) -> CommandResult<Option<Playback>> {
    Ok(state.services().playback().await?)
}

/// Whether this sign-in may control playback (older ones must sign in again).
#[tauri::command]
pub fn controls_allowed(state: State<'_, AppState>) -> bool {
    state.services().controls_allowed()
}

/// Starts or resumes playback on the active device.
#[tauri::command]
pub async fn play(state: State<'_, AppState>, request: PlayRequest) -> CommandResult<()> {
    woken(&state, state.services().play(&request).await)
}

/// Pauses playback.
#[tauri::command]
pub async fn pause(state: State<'_, AppState>) -> CommandResult<()> {
    woken(&state, state.services().pause().await)
}

/// Skips to the next item.
#[tauri::command]
pub async fn next(state: State<'_, AppState>) -> CommandResult<()> {
    woken(&state, state.services().next_item().await)
}

/// Skips to the previous item.
#[tauri::command]
pub async fn previous(state: State<'_, AppState>) -> CommandResult<()> {
    woken(&state, state.services().previous_item().await)
}

/// Wakes the poller after a command that went through.
fn woken(
    state: &AppState,
    result: Result<(), spotify_plus_core::app::AppError>,
) -> CommandResult<()> {
    result?;
    state.poll_now.notify_one();
    Ok(())
}

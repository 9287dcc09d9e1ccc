//! Spotify data for the views.

use crate::error::CommandResult;
use crate::state::AppState;
use spotify_plus_core::spotify::models::{Artist, NowPlaying, Page, PlaylistSummary, Track};
use spotify_plus_core::spotify::{ArtistId, PlaylistId, PlaylistPage, TrackId};
use tauri::State;

/// What is playing now in any Spotify client, if anything.
#[tauri::command]
pub async fn now_playing(state: State<'_, AppState>) -> CommandResult<Option<NowPlaying>> {
    Ok(state.services().now_playing().await?)
}

/// One page of the user's playlists.
#[tauri::command]
pub async fn playlists(
    state: State<'_, AppState>,
    offset: u32,
) -> CommandResult<Page<PlaylistSummary>> {
    Ok(state.services().playlists(offset).await?)
}

/// A playlist and one page of its items.
#[tauri::command]
pub async fn playlist(
    state: State<'_, AppState>,
    id: PlaylistId,
    offset: u32,
) -> CommandResult<PlaylistPage> {
    Ok(state.services().playlist(&id, offset).await?)
}

/// A track's details.
#[tauri::command]
pub async fn track(state: State<'_, AppState>, id: TrackId) -> CommandResult<Track> {
    Ok(state.services().track(&id).await?)
}

/// An artist's details.
#[tauri::command]
pub async fn artist(state: State<'_, AppState>, id: ArtistId) -> CommandResult<Artist> {
    Ok(state.services().artist(&id).await?)
}

//! Spotify data for the views.

use crate::error::CommandResult;
use crate::state::services;
use spotify_plus_core::spotify::models::{Page, PlaylistSummary};
use spotify_plus_core::spotify::{PlaylistId, PlaylistPage};
use tauri::AppHandle;

/// One page (10) of the user's playlists, from `offset`.
pub async fn playlists(app: AppHandle, offset: u32) -> CommandResult<Page<PlaylistSummary>> {
    Ok(services(&app).playlists(offset).await?)
}

/// A playlist's header and one page (10) of its items, from `offset`.
pub async fn playlist(app: AppHandle, id: PlaylistId, offset: u32) -> CommandResult<PlaylistPage> {
    Ok(services(&app).playlist(&id, offset).await?)
}

//! Spotify data for the views.

use crate::error::CommandResult;
use crate::state::services;
use spotify_plus_core::spotify::models::{Artist, Page, PlaylistSummary, Track};
use spotify_plus_core::spotify::{ArtistId, PlaylistId, PlaylistPage, TrackId};
use tauri::AppHandle;

/// One page (10) of the user's playlists, from `offset`.
pub async fn playlists(app: AppHandle, offset: u32) -> CommandResult<Page<PlaylistSummary>> {
    Ok(services(&app).playlists(offset).await?)
}

/// A playlist's header and one page (10) of its items, from `offset`.
pub async fn playlist(app: AppHandle, id: PlaylistId, offset: u32) -> CommandResult<PlaylistPage> {
    Ok(services(&app).playlist(&id, offset).await?)
}

/// A track.
pub async fn track(app: AppHandle, id: TrackId) -> CommandResult<Track> {
    Ok(services(&app).track(&id).await?)
}

/// An artist.
pub async fn artist(app: AppHandle, id: ArtistId) -> CommandResult<Artist> {
    Ok(services(&app).artist(&id).await?)
}

//! Finding anything: search, album pages and their insight, and the heart of a track page.

use super::insights::sink;
use crate::error::CommandResult;
use crate::state::services;
use spotify_plus_core::insight::InsightEvent;
use spotify_plus_core::spotify::{AlbumId, SearchResults, TrackId};
use tauri::ipc::Channel;
use tauri::AppHandle;

/// Songs, artists and albums matching `query`, one page (10) of each from `offset`.
pub async fn search(app: AppHandle, query: String, offset: u32) -> CommandResult<SearchResults> {
    Ok(services(&app).search(&query, offset).await?)
}

/// An album's insight, written again.
pub async fn regenerate_album_insight(
    app: AppHandle,
    id: AlbumId,
    on_event: Channel<InsightEvent>,
) -> CommandResult<()> {
    Ok(services(&app)
        .album_insight(&id, true, sink(on_event))
        .await?)
}

/// Saves or removes the track; answers the state Spotify now has.
pub async fn set_liked(app: AppHandle, id: TrackId, liked: bool) -> CommandResult<bool> {
    Ok(services(&app).set_liked(&id, liked).await?)
}

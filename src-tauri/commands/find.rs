//! Finding anything: search, album pages and their insight, and the heart of a track page.

use crate::error::CommandResult;
use crate::state::AppState;
use spotify_plus_core::insight::InsightEvent;
use spotify_plus_core::spotify::{AlbumId, AlbumPage, SearchResults, TrackId};
use tauri::ipc::Channel;
use tauri::State;

/// Turns a channel into the sink the core streams into.
fn sink(channel: Channel<InsightEvent>) -> impl Fn(InsightEvent) + Send + Sync + 'static {
    move |event| {
        let _ = channel.send(event);
    }
}

/// One page of tracks, artists and albums matching `query`.
#[tauri::command]
pub async fn search(
    state: State<'_, AppState>,
    query: String,
    offset: u32,
) -> CommandResult<SearchResults> {
    Ok(state.services().search(&query, offset).await?)
}

/// An album and one page of its tracks.
#[tauri::command]
pub async fn album(
    state: State<'_, AppState>,
    id: AlbumId,
    offset: u32,
) -> CommandResult<AlbumPage> {
    Ok(state.services().album(&id, offset).await?)
}

/// The insight of an album page; `regenerate` replaces the saved one.
#[tauri::command]
pub async fn album_insight(
    state: State<'_, AppState>,
    id: AlbumId,
    regenerate: bool,
    on_event: Channel<InsightEvent>,
) -> CommandResult<()> {
    Ok(state
        .services()
        .album_insight(&id, regenerate, sink(on_event))
        .await?)
}

/// Whether the track is in the user's library.
#[tauri::command]
pub async fn liked(state: State<'_, AppState>, id: TrackId) -> CommandResult<bool> {
    Ok(state.services().liked(&id).await?)
}

/// Saves the track to the user's library or removes it; returns the new state.
#[tauri::command]
pub async fn set_liked(
    state: State<'_, AppState>,
    id: TrackId,
    liked: bool,
) -> CommandResult<bool> {
    Ok(state.services().set_liked(&id, liked).await?)
}

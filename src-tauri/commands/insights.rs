//! Insights, streamed to the page over channels; failures end the stream as `Failed` events.

use crate::error::CommandResult;
use crate::state::AppState;
use spotify_plus_core::insight::{InsightEvent, InsightKind};
use spotify_plus_core::spotify::{ArtistId, TrackId};
use tauri::ipc::Channel;
use tauri::State;

/// Turns a channel into the sink the core streams into.
fn sink(channel: Channel<InsightEvent>) -> impl Fn(InsightEvent) + Send + Sync + 'static {
    move |event| {
        let _ = channel.send(event);
    }
}

/// Both insights of a track page, requested concurrently.
#[tauri::command]
pub async fn track_insights(
    state: State<'_, AppState>,
    id: TrackId,
    on_track: Channel<InsightEvent>,
    on_artists: Channel<InsightEvent>,
) -> CommandResult<()> {
    Ok(state
        .services()
        .track_insights(&id, None, sink(on_track), sink(on_artists))
        .await
        .map(drop)?)
}

/// Replaces the track or artists insight of a track page on purpose.
#[tauri::command]
pub async fn regenerate_track_insight(
    state: State<'_, AppState>,
    id: TrackId,
    kind: InsightKind,
    on_event: Channel<InsightEvent>,
) -> CommandResult<()> {
    Ok(state
        .services()
        .track_insight(&id, kind, sink(on_event))
        .await?)
}

/// The insight of an artist page; `regenerate` replaces the saved one.
#[tauri::command]
pub async fn artist_insight(
    state: State<'_, AppState>,
    id: ArtistId,
    regenerate: bool,
    on_event: Channel<InsightEvent>,
) -> CommandResult<()> {
    Ok(state
        .services()
        .artist_insight(&id, regenerate, sink(on_event))
        .await?)
}

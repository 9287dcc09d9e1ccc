//! Insights, streamed to the page over channels; failures end the stream as `Failed` events.

use crate::error::CommandResult;
use crate::state::services;
use spotify_plus_core::insight::{InsightEvent, InsightKind};
use spotify_plus_core::spotify::{ArtistId, TrackId};
use tauri::ipc::Channel;
use tauri::AppHandle;

/// Turns a channel into the sink the core streams into.
pub(crate) fn sink(
    channel: Channel<InsightEvent>,
) -> impl Fn(InsightEvent) + Send + Sync + 'static {
    move |event| {
        let _ = channel.send(event);
    }
}

/// Both insights of a track page, streamed side by side.
pub async fn track_insights(
    app: AppHandle,
    id: TrackId,
    on_track: Channel<InsightEvent>,
    on_artists: Channel<InsightEvent>,
) -> CommandResult<()> {
    Ok(services(&app)
        .track_insights(&id, None, sink(on_track), sink(on_artists))
        .await
        .map(drop)?)
}

/// One of a track page's insights, written again.
pub async fn regenerate_track_insight(
    app: AppHandle,
    id: TrackId,
    kind: InsightKind,
    on_event: Channel<InsightEvent>,
) -> CommandResult<()> {
    Ok(services(&app)
        .track_insight(&id, kind, sink(on_event))
        .await?)
}

/// An artist's insight, streamed; `regenerate` asks the model again.
pub async fn artist_insight(
    app: AppHandle,
    id: ArtistId,
    regenerate: bool,
    on_event: Channel<InsightEvent>,
) -> CommandResult<()> {
    Ok(services(&app)
        .artist_insight(&id, regenerate, sink(on_event))
        .await?)
}

//! Insights, streamed to the page over channels; failures end the stream as `Failed` events.

use crate::error::CommandResult;
use crate::state::services;
use spotify_plus_core::insight::{InsightEvent, InsightKind};
use spotify_plus_core::lyrics::versions::LyricsTask;
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

/// An artist's insight, written again.
pub async fn regenerate_artist_insight(
    app: AppHandle,
    id: ArtistId,
    on_event: Channel<InsightEvent>,
) -> CommandResult<()> {
    Ok(services(&app)
        .artist_insight(&id, true, sink(on_event))
        .await?)
}

/// What one line of a track's lyrics means, streamed.
pub async fn explain_lyric_line(
    app: AppHandle,
    id: TrackId,
    line: u32,
    regenerate: bool,
    on_event: Channel<InsightEvent>,
) -> CommandResult<()> {
    Ok(services(&app)
        .explain_lyric_line(&id, line, regenerate, sink(on_event))
        .await?)
}

/// A track's lyrics translated or romanised, line by line.
pub async fn lyrics_version(
    app: AppHandle,
    id: TrackId,
    task: LyricsTask,
    on_event: Channel<InsightEvent>,
) -> CommandResult<Vec<Option<String>>> {
    Ok(services(&app)
        .lyrics_version(&id, task, sink(on_event))
        .await?)
}

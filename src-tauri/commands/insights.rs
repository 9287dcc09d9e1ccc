//! Insights, streamed to the page over channels.

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;
use serde::Serialize;
use spotify_plus_core::insight::{InsightEvent, InsightKind};
use spotify_plus_core::Kinded;
use tauri::ipc::Channel;
use tauri::State;

/// What a channel carries: the core's events, or the error that ended the insight.
#[derive(Clone, Serialize)]
#[serde(untagged)]
pub enum StreamMessage {
    /// A delta or the finished insight.
    Event(InsightEvent),
    /// The insight failed: `{event: "failed", kind, message}`.
    Failed {
        event: &'static str,
        kind: &'static str,
        message: String,
    },
}

/// Turns a channel into the sink the core streams into.
fn sink(channel: Channel<StreamMessage>) -> impl Fn(InsightEvent) + Send + Sync + 'static {
    move |event| {
        let _ = channel.send(StreamMessage::Event(event));
    }
}

fn report<E: Kinded>(channel: &Channel<StreamMessage>, result: Result<(), E>) {
    if let Err(error) = result {
        let _ = channel.send(StreamMessage::Failed {
            event: "failed",
            kind: error.kind(),
            message: error.to_string(),
        });
    }
}

/// Both insights of a track page, requested concurrently.
#[tauri::command]
pub async fn track_insights(
    state: State<'_, AppState>,
    id: String,
    on_track: Channel<StreamMessage>,
    on_artists: Channel<StreamMessage>,
) -> CommandResult<()> {
    let (track, artists) = state
        .services()
        .track_insights(&id, None, sink(on_track.clone()), sink(on_artists.clone()))
        .await?;
    report(&on_track, track);
    report(&on_artists, artists);
    Ok(())
}

/// The insight of an artist page.
#[tauri::command]
pub async fn artist_insight(
    state: State<'_, AppState>,
    id: String,
    on_event: Channel<StreamMessage>,
) -> CommandResult<()> {
    let result = state
        .services()
        .artist_insight(&id, false, sink(on_event.clone()))
        .await;
    report(&on_event, result);
    Ok(())
}

/// Replaces one insight on purpose.
#[tauri::command]
pub async fn regenerate_insight(
    state: State<'_, AppState>,
    kind: String,
    id: String,
    on_event: Channel<StreamMessage>,
) -> CommandResult<()> {
    let services = state.services();
    let result = match kind.as_str() {
        "track" => {
            services
                .track_insight(&id, InsightKind::Track, sink(on_event.clone()))
                .await
        }
        "artists" => {
            services
                .track_insight(&id, InsightKind::TrackArtists, sink(on_event.clone()))
                .await
        }
        "artist" => {
            services
                .artist_insight(&id, true, sink(on_event.clone()))
                .await
        }
        _ => return Err(CommandError::app(format!("unknown insight kind {kind:?}"))),
    };
    report(&on_event, result);
    Ok(())
}

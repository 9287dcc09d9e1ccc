//! Keeps now-playing fresh for the window and the tray, gently, and only while signed in.

use crate::error::CommandError;
use crate::state::AppState;
use crate::tray::{self, NowPlayingSummary};
use crate::window;
use spotify_plus_core::spotify::models::NowPlaying;
use spotify_plus_core::{ErrorScope, Kinded};
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager};

const VISIBLE_INTERVAL: Duration = Duration::from_secs(5);
const HIDDEN_INTERVAL: Duration = Duration::from_secs(15);

/// Starts the poller for the life of the app.
pub fn spawn(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let mut current: Option<String> = None;
        loop {
            let state = app.state::<AppState>();
            let services = state.services();
            // During a rate-limit ban no call is made at all: the ban ends by itself.
            if services.is_logged_in() && services.spotify_blocked_for().is_none() {
                match services.now_playing().await {
                    Ok(now) => {
                        let _ = app.emit("now-playing", &now);
                        track_changed(&app, &mut current, now);
                    }
                    Err(error) => {
                        tracing::warn!(kind = %error.kind(), "now playing: {error}");
                        if !services.is_logged_in() {
                            // The session was revoked: the window shows the login screen and why.
                            let _ = app.emit("auth-changed", CommandError::from(error));
                        } else if error.scope() == ErrorScope::App {
                            // Problems that concern every page: the window says so wherever it is.
                            let _ = app.emit("spotify-error", CommandError::from(error));
                        }
                    }
                }
            } else if current.take().is_some() {
                tray::show_now_playing(&app, None);
            }
            // Closed to the tray, the window does not exist: nobody is looking.
            let visible = window::is_visible(&app);
            let interval = if visible {
                VISIBLE_INTERVAL
            } else {
                HIDDEN_INTERVAL
            };
            let wait = services
                .spotify_blocked_for()
                .map_or(interval, |ban| ban.max(interval));
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = state.poll_now.notified() => {}
            }
        }
    });
}

/// On a new track: update the tray, then fetch its insights in the background so that the
/// tray can show the first sentence and opening the track page is instant.
fn track_changed(app: &AppHandle, current: &mut Option<String>, now: Option<NowPlaying>) {
    let track = match now {
        Some(NowPlaying::Track { track, .. }) => track,
        _ => {
            if current.take().is_some() {
                tray::show_now_playing(app, None);
            }
            return;
        }
    };
    let track_id = track.id.clone();
    let id = track_id.to_string();
    if current.as_deref() == Some(id.as_str()) {
        return;
    }
    *current = Some(id.clone());
    let artists: Vec<&str> = track.artists.iter().map(|a| a.name.as_str()).collect();
    let mut summary = NowPlayingSummary {
        track_id: id.clone(),
        title: format!("{} — {}", track.name, artists.join(", ")),
        insight: None,
    };
    tray::show_now_playing(app, Some(&summary));
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let services = app.state::<AppState>().services();
        // Sends the user's listening to the model and costs money: only as the setting allows.
        let visible = window::is_visible(&app);
        if let Ok(Some(insight)) = services.background_track_insights(&track_id, visible).await {
            summary.insight = Some(tray::first_sentence(&insight.text));
            tray::show_now_playing(&app, Some(&summary));
        }
    });
}

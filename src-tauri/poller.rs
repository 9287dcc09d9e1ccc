//! Keeps playback fresh for the window and the tray, promptly and frugally: the next call is
//! due when the playing track should end, else at a slow interval (core's `PollSchedule`), never
//! while signed out, and not during a rate-limit ban.

use crate::contract::{emit, PlaybackChanged, SessionChanged, SpotifyProblem};
use crate::error::CommandError;
use crate::notify;
use crate::state::AppState;
use crate::tray::{self, NowPlayingSummary};
use crate::window;
use spotify_plus_core::poll::PollSchedule;
use spotify_plus_core::spotify::models::NowPlaying;
use spotify_plus_core::spotify::Playback;
use spotify_plus_core::{ErrorScope, Kinded};
use std::time::Instant;
use tauri::{AppHandle, Manager};

/// Starts the poller for the life of the app.
pub fn spawn(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let schedule = PollSchedule::default();
        let mut current: Option<String> = None;
        loop {
            let state = app.state::<AppState>();
            let services = state.services();
            let last: Option<(Playback, Instant)>;
            // During a rate-limit ban no call is made at all: the ban ends by itself.
            if services.is_logged_in() && services.spotify_blocked_for().is_none() {
                match services.playback().await {
                    Ok(playback) => {
                        let now = playback.as_ref().map(|p| p.now.clone());
                        emit::<PlaybackChanged, _>(&app, &playback);
                        tray::show_playing(&app, playback.as_ref().map(|p| p.is_playing));
                        track_changed(&app, &mut current, now);
                        last = playback.map(|p| (p, Instant::now()));
                    }
                    Err(error) => {
                        last = None;
                        tracing::warn!(kind = %error.kind(), "now playing: {error}");
                        if !services.is_logged_in() {
                            // The session was revoked: the window shows the login screen and why.
                            emit::<SessionChanged, _>(
                                &app,
                                &Some(CommandError::from(error).into_ui()),
                            );
                        } else if error.scope() == ErrorScope::App {
                            // Problems that concern every page: the window says so wherever it is.
                            emit::<SpotifyProblem, _>(&app, &CommandError::from(error).into_ui());
                        }
                    }
                }
            } else {
                last = None;
                if current.take().is_some() {
                    tray::show_now_playing(&app, None);
                }
            }
            // Closed to the tray, the window does not exist: nobody is looking.
            let visible = window::is_visible(&app);
            let seen = last.as_ref().map(|(p, at)| (p, at.elapsed()));
            let poll_state = services.poll_state(
                visible,
                seen.map(|(p, _)| p),
                seen.map(|(_, e)| e).unwrap_or_default(),
            );
            match schedule.next(&poll_state) {
                Some(wait) => {
                    tokio::select! {
                        _ = tokio::time::sleep(wait) => {}
                        _ = state.poll_now.notified() => {}
                    }
                }
                // Signed out: nothing to ask until a sign-in wakes the poller.
                None => state.poll_now.notified().await,
            }
        }
    });
}

/// On a new track: update the tray, then fetch its insights in the background so that the
/// tray (and a notification, if wanted) can show the first sentence, and the now page and the
/// track page find them saved.
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
    let artists = artists.join(", ");
    let mut summary = NowPlayingSummary {
        title: format!("{} — {}", track.name, artists),
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
        notify::track_changed(&app, &track.name, &artists, summary.insight.as_deref());
    });
}

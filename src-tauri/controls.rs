//! Play/pause and next from the tray menu: the same core calls as the now page's buttons; a
//! failure (no device, a Free account, an old sign-in) is told to the window, if it is open.

use crate::contract::{emit, ControlFailed};
use crate::error::CommandError;
use crate::state::AppState;
use spotify_plus_core::spotify::PlayRequest;
use tauri::{AppHandle, Manager};

/// Pauses what plays, or resumes what is paused.
pub fn play_pause(app: &AppHandle) {
    let playing = crate::tray::is_playing(app);
    run(app, move |app| async move {
        let services = app.state::<AppState>().services();
        if playing {
            services.pause().await
        } else {
            services.play(&PlayRequest::Resume).await
        }
    });
}

/// Skips to the next item.
pub fn next(app: &AppHandle) {
    run(app, |app| async move {
        app.state::<AppState>().services().next_item().await
    });
}

fn run<F, Fut>(app: &AppHandle, command: F)
where
    F: FnOnce(AppHandle) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<(), spotify_plus_core::app::AppError>> + Send,
{
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        match command(app.clone()).await {
            Ok(()) => app.state::<AppState>().poll_now.notify_one(),
            Err(error) => {
                emit::<ControlFailed, _>(&app, &CommandError::from(error).into_ui());
            }
        }
    });
}

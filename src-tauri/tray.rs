//! The system-tray icon: the now-playing track and the start of its insight, play/pause and
//! next, and the now page one click away.

use crate::contract::{emit, OpenNow};
use crate::window;
use spotify_plus_core::facts::clean_text;
use std::sync::Mutex;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

const TRAY_ID: &str = "main";
const MENU_TEXT_MAX: usize = 80;

/// What the tray shows about the current track.
pub struct NowPlayingSummary {
    /// "Title — Artist, Artist".
    pub title: String,
    /// The first sentence of the track's insight, once known.
    pub insight: Option<String>,
}

struct TrayItems {
    now: MenuItem<Wry>,
    insight: MenuItem<Wry>,
    play_pause: MenuItem<Wry>,
    next: MenuItem<Wry>,
    /// Whether something plays (`Some(true)`), is paused (`Some(false)`) or nothing is there.
    playing: Mutex<Option<bool>>,
}

/// Builds the tray icon and its menu.
pub fn build(app: &AppHandle) -> tauri::Result<()> {
    let now = MenuItem::with_id(app, "now", "Nothing playing", false, None::<&str>)?;
    let insight = MenuItem::with_id(app, "insight", "", false, None::<&str>)?;
    let play_pause = MenuItem::with_id(app, "play-pause", "Pause", false, None::<&str>)?;
    let next = MenuItem::with_id(app, "next", "Next", false, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", "Open now playing", true, None::<&str>)?;
    let toggle = MenuItem::with_id(app, "toggle", "Show/Hide window", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(
        app,
        &[
            &now,
            &insight,
            &PredefinedMenuItem::separator(app)?,
            &play_pause,
            &next,
            &PredefinedMenuItem::separator(app)?,
            &open,
            &toggle,
            &PredefinedMenuItem::separator(app)?,
            &quit,
        ],
    )?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Spotify Plus")
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "open" => open_now_page(app),
            "play-pause" => crate::controls::play_pause(app),
            "next" => crate::controls::next(app),
            "toggle" => toggle_window(app),
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    app.manage(TrayItems {
        now,
        insight,
        play_pause,
        next,
        playing: Mutex::new(None),
    });
    Ok(())
}

/// Updates tooltip and menu; `None` means nothing (or no track) is playing.
pub fn show_now_playing(app: &AppHandle, summary: Option<&NowPlayingSummary>) {
    let Some(items) = app.try_state::<TrayItems>() else {
        return;
    };
    let (now, insight, tooltip) = match summary {
        Some(s) => {
            // Names and insights echo third-party text: no bidi overrides or invisible tags.
            let title = clean_text(&s.title);
            let insight = clean_text(
                s.insight
                    .as_deref()
                    .unwrap_or("Finding something worth knowing…"),
            );
            (
                truncate(&format!("♪ {title}")),
                truncate(&insight),
                format!("Spotify Plus\n{title}\n{}", truncate(&insight)),
            )
        }
        None => (
            "Nothing playing".to_string(),
            String::new(),
            "Spotify Plus".to_string(),
        ),
    };
    let _ = items.now.set_text(menu_label(&now));
    let _ = items.insight.set_text(menu_label(&insight));
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        let _ = tray.set_tooltip(Some(tooltip));
    }
}

/// Shows the window, building it again at the route it showed if it was closed to the tray.
pub fn show_window(app: &AppHandle) {
    window::show(app, None);
}

/// Show/Hide: hiding closes the window to the tray, so that WebKit's memory is given back.
fn toggle_window(app: &AppHandle) {
    match app.get_webview_window(window::MAIN) {
        Some(main) if main.is_visible().unwrap_or(false) => window::close_to_tray(&main),
        _ => show_window(app),
    }
}

/// Updates play/pause and next: `Some(true)` playing, `Some(false)` paused, `None` nothing.
pub fn show_playing(app: &AppHandle, playing: Option<bool>) {
    let Some(items) = app.try_state::<TrayItems>() else {
        return;
    };
    let mut held = items.playing.lock().expect("tray lock");
    if *held == playing {
        return;
    }
    *held = playing;
    let _ = items.play_pause.set_text(if playing == Some(true) {
        "Pause"
    } else {
        "Play"
    });
    let _ = items.play_pause.set_enabled(playing.is_some());
    let _ = items.next.set_enabled(playing.is_some());
}

/// Whether the tray last saw something playing (not paused).
pub fn is_playing(app: &AppHandle) -> bool {
    app.try_state::<TrayItems>()
        .is_some_and(|items| *items.playing.lock().expect("tray lock") == Some(true))
}

fn open_now_page(app: &AppHandle) {
    // A window built anew opens on the now page; an open one is told to go there.
    if window::show(app, Some("/now")) == window::Shown::Existing {
        emit::<OpenNow, _>(app, &());
    }
}

/// A label as written: the menu library reads `&` as the mark of an access key (and `&&` as
/// one `&`), so "Simon & Garfunkel" would lose its ampersand.
fn menu_label(text: &str) -> String {
    text.replace('&', "&&")
}

fn truncate(text: &str) -> String {
    if text.chars().count() <= MENU_TEXT_MAX {
        return text.to_string();
    }
    let cut: String = text.chars().take(MENU_TEXT_MAX - 1).collect();
    format!("{}…", cut.trim_end())
}

/// The first sentence of an insight, for a one-line menu entry.
pub fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '.' | '!' | '?')
                && text[i + c.len_utf8()..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
        })
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(text.len());
    text[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_stops_at_sentence_end_not_at_decimals() {
        assert_eq!(
            first_sentence("Released in 1.5 takes. It was a hit!"),
            "Released in 1.5 takes."
        );
        assert_eq!(first_sentence("No full stop"), "No full stop");
        assert_eq!(truncate(&"x".repeat(200)).chars().count(), MENU_TEXT_MAX);
    }

    #[test]
    fn ampersands_are_shown_not_taken_for_access_keys() {
        assert_eq!(menu_label("Simon & Garfunkel"), "Simon && Garfunkel");
        assert_eq!(menu_label("R&&B"), "R&&&&B");
    }
}

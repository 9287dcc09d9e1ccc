//! A desktop notification when the track changes (opt-in in Settings): the title, the artists
//! and the first sentence of the track's insight.

use crate::state::AppState;
use spotify_plus_core::facts::clean_text;
use tauri::{AppHandle, Manager};
use tauri_plugin_notification::NotificationExt;

/// Shows the notification for a new track, if the user asked for them.
pub fn track_changed(app: &AppHandle, title: &str, artists: &str, insight: Option<&str>) {
    if !app
        .state::<AppState>()
        .services()
        .config()
        .track_notifications
    {
        return;
    }
    let mut body = escape_markup(&clean_text(artists));
    if let Some(sentence) = insight {
        body.push('\n');
        body.push_str(&escape_markup(&clean_text(sentence)));
    }
    let title = clean_text(title);
    if let Err(error) = app.notification().builder().title(&title).body(body).show() {
        tracing::warn!("could not show the track notification: {error}");
    }
}

/// Notification servers read a subset of HTML in the body: names from Spotify and the model's
/// words are text, so their markup characters are escaped.
fn escape_markup(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::escape_markup;

    #[test]
    fn names_are_text_not_markup() {
        assert_eq!(
            escape_markup("<b>Simon & Garfunkel</b>"),
            "&lt;b&gt;Simon &amp; Garfunkel&lt;/b&gt;"
        );
    }
}

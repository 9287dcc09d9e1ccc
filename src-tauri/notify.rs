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
    let (title, body) = notification_text(title, artists, insight);
    if let Err(error) = app.notification().builder().title(&title).body(body).show() {
        tracing::warn!("could not show the track notification: {error}");
    }
}

/// Longest title shown (a track name); servers cut or wrap longer ones anyway.
const MAX_TITLE_CHARS: usize = 120;
/// Longest body: the artists and one sentence, not a whole insight.
const MAX_BODY_CHARS: usize = 400;

/// The title and body of a track notification: third-party text cleaned of control, bidi and
/// tag characters, cut to a readable length, and escaped, since some notification servers read
/// a subset of HTML in the title or the body.
fn notification_text(title: &str, artists: &str, insight: Option<&str>) -> (String, String) {
    let mut body = clean_text(artists);
    if let Some(sentence) = insight {
        body.push('\n');
        body.push_str(&clean_text(sentence));
    }
    (
        escape_markup(&cut(&clean_text(title), MAX_TITLE_CHARS)),
        escape_markup(&cut(&body, MAX_BODY_CHARS)),
    )
}

/// `text` cut to `max` characters, with an ellipsis when it was longer.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

fn escape_markup(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_text_not_markup_in_title_and_body() {
        let (title, body) = notification_text(
            "<b>Bridge</b> & <a href=\"https://evil.example\">more</a>",
            "<i>Simon & Garfunkel</i>",
            Some("<img src=x>"),
        );
        assert_eq!(
            title,
            "&lt;b&gt;Bridge&lt;/b&gt; &amp; &lt;a href=\"https://evil.example\"&gt;more&lt;/a&gt;"
        );
        assert_eq!(
            body,
            "&lt;i&gt;Simon &amp; Garfunkel&lt;/i&gt;\n&lt;img src=x&gt;"
        );
    }

    #[test]
    fn long_text_is_cut_and_hidden_characters_go() {
        let (title, body) = notification_text(
            &"\u{202E}Ω".repeat(500),
            "Artist\u{E0041}",
            Some(&"word ".repeat(1000)),
        );
        assert_eq!(title.chars().count(), MAX_TITLE_CHARS + 1);
        assert!(
            title.ends_with('…') && !title.contains('\u{202E}'),
            "{title}"
        );
        assert!(body.starts_with("Artist\nword"), "{body}");
        assert_eq!(body.chars().count(), MAX_BODY_CHARS + 1);
    }
}

//! Lyrics in the real window, from the fake LRCLIB: on the now page the highlighted line moves
//! with the fake player and follows a seek; on a track page a line is explained and the lyrics
//! translated; an instrumental and a track without lyrics say so; the credit opens the record.

use crate::harness::{App, Options, SERIAL};
use serde_json::Value;
use spotify_plus_fakes::lrclib::data::{
    INSTRUMENTAL_TRACK_ID, NO_RECORD_TRACK_ID, SYNCED_TRACK_ID,
};
use spotify_plus_fakes::spotify::library::BIG_PLAYLIST_ID;
use std::time::Duration;

/// At one instant: the position the now page shows, and the start of the highlighted line and
/// of the line after it.
const HIGHLIGHT_JS: &str = r#"
const lines = [...document.querySelectorAll('[data-testid="lyrics-line"]')];
const i = lines.findIndex((l) => l.getAttribute('aria-current') === 'true');
if (i < 0) return null;
const start = (l) => (l ? Number(l.dataset.startMs) : null);
const list = lines[i].closest('ol').getBoundingClientRect();
const line = lines[i].getBoundingClientRect();
// Kept in view: a line still scrolling towards the middle is waited for.
if (line.top < list.top || line.bottom > list.bottom) return null;
return {
  index: i,
  start: start(lines[i]),
  next: start(lines[i + 1]),
  position: Number(document.querySelector('[data-testid="now-progress"]').dataset.positionMs),
};
"#;

async fn highlight(app: &App) -> Value {
    app.wait_for("a highlighted lyrics line", HIGHLIGHT_JS)
        .await
}

/// The highlighted line (in the list's view) is the one being sung (a line lasts 2.5 s; 300 ms
/// of slack for the page's own clock).
fn assert_sung(seen: &Value) {
    let (start, position) = (
        seen["start"].as_f64().unwrap(),
        seen["position"].as_f64().unwrap(),
    );
    assert!(
        start <= position + 300.0,
        "a line ahead of the song: {seen}"
    );
    if let Some(next) = seen["next"].as_f64() {
        assert!(position < next + 300.0, "a line behind the song: {seen}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lyrics_follow_the_song_and_explain_and_translate_themselves() {
    let _serial = SERIAL.lock().await;
    let app = App::start("lyrics", Options::default()).await;
    app.sign_in().await;
    // The Everything Mix starts with the multi-artist track, whose lyrics change every 2.5 s.
    app.spotify
        .play_context(&format!("spotify:playlist:{BIG_PLAYLIST_ID}"), 0);
    app.go("#/now").await;
    app.wait_state("lyrics", "done").await;
    let first = highlight(&app).await;
    assert_sung(&first);
    // The highlight moves on by itself as the song plays.
    let index = first["index"].as_u64().unwrap();
    let js = format!("{HIGHLIGHT_JS}\n");
    let moved = app
        .wait_for(
            "the next line to be highlighted",
            &js.replace(
                "if (i < 0) return null;",
                &format!("if (i <= {index}) return null;"),
            ),
        )
        .await;
    assert_sung(&moved);

    // A seek in another Spotify app: the page learns it from the next poll.
    app.spotify.seek(Duration::from_secs(100));
    let after_seek = app
        .wait_for(
            "the highlight to follow the seek",
            &HIGHLIGHT_JS.replace(
                "if (i < 0) return null;",
                "if (i < 0 || Number(lines[i].dataset.startMs) < 97000) return null;",
            ),
        )
        .await;
    assert_sung(&after_seek);
    app.screenshot("now").await;

    // A track page: a line explained, the lyrics translated, the credit.
    app.go(&format!("#/track/{SYNCED_TRACK_ID}")).await;
    app.wait_state("lyrics", "done").await;
    let line = app
        .client
        .execute(
            "const b = document.querySelectorAll('[data-testid=\"lyrics-line\"] .lyric-text')[2]; b.scrollIntoView({block: 'center'}); b.click(); return b.textContent;",
            vec![],
        )
        .await
        .unwrap();
    let line = line.as_str().unwrap().to_string();
    app.click("lyrics-explain").await;
    app.wait_state("lyric-explanation", "done").await;
    app.wait_text("lyric-explanation", &line).await;
    app.click("lyrics-translate").await;
    let translated = app
        .wait_for(
            "the translation under the lines",
            "const v = document.querySelector('[data-testid=\"lyrics\"] .lyric-version'); return document.querySelector('[data-testid=\"lyrics\"]').dataset.version === 'translate' && v.textContent;",
        )
        .await;
    assert!(
        translated.as_str().unwrap().starts_with("[English] "),
        "{translated}"
    );
    app.screenshot("explained").await;
    let record = app
        .client
        .execute(
            "return document.querySelector('[data-testid=\"lyrics-source\"]').dataset.url;",
            vec![],
        )
        .await
        .unwrap();
    let record = record.as_str().unwrap();
    assert!(
        record.starts_with("https://lrclib.net/api/get/"),
        "{record}"
    );
    app.click("lyrics-source").await;
    app.wait_opened(record).await;

    // An instrumental, and a track LRCLIB does not know.
    app.go(&format!("#/track/{INSTRUMENTAL_TRACK_ID}")).await;
    app.wait_for(
        "the instrumental to be said",
        "const l = document.querySelector('[data-testid=\"lyrics\"]'); return !!l && l.dataset.kind === 'instrumental' && l.textContent.includes('Instrumental');",
    )
    .await;
    app.go(&format!("#/track/{NO_RECORD_TRACK_ID}")).await;
    app.wait_for(
        "no lyrics to be said",
        "const l = document.querySelector('[data-testid=\"lyrics\"]'); return !!l && l.dataset.kind === 'notFound' && l.textContent.includes('no lyrics');",
    )
    .await;
    assert!(
        app.find_all("lyrics-line").await.is_empty(),
        "no lines for a track without lyrics"
    );
}

//! The listening companion: how soon the now page shows the next track after one ends by itself
//! in the fake player (the poller asks at the expected end), and how many Spotify calls the app
//! makes per minute while music plays, with the window shown and closed to the tray; and how
//! closely the lyrics' highlighted line follows the song.

use crate::app_memory::{app_env, app_session, window_rig, TITLE, WAIT};
use crate::stats::Samples;
use fantoccini::{Client, Locator};
use spotify_plus_fakes::spotify::library::{self, TEN_ITEM_PLAYLIST_ID};
use spotify_plus_fakes::spotify::Queued;
use spotify_plus_test_support::display::{close_window, windows_titled};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long the runs last.
pub struct Timing {
    /// Natural track ends measured.
    pub changes: usize,
    /// Length of every item while track changes are measured.
    pub sample: Duration,
    /// How long calls are counted, window shown and then in the tray.
    pub count_for: Duration,
    /// Lyric lines whose highlight is timed.
    pub lyric_lines: usize,
}

/// What the run measured.
pub struct CompanionFigures {
    /// From a track's natural end in the fake to its successor's title on the now page.
    pub track_change_ms: Samples,
    pub calls_per_min_playing: f64,
    pub calls_per_min_tray: f64,
    /// How far from the player's position the now page highlights each lyric line.
    pub lyrics_line_lag_ms: Samples,
}

/// Records, in the page, when the now page's title changes and to what.
const OBSERVE: &str = r#"
window.__titles = [];
const title = document.querySelector('[data-testid="now-title"]');
new MutationObserver(() => window.__titles.push([title.textContent, Date.now()]))
  .observe(title, { childList: true, subtree: true, characterData: true });
return null;"#;

/// One app run: the now page through `timing.changes` natural track ends, then calls counted
/// with real track lengths, window shown and then closed to the tray.
pub async fn run(app: &Path, timing: &Timing) -> CompanionFigures {
    // Beside the other window runs (300..400) and the end-to-end tests (100..200).
    let (rig, xvfb) = window_rig(&[app], 400..500).await;
    let data_dir = tempfile::tempdir().expect("temp dir");
    rig.seed_tokens(data_dir.path());
    let env = app_env(&rig, data_dir.path(), xvfb.name());
    let (_cwd, driver, client) = app_session(app, &env).await;
    let spotify = &rig.spotify;
    spotify.set_sample_length(Some(timing.sample));
    spotify.play_context(&format!("spotify:playlist:{TEN_ITEM_PLAYLIST_ID}"), 0);
    client
        .execute("window.location.hash = '#/now'; return null;", vec![])
        .await
        .expect("navigate");
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("[data-testid=\"now-title\"]"))
        .await
        .expect("the now page with a track");
    client.execute(OBSERVE, vec![]).await.expect("observer");

    let mut figures = CompanionFigures {
        track_change_ms: Samples::default(),
        calls_per_min_playing: 0.0,
        calls_per_min_tray: 0.0,
        lyrics_line_lag_ms: Samples::default(),
    };
    for seen in 0..timing.changes {
        let (title, shown) = nth_title(&client, seen).await;
        let ended = spotify.player_changed_at();
        let playing = match spotify.playing_now() {
            Some((Queued::Track(id), _)) => library::library().track(&id).map(|t| t.name.clone()),
            _ => None,
        };
        assert_eq!(Some(&title), playing.as_ref(), "the page shows what plays");
        figures
            .track_change_ms
            .push(shown.saturating_sub(ended) as f64);
    }

    // Real lengths from here: a track change now and then, as in life.
    spotify.set_sample_length(None);
    figures.lyrics_line_lag_ms =
        crate::lyrics::line_lag(&client, spotify, timing.lyric_lines).await;
    spotify.play_context(&format!("spotify:playlist:{TEN_ITEM_PLAYLIST_ID}"), 0);
    figures.calls_per_min_playing = calls_per_minute(&rig.spotify, timing.count_for).await;

    assert_eq!(close_window(xvfb.name(), TITLE), 1, "one window to close");
    let start = Instant::now();
    while !windows_titled(xvfb.name(), TITLE).is_empty() {
        assert!(start.elapsed() < WAIT, "the window did not close");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    figures.calls_per_min_tray = calls_per_minute(&rig.spotify, timing.count_for).await;
    let _ = client.close().await;
    drop(driver);
    figures
}

/// Spotify Web API calls per minute over `period`.
async fn calls_per_minute(
    spotify: &spotify_plus_fakes::spotify::FakeSpotify,
    period: Duration,
) -> f64 {
    let before = spotify.api_requests("");
    tokio::time::sleep(period).await;
    let calls = spotify.api_requests("") - before;
    calls as f64 * 60.0 / period.as_secs_f64()
}

/// The `n`th new title the page's observer saw (0-based), with when it appeared (Unix ms).
async fn nth_title(client: &Client, n: usize) -> (String, u64) {
    let js = format!(
        "const seen = window.__titles.filter(([t], i, all) => i === 0 || all[i - 1][0] !== t); \
         return seen.length > {n} ? seen[{n}] : null;"
    );
    let start = Instant::now();
    loop {
        let value = client.execute(&js, vec![]).await.expect("script");
        if let Some([title, ms]) = value.as_array().map(Vec::as_slice) {
            return (
                title.as_str().unwrap_or_default().to_string(),
                ms.as_u64().unwrap_or_default(),
            );
        }
        assert!(start.elapsed() < WAIT, "the now page showed no new track");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

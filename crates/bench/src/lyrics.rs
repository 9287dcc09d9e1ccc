//! Lyrics: how long a page waits for its lyrics from a cold cache (the fake LRCLIB with a
//! real-world latency, every fallback a track needs), that a second visit asks nothing, and, in
//! the real window, how far the highlighted line is from the player's position.

use crate::rig::track_ids;
use crate::stats::Samples;
use fantoccini::Client;
use spotify_plus_core::cache::Cache;
use spotify_plus_core::lyrics::{Lyrics, LyricsService};
use spotify_plus_core::spotify::models::{AlbumRef, ArtistRef, Track};
use spotify_plus_fakes::lrclib::{FakeLrclib, FakeLrclibOptions};
use spotify_plus_fakes::spotify::library::{library, BIG_PLAYLIST_ID};
use spotify_plus_fakes::spotify::FakeSpotify;
use std::time::{Duration, Instant};

/// Cold lookups and what a second visit cost.
pub struct LyricsCold {
    pub ms: Samples,
    /// Visits that found words (the others: instrumental or none, as the sample data says).
    pub found: usize,
    pub runs: usize,
    /// LRCLIB requests of the cold visits, and of the same visits again.
    pub cold_requests: usize,
    pub warm_requests: usize,
}

/// The sample library's track `id` as the Spotify client gives it to the page.
fn track(id: &str) -> Track {
    let lib = library();
    let t = lib.track(id).expect("a library track");
    Track {
        id: id.parse().expect("a track ID"),
        name: t.name.clone(),
        artists: t
            .artists
            .iter()
            .map(|&a| ArtistRef {
                id: None,
                name: lib.artists[a].name.clone(),
            })
            .collect(),
        album: Some(AlbumRef {
            id: None,
            name: lib.albums[t.album].name.clone(),
            images: Vec::new(),
            release_date: None,
            release_year: None,
        }),
        duration_ms: t.duration_ms,
        explicit: t.explicit,
        is_local: false,
        is_playable: t.is_playable,
        isrc: None,
    }
}

/// `runs` tracks looked up with an empty cache, then again.
pub async fn cold(runs: usize) -> LyricsCold {
    let lrclib = FakeLrclib::start(FakeLrclibOptions::realistic())
        .await
        .expect("fake LRCLIB");
    let service = LyricsService::new(lrclib.base_url(), Cache::in_memory().expect("SQLite"));
    let tracks: Vec<Track> = track_ids().into_iter().take(runs).map(track).collect();
    let mut out = LyricsCold {
        ms: Samples::default(),
        found: 0,
        runs: tracks.len(),
        cold_requests: 0,
        warm_requests: 0,
    };
    for track in &tracks {
        let start = Instant::now();
        let lyrics = service.for_track(track).await.expect("lyrics or none");
        out.ms.push_ms(start.elapsed());
        out.found += usize::from(matches!(lyrics, Lyrics::Words { .. }));
    }
    out.cold_requests = lrclib.log().len();
    for track in &tracks {
        service.for_track(track).await.expect("kept lyrics");
    }
    out.warm_requests = lrclib.log().len() - out.cold_requests;
    out
}

/// Records, in the page, each line the lyrics card highlights: its start and when (Unix ms).
const OBSERVE: &str = r#"
window.__lines = [];
new MutationObserver((records) => {
  for (const r of records) {
    const el = r.target;
    if (el.getAttribute('aria-current') === 'true' && el.dataset.startMs)
      window.__lines.push([Number(el.dataset.startMs), Date.now()]);
  }
}).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['aria-current'] });
return null;"#;

/// How late (or early) the now page highlights each of `lines` lines, against the fake player's
/// clock: the line's start in the song plus the moment playback started. The page must be the
/// now page; the first highlight (the lyrics arriving mid-line) is not counted.
pub async fn line_lag(client: &Client, spotify: &FakeSpotify, lines: usize) -> Samples {
    client.execute(OBSERVE, vec![]).await.expect("observer");
    // The Everything Mix starts with the track whose lyrics change every 2.5 s.
    spotify.play_context(&format!("spotify:playlist:{BIG_PLAYLIST_ID}"), 0);
    let started = spotify.player_changed_at() as f64;
    let js = format!("return window.__lines.length > {lines} ? window.__lines : null;");
    let wait = Duration::from_secs(10) + Duration::from_millis(2500) * lines as u32;
    let begun = Instant::now();
    let seen = loop {
        let value = client.execute(&js, vec![]).await.expect("script");
        if let Some(seen) = value.as_array() {
            break seen.clone();
        }
        assert!(begun.elapsed() < wait, "the lyrics did not follow the song");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let mut lag = Samples::default();
    for pair in seen.iter().skip(1).take(lines) {
        let (start, shown) = (
            pair[0].as_f64().unwrap_or(0.0),
            pair[1].as_f64().unwrap_or(0.0),
        );
        lag.push((shown - (started + start)).abs());
    }
    lag
}

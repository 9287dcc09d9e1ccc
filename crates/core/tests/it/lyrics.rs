//! Finding lyrics against the fake LRCLIB, which answers and refuses as the real server does
//! (`crates/fakes/fixtures/lrclib/REFERENCE.md`): the request a track makes, the fallbacks in
//! order, the records never to show, what is kept and for how long, and failures.

use spotify_plus_core::cache::Cache;
use spotify_plus_core::lyrics::{Lyrics, LyricsError, LyricsService};
use spotify_plus_core::spotify::models::{AlbumRef, ArtistRef, Track};
use spotify_plus_fakes::faults::Fault;
use spotify_plus_fakes::lrclib::{FakeLrclib, FakeLrclibOptions, Record};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const SYNCED: &str =
    "[00:01.00] Paper boats on a silver river\n[00:04.50] Carry what we could not say\n[00:08.00] ";

fn track(name: &str, artist: &str, album: &str, duration_ms: u64) -> Track {
    Track {
        id: "4trk000000000000000042".parse().unwrap(),
        name: name.into(),
        artists: vec![
            ArtistRef {
                id: None,
                name: artist.into(),
            },
            ArtistRef {
                id: None,
                name: "Guest Singer".into(),
            },
        ],
        album: Some(AlbumRef {
            id: None,
            name: album.into(),
            images: Vec::new(),
            release_date: None,
            release_year: None,
        }),
        duration_ms,
        explicit: false,
        is_local: false,
        is_playable: true,
        isrc: None,
    }
}

fn golden() -> Track {
    track("Golden Heart", "Ada Lovetone", "Paper Garden", 200_400)
}

fn record(name: &str, artist: &str, album: &str, duration: f64) -> Record {
    Record {
        track_name: name.into(),
        artist_name: artist.into(),
        album_name: album.into(),
        duration,
        instrumental: false,
        plain_lyrics: Some("Paper boats on a silver river\nCarry what we could not say".into()),
        synced_lyrics: Some(SYNCED.into()),
    }
}

struct Rig {
    lrclib: FakeLrclib,
    service: LyricsService,
    _dir: TempDir,
    path: PathBuf,
}

impl Rig {
    async fn new() -> Self {
        let lrclib = FakeLrclib::start_empty(FakeLrclibOptions::default())
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        let service = service_for(&lrclib, &path);
        Self {
            lrclib,
            service,
            _dir: dir,
            path,
        }
    }

    /// The paths (with queries) asked so far.
    fn asked(&self) -> Vec<String> {
        self.lrclib.log().into_iter().map(|h| h.path).collect()
    }

    /// Moves every kept answer `days` into the past.
    fn age(&self, days: i64) {
        let conn = rusqlite::Connection::open(&self.path).unwrap();
        conn.execute(
            "UPDATE lyrics SET fetched_at = fetched_at - ?1",
            [days * 24 * 3600],
        )
        .unwrap();
    }
}

fn service_for(lrclib: &FakeLrclib, path: &Path) -> LyricsService {
    LyricsService::new(lrclib.base_url(), Cache::open(path).unwrap().cache)
}

fn lines(lyrics: &Lyrics) -> Vec<(Option<u32>, String)> {
    lyrics
        .lines()
        .iter()
        .map(|l| (l.start_ms, l.text.clone()))
        .collect()
}

#[tokio::test]
async fn a_track_asks_once_with_its_title_first_artist_album_and_duration() {
    let rig = Rig::new().await;
    let id = rig.lrclib.insert(record(
        "Golden Heart",
        "Ada Lovetone",
        "Paper Garden",
        201.0,
    ));
    let lyrics = rig.service.for_track(&golden()).await.unwrap();
    let Lyrics::Words {
        synced: true,
        source,
        ..
    } = &lyrics
    else {
        panic!("synced lyrics expected, got {lyrics:?}");
    };
    assert_eq!(source.url, format!("https://lrclib.net/api/get/{id}"));
    assert_eq!(
        lines(&lyrics),
        vec![
            (Some(1000), "Paper boats on a silver river".into()),
            (Some(4500), "Carry what we could not say".into()),
        ]
    );
    let log = rig.lrclib.log();
    assert_eq!(log.len(), 1, "{:?}", rig.asked());
    assert_eq!(
        log[0].path,
        "/api/get?track_name=Golden+Heart&artist_name=Ada+Lovetone&album_name=Paper+Garden&duration=200.400"
    );
    assert_eq!(
        log[0].user_agent,
        format!(
            "SpotifyPlus v{} (https://github.com/spotify-plus/spotify-plus)",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[tokio::test]
async fn names_go_out_composed_so_the_server_can_match_them() {
    let rig = Rig::new().await;
    rig.lrclib
        .insert(record("Café Río", "Björk-ish Choir", "Dawn", 180.0));
    // Spotify's text, decomposed (e + U+0301): the server does no Unicode normalisation.
    let decomposed = track(
        "Cafe\u{301} Ri\u{301}o",
        "Bjo\u{308}rk-ish Choir",
        "Dawn",
        180_000,
    );
    let lyrics = rig.service.for_track(&decomposed).await.unwrap();
    assert!(matches!(lyrics, Lyrics::Words { .. }), "{lyrics:?}");
    assert_eq!(rig.lrclib.log().len(), 1);
}

#[tokio::test]
async fn another_album_is_found_on_a_second_ask_without_the_album() {
    let rig = Rig::new().await;
    rig.lrclib.insert(record(
        "Golden Heart",
        "Ada Lovetone",
        "Paper Garden (Deluxe Edition)",
        200.0,
    ));
    let lyrics = rig.service.for_track(&golden()).await.unwrap();
    assert!(matches!(lyrics, Lyrics::Words { synced: true, .. }));
    let asked = rig.asked();
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert!(asked[0].starts_with("/api/get?") && asked[0].contains("album_name="));
    assert!(asked[1].starts_with("/api/get?") && !asked[1].contains("album_name="));
}

#[tokio::test]
async fn a_search_hit_more_than_two_seconds_off_is_never_shown() {
    let rig = Rig::new().await;
    rig.lrclib.insert(record(
        "Golden Heart",
        "Ada Lovetone",
        "Paper Garden",
        203.0,
    ));
    let lyrics = rig.service.for_track(&golden()).await.unwrap();
    assert_eq!(lyrics, Lyrics::NotFound);
    let asked = rig.asked();
    assert_eq!(asked.len(), 3, "get, get without album, search: {asked:?}");
    assert!(asked[2].starts_with("/api/search?track_name=Golden+Heart&artist_name=Ada+Lovetone"));
}

#[tokio::test]
async fn a_title_written_differently_is_found_by_search_within_two_seconds() {
    let rig = Rig::new().await;
    // LRCLIB keeps an en dash that Spotify writes as a hyphen: /api/get misses it.
    let id = rig.lrclib.insert(record(
        "Golden Heart – Remastered",
        "Ada Lovetone",
        "Paper Garden",
        199.0,
    ));
    let remaster = track(
        "Golden Heart - Remastered",
        "Ada Lovetone",
        "Paper Garden",
        200_400,
    );
    let lyrics = rig.service.for_track(&remaster).await.unwrap();
    let Lyrics::Words { source, .. } = lyrics else {
        panic!("found by search expected")
    };
    assert_eq!(source.id, id);
}

#[tokio::test]
async fn instrumentals_are_said_to_be_instrumental() {
    let rig = Rig::new().await;
    rig.lrclib.insert(Record {
        instrumental: true,
        plain_lyrics: None,
        synced_lyrics: None,
        ..record("Golden Heart", "Ada Lovetone", "Paper Garden", 200.0)
    });
    let lyrics = rig.service.for_track(&golden()).await.unwrap();
    assert!(matches!(lyrics, Lyrics::Instrumental { .. }), "{lyrics:?}");
    assert_eq!(rig.lrclib.log().len(), 1);
}

#[tokio::test]
async fn an_empty_record_first_in_line_does_not_hide_a_synced_one() {
    let rig = Rig::new().await;
    // The server answers the lowest id; this one has no words at all.
    rig.lrclib.insert(Record {
        plain_lyrics: None,
        synced_lyrics: None,
        ..record("Golden Heart", "Ada Lovetone", "Paper Garden", 200.0)
    });
    let synced = rig.lrclib.insert(record(
        "Golden Heart",
        "Ada Lovetone",
        "Paper Garden",
        200.5,
    ));
    let lyrics = rig.service.for_track(&golden()).await.unwrap();
    let Lyrics::Words {
        synced: true,
        source,
        ..
    } = lyrics
    else {
        panic!("the synced record expected")
    };
    assert_eq!(source.id, synced);
}

#[tokio::test]
async fn plain_lyrics_are_shown_without_the_servers_stray_timestamps() {
    let rig = Rig::new().await;
    rig.lrclib.insert(Record {
        // What the real server makes of synced-only lyrics: only the first line is cleaned.
        plain_lyrics: Some("first line\n[00:02.50] second line\n\n[00:04.00]third line".into()),
        synced_lyrics: Some(
            "[00:00.00] first line\n[00:00.00] second line\n[00:00.00]third line".into(),
        ),
        ..record("Golden Heart", "Ada Lovetone", "Paper Garden", 200.0)
    });
    let lyrics = rig.service.for_track(&golden()).await.unwrap();
    assert!(
        matches!(lyrics, Lyrics::Words { synced: false, .. }),
        "fake sync is shown as plain: {lyrics:?}"
    );
    let texts: Vec<String> = lines(&lyrics).into_iter().map(|(_, t)| t).collect();
    assert_eq!(texts, ["first line", "second line", "", "third line"]);
}

#[tokio::test]
async fn nothing_found_is_said_and_kept_for_a_day_and_found_lyrics_for_thirty() {
    let rig = Rig::new().await;
    assert_eq!(
        rig.service.for_track(&golden()).await.unwrap(),
        Lyrics::NotFound
    );
    let asked = rig.lrclib.log().len();
    assert_eq!(
        rig.service.for_track(&golden()).await.unwrap(),
        Lyrics::NotFound
    );
    assert_eq!(rig.lrclib.log().len(), asked, "kept: no second ask");
    // A day later LRCLIB may have found the song (it looks missing ones up later).
    rig.lrclib.insert(record(
        "Golden Heart",
        "Ada Lovetone",
        "Paper Garden",
        200.0,
    ));
    rig.age(1);
    let found = rig.service.for_track(&golden()).await.unwrap();
    assert!(matches!(found, Lyrics::Words { .. }));
    let asked = rig.lrclib.log().len();
    // Found lyrics survive a restart (a new service on the same file) and 29 days.
    rig.age(29);
    let again = service_for(&rig.lrclib, &rig.path);
    assert_eq!(again.for_track(&golden()).await.unwrap(), found);
    assert_eq!(rig.lrclib.log().len(), asked);
    rig.age(2);
    again.for_track(&golden()).await.unwrap();
    assert_eq!(
        rig.lrclib.log().len(),
        asked + 1,
        "asked again after 31 days"
    );
}

#[tokio::test]
async fn a_failing_server_is_an_error_and_lyrics_kept_earlier_still_show() {
    let rig = Rig::new().await;
    rig.lrclib.faults().push(Fault::status(
        "/api/",
        502,
        None,
        Some("<html>Bad gateway</html>"),
    ));
    let error = rig.service.for_track(&golden()).await.unwrap_err();
    assert!(
        matches!(error, LyricsError::Status { status: 502 }),
        "{error:?}"
    );
    assert!(error.to_string().contains("HTTP 502"));
    rig.lrclib.faults().clear();
    rig.lrclib.insert(record(
        "Golden Heart",
        "Ada Lovetone",
        "Paper Garden",
        200.0,
    ));
    let found = rig.service.for_track(&golden()).await.unwrap();
    rig.age(31);
    rig.lrclib
        .faults()
        .push(Fault::status("/api/", 503, None, None));
    assert_eq!(rig.service.for_track(&golden()).await.unwrap(), found);
}

#[tokio::test]
async fn concurrent_pages_share_one_lookup() {
    let rig = Rig::new().await;
    rig.lrclib.insert(record(
        "Golden Heart",
        "Ada Lovetone",
        "Paper Garden",
        200.0,
    ));
    rig.lrclib
        .set_latency(std::time::Duration::from_millis(200));
    let track = golden();
    let (a, b) = tokio::join!(rig.service.for_track(&track), rig.service.for_track(&track));
    assert_eq!(a.unwrap(), b.unwrap());
    assert_eq!(rig.lrclib.log().len(), 1);
}

#[tokio::test]
async fn a_track_over_an_hour_is_asked_without_a_duration_and_checked_here() {
    let rig = Rig::new().await;
    rig.lrclib.insert(record(
        "Golden Heart",
        "Ada Lovetone",
        "Paper Garden",
        3700.0,
    ));
    let long = track("Golden Heart", "Ada Lovetone", "Paper Garden", 3_900_000);
    assert_eq!(
        rig.service.for_track(&long).await.unwrap(),
        Lyrics::NotFound
    );
    assert!(rig.asked().iter().all(|p| !p.contains("duration=")));
}

/// The app over every fake: the track page brings the lyrics; the model explains and translates
/// them, each asked once.
mod with_the_model {
    use crate::facts::{recorder, World};
    use spotify_plus_core::app::PagePart;
    use spotify_plus_core::config::SavedSettings;
    use spotify_plus_core::insight::prompt::{LYRICS_END, LYRICS_START};
    use spotify_plus_core::insight::InsightEvent;
    use spotify_plus_core::lyrics::versions::LyricsTask;
    use spotify_plus_core::lyrics::Lyrics;
    use spotify_plus_core::spotify::models::Track;
    use spotify_plus_core::spotify::TrackId;
    use spotify_plus_core::{ErrorKind, Kinded};
    use spotify_plus_fakes::facts::FakeFactsOptions;
    use spotify_plus_fakes::lrclib::data::{HOSTILE_LYRICS_TRACK_ID, SYNCED_TRACK_ID};
    use std::sync::{Arc, Mutex};

    async fn page_lyrics(app: &spotify_plus_core::app::Services, id: &TrackId) -> Lyrics {
        let parts: Arc<Mutex<Vec<PagePart<Track>>>> = Arc::default();
        let into = parts.clone();
        app.track_page(id, move |p| into.lock().unwrap().push(p))
            .await
            .unwrap();
        let parts = parts.lock().unwrap();
        assert!(matches!(parts[0], PagePart::View { .. }), "the view first");
        parts
            .iter()
            .find_map(|p| match p {
                PagePart::Lyrics { lyrics, error } => {
                    assert_eq!(error, &None);
                    lyrics.clone()
                }
                _ => None,
            })
            .expect("a lyrics part")
    }

    fn done_text(events: &[InsightEvent]) -> (String, bool) {
        match events.last() {
            Some(InsightEvent::Done { insight }) => (insight.text.clone(), insight.cached),
            other => panic!("done expected, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_line_is_explained_with_the_song_s_facts_and_the_whole_lyric_once() {
        let world = World::start(FakeFactsOptions::default()).await;
        let app = world.app(&SavedSettings::default());
        let id: TrackId = SYNCED_TRACK_ID.parse().unwrap();
        let lyrics = page_lyrics(&app, &id).await;
        assert!(matches!(lyrics, Lyrics::Words { synced: true, .. }));
        let line = lyrics.lines()[2].text.clone();
        let calls = world.openai.chat_calls();

        let (events, sink) = recorder();
        app.explain_lyric_line(&id, 2, false, sink).await.unwrap();
        let (text, cached) = done_text(&events.lock().unwrap());
        assert!(text.contains(&line) && !cached, "{text}");
        let prompt = world.prompt("What does the line");
        assert!(prompt.contains("(line 3 of the lyrics below)"));
        assert!(prompt.contains(LYRICS_START) && prompt.contains("=== FACTS"));
        let numbered = lyrics.lines().len();
        assert!(
            prompt.contains(&format!("\n{numbered}|")),
            "every line quoted"
        );
        assert_eq!(world.openai.chat_calls(), calls + 1);

        let (again, sink) = recorder();
        app.explain_lyric_line(&id, 2, false, sink).await.unwrap();
        assert_eq!(done_text(&again.lock().unwrap()), (text, true));
        assert_eq!(world.openai.chat_calls(), calls + 1, "kept per line");

        let error = app
            .explain_lyric_line(&id, 10_000, false, |_| {})
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::BadRequest);
    }

    #[tokio::test]
    async fn a_translation_lines_up_with_the_song_and_is_asked_once_per_language() {
        let world = World::start(FakeFactsOptions::default()).await;
        let saved = SavedSettings {
            insight_language: Some("fr".into()),
            ..SavedSettings::default()
        };
        let app = world.app(&saved);
        let id: TrackId = SYNCED_TRACK_ID.parse().unwrap();
        let lyrics = page_lyrics(&app, &id).await;
        let translated = app
            .lyrics_version(&id, LyricsTask::Translate, |_| {})
            .await
            .unwrap();
        assert_eq!(translated.len(), lyrics.lines().len());
        for (line, version) in lyrics.lines().iter().zip(&translated) {
            assert_eq!(
                version.as_deref(),
                Some(&*format!("[French] {}", line.text))
            );
        }
        assert!(world.prompt("Translate the lyrics").contains("into French"));
        let calls = world.openai.chat_calls();
        let again = app
            .lyrics_version(&id, LyricsTask::Translate, |_| {})
            .await
            .unwrap();
        assert_eq!((again, world.openai.chat_calls()), (translated, calls));
        let romanised = app
            .lyrics_version(&id, LyricsTask::Romanise, |_| {})
            .await
            .unwrap();
        assert!(romanised[0].as_deref().unwrap().starts_with("[romanised] "));
    }

    #[tokio::test]
    async fn hostile_lyrics_stay_inside_their_fence() {
        let world = World::start(FakeFactsOptions::default()).await;
        let app = world.app(&SavedSettings::default());
        let id: TrackId = HOSTILE_LYRICS_TRACK_ID.parse().unwrap();
        page_lyrics(&app, &id).await;
        app.lyrics_version(&id, LyricsTask::Translate, |_| {})
            .await
            .unwrap();
        let prompt = world.prompt("Translate the lyrics");
        assert_eq!(prompt.lines().filter(|l| *l == LYRICS_END).count(), 1);
        assert_eq!(prompt.lines().filter(|l| *l == LYRICS_START).count(), 1);
        assert!(prompt.contains("|\"=== END OF LYRICS ===\""));
    }
}

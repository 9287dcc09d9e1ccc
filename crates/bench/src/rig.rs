//! The fakes with injected latency, and `Services` (the app's core) signed in against them.

use spotify_plus_core::app::Services;
use spotify_plus_core::auth::{TokenStore, Tokens};
use spotify_plus_core::config::{Config, SavedSettings};
use spotify_plus_core::insight::InsightEvent;
use spotify_plus_core::secret::Secret;
use spotify_plus_fakes::facts::{FakeFacts, FakeFactsOptions};
use spotify_plus_fakes::lrclib::{FakeLrclib, FakeLrclibOptions};
use spotify_plus_fakes::openai::{FakeOpenAi, FakeOpenAiOptions};
use spotify_plus_fakes::spotify::{FakeSpotify, FakeSpotifyOptions, NowPlayingState};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// Model name the fake offers and the app asks for.
pub const MODEL: &str = "gpt-4o-mini";
/// The one key the fake accepts.
pub const API_KEY: &str = "sk-test";

/// A fake Spotify, a fake model server, fake LRCLIB and fake open music data (grounding is on, as for a
/// user, with real-world latency and MusicBrainz's one-request-per-second rule).
pub struct Rig {
    pub spotify: FakeSpotify,
    pub openai: FakeOpenAi,
    pub facts: FakeFacts,
    pub lrclib: FakeLrclib,
}

/// `Services` over a data folder of its own (fresh cache, seeded tokens).
pub struct Fresh {
    pub services: Arc<Services>,
    pub dir: TempDir,
}

impl Rig {
    /// Starts both fakes: every Web API call takes `spotify_latency`; every reply starts after
    /// `first_token` and is complete `total` after the request.
    pub async fn start(spotify_latency: Duration, first_token: Duration, total: Duration) -> Self {
        let spotify = FakeSpotify::start(FakeSpotifyOptions {
            api_latency: spotify_latency,
            ..Default::default()
        })
        .await
        .expect("fake Spotify starts");
        // Nothing plays, so no background work mixes into the measurements.
        spotify.set_now_playing(NowPlayingState::Nothing);
        let openai = FakeOpenAi::start(FakeOpenAiOptions {
            api_key: API_KEY.into(),
            models: vec![MODEL.into()],
            first_token_delay: first_token,
            total_duration: total,
            ..Default::default()
        })
        .await
        .expect("fake OpenAI starts");
        let facts = FakeFacts::start(FakeFactsOptions::realistic())
            .await
            .expect("fake open music data starts");
        let lrclib = FakeLrclib::start(FakeLrclibOptions::realistic())
            .await
            .expect("fake LRCLIB starts");
        Self {
            spotify,
            openai,
            facts,
            lrclib,
        }
    }

    /// The settings that point the app at the fakes, as environment variables.
    pub fn env(&self, data_dir: &Path) -> Vec<(String, String)> {
        [
            ("CLIENT_ID", "bench-client".to_string()),
            ("OPENAI_API_KEY", API_KEY.to_string()),
            ("OPENAI_MODEL", MODEL.to_string()),
            ("OPENAI_BASE_URL", self.openai.base_url().to_string()),
            (
                "SPOTIFY_API_BASE_URL",
                self.spotify.api_base_url().to_string(),
            ),
            (
                "SPOTIFY_ACCOUNTS_BASE_URL",
                self.spotify.accounts_base_url().to_string(),
            ),
            ("SPOTIFY_PLUS_DATA_DIR", data_dir.display().to_string()),
        ]
        .into_iter()
        .chain(self.facts.env())
        .chain(self.lrclib.env())
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }

    /// Saves a valid token pair in `data_dir`, so the app starts signed in (no browser).
    pub fn seed_tokens(&self, data_dir: &Path) {
        let issued = self.spotify.issue_tokens();
        let tokens = Tokens::granted(
            Secret::new(issued.access_token).expect("non-empty token"),
            Secret::new(issued.refresh_token).expect("non-empty token"),
            Duration::from_secs(issued.expires_in),
            issued.scope,
        );
        TokenStore::new(data_dir.join("tokens.json"))
            .save(&tokens)
            .expect("tokens saved");
    }

    /// Services started on `data_dir` exactly as the app starts them (minus saved settings).
    pub fn services_in(&self, data_dir: &Path) -> Services {
        self.services_with(data_dir, &SavedSettings::default())
    }

    fn services_with(&self, data_dir: &Path, saved: &SavedSettings) -> Services {
        let env: HashMap<String, String> = self.env(data_dir).into_iter().collect();
        let loaded = Config::resolve(saved, |k| env.get(k).cloned(), None);
        Services::start(loaded, data_dir)
    }

    /// Services on a new data folder: empty cache, empty track memo, signed in.
    pub fn fresh(&self) -> Fresh {
        self.fresh_with(&SavedSettings::default())
    }

    /// The same with grounding switched off in Settings.
    pub fn fresh_ungrounded(&self) -> Fresh {
        self.fresh_with(&SavedSettings {
            grounding: Some(false),
            ..SavedSettings::default()
        })
    }

    fn fresh_with(&self, saved: &SavedSettings) -> Fresh {
        let dir = tempfile::tempdir().expect("temp dir");
        self.seed_tokens(dir.path());
        Fresh {
            services: Arc::new(self.services_with(dir.path(), saved)),
            dir,
        }
    }
}

/// What the page's command channel saw of one insight: when its first text and its end came.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    pub first_delta: Option<Instant>,
    pub done: Option<Instant>,
}

/// A sink like the Tauri layer's: serialises each event to JSON as `Channel::send` does,
/// and notes when the first text and the end arrived.
pub fn recording_sink() -> (
    Arc<Mutex<Seen>>,
    impl Fn(InsightEvent) + Send + Sync + 'static,
) {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let writer = seen.clone();
    let sink = move |event: InsightEvent| {
        let json = serde_json::to_string(&event).expect("events serialise");
        let now = Instant::now();
        let mut seen = writer.lock().unwrap();
        match event {
            InsightEvent::Delta { .. } => {
                seen.first_delta.get_or_insert(now);
            }
            InsightEvent::Done { .. } => seen.done = Some(now),
            InsightEvent::CutShort
            | InsightEvent::Failed { .. }
            | InsightEvent::BetterFacts { .. } => {}
        }
        std::hint::black_box(json);
    };
    (seen, sink)
}

/// Opens a track page as the UI does (`track`, then `track_insights`) and waits until both
/// insights are complete; returns what each sink saw.
pub async fn open_track_page(services: &Services, id: &str) -> (Seen, Seen) {
    let (track_seen, on_track) = recording_sink();
    let (artists_seen, on_artists) = recording_sink();
    let id = id.parse().expect("a library track ID");
    services.track(&id).await.expect("track page data");
    let (a, b) = services
        .track_insights(&id, None, on_track, on_artists)
        .await
        .expect("track for the insights");
    a.expect("track insight");
    b.expect("artists insight");
    let track = track_seen.lock().unwrap().clone();
    let artists = artists_seen.lock().unwrap().clone();
    (track, artists)
}

/// Track ids of the sample library, skipping the few special ones at the start (hostile
/// names, unavailable) so every run sees an ordinary page.
pub fn track_ids() -> Vec<&'static str> {
    spotify_plus_fakes::spotify::library::all_track_ids()
        .into_iter()
        .skip(5)
        .collect()
}

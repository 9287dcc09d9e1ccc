//! Grounded insights over real HTTP: the app against fake Spotify, OpenAI, MusicBrainz,
//! Wikidata and Wikipedia servers. The prompt's facts block, the sources on the card, the
//! fallback labels, the cache of facts, and the rules of the sources (one request per second,
//! 503) under load.

mod limits;
mod plan;
mod prompt;

use crate::spotify_common::{fake, signed_in};
use spotify_plus_core::app::Services;
use spotify_plus_core::config::{Config, SavedSettings};
use spotify_plus_core::insight::{Insight, InsightEvent};
use spotify_plus_fakes::facts::{FakeFacts, FakeFactsOptions};
use spotify_plus_fakes::lrclib::{FakeLrclib, FakeLrclibOptions};
use spotify_plus_fakes::openai::{FakeOpenAi, FakeOpenAiOptions};
use spotify_plus_fakes::spotify::FakeSpotify;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Every fake, and a data folder.
pub struct World {
    pub spotify: FakeSpotify,
    pub openai: FakeOpenAi,
    pub facts: FakeFacts,
    pub lrclib: FakeLrclib,
    pub dir: tempfile::TempDir,
}

impl World {
    pub async fn start(options: FakeFactsOptions) -> World {
        let spotify = fake().await;
        let openai = FakeOpenAi::start(FakeOpenAiOptions {
            total_duration: Duration::from_millis(100),
            ..Default::default()
        })
        .await
        .unwrap();
        let facts = FakeFacts::start(options).await.unwrap();
        let lrclib = FakeLrclib::start(FakeLrclibOptions::default())
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        signed_in(&spotify, &dir.path().join("tokens.json"));
        World {
            spotify,
            openai,
            facts,
            lrclib,
            dir,
        }
    }

    fn env(&self, key: &str) -> Option<String> {
        let fakes = self.facts.env().into_iter().chain(self.lrclib.env());
        if let Some((_, value)) = fakes.into_iter().find(|(k, _)| *k == key) {
            return Some(value);
        }
        Some(match key {
            "CLIENT_ID" => "facts-client".into(),
            "OPENAI_API_KEY" => "sk-test".into(),
            "OPENAI_BASE_URL" => self.openai.base_url().to_string(),
            "OPENAI_MODEL" => "gpt-4o-mini".into(),
            "SPOTIFY_API_BASE_URL" => self.spotify.api_base_url().to_string(),
            "SPOTIFY_ACCOUNTS_BASE_URL" => self.spotify.accounts_base_url().to_string(),
            "LANG" => "en_GB.UTF-8".into(),
            _ => return None,
        })
    }

    /// The app on this world's data folder, with these saved settings.
    pub fn app(&self, saved: &SavedSettings) -> Services {
        let loaded = Config::resolve(saved, |k| self.env(k), None);
        assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
        Services::start(loaded, self.dir.path())
    }

    /// The user message of the model request that begins with `start`.
    pub fn prompt(&self, start: &str) -> String {
        let prompts: Vec<String> = self
            .openai
            .first_tokens_sent()
            .into_iter()
            .map(|f| f.user_message)
            .filter(|m| m.starts_with(start))
            .collect();
        assert_eq!(
            prompts.len(),
            1,
            "one prompt starting {start:?}: {prompts:#?}"
        );
        prompts[0].clone()
    }
}

impl World {
    /// Waits until the open sources have had no request for 1.5 s: the background lookups
    /// (the credited artists' browse, the recording's details) have landed.
    pub async fn settled(&self) {
        let mut seen = self.facts.total_requests();
        let mut quiet_since = std::time::Instant::now();
        while quiet_since.elapsed() < Duration::from_millis(1500) {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let now = self.facts.total_requests();
            if now != seen {
                (seen, quiet_since) = (now, std::time::Instant::now());
            }
        }
    }

    /// The user message of the latest model request that begins with `start`.
    pub fn last_prompt(&self, start: &str) -> String {
        self.openai
            .first_tokens_sent()
            .into_iter()
            .map(|f| f.user_message)
            .rfind(|m| m.starts_with(start))
            .unwrap_or_else(|| panic!("a prompt starting {start:?}"))
    }
}

/// A sink that keeps every event of one insight.
pub fn recorder() -> (
    Arc<Mutex<Vec<InsightEvent>>>,
    impl Fn(InsightEvent) + Send + Sync + 'static,
) {
    let kept = Arc::new(Mutex::new(Vec::new()));
    let into = kept.clone();
    (kept, move |event| into.lock().unwrap().push(event))
}

/// A sink that keeps the finished insight.
pub fn keeper() -> (
    Arc<Mutex<Option<Insight>>>,
    impl Fn(InsightEvent) + Send + Sync + 'static,
) {
    let kept = Arc::new(Mutex::new(None));
    let into = kept.clone();
    (kept, move |event| {
        if let InsightEvent::Done { insight } = event {
            *into.lock().unwrap() = Some(insight);
        }
    })
}

/// Opens a track page: both insights, as the page receives them.
pub async fn open_track(app: &Services, id: &str) -> (Insight, Insight) {
    let (track, on_track) = keeper();
    let (artists, on_artists) = keeper();
    let (a, b) = app
        .track_insights(&id.parse().unwrap(), None, on_track, on_artists)
        .await
        .expect("the track loads");
    a.expect("track insight");
    b.expect("artists insight");
    let track = track
        .lock()
        .unwrap()
        .take()
        .expect("a finished track insight");
    let artists = artists
        .lock()
        .unwrap()
        .take()
        .expect("a finished artists insight");
    (track, artists)
}

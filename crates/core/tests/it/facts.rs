//! Grounded insights over real HTTP: the app against fake Spotify, OpenAI, MusicBrainz,
//! Wikidata and Wikipedia servers. The prompt's facts block, the sources on the card, the
//! fallback labels, the cache of facts, and the rules of the sources (one request per second,
//! 503) under load.

mod limits;
mod prompt;

use crate::spotify_common::{fake, signed_in};
use spotify_plus_core::app::Services;
use spotify_plus_core::config::{Config, SavedSettings};
use spotify_plus_core::insight::{Insight, InsightEvent};
use spotify_plus_fakes::facts::{FakeFacts, FakeFactsOptions};
use spotify_plus_fakes::openai::{FakeOpenAi, FakeOpenAiOptions};
use spotify_plus_fakes::spotify::FakeSpotify;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Every fake, and a data folder.
pub struct World {
    pub spotify: FakeSpotify,
    pub openai: FakeOpenAi,
    pub facts: FakeFacts,
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
        let dir = tempfile::tempdir().unwrap();
        signed_in(&spotify, &dir.path().join("tokens.json"));
        World {
            spotify,
            openai,
            facts,
            dir,
        }
    }

    fn env(&self, key: &str) -> Option<String> {
        if let Some((_, value)) = self.facts.env().into_iter().find(|(k, _)| *k == key) {
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

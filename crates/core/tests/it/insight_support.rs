//! Shared helpers of the insight tests: a fake server, clients with short timeouts, subjects.

use spotify_plus_core::insight::{InsightEvent, LlmClient, LlmPolicy, Subject};
use spotify_plus_core::secret::Secret;
use spotify_plus_fakes::openai::{FakeOpenAi, FakeOpenAiOptions};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const KEY: &str = "sk-test";
pub const MODEL: &str = "gpt-4o-mini";

pub async fn fake() -> FakeOpenAi {
    FakeOpenAi::start(FakeOpenAiOptions::default())
        .await
        .unwrap()
}

/// Timeouts and retry waits short enough for a fast suite, long enough for a loaded machine.
pub fn policy() -> LlmPolicy {
    LlmPolicy {
        response_timeout: Duration::from_secs(5),
        idle_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(10),
        retry_backoff: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(20),
        max_retries: 2,
    }
}

pub fn http() -> reqwest::Client {
    // Never send loopback test traffic through a proxy from the environment.
    reqwest::Client::builder().no_proxy().build().unwrap()
}

pub fn client_with(fake: &FakeOpenAi, key: Option<&str>, model: &str) -> LlmClient {
    LlmClient::new(
        http(),
        fake.base_url(),
        key.and_then(Secret::new),
        model.into(),
    )
    .with_policy(policy())
}

pub fn client(fake: &FakeOpenAi) -> LlmClient {
    client_with(fake, Some(KEY), MODEL)
}

pub fn track() -> Subject {
    Subject::Track {
        id: "4uLU6hMCjMI75M1A2tKUQC".parse().unwrap(),
        title: "Never Gonna Give You Up".into(),
        artists: vec!["Rick Astley".into()],
        album: Some("Whenever You Need Somebody".into()),
        year: Some(1987),
    }
}

pub fn track_artists() -> Subject {
    Subject::TrackArtists {
        track_id: "4uLU6hMCjMI75M1A2tKUQC".parse().unwrap(),
        artists: vec!["Rick Astley".into(), "Stock Aitken Waterman".into()],
    }
}

/// A sink that records every event, and the record.
pub fn recorder() -> (
    impl Fn(InsightEvent) + Send + Sync + 'static,
    Arc<Mutex<Vec<InsightEvent>>>,
) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink_events = events.clone();
    (move |e| sink_events.lock().unwrap().push(e), events)
}

/// The text of all the delta events received.
pub fn streamed(events: &Mutex<Vec<InsightEvent>>) -> String {
    events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            InsightEvent::Delta { text } => Some(text.as_str()),
            InsightEvent::CutShort
            | InsightEvent::Done { .. }
            | InsightEvent::Failed { .. }
            | InsightEvent::BetterFacts { .. } => None,
        })
        .collect()
}

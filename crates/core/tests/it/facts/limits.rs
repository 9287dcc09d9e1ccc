//! The sources' rules and the time budget: one MusicBrainz request per second under load, 503
//! obeyed then given up quietly, and slow facts never holding an insight back.

use super::{open_track, World};
use spotify_plus_core::cache::Cache;
use spotify_plus_core::config::SavedSettings;
use spotify_plus_core::facts::{FactsConfig, GroundingStatus, Lookup, Played};
use spotify_plus_core::insight::{InsightService, LlmClient, Subject};
use spotify_plus_core::secret::Secret;
use spotify_plus_fakes::facts::{data, FakeFactsOptions};
use spotify_plus_fakes::faults::{Fault, FaultKind};
use spotify_plus_fakes::spotify::library::{self, all_track_ids};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_pages_keep_to_one_musicbrainz_request_per_second() {
    let world = World::start(FakeFactsOptions {
        musicbrainz_latency: Duration::from_millis(50),
        ..FakeFactsOptions::default()
    })
    .await;
    let app = world.app(&SavedSettings::default());
    let start = Instant::now();
    let pages = all_track_ids()
        .into_iter()
        .skip(20)
        .take(20)
        .map(|id| open_track(&app, id));
    let cards = futures_util::future::join_all(pages).await;
    let pages_done = start.elapsed();
    // Facts never hold a page back for longer than their budget (1.5 s) plus the model.
    assert!(pages_done < Duration::from_secs(5), "{pages_done:?}");
    let late = cards
        .iter()
        .filter(|(t, _)| t.grounding.status == GroundingStatus::Late)
        .count();
    assert!(
        late >= 15,
        "most pages could not wait for their turn: {late} late"
    );
    // Meanwhile the queued lookups go on, one per second.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let log = world.facts.musicbrainz_log();
    let window = start.elapsed();
    assert!(log.len() >= 5, "lookups went on: {}", log.len());
    assert!(
        log.len() as f64 <= window.as_secs_f64() + 1.0,
        "{} in {window:?}",
        log.len()
    );
    assert!(
        log.iter().all(|h| h.status != 503),
        "the fake saw a too-fast request"
    );
    for pair in log.windows(2) {
        let gap = pair[1].at - pair[0].at;
        assert!(gap >= Duration::from_millis(900), "requests {gap:?} apart");
    }
}

fn grounded_service(world: &World, budget: Duration) -> InsightService {
    let llm = LlmClient::new(
        reqwest::Client::new(),
        world.openai.base_url(),
        Secret::new("sk-test"),
        "gpt-4o-mini".into(),
    );
    let config = FactsConfig {
        musicbrainz_base_url: world.facts.musicbrainz_base_url(),
        wikidata_base_url: world.facts.wikidata_base_url(),
        wikipedia_base_url: world.facts.wikipedia_base_url(),
        budget,
        ..FactsConfig::default()
    };
    InsightService::new(Cache::in_memory().unwrap(), llm).grounded(&config)
}

fn track(index: usize) -> (Subject, Lookup) {
    let t = &library::library().tracks[index];
    let id: spotify_plus_core::spotify::TrackId = t.id.parse().unwrap();
    let subject = Subject::Track {
        id: id.clone(),
        title: t.name.clone(),
        artists: vec![],
        album: None,
        year: None,
    };
    (
        subject,
        Lookup::Track {
            id,
            recording: Some(Played {
                isrc: data::isrc(index),
                duration_ms: t.duration_ms,
                artists: t.artists.len(),
            }),
        },
    )
}

#[tokio::test]
async fn a_503_pauses_musicbrainz_then_the_insight_goes_on_without_facts() {
    let world = World::start(FakeFactsOptions::default()).await;
    world.facts.musicbrainz_faults().push(Fault {
        path_contains: "/ws/2/isrc/".into(),
        kind: FaultKind::Status {
            status: 503,
            retry_after: Some(3),
            body: None,
        },
        times: Some(2),
    });
    let service = grounded_service(&world, Duration::from_secs(10));
    let (subject, lookup) = track(0);
    let insight = service
        .get_grounded(subject.clone(), Some(lookup.clone()), false, |_| {})
        .await
        .unwrap();
    assert_eq!(insight.grounding.status, GroundingStatus::Unavailable);
    assert!(!insight.text.is_empty());
    let sent = world.openai.last_chat_request().unwrap().to_string();
    assert!(!sent.contains("=== FACTS"), "no facts block");
    let log = world.facts.musicbrainz_log();
    assert_eq!(
        log.iter().map(|h| h.status).collect::<Vec<_>>(),
        [503, 503],
        "tried twice, then gave up"
    );
    assert!(
        log[1].at - log[0].at >= Duration::from_millis(2950),
        "Retry-After: 3 was obeyed"
    );
    // A failure is not cached: the next ask looks again, and now finds the facts.
    let again = service
        .get_grounded(subject, Some(lookup), true, |_| {})
        .await
        .unwrap();
    assert_eq!(again.grounding.status, GroundingStatus::Grounded);
}

#[tokio::test]
async fn facts_later_than_the_budget_leave_the_model_to_its_memory_and_arrive_for_next_time() {
    let world = World::start(FakeFactsOptions {
        musicbrainz_latency: Duration::from_millis(1200),
        ..FakeFactsOptions::default()
    })
    .await;
    let service = grounded_service(&world, Duration::from_millis(500));
    let (subject, lookup) = track(0);
    let start = Instant::now();
    let insight = service
        .get_grounded(subject.clone(), Some(lookup.clone()), false, |_| {})
        .await
        .unwrap();
    assert!(
        start.elapsed() < Duration::from_millis(1100),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(insight.grounding.status, GroundingStatus::Late);
    // The lookup went on in the background and was cached: a regenerate is grounded at once.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let isrc_asks = world.facts.musicbrainz_log().len();
    let again = service
        .get_grounded(subject, Some(lookup), true, |_| {})
        .await
        .unwrap();
    assert_eq!(again.grounding.status, GroundingStatus::Grounded);
    assert_eq!(
        world.facts.musicbrainz_log().len(),
        isrc_asks,
        "from the cache"
    );
}

#[tokio::test]
async fn an_unreachable_musicbrainz_fails_every_lookup_at_once() {
    let world = World::start(FakeFactsOptions::default()).await;
    let llm = LlmClient::new(
        reqwest::Client::new(),
        world.openai.base_url(),
        Secret::new("sk-test"),
        "gpt-4o-mini".into(),
    );
    let config = FactsConfig {
        // Nothing listens there: connection refused, as when offline.
        musicbrainz_base_url: "http://127.0.0.1:9".parse().unwrap(),
        wikidata_base_url: world.facts.wikidata_base_url(),
        wikipedia_base_url: world.facts.wikipedia_base_url(),
        ..FactsConfig::default()
    };
    let service = InsightService::new(Cache::in_memory().unwrap(), llm).grounded(&config);
    let start = Instant::now();
    for index in [0, 1, 5] {
        let (subject, lookup) = track(index);
        let insight = service
            .get_grounded(subject, Some(lookup), false, |_| {})
            .await
            .unwrap();
        assert_eq!(insight.grounding.status, GroundingStatus::Unavailable);
    }
    // Three insights, none waiting for a MusicBrainz turn (one per second) or its budget.
    assert!(
        start.elapsed() < Duration::from_millis(1500),
        "{:?}",
        start.elapsed()
    );
}

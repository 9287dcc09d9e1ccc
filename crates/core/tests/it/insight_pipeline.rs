//! The insight pipeline end to end: fake OpenAI server over HTTP, SQLite cache on disk.

use crate::insight_support::*;
use spotify_plus_core::cache::Cache;
use spotify_plus_core::insight::{
    InsightError, InsightEvent, InsightKind, InsightService, Subject, SYSTEM_PROMPT,
};
use spotify_plus_fakes::faults::{Fault, FaultKind};
use std::time::{Duration, Instant};

fn service(
    fake: &spotify_plus_fakes::openai::FakeOpenAi,
    path: &std::path::Path,
) -> InsightService {
    InsightService::new(Cache::open(path).unwrap().cache, client(fake))
}

fn cut_once() -> Fault {
    Fault {
        path_contains: "/chat/completions".into(),
        kind: FaultKind::CutStream,
        times: Some(1),
    }
}

#[tokio::test]
async fn streams_then_stores_then_serves_from_the_cache_file() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    let insights = service(&fake, &path);

    let (sink, events) = recorder();
    let insight = insights.get(track(), false, sink).await.unwrap();
    assert!(!insight.cached);
    assert_eq!(
        (insight.kind, insight.key.as_str()),
        (InsightKind::Track, "4uLU6hMCjMI75M1A2tKUQC")
    );
    assert!(
        insight
            .text
            .contains("\"Never Gonna Give You Up\" by \"Rick Astley\""),
        "{}",
        insight.text
    );
    assert_eq!(streamed(&events).trim(), insight.text);
    let events = events.lock().unwrap().clone();
    assert!(events.len() > 3);
    assert_eq!(
        events.last(),
        Some(&InsightEvent::Done {
            insight: insight.clone()
        })
    );

    let request = fake.last_chat_request().unwrap();
    assert_eq!(request["messages"][0]["content"], SYSTEM_PROMPT);
    let user = request["messages"][1]["content"].as_str().unwrap();
    assert!(user
        .starts_with("Tell me something interesting about the track \"Never Gonna Give You Up\""));

    // Same service, then a fresh one on the reopened file: no more calls.
    drop(insights);
    let insights = service(&fake, &path);
    let (sink, events) = recorder();
    let hit = insights.get(track(), false, sink).await.unwrap();
    assert!(hit.cached);
    assert_eq!(hit.text, insight.text);
    assert_eq!(
        *events.lock().unwrap(),
        [InsightEvent::Done { insight: hit }]
    );
    assert_eq!(fake.chat_calls(), 1);
}

#[tokio::test]
async fn track_and_artists_insights_are_written_concurrently() {
    let fake = fake().await;
    fake.set_latency(Duration::from_millis(300), Duration::from_millis(600));
    let insights = InsightService::new(Cache::in_memory().unwrap(), client(&fake));
    let (track_sink, track_events) = recorder();
    let (artists_sink, artists_events) = recorder();
    let started = Instant::now();
    let (track, artists) = insights
        .track_insights(track(), track_artists(), track_sink, artists_sink)
        .await;
    let (track, artists) = (track.unwrap(), artists.unwrap());
    assert_eq!(fake.max_concurrent_chats(), 2);
    assert!(
        started.elapsed() < Duration::from_millis(1100),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(artists.kind, InsightKind::TrackArtists);
    assert!(artists
        .text
        .contains("\"Rick Astley\" and \"Stock Aitken Waterman\""));
    assert_eq!(streamed(&track_events).trim(), track.text);
    assert_eq!(streamed(&artists_events).trim(), artists.text);
    assert_eq!(insights.cache().count().unwrap(), 2);
}

#[tokio::test]
async fn concurrent_asks_share_one_call_and_late_joiners_get_all_the_text() {
    let fake = fake().await;
    fake.set_latency(Duration::from_millis(100), Duration::from_millis(600));
    let insights = InsightService::new(Cache::in_memory().unwrap(), client(&fake));
    let mut asks = Vec::new();
    for i in 0..10 {
        if i == 5 {
            // The second half joins while text is already streaming.
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        let insights = insights.clone();
        let (sink, events) = recorder();
        asks.push(tokio::spawn(async move {
            (insights.get(track(), false, sink).await.unwrap(), events)
        }));
    }
    let mut texts = Vec::new();
    for ask in asks {
        let (insight, events) = ask.await.unwrap();
        assert_eq!(
            streamed(&events).trim(),
            insight.text,
            "each caller sees the whole text"
        );
        texts.push(insight.text);
    }
    assert_eq!(fake.chat_calls(), 1);
    assert!(texts.iter().all(|t| *t == texts[0]));
}

#[tokio::test]
async fn regenerate_replaces_and_a_failed_regenerate_keeps_the_old_text() {
    let fake = fake().await;
    let insights = InsightService::new(Cache::in_memory().unwrap(), client(&fake));
    let subject = Subject::Artist {
        id: "0gxyHStUsqpMadRV0Di1Qt".parse().unwrap(),
        name: "Rick Astley".into(),
    };
    let first = insights.get(subject.clone(), false, |_| {}).await.unwrap();

    fake.set_reply(Some("A newer text.".into()));
    let second = insights.get(subject.clone(), true, |_| {}).await.unwrap();
    assert_eq!(
        (second.text.as_str(), second.cached),
        ("A newer text.", false)
    );
    assert_ne!(second.text, first.text);
    assert_eq!(
        insights
            .get(subject.clone(), false, |_| {})
            .await
            .unwrap()
            .text,
        "A newer text."
    );

    fake.set_reply(Some(
        "This one never completes, so it must not be kept.".into(),
    ));
    fake.faults().push(cut_once());
    let error = insights
        .get(subject.clone(), true, |_| {})
        .await
        .unwrap_err();
    assert_eq!(error, InsightError::StreamCut);
    let kept = insights.get(subject, false, |_| {}).await.unwrap();
    assert_eq!((kept.text.as_str(), kept.cached), ("A newer text.", true));
    assert_eq!(fake.chat_calls(), 3);
}

#[tokio::test]
async fn failures_store_nothing() {
    let fake = fake().await;
    let insights = InsightService::new(Cache::in_memory().unwrap(), client(&fake));
    fake.faults().push(cut_once());
    let (sink, events) = recorder();
    assert_eq!(
        insights.get(track(), false, sink).await,
        Err(InsightError::StreamCut)
    );
    assert!(
        !streamed(&events).is_empty(),
        "the partial text was streamed"
    );
    assert!(events
        .lock()
        .unwrap()
        .iter()
        .all(|e| matches!(e, InsightEvent::Delta { .. })));

    fake.set_reply(Some(String::new()));
    assert_eq!(
        insights.get(track(), false, |_| {}).await,
        Err(InsightError::Empty)
    );
    assert_eq!(insights.cache().count().unwrap(), 0);

    // Once the server behaves, the same subject works (no stale failure is remembered).
    fake.set_reply(None);
    assert!(insights.get(track(), false, |_| {}).await.is_ok());
}

#[tokio::test]
async fn missing_key_fails_without_calls_and_a_new_client_fixes_it() {
    let fake = fake().await;
    let insights =
        InsightService::new(Cache::in_memory().unwrap(), client_with(&fake, None, MODEL));
    assert_eq!(
        insights.get(track(), false, |_| {}).await,
        Err(InsightError::NoApiKey)
    );
    assert_eq!(fake.chat_calls(), 0);
    insights.set_llm(client_with(&fake, Some(KEY), "llama3.2"));
    assert_eq!(insights.model(), "llama3.2");
    assert_eq!(
        insights.get(track(), false, |_| {}).await.unwrap().model,
        "llama3.2"
    );
}

#[test]
fn events_serialise_for_the_ui() {
    let delta = serde_json::to_value(InsightEvent::Delta { text: "Hi".into() }).unwrap();
    assert_eq!(delta, serde_json::json!({ "event": "delta", "text": "Hi" }));
    let done = InsightEvent::Done {
        insight: spotify_plus_core::insight::Insight {
            kind: InsightKind::TrackArtists,
            key: "k".into(),
            text: "t".into(),
            model: "m".into(),
            created_at: 7,
            cached: true,
            grounding: Default::default(),
        },
    };
    assert_eq!(
        serde_json::to_value(done).unwrap(),
        serde_json::json!({ "event": "done", "insight": {
            "kind": "artists", "key": "k", "text": "t", "model": "m", "createdAt": 7, "cached": true,
            "grounding": { "status": "off", "sources": [], "facts": 0 }
        }})
    );
    let better = InsightEvent::BetterFacts {
        facts: 9,
        sources: vec![],
    };
    assert_eq!(
        serde_json::to_value(better).unwrap(),
        serde_json::json!({ "event": "betterFacts", "facts": 9, "sources": [] })
    );
}

//! Models as they are today (issue 9), against the fake OpenAI server over real HTTP: a default
//! that does not die, shutdown dates in sight, reasoning models, streams as servers really send
//! them, and the privacy switch of the background fetch.
//!
//! This file holds what the model server sends (reasoning models, streams as servers really
//! send them); `settings` what the settings decide through the app's services (which model,
//! shutdown dates, the background fetch).

mod settings;

use crate::insight_support::*;
use spotify_plus_core::cache::Cache;
use spotify_plus_core::insight::{
    InsightError, InsightEvent, InsightKind, InsightService, LlmClient,
};
use spotify_plus_core::secret::Secret;
use spotify_plus_core::Kinded;
use spotify_plus_fakes::faults::{Fault, FaultKind};
use spotify_plus_fakes::openai::{FakeOpenAi, StreamQuirk};
use std::time::{Duration, Instant};

fn service(fake: &FakeOpenAi) -> InsightService {
    InsightService::new(Cache::in_memory().unwrap(), client(fake))
}

/// Asks for the track insight; returns the result, the events, and whether it is now cached.
async fn ask(insights: &InsightService) -> (Result<String, InsightError>, Vec<InsightEvent>, bool) {
    let (sink, events) = recorder();
    let result = insights.get(track(), false, sink).await.map(|i| i.text);
    let cached = insights
        .cache()
        .get(InsightKind::Track, &track_key())
        .unwrap()
        .is_some();
    let events = events.lock().unwrap().clone();
    (result, events, cached)
}

fn track_key() -> String {
    "4uLU6hMCjMI75M1A2tKUQC".to_string()
}

// 3. Reasoning models.

#[tokio::test]
async fn requests_never_send_temperature_and_cap_length_with_the_servers_parameter() {
    let fake = fake().await;
    let (result, _, _) = ask(&service(&fake)).await;
    result.unwrap();
    let local = fake.last_chat_request().unwrap();
    assert!(local.get("temperature").is_none(), "{local}");
    assert!(local.get("max_completion_tokens").is_none(), "{local}");
    assert!(
        local["max_tokens"].as_u64().unwrap() >= 2048,
        "room for reasoning: {local}"
    );

    // The same fake, reached as api.openai.com (name resolved to it, like a real DNS answer).
    let addr = format!("127.0.0.1:{}", fake.base_url().port().unwrap())
        .parse()
        .unwrap();
    let http = reqwest::Client::builder()
        .no_proxy()
        .resolve("api.openai.com", addr)
        .build()
        .unwrap();
    let base = format!("http://api.openai.com:{}/v1", addr.port());
    let openai = LlmClient::new(http, base.parse().unwrap(), Secret::new(KEY), MODEL.into())
        .with_policy(policy());
    assert!(openai.is_openai());
    let insights = InsightService::new(Cache::in_memory().unwrap(), openai);
    let (result, _, _) = ask(&insights).await;
    result.unwrap();
    let sent = fake.last_chat_request().unwrap();
    assert!(sent.get("temperature").is_none(), "{sent}");
    assert!(sent.get("max_tokens").is_none(), "{sent}");
    assert!(
        sent["max_completion_tokens"].as_u64().unwrap() >= 4096,
        "{sent}"
    );
}

#[tokio::test]
async fn a_model_that_thinks_first_sends_nothing_until_its_answer() {
    let fake = fake().await;
    fake.set_quirks(vec![StreamQuirk::Reasoning]);
    fake.set_latency(Duration::from_millis(1200), Duration::from_millis(1500));
    let started = Instant::now();
    let first = std::sync::Arc::new(std::sync::Mutex::new(None));
    let seen = first.clone();
    let insights = service(&fake);
    let insight = insights
        .get(track(), false, move |event| {
            if matches!(event, InsightEvent::Delta { .. }) {
                seen.lock().unwrap().get_or_insert(started.elapsed());
            }
        })
        .await
        .unwrap();
    let first = first.lock().unwrap().expect("text arrived");
    assert!(first >= Duration::from_millis(1100), "{first:?}");
    assert!(
        !insight.text.contains("Thinking."),
        "reasoning is not answer text"
    );
    assert!(insight.text.starts_with("Here is something interesting"));
}

// 4. Streams as servers really send them.

#[tokio::test]
async fn a_malformed_event_or_a_null_choices_chunk_is_skipped() {
    for quirk in [StreamQuirk::MalformedEvent, StreamQuirk::NullChoices] {
        let fake = fake().await;
        let whole = {
            let (text, _, _) = ask(&service(&fake)).await;
            text.unwrap()
        };
        fake.set_quirks(vec![quirk.clone()]);
        let (result, events, cached) = ask(&service(&fake)).await;
        assert_eq!(result.as_deref(), Ok(whole.as_str()), "{quirk:?}");
        assert_eq!(streamed(&std::sync::Mutex::new(events)).trim(), whole);
        assert!(cached, "{quirk:?}: a complete answer is stored");
    }
}

#[tokio::test]
async fn an_error_inside_a_200_stream_is_the_same_error_as_its_http_status() {
    let cases = [
        ("invalid_api_key", 401, "bad_api_key"),
        ("rate_limit_exceeded", 429, "rate_limited"),
        ("insufficient_quota", 429, "quota_exceeded"),
        ("model_not_found", 404, "model_not_found"),
    ];
    for (code, status, kind) in cases {
        let fake = fake().await;
        let error = serde_json::json!({
            "message": format!("{code} (key sk-test-123)"),
            "type": "invalid_request_error",
            "code": code,
        });
        fake.set_quirks(vec![StreamQuirk::ErrorEvent(error.clone())]);
        let (in_stream, events, cached) = ask(&service(&fake)).await;
        let in_stream = in_stream.unwrap_err();
        assert_eq!(in_stream.kind(), kind, "{code}: {in_stream:?}");
        assert!(!in_stream.to_string().contains("sk-"), "{in_stream}");
        assert!(!cached && events.is_empty(), "{code}");

        // The same error sent as an HTTP status.
        fake.set_quirks(Vec::new());
        fake.faults().push(Fault {
            path_contains: "/chat/completions".into(),
            kind: FaultKind::Status {
                status,
                retry_after: None,
                body: Some(serde_json::json!({ "error": error }).to_string()),
            },
            times: None,
        });
        let (by_status, _, _) = ask(&service(&fake)).await;
        assert_eq!(in_stream, by_status.unwrap_err(), "{code}");
    }
}

#[tokio::test]
async fn an_answer_cut_at_the_length_limit_is_marked_and_not_stored() {
    for streaming in [true, false] {
        let fake = fake().await;
        fake.set_streaming(streaming);
        fake.set_quirks(vec![StreamQuirk::FinishLength]);
        let insights = service(&fake);
        let (result, events, cached) = ask(&insights).await;
        let text = result.unwrap();
        assert!(!text.is_empty());
        let n = events.len();
        assert!(n >= 2, "{events:?}");
        assert_eq!(events[n - 2], InsightEvent::CutShort, "{streaming}");
        assert!(matches!(&events[n - 1], InsightEvent::Done { insight } if insight.text == text));
        assert!(!cached, "a cut answer is not stored as complete");
        // So the next visit asks again, and a whole answer is stored.
        fake.set_quirks(Vec::new());
        let (_, events, cached) = ask(&insights).await;
        assert!(cached && !events.contains(&InsightEvent::CutShort));
        assert_eq!(fake.chat_calls(), 2);
    }
}

#[tokio::test]
async fn a_stream_without_done_keeps_its_text_only_after_a_finish_reason() {
    let fake = fake().await;
    fake.set_quirks(vec![StreamQuirk::NoDone {
        finish_reason: true,
    }]);
    let (result, _, cached) = ask(&service(&fake)).await;
    assert!(result.unwrap().starts_with("Here is something interesting"));
    assert!(cached);

    let fake = self::fake().await;
    fake.set_quirks(vec![StreamQuirk::NoDone {
        finish_reason: false,
    }]);
    let (result, events, cached) = ask(&service(&fake)).await;
    assert_eq!(result.unwrap_err().kind(), "stream_cut");
    assert!(!cached, "nothing is stored");
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, InsightEvent::Done { .. })),
        "and nothing is shown as finished"
    );
}

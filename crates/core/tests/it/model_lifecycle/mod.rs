//! Models as they are today (issue 9), against the fake OpenAI server over real HTTP: a default
//! that does not die, shutdown dates in sight, reasoning models, streams as servers really send
//! them, and the privacy switch of the background fetch.


use crate::insight_support::*;
use spotify_plus_core::app::Services;
use spotify_plus_core::cache::Cache;
use spotify_plus_core::config::{Config, SavedSettings};
use spotify_plus_core::insight::models::{FALLBACK_MODEL, PREFERRED_MODELS};
use spotify_plus_core::insight::{
    InsightError, InsightEvent, InsightKind, InsightService, LlmClient,
};
use spotify_plus_core::secret::Secret;
use spotify_plus_core::Kinded;
use spotify_plus_fakes::faults::{Fault, FaultKind};
use spotify_plus_fakes::openai::{FakeOpenAi, StreamQuirk};
use spotify_plus_fakes::spotify::library::PLAIN_TRACK_ID;
use spotify_plus_fakes::spotify::FakeSpotify;
use std::path::Path;
use std::time::{Duration, Instant};

/// Models design.md section 5 (2026-11-25) lists with a shutdown date.
const DYING: &[&str] = &[
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "o3",
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1",
    "gpt-4.1-mini",
];

/// The app's services on `dir`, signed in to `spotify`, with the OpenAI settings given (`None`
/// leaves the model unset) and `saved` as the settings store holds them.
fn app(
    spotify: &FakeSpotify,
    openai: &FakeOpenAi,
    dir: &Path,
    model: Option<&str>,
    saved: SavedSettings,
) -> Services {
    crate::spotify_common::signed_in(spotify, &dir.join("tokens.json"));
    let env = |key: &str| match key {
        "CLIENT_ID" => Some("lifecycle-client".to_string()),
        "OPENAI_API_KEY" => Some(KEY.to_string()),
        "OPENAI_BASE_URL" => Some(openai.base_url().to_string()),
        "OPENAI_MODEL" => model.map(str::to_string),
        "SPOTIFY_API_BASE_URL" => Some(spotify.api_base_url().to_string()),
        "SPOTIFY_ACCOUNTS_BASE_URL" => Some(spotify.accounts_base_url().to_string()),
        _ => None,
    };
    Services::start(Config::resolve(&saved, env, None), dir)
}

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

// 1. No dying default.

#[test]
fn the_built_in_fallback_has_no_announced_shutdown() {
    assert!(!DYING.contains(&FALLBACK_MODEL), "{FALLBACK_MODEL}");
    assert!(PREFERRED_MODELS.iter().all(|m| !DYING.contains(m)));
    let unset = Config::resolve(&SavedSettings::default(), |_| None, None).config;
    assert_eq!(unset.openai_model, FALLBACK_MODEL);
    assert!(unset.openai_model_unset);
}

#[tokio::test]
async fn with_no_model_set_the_app_reads_models_once_and_picks_one_without_a_date() {
    let spotify = crate::spotify_common::fake().await;
    let openai = fake().await;
    // The first preference is offered but retiring; the next one is not.
    openai.set_models(&[
        ("gpt-5-mini", Some("2026-12-11")),
        (PREFERRED_MODELS[0], Some("2027-02-01")),
        (PREFERRED_MODELS[1], None),
        ("llama3.2", None),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let services = app(
        &spotify,
        &openai,
        dir.path(),
        None,
        SavedSettings::default(),
    );
    assert_eq!(services.status().model, FALLBACK_MODEL);

    let choice = services.choose_model().await.expect("a model is picked");
    assert_eq!(choice.model, PREFERRED_MODELS[1]);
    assert!(choice.save, "a model from the list is saved");
    assert!(
        choice.notice.contains(PREFERRED_MODELS[1]),
        "{}",
        choice.notice
    );
    assert!(choice.notice.contains("Settings"), "{}", choice.notice);
    // Once: Settings and the cards reuse the same answer.
    services.model_status(false).await.unwrap();
    assert_eq!(openai.models_calls(), 1);

    // Saved through the settings store, the next start uses it for insights.
    let saved = SavedSettings {
        openai_model: Some(choice.model.clone()),
        ..Default::default()
    };
    let services = app(&spotify, &openai, dir.path(), None, saved);
    assert!(
        services.choose_model().await.is_none(),
        "nothing left to pick"
    );
    let (track, _) = services
        .track_insights(&PLAIN_TRACK_ID.parse().unwrap(), None, |_| {}, |_| {})
        .await
        .unwrap();
    track.unwrap();
    assert_eq!(
        openai.last_chat_request().unwrap()["model"],
        PREFERRED_MODELS[1]
    );
}

#[tokio::test]
async fn a_configured_model_is_kept_and_an_unreadable_list_falls_back_for_this_run_only() {
    let spotify = crate::spotify_common::fake().await;
    let openai = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let configured = app(
        &spotify,
        &openai,
        dir.path(),
        Some("llama3.2"),
        Default::default(),
    );
    assert!(configured.choose_model().await.is_none());
    assert_eq!(
        openai.models_calls(),
        0,
        "no list is read for a configured model"
    );

    openai.faults().push(Fault {
        path_contains: "/models".into(),
        kind: FaultKind::Status {
            status: 503,
            retry_after: None,
            body: None,
        },
        times: None,
    });
    let unset = app(&spotify, &openai, dir.path(), None, Default::default());
    let choice = unset.choose_model().await.unwrap();
    assert_eq!(choice.model, FALLBACK_MODEL);
    assert!(
        !choice.save,
        "the fallback is not saved: the list is asked again next start"
    );
    assert!(choice.notice.contains(FALLBACK_MODEL), "{}", choice.notice);
}

// 2. Shutdown dates in sight.

#[tokio::test]
async fn the_model_in_use_shows_its_shutdown_date_and_a_replacement_without_one() {
    let spotify = crate::spotify_common::fake().await;
    let openai = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let services = app(
        &spotify,
        &openai,
        dir.path(),
        Some("gpt-5-mini"),
        Default::default(),
    );
    let status = services.model_status(false).await.unwrap();
    assert_eq!(status.model, "gpt-5-mini");
    assert_eq!(status.shutdown_date.as_deref(), Some("2026-12-11"));
    let suggestion = status.suggestion.expect("a replacement");
    let offered = status.models.iter().find(|m| m.id == suggestion).unwrap();
    assert_eq!(offered.shutdown_date, None, "the replacement has no date");
    assert!(status
        .models
        .iter()
        .any(|m| m.id == "llama3.2" && m.shutdown_date.is_none()));

    // A model without a date: nothing to warn about.
    let fine = app(
        &spotify,
        &openai,
        dir.path(),
        Some(&suggestion),
        Default::default(),
    );
    let status = fine.model_status(false).await.unwrap();
    assert_eq!((status.shutdown_date, status.suggestion), (None, None));
}

#[tokio::test]
async fn a_retired_model_names_itself_and_the_way_out() {
    let spotify = crate::spotify_common::fake().await;
    let openai = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let services = app(
        &spotify,
        &openai,
        dir.path(),
        Some("gpt-3.5-turbo"),
        Default::default(),
    );
    let (track, _) = services
        .track_insights(&PLAIN_TRACK_ID.parse().unwrap(), None, |_| {}, |_| {})
        .await
        .unwrap();
    let error = track.unwrap_err();
    assert_eq!(error.kind(), "model_not_found");
    let message = error.to_string();
    assert!(
        message.contains("\"gpt-3.5-turbo\"") && message.contains("Settings"),
        "{message}"
    );
    // Settings can offer a model the server does have.
    let status = services.model_status(false).await.unwrap();
    assert!(status.suggestion.is_some());
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

// 6. Privacy and cost switch.

#[tokio::test]
async fn the_background_fetch_follows_the_saved_setting() {
    let spotify = crate::spotify_common::fake().await;
    let openai = fake().await;
    // Each case on a fresh data folder, so nothing comes from an earlier case's cache.
    let background = |setting: Option<&str>| {
        let mut json = serde_json::json!({});
        if let Some(setting) = setting {
            json["backgroundInsights"] = setting.into();
        }
        // As the settings store holds it.
        serde_json::from_value::<SavedSettings>(json).unwrap()
    };
    let cases = [
        (None, false, false),
        (None, true, true),
        (Some("never"), true, false),
        (Some("always"), false, true),
        (Some("whileVisible"), false, false),
    ];
    for (setting, visible, fetches) in cases {
        let dir = tempfile::tempdir().unwrap();
        openai.reset_counters();
        let services = app(
            &spotify,
            &openai,
            dir.path(),
            Some(MODEL),
            background(setting),
        );
        let result = services
            .background_track_insights(&PLAIN_TRACK_ID.parse().unwrap(), visible)
            .await
            .unwrap();
        assert_eq!(result.is_some(), fetches, "{setting:?}, visible: {visible}");
        let calls = if fetches { 2 } else { 0 };
        assert_eq!(
            openai.chat_calls(),
            calls,
            "{setting:?}, visible: {visible}"
        );
    }
}

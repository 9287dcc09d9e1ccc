//! The chat client against the fake OpenAI server over real HTTP: streaming, fallback,
//! every error the user can meet, retries and their bounds.

use crate::insight_support::*;
use spotify_plus_core::insight::{ChatMessage, InsightError, LlmClient};
use spotify_plus_core::Kinded;
use spotify_plus_fakes::faults::{Fault, FaultKind};
use std::time::{Duration, Instant};

fn messages() -> Vec<ChatMessage> {
    vec![
        ChatMessage::system("You are a test."),
        ChatMessage::user(
            "Tell me something interesting about the artist \"Nina Simone\".\n\nBe brief.",
        ),
    ]
}

async fn ask(client: &LlmClient) -> (Result<String, InsightError>, String) {
    let mut streamed = String::new();
    let result = client
        .stream_chat(&messages(), |piece| streamed.push_str(piece))
        .await
        .map(|c| c.text);
    (result, streamed)
}

fn fault(kind: FaultKind, times: Option<u32>) -> Fault {
    Fault {
        path_contains: "/chat/completions".into(),
        kind,
        times,
    }
}

fn status(status: u16, retry_after: Option<u64>, body: Option<&str>) -> FaultKind {
    FaultKind::Status {
        status,
        retry_after,
        body: body.map(str::to_string),
    }
}

/// Checks an error is the expected one, and that its message is safe to show.
fn assert_user_facing(error: &InsightError, kind: &str) {
    assert_eq!(error.kind(), kind, "{error:?}");
    let message = error.to_string();
    assert!(
        !message.contains(KEY) && !message.contains("sk-"),
        "{message}"
    );
}

#[tokio::test]
async fn streams_the_text_in_pieces() {
    let fake = fake().await;
    let mut pieces = Vec::new();
    let completion = client(&fake)
        .stream_chat(&messages(), |p| pieces.push(p.to_string()))
        .await
        .unwrap();
    assert!(
        pieces.len() > 5,
        "expected many deltas, got {}",
        pieces.len()
    );
    assert_eq!(pieces.concat(), completion.text);
    assert!(completion
        .text
        .starts_with("Here is something interesting about the artist \"Nina Simone\""));
    assert_eq!(completion.model, MODEL);
    let request = fake.last_chat_request().unwrap();
    assert_eq!(request["stream"], true);
    assert_eq!(request["model"], MODEL);
    assert_eq!(request["messages"][0]["role"], "system");
}

#[tokio::test]
async fn reads_a_json_answer_when_the_server_does_not_stream() {
    let fake = fake().await;
    fake.set_streaming(false);
    let (result, streamed) = ask(&client(&fake)).await;
    let text = result.unwrap();
    assert!(text.contains("Nina Simone"));
    assert_eq!(streamed, text);
}

#[tokio::test]
async fn base_url_with_a_trailing_slash_works_and_lists_models() {
    let fake = fake().await;
    let base = format!("{}/", fake.base_url()).parse().unwrap();
    let client = LlmClient::new(
        http(),
        base,
        spotify_plus_core::secret::Secret::new(KEY),
        MODEL.into(),
    );
    assert!(ask(&client).await.0.is_ok());
    assert_eq!(
        client.list_models().await.unwrap(),
        ["gpt-4o-mini", "gpt-5-mini", "gpt-5.1-mini", "llama3.2"]
    );
}

#[tokio::test]
async fn a_100_kb_completion_arrives_whole() {
    let fake = fake().await;
    let big: String = (0..20_000).map(|i| format!("w{:03} ", i % 1000)).collect();
    assert!(big.len() >= 100_000);
    fake.set_reply(Some(big.clone()));
    let (result, streamed) = ask(&client(&fake)).await;
    assert_eq!(result.unwrap(), big);
    assert_eq!(streamed, big);
}

#[tokio::test]
async fn no_key_fails_before_any_request() {
    let fake = fake().await;
    let client = client_with(&fake, None, MODEL);
    let error = ask(&client).await.0.unwrap_err();
    assert_eq!(error, InsightError::NoApiKey);
    assert!(error.to_string().contains("Settings") && error.to_string().contains("OPENAI_API_KEY"));
    assert_eq!(
        client.list_models().await.unwrap_err(),
        InsightError::NoApiKey
    );
    assert_eq!(fake.chat_calls(), 0);
}

#[tokio::test]
async fn a_wrong_key_is_reported_as_such() {
    let fake = fake().await;
    let client = client_with(&fake, Some("sk-wrong-key"), MODEL);
    let error = ask(&client).await.0.unwrap_err();
    assert_user_facing(&error, "bad_api_key");
    assert!(!error.to_string().contains("sk-wrong-key"));
    assert_eq!(
        client.list_models().await.unwrap_err(),
        InsightError::BadApiKey
    );
    assert_eq!(fake.chat_calls(), 1, "a bad key is not retried");
}

#[tokio::test]
async fn an_unknown_model_asks_to_pick_another() {
    let fake = fake().await;
    let error = ask(&client_with(&fake, Some(KEY), "gpt-3.5-turbo"))
        .await
        .0
        .unwrap_err();
    assert_user_facing(&error, "model_not_found");
    assert!(error.to_string().contains("gpt-3.5-turbo") && error.to_string().contains("Settings"));
}

#[tokio::test]
async fn a_wrong_base_path_is_not_mistaken_for_a_missing_model() {
    let fake = fake().await;
    let mut base = fake.base_url();
    base.set_path("/");
    let client = LlmClient::new(
        http(),
        base,
        spotify_plus_core::secret::Secret::new(KEY),
        MODEL.into(),
    );
    assert_user_facing(&ask(&client).await.0.unwrap_err(), "endpoint_not_found");
}

#[tokio::test]
async fn retry_after_is_honoured_then_the_call_succeeds() {
    let fake = fake().await;
    fake.faults()
        .push(fault(status(429, Some(1), None), Some(1)));
    let started = Instant::now();
    assert!(ask(&client(&fake)).await.0.is_ok());
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "did not wait: {:?}",
        started.elapsed()
    );
    assert_eq!(fake.chat_calls(), 2);
}

#[tokio::test]
async fn rate_limiting_retries_are_bounded() {
    let fake = fake().await;
    fake.faults().push(fault(status(429, Some(0), None), None));
    let error = ask(&client(&fake)).await.0.unwrap_err();
    assert_user_facing(&error, "rate_limited");
    assert_eq!(fake.chat_calls(), 3, "one call and two retries");

    // A wait longer than the app will sit through fails at once.
    fake.reset_counters();
    fake.faults().clear();
    fake.faults()
        .push(fault(status(429, Some(3600), None), None));
    let started = Instant::now();
    let error = ask(&client(&fake)).await.0.unwrap_err();
    assert_eq!(
        error,
        InsightError::RateLimited {
            retry_after: Some(3600)
        }
    );
    assert!(error.to_string().contains("60 minutes"), "{error}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(fake.chat_calls(), 1);
}

#[tokio::test]
async fn an_exhausted_quota_is_not_retried() {
    let fake = fake().await;
    let body = r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#;
    fake.faults()
        .push(fault(status(429, None, Some(body)), None));
    assert_user_facing(&ask(&client(&fake)).await.0.unwrap_err(), "quota_exceeded");
    assert_eq!(fake.chat_calls(), 1);
}

#[tokio::test]
async fn server_errors_are_retried_a_bounded_number_of_times() {
    let fake = fake().await;
    fake.faults().push(fault(status(503, None, None), Some(2)));
    assert!(
        ask(&client(&fake)).await.0.is_ok(),
        "two failures then success"
    );
    assert_eq!(fake.chat_calls(), 3);

    fake.reset_counters();
    fake.faults()
        .push(fault(status(500, None, Some("<html>oops</html>")), None));
    let error = ask(&client(&fake)).await.0.unwrap_err();
    assert_user_facing(&error, "server_error");
    assert_eq!(error, InsightError::Server { status: 500 });
    assert_eq!(fake.chat_calls(), 3);
}

#[tokio::test]
async fn a_bad_request_shows_the_server_message_without_the_key() {
    let fake = fake().await;
    let body = format!(
        r#"{{"error":{{"message":"Invalid value for messages\nkey {KEY} sk-abc***xyz {}","type":"invalid_request_error","code":null}}}}"#,
        "x".repeat(1000)
    );
    fake.faults()
        .push(fault(status(400, None, Some(&body)), None));
    let error = ask(&client(&fake)).await.0.unwrap_err();
    assert_user_facing(&error, "bad_request");
    let message = error.to_string();
    assert!(message.contains("Invalid value for messages"), "{message}");
    assert!(!message.contains('\n') && message.len() < 400, "{message}");
}

#[tokio::test]
async fn a_hanging_server_times_out() {
    let fake = fake().await;
    fake.faults().push(fault(FaultKind::Hang, None));
    let mut policy = policy();
    policy.response_timeout = Duration::from_millis(300);
    let client = client(&fake).with_policy(policy);
    assert_user_facing(&ask(&client).await.0.unwrap_err(), "timeout");
}

#[tokio::test]
async fn a_stalled_stream_times_out() {
    let fake = fake().await;
    fake.set_latency(Duration::from_secs(5), Duration::from_secs(5));
    let mut policy = policy();
    policy.idle_timeout = Duration::from_millis(300);
    let started = Instant::now();
    let error = ask(&client(&fake).with_policy(policy)).await.0.unwrap_err();
    assert!(matches!(error, InsightError::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn an_unreachable_server_is_a_network_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = LlmClient::new(
        http(),
        format!("http://127.0.0.1:{port}/v1").parse().unwrap(),
        spotify_plus_core::secret::Secret::new(KEY),
        MODEL.into(),
    );
    let error = ask(&client).await.0.unwrap_err();
    assert_user_facing(&error, "network");
    // The log at the Tauri boundary gets the transport's account too; the user only the advice.
    let chain = spotify_plus_core::error::cause_chain(&error);
    assert!(
        chain.starts_with(&error.to_string()) && chain.len() > error.to_string().len(),
        "{chain}"
    );
}

#[tokio::test]
async fn unreadable_answers_are_bad_responses() {
    let fake = fake().await;
    for kind in [FaultKind::MalformedJson, FaultKind::HtmlErrorPage] {
        fake.faults().push(fault(kind.clone(), Some(1)));
        assert_user_facing(&ask(&client(&fake)).await.0.unwrap_err(), "bad_response");
        fake.faults().push(Fault {
            path_contains: "/models".into(),
            kind,
            times: Some(1),
        });
        assert_user_facing(
            &client(&fake).list_models().await.unwrap_err(),
            "bad_response",
        );
    }
    // A JSON answer cut in half is unreadable too.
    fake.set_streaming(false);
    fake.faults().push(fault(FaultKind::TruncatedBody, Some(1)));
    assert_user_facing(&ask(&client(&fake)).await.0.unwrap_err(), "bad_response");
}

#[tokio::test]
async fn a_stream_that_stops_early_is_cut() {
    let fake = fake().await;
    for kind in [FaultKind::CutStream, FaultKind::TruncatedBody] {
        fake.faults().push(fault(kind, Some(1)));
        let (result, streamed) = ask(&client(&fake)).await;
        assert_user_facing(&result.unwrap_err(), "stream_cut");
        assert!(!streamed.is_empty(), "some text came before the cut");
    }
}

#[tokio::test]
async fn an_empty_answer_is_an_error() {
    let fake = fake().await;
    fake.set_reply(Some("  \n".into()));
    assert_user_facing(&ask(&client(&fake)).await.0.unwrap_err(), "empty");
    fake.set_streaming(false);
    assert_user_facing(&ask(&client(&fake)).await.0.unwrap_err(), "empty");
}

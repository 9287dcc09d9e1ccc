//! The model-server column, through the insight pipeline and an on-disk cache: its rows (the
//! request is the track insight, with another insight already saved) and how one row is run.

use super::cells::{always, assert_actionable, dead_url, status, Setup};
use spotify_plus_core::cache::Cache;
use spotify_plus_core::insight::{Insight, InsightKind, InsightService, LlmClient, LlmPolicy};
use spotify_plus_core::secret::Secret;
use spotify_plus_core::Kinded;
use spotify_plus_fakes::faults::{Fault, FaultKind};
use std::time::{Duration, Instant};
use url::Url;

/// One model-server row: the request is the track insight, with another insight already saved.
pub(super) struct LlmCell {
    name: &'static str,
    setup: Setup,
    /// `None`: the insight is written and saved.
    kind: Option<&'static str>,
    says: &'static str,
    /// Chat requests the fake receives (retries are bounded).
    attempts: usize,
    /// The model asked for (a missing one gives `model_not_found`).
    model: &'static str,
}

fn big_reply() -> String {
    (0..20_000).map(|i| format!("w{:03} ", i % 1000)).collect()
}

pub(super) fn llm_cells() -> Vec<LlmCell> {
    let cell = |name, setup, kind, says, attempts| LlmCell {
        name,
        setup,
        kind: Some(kind),
        says,
        attempts,
        model: crate::insight_support::MODEL,
    };
    let json_error = |code: u16, message: &str, code_name: &str| FaultKind::Status {
        status: code,
        retry_after: None,
        body: Some(format!(
            r#"{{"error":{{"message":"{message}","type":"invalid_request_error","code":"{code_name}"}}}}"#
        )),
    };
    vec![
        cell(
            "400",
            always(json_error(
                400,
                "Invalid value for 'messages'.",
                "invalid_value",
            )),
            "bad_request",
            "refused the request: Invalid value",
            1,
        ),
        cell(
            "401",
            always(status(401, None)),
            "bad_api_key",
            "rejected the API key",
            1,
        ),
        cell(
            "403",
            always(status(403, None)),
            "forbidden",
            "refused access with this API key",
            1,
        ),
        LlmCell {
            model: "retired-model",
            ..cell(
                "404 model not found",
                Setup::Healthy,
                "model_not_found",
                "does not offer the model \"retired-model\"",
                1,
            )
        },
        cell(
            "404 no such endpoint",
            always(status(404, None)),
            "endpoint_not_found",
            "no chat endpoint",
            1,
        ),
        cell(
            "429 with Retry-After",
            always(status(429, Some(1))),
            "rate_limited",
            "try again in 1 seconds",
            3,
        ),
        cell(
            "429 without Retry-After",
            always(status(429, None)),
            "rate_limited",
            "try again in a minute",
            3,
        ),
        cell(
            "429 Retry-After too long",
            always(status(429, Some(3600))),
            "rate_limited",
            "try again in 60 minutes",
            1,
        ),
        cell(
            "429 quota exhausted",
            always(json_error(
                429,
                "You exceeded your current quota.",
                "insufficient_quota",
            )),
            "quota_exceeded",
            "run out of quota",
            1,
        ),
        cell(
            "500",
            always(status(500, None)),
            "server_error",
            "HTTP 500",
            3,
        ),
        cell(
            "502",
            always(status(502, None)),
            "server_error",
            "HTTP 502",
            3,
        ),
        cell(
            "503",
            always(status(503, None)),
            "server_error",
            "HTTP 503",
            3,
        ),
        cell(
            "connection refused",
            Setup::Refused,
            "network",
            "Could not reach the AI server",
            0,
        ),
        cell(
            "timeout (no answer)",
            always(FaultKind::Hang),
            "timeout",
            "took too long",
            1,
        ),
        cell(
            "malformed JSON",
            always(FaultKind::MalformedJson),
            "bad_response",
            "not valid JSON",
            1,
        ),
        cell(
            "truncated body",
            always(FaultKind::TruncatedBody),
            "stream_cut",
            "cut off",
            1,
        ),
        cell(
            "HTML error page",
            always(FaultKind::HtmlErrorPage),
            "bad_response",
            "a web page instead",
            1,
        ),
        cell(
            "stream cut mid-way",
            always(FaultKind::CutStream),
            "stream_cut",
            "cut off",
            1,
        ),
        cell(
            "empty completion",
            Setup::Reply("  \n".into()),
            "empty",
            "empty answer",
            1,
        ),
        LlmCell {
            kind: None,
            ..cell("100 KB completion", Setup::Reply(big_reply()), "", "", 1)
        },
    ]
}

fn llm_policy() -> LlmPolicy {
    LlmPolicy {
        response_timeout: Duration::from_millis(500),
        idle_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(10),
        retry_backoff: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(5),
        max_retries: 2,
    }
}

fn llm(base: Url, model: &str) -> LlmClient {
    LlmClient::new(
        crate::insight_support::http(),
        base,
        Secret::new(crate::insight_support::KEY),
        model.into(),
    )
    .with_policy(llm_policy())
}

/// The insight saved before the fault, which must survive it.
fn previous() -> Insight {
    Insight {
        kind: InsightKind::Artist,
        key: "5art000000000000000001".into(),
        text: "Saved before the fault.".into(),
        model: "m".into(),
        created_at: 1,
        cached: true,
        grounding: Default::default(),
    }
}

pub(super) async fn run_llm_cell(cell: LlmCell) {
    let name = cell.name;
    let fake = crate::insight_support::fake().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("insights.sqlite3");
    let cache = Cache::open(&path).unwrap().cache;
    cache.put(&previous()).unwrap();
    let base = match &cell.setup {
        Setup::Refused => dead_url("/v1"),
        _ => fake.base_url(),
    };
    let insights = InsightService::new(cache.clone(), llm(base, cell.model));
    match &cell.setup {
        Setup::Fault(kind, times) => fake.faults().push(Fault {
            path_contains: "/chat/completions".into(),
            kind: kind.clone(),
            times: *times,
        }),
        Setup::Reply(text) => fake.set_reply(Some(text.clone())),
        Setup::Refused | Setup::Healthy => {}
    }

    let subject = crate::insight_support::track();
    let started = Instant::now();
    let result = insights.get(subject.clone(), false, |_| {}).await;
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(5), "{name}: took {elapsed:?}");
    assert_eq!(fake.chat_calls(), cell.attempts, "{name}: attempts");
    let stored = cache.get(subject.kind(), &subject.key()).unwrap();
    match (cell.kind, result) {
        (None, Ok(insight)) => {
            assert_eq!(
                insight.text,
                big_reply().trim(),
                "{name}: text arrived whole"
            );
            assert_eq!(
                stored.map(|s| s.text),
                Some(insight.text),
                "{name}: saved whole"
            );
        }
        (Some(kind), Err(error)) => {
            assert_eq!(error.kind(), kind, "{name}: {error:?}");
            assert!(error.to_string().contains(cell.says), "{name}: {error}");
            assert_actionable(name, &error, &[crate::insight_support::KEY]);
            assert_eq!(stored, None, "{name}: a failed insight was stored");
        }
        (expected, got) => panic!("{name}: expected {expected:?}, got {got:?}"),
    }
    // What was saved before is untouched, on disk too.
    let reopened = Cache::open(&path).unwrap().cache;
    assert_eq!(
        reopened.get(InsightKind::Artist, &previous().key).unwrap(),
        Some(previous()),
        "{name}: the earlier insight was lost"
    );

    // Usable: once the server behaves, the same subject is written and saved.
    fake.faults().clear();
    fake.set_reply(None);
    insights.set_llm(llm(fake.base_url(), crate::insight_support::MODEL));
    let again = insights
        .get(subject.clone(), cell.kind.is_none(), |_| {})
        .await
        .unwrap_or_else(|e| panic!("{name}: not usable afterwards: {e:?}"));
    assert!(!again.text.is_empty(), "{name}");
    assert_eq!(cache.count().unwrap(), 2, "{name}");
}

//! A client for any OpenAI-compatible chat-completions server (OpenAI, Ollama, llama.cpp, LM
//! Studio, vLLM): streaming with a non-streaming fallback, bounded retries, typed errors.

use super::models::ModelInfo;
use super::sse::{SseEvent, SseParser};
use super::InsightError;
use crate::net::{self, Retries, Transient};
use crate::secret::Secret;
use futures_util::StreamExt;
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::{RequestBuilder, Response, StatusCode};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tokio::time::{sleep, timeout, timeout_at, Instant};
use url::Url;

mod errors;
mod stream;

use errors::{bad, content_type, unexpected_content};
use stream::read_capped;

/// Largest completion accepted: a hundred times a normal insight, far below memory trouble.
pub const MAX_COMPLETION_BYTES: usize = 1 << 20;
/// Room for JSON framing around the text (escapes can double it, plus envelopes).
const MAX_BODY_BYTES: usize = 3 * MAX_COMPLETION_BYTES;
/// Enough of an error body to find its message.
const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;
/// Longest server message repeated to the user.
const MAX_MESSAGE_CHARS: usize = 200;
/// The length cap sent to OpenAI. An insight is a few hundred tokens, but reasoning models
/// spend hidden tokens thinking first and those count against the cap too, so it leaves room
/// for several thousand: the cap guards against a runaway answer, not a long one.
pub const MAX_COMPLETION_TOKENS: u32 = 8192;
/// The length cap sent to other servers: local reasoning models think in the visible text, so
/// still roomy, but smaller because some servers (vLLM) refuse a cap beyond the context size.
pub const MAX_TOKENS_LOCAL: u32 = 4096;
/// Events that were not JSON are skipped; this many in one answer means it is not a chat stream.
const MAX_SKIPPED_EVENTS: usize = 16;

/// One message of a chat.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChatMessage {
    /// `system` or `user`.
    pub role: String,
    /// The text.
    pub content: String,
}

impl ChatMessage {
    /// A system message.
    pub fn system(content: impl Into<String>) -> Self {
        Self {
            role: "system".into(),
            content: content.into(),
        }
    }

    /// A user message.
    pub fn user(content: impl Into<String>) -> Self {
        Self {
            role: "user".into(),
            content: content.into(),
        }
    }
}

/// A finished answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// The whole text.
    pub text: String,
    /// The model that wrote it, as the server named it (else the one asked for).
    pub model: String,
    /// The server stopped it at the length limit (`finish_reason: "length"`): shown, but marked
    /// and never stored as a complete answer.
    pub cut_short: bool,
}

/// Timeouts and retry limits; the defaults suit a real server, tests shorten them.
#[derive(Clone, Copy, Debug)]
pub struct LlmPolicy {
    /// Longest wait for the response headers.
    pub response_timeout: Duration,
    /// Longest silence between two chunks of a streamed answer.
    pub idle_timeout: Duration,
    /// Longest a whole answer may take once the headers arrived.
    pub total_timeout: Duration,
    /// Wait before the first retry after a 5xx (or a 429 without `Retry-After`); doubles after.
    pub retry_backoff: Duration,
    /// Longest `Retry-After` honoured by waiting; a longer one fails at once.
    pub max_retry_after: Duration,
    /// Retries after a 429 or 5xx before giving up.
    pub max_retries: u32,
}

impl LlmPolicy {
    /// The retry bounds, in the terms every client of the app shares.
    fn retries(&self) -> Retries {
        Retries {
            max: self.max_retries,
            backoff: self.retry_backoff,
            max_retry_after: self.max_retry_after,
        }
    }
}

impl Default for LlmPolicy {
    fn default() -> Self {
        Self {
            // Local servers may load the model before answering; be patient.
            response_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(60),
            total_timeout: Duration::from_secs(300),
            retry_backoff: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(20),
            max_retries: 2,
        }
    }
}

/// A configured chat-completions client; cheap to clone.
#[derive(Clone, Debug)]
pub struct LlmClient {
    http: reqwest::Client,
    base: Url,
    api_key: Option<Secret>,
    model: String,
    policy: LlmPolicy,
}

#[derive(Deserialize)]
struct ModelList {
    /// Entries are read one by one, so one odd entry does not hide the others.
    data: Vec<serde_json::Value>,
}

impl LlmClient {
    /// A client for the server at `base_url` (e.g. `https://api.openai.com/v1`), with the
    /// default [`LlmPolicy`].
    pub fn new(
        http: reqwest::Client,
        base_url: Url,
        api_key: Option<Secret>,
        model: String,
    ) -> Self {
        let mut base = base_url;
        base.set_query(None);
        base.set_fragment(None);
        // Url::join replaces the last segment unless the path ends with '/': make `/v1` and
        // `/v1/` both mean the folder `/v1/`.
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        Self {
            http,
            base,
            api_key,
            model,
            policy: LlmPolicy::default(),
        }
    }

    /// The same client with other timeouts and retry limits.
    pub fn with_policy(mut self, policy: LlmPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The model asked for.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// Whether the server is OpenAI's own API, whose parameters differ from local servers'.
    pub fn is_openai(&self) -> bool {
        self.base.host_str() == Some("api.openai.com")
    }

    /// The URL of an endpoint below the base URL.
    fn endpoint(&self, path: &str) -> Url {
        self.base
            .join(path)
            .expect("a relative path joins any http base")
    }

    /// Asks for a completion, calling `on_delta` with each piece of text as it arrives. Servers
    /// that ignore `stream: true` and answer with JSON are read in one piece.
    pub async fn stream_chat(
        &self,
        messages: &[ChatMessage],
        mut on_delta: impl FnMut(&str),
    ) -> Result<Completion, InsightError> {
        let url = self.endpoint("chat/completions");
        // No `temperature`: reasoning models reject any but the default. OpenAI names the cap
        // `max_completion_tokens` (its `max_tokens` is deprecated and refused by reasoning
        // models); most local servers read only `max_tokens`.
        let mut body =
            serde_json::json!({ "model": self.model, "messages": messages, "stream": true });
        if self.is_openai() {
            body["max_completion_tokens"] = MAX_COMPLETION_TOKENS.into();
        } else {
            body["max_tokens"] = MAX_TOKENS_LOCAL.into();
        }
        let response = self
            .send(|| self.http.post(url.clone()).json(&body))
            .await?;
        let deadline = Instant::now() + self.policy.total_timeout;
        let content_type = content_type(response.headers());
        let completion = if content_type.starts_with("text/event-stream") {
            self.read_stream(response, deadline, &mut on_delta).await?
        } else if content_type.contains("json") {
            let bytes = read_capped(response, MAX_BODY_BYTES, deadline).await?;
            let completion = self.parse_whole(&bytes)?;
            on_delta(&completion.text);
            completion
        } else {
            return Err(unexpected_content(&content_type));
        };
        if completion.text.trim().is_empty() {
            return Err(InsightError::Empty);
        }
        Ok(completion)
    }

    /// The ids of the models the server offers (`GET {base}/models`), sorted.
    pub async fn list_models(&self) -> Result<Vec<String>, InsightError> {
        Ok(self.models().await?.into_iter().map(|m| m.id).collect())
    }

    /// The models the server offers (`GET {base}/models`) with their shutdown dates, sorted by
    /// id; entries without a usable id are left out.
    pub async fn models(&self) -> Result<Vec<ModelInfo>, InsightError> {
        let url = self.endpoint("models");
        let response = self.send(|| self.http.get(url.clone())).await?;
        let deadline = Instant::now() + self.policy.response_timeout;
        let content_type = content_type(response.headers());
        if !content_type.contains("json") {
            return Err(unexpected_content(&content_type));
        }
        let bytes = read_capped(response, MAX_BODY_BYTES, deadline).await?;
        let list: ModelList =
            serde_json::from_slice(&bytes).map_err(|_| bad("the model list was not valid JSON"))?;
        let mut models: Vec<ModelInfo> = list
            .data
            .iter()
            .filter_map(|entry| {
                ModelInfo::from_wire(entry["id"].as_str()?, entry["shutdown_date"].as_str())
            })
            .collect();
        models.sort_by(|a, b| a.id.cmp(&b.id));
        models.dedup_by(|a, b| a.id == b.id);
        Ok(models)
    }

    /// Sends a request (rebuilt for each attempt) with the key, retrying 429 and 5xx answers
    /// a bounded number of times; returns the first successful response.
    async fn send(&self, build: impl Fn() -> RequestBuilder) -> Result<Response, InsightError> {
        let key = self.api_key.as_ref().ok_or(InsightError::NoApiKey)?;
        let mut attempt = 0;
        loop {
            let request = build().bearer_auth(key.expose()).send();
            let response = match timeout(self.policy.response_timeout, request).await {
                Err(elapsed) => return Err(InsightError::timeout(elapsed)),
                Ok(Err(e)) if e.is_timeout() => return Err(InsightError::timeout(e)),
                Ok(Err(e)) => return Err(InsightError::Network { cause: e.into() }),
                Ok(Ok(response)) => response,
            };
            let status = response.status();
            if status.is_success() {
                return Ok(response);
            }
            let retry_after = net::retry_after(response.headers());
            let deadline = Instant::now() + self.policy.response_timeout;
            let body = read_capped(response, MAX_ERROR_BODY_BYTES, deadline)
                .await
                .unwrap_or_default();
            let error = self.status_error(status, retry_after.map(|w| w.as_secs()), &body, key);
            let why = match &error {
                InsightError::RateLimited { .. } => Some(Transient::RateLimited(retry_after)),
                InsightError::Server { .. } => Some(Transient::Unavailable),
                _ => None,
            };
            match why.and_then(|why| self.policy.retries().wait(attempt, why)) {
                Some(wait) => {
                    tracing::debug!(%status, ?wait, attempt, "retrying chat server request");
                    sleep(wait).await;
                    attempt += 1;
                }
                None => return Err(error),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::errors::{error_details, sanitize};
    use super::*;

    fn client(base: &str) -> LlmClient {
        LlmClient::new(
            reqwest::Client::new(),
            base.parse().unwrap(),
            Secret::new("sk-live-1234567890"),
            "m".into(),
        )
    }

    #[test]
    fn endpoints_join_with_or_without_trailing_slash() {
        for base in ["http://h:1/v1", "http://h:1/v1/", "http://h:1/v1?x=1"] {
            assert_eq!(
                client(base).endpoint("chat/completions").as_str(),
                "http://h:1/v1/chat/completions"
            );
        }
        assert_eq!(
            client("http://h:1").endpoint("models").as_str(),
            "http://h:1/models"
        );
    }

    #[test]
    fn sanitize_removes_keys_and_bounds_length() {
        let key = Secret::new("sk-live-1234567890").unwrap();
        let msg =
            "Incorrect API key provided: sk-live-1234567890. Also sk-abc***xyz and Bearer abc\n";
        let clean = sanitize(msg, &key);
        assert!(!clean.contains("1234567890") && !clean.contains("sk-") && !clean.contains("abc"));
        assert!(!clean.contains('\n'));
        let long = sanitize(&"word ".repeat(500), &key);
        assert!(long.chars().count() <= MAX_MESSAGE_CHARS + 1 && long.ends_with('…'));
    }

    #[test]
    fn error_details_reads_both_shapes() {
        let openai = br#"{"error":{"message":"nope","type":"x","code":"model_not_found"}}"#;
        assert_eq!(
            error_details(openai),
            (Some("nope".into()), Some("model_not_found".into()))
        );
        assert_eq!(
            error_details(br#"{"error":"model 'x' not found"}"#)
                .0
                .unwrap(),
            "model 'x' not found"
        );
        assert_eq!(error_details(b"<html>"), (None, None));
    }
}

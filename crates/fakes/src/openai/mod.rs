//! A fake OpenAI-compatible server: `POST /v1/chat/completions` (SSE stream or JSON) and
//! `GET /v1/models` (with shutdown dates), with the real error shapes, adjustable latency, fault
//! injection, the stream quirks real servers show ([`StreamQuirk`]) and counters for tests
//! (calls, peak concurrency, the last request).

use crate::faults::{inject, ActiveFault, FaultKind, Faults};
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{sleep, sleep_until, Instant};
use url::Url;

/// Most SSE chunks one reply is cut into: keeps a 100 KB reply quick to send and parse.
const MAX_CHUNKS: usize = 2000;

/// How to start a [`FakeOpenAi`].
#[derive(Clone, Debug)]
pub struct FakeOpenAiOptions {
    /// Port on 127.0.0.1; `None` picks a free one.
    pub port: Option<u16>,
    /// The one API key accepted.
    pub api_key: String,
    /// The models offered; others get 404 `model_not_found`.
    pub models: Vec<String>,
    /// `shutdown_date`s (`YYYY-MM-DD`) of some of `models`; the rest have `null`.
    pub shutdown_dates: Vec<(String, String)>,
    /// Wait before the first piece of text.
    pub first_token_delay: Duration,
    /// Time from the request to the last piece of text (the rest is spread evenly).
    pub total_duration: Duration,
    /// Fixed reply text instead of the one derived from the user message.
    pub reply: Option<String>,
    /// Whether `stream: true` is honoured; `false` mimics servers that always answer JSON.
    pub streaming: bool,
}

impl Default for FakeOpenAiOptions {
    fn default() -> Self {
        Self {
            port: None,
            api_key: "sk-test".into(),
            // gpt-5-mini carries its real date (design.md section 5). gpt-4o-mini, which the
            // other tests and the demo are configured with, is left without its 2027-01-14 so
            // that their screens are not all about a retirement; tests of dates set their own.
            models: vec![
                "gpt-4o-mini".into(),
                "gpt-5-mini".into(),
                "gpt-5.1-mini".into(),
                "llama3.2".into(),
            ],
            shutdown_dates: vec![("gpt-5-mini".into(), "2026-12-11".into())],
            first_token_delay: Duration::ZERO,
            total_duration: Duration::ZERO,
            reply: None,
            streaming: true,
        }
    }
}

/// A way real servers' streams differ from the tidy one (all apply until changed).
#[derive(Clone, Debug, PartialEq)]
pub enum StreamQuirk {
    /// After the first piece of text: an event whose data is not JSON.
    MalformedEvent,
    /// After the first piece of text: a chunk with `"choices": null`.
    NullChoices,
    /// Instead of the answer: `data: {"error": <this>}` in the 200 stream (a JSON answer holds
    /// the same object), then the stream closes.
    ErrorEvent(Value),
    /// The answer stops half-way with `finish_reason: "length"`.
    FinishLength,
    /// The stream closes without `data: [DONE]`, after a `finish_reason` chunk or not.
    NoDone {
        /// Whether the `finish_reason: "stop"` chunk is sent first.
        finish_reason: bool,
    },
    /// While waiting for the first token, `reasoning_content` deltas every 100 ms, as reasoning
    /// models behind vLLM or DeepSeek's API send (not answer text).
    Reasoning,
}

/// A running fake server; it stops when dropped.
pub struct FakeOpenAi {
    addr: SocketAddr,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

struct Shared {
    api_key: String,
    models: Mutex<Vec<(String, Option<String>)>>,
    quirks: Mutex<Vec<StreamQuirk>>,
    models_calls: AtomicUsize,
    latency: Mutex<(Duration, Duration)>,
    reply: Mutex<Option<String>>,
    streaming: AtomicBool,
    faults: Faults,
    chat_calls: AtomicUsize,
    open_chats: AtomicUsize,
    peak_chats: AtomicUsize,
    last_chat: Mutex<Option<Value>>,
    first_tokens: Mutex<Vec<FirstToken>>,
}

/// When the first piece of text of one streamed reply was handed to the connection.
#[derive(Clone, Debug)]
pub struct FirstToken {
    /// The moment the body stream yielded it (comparable with `Instant`s of the same process).
    pub sent_at: std::time::Instant,
    /// The user message of the request it answers, to tell concurrent replies apart.
    pub user_message: String,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking test must not break every later request.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl FakeOpenAi {
    /// Binds 127.0.0.1 and serves in the background.
    pub async fn start(options: FakeOpenAiOptions) -> std::io::Result<Self> {
        let listener =
            tokio::net::TcpListener::bind(("127.0.0.1", options.port.unwrap_or(0))).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            api_key: options.api_key,
            models: Mutex::new(with_dates(options.models, &options.shutdown_dates)),
            quirks: Mutex::new(Vec::new()),
            models_calls: AtomicUsize::new(0),
            latency: Mutex::new((options.first_token_delay, options.total_duration)),
            reply: Mutex::new(options.reply),
            streaming: AtomicBool::new(options.streaming),
            faults: Faults::default(),
            chat_calls: AtomicUsize::new(0),
            open_chats: AtomicUsize::new(0),
            peak_chats: AtomicUsize::new(0),
            last_chat: Mutex::new(None),
            first_tokens: Mutex::new(Vec::new()),
        });
        let router = Router::new()
            .route("/v1/chat/completions", post(chat))
            .route("/v1/models", get(models))
            .with_state(shared.clone())
            .layer(middleware::from_fn_with_state(
                shared.faults.clone(),
                inject,
            ))
            // Outermost, so requests answered by a fault are counted too.
            .layer(middleware::from_fn_with_state(shared.clone(), count));
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, router).await {
                tracing::error!(error = %e, "fake OpenAI server stopped");
            }
        });
        Ok(Self {
            addr,
            shared,
            server,
        })
    }

    /// The base URL to configure: `http://127.0.0.1:PORT/v1`.
    pub fn base_url(&self) -> Url {
        format!("http://{}/v1", self.addr)
            .parse()
            .expect("a socket address makes a valid URL")
    }

    /// The fault rules applied to incoming requests.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Chat-completion requests received (including ones answered by a fault).
    pub fn chat_calls(&self) -> usize {
        self.shared.chat_calls.load(Ordering::SeqCst)
    }

    /// The most chat completions that were being answered at the same time.
    pub fn max_concurrent_chats(&self) -> usize {
        self.shared.peak_chats.load(Ordering::SeqCst)
    }

    /// Zeroes the counters.
    pub fn reset_counters(&self) {
        self.shared.chat_calls.store(0, Ordering::SeqCst);
        self.shared.peak_chats.store(0, Ordering::SeqCst);
    }

    /// Changes the latency of later replies.
    pub fn set_latency(&self, first_token: Duration, total: Duration) {
        *lock(&self.shared.latency) = (first_token, total);
    }

    /// Fixes the reply text of later requests (`None`: derive it from the user message).
    pub fn set_reply(&self, reply: Option<String>) {
        *lock(&self.shared.reply) = reply;
    }

    /// Whether later `stream: true` requests get a stream (`false`: always JSON).
    pub fn set_streaming(&self, streaming: bool) {
        self.shared.streaming.store(streaming, Ordering::SeqCst);
    }

    /// When the first text of each streamed reply left the fake, oldest first (benchmarks
    /// measure from here to the moment the text reaches the page).
    pub fn first_tokens_sent(&self) -> Vec<FirstToken> {
        lock(&self.shared.first_tokens).clone()
    }

    /// The JSON body of the last chat-completion request that reached the handler.
    pub fn last_chat_request(&self) -> Option<Value> {
        lock(&self.shared.last_chat).clone()
    }

    /// Replaces the models offered: each with its `shutdown_date` or none.
    pub fn set_models(&self, models: &[(&str, Option<&str>)]) {
        *lock(&self.shared.models) = models
            .iter()
            .map(|(id, date)| (id.to_string(), date.map(str::to_string)))
            .collect();
    }

    /// The quirks of later replies (empty: a tidy stream).
    pub fn set_quirks(&self, quirks: Vec<StreamQuirk>) {
        *lock(&self.shared.quirks) = quirks;
    }

    /// `GET /models` requests received (including ones answered by a fault).
    pub fn models_calls(&self) -> usize {
        self.shared.models_calls.load(Ordering::SeqCst)
    }
}

fn with_dates(models: Vec<String>, dates: &[(String, String)]) -> Vec<(String, Option<String>)> {
    models
        .into_iter()
        .map(|id| {
            let date = dates.iter().find(|(m, _)| *m == id).map(|(_, d)| d.clone());
            (id, date)
        })
        .collect()
}

impl Drop for FakeOpenAi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn count(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    if request.uri().path().ends_with("/chat/completions") {
        shared.chat_calls.fetch_add(1, Ordering::SeqCst);
    }
    if request.uri().path().ends_with("/models") {
        shared.models_calls.fetch_add(1, Ordering::SeqCst);
    }
    next.run(request).await
}

/// Counts a chat as open from the request until its last byte is produced.
struct OpenChat(Arc<Shared>);

impl OpenChat {
    fn new(shared: &Arc<Shared>) -> Self {
        let now = shared.open_chats.fetch_add(1, Ordering::SeqCst) + 1;
        shared.peak_chats.fetch_max(now, Ordering::SeqCst);
        Self(shared.clone())
    }
}

impl Drop for OpenChat {
    fn drop(&mut self) {
        self.0.open_chats.fetch_sub(1, Ordering::SeqCst);
    }
}

fn error(status: StatusCode, message: &str, kind: &str, code: Option<&str>) -> Response {
    let body =
        json!({ "error": { "message": message, "type": kind, "param": null, "code": code } });
    (status, Json(body)).into_response()
}

/// The 401 answer for a request without the right key, if it lacks it.
fn denied(shared: &Shared, headers: &HeaderMap) -> Option<Response> {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if given == Some(shared.api_key.as_str()) {
        return None;
    }
    Some(error(
        StatusCode::UNAUTHORIZED,
        "Incorrect API key provided",
        "invalid_request_error",
        Some("invalid_api_key"),
    ))
}

async fn models(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Some(denied) = denied(&shared, &headers) {
        return denied;
    }
    let data: Vec<Value> = lock(&shared.models)
        .iter()
        .map(|(id, date)| json!({ "id": id, "object": "model", "created": 1_700_000_000, "owned_by": "fake", "shutdown_date": date }))
        .collect();
    Json(json!({ "object": "list", "data": data })).into_response()
}

async fn chat(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    if let Some(denied) = denied(&shared, request.headers()) {
        return denied;
    }
    let cut = request
        .extensions()
        .get::<ActiveFault>()
        .is_some_and(|f| f.0 == FaultKind::CutStream);
    let Ok(bytes) = to_bytes(request.into_body(), 4 << 20).await else {
        return error(
            StatusCode::BAD_REQUEST,
            "Request body too large.",
            "invalid_request_error",
            None,
        );
    };
    let Ok(body) = serde_json::from_slice::<Value>(&bytes) else {
        return error(
            StatusCode::BAD_REQUEST,
            "We could not parse the JSON body of your request.",
            "invalid_request_error",
            None,
        );
    };
    *lock(&shared.last_chat) = Some(body.clone());
    let model = body["model"].as_str().unwrap_or_default().to_string();
    let Some(messages) = body["messages"].as_array().filter(|m| !m.is_empty()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "'messages' must be a non-empty array.",
            "invalid_request_error",
            None,
        );
    };
    if !lock(&shared.models).iter().any(|(id, _)| *id == model) {
        return error(
            StatusCode::NOT_FOUND,
            &format!("The model `{model}` does not exist or you do not have access to it."),
            "invalid_request_error",
            Some("model_not_found"),
        );
    }
    let user = messages
        .iter()
        .rev()
        .find(|m| m["role"] == "user")
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default();
    let text = lock(&shared.reply)
        .clone()
        .unwrap_or_else(|| reply_for(user));
    let (first, total) = *lock(&shared.latency);
    let quirks = lock(&shared.quirks).clone();
    let open = OpenChat::new(&shared);
    if body["stream"].as_bool() == Some(true) && shared.streaming.load(Ordering::SeqCst) {
        let user_message = user.to_string();
        let reply = Reply {
            text,
            first,
            total,
            cut,
            quirks,
        };
        stream(open, model, reply, user_message)
    } else {
        sleep(total.max(first)).await;
        drop(open);
        if let Some(StreamQuirk::ErrorEvent(error)) = quirks
            .iter()
            .find(|q| matches!(q, StreamQuirk::ErrorEvent(_)))
        {
            return Json(json!({ "error": error })).into_response();
        }
        let (text, finish) = if quirks.contains(&StreamQuirk::FinishLength) {
            let half = text.chars().count() / 2;
            (text.chars().take(half).collect(), "length")
        } else {
            (text, "stop")
        };
        Json(json!({
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": now(),
            "model": model,
            "choices": [{
                "index": 0,
                "message": { "role": "assistant", "content": text },
                "finish_reason": finish
            }],
            "usage": { "prompt_tokens": 50, "completion_tokens": text.len() / 4, "total_tokens": 50 + text.len() / 4 }
        }))
        .into_response()
    }
}

/// What one reply holds and how it misbehaves.
struct Reply {
    text: String,
    first: Duration,
    total: Duration,
    /// A [`FaultKind::CutStream`]: stop half-way and just close.
    cut: bool,
    quirks: Vec<StreamQuirk>,
}

/// Answers as an SSE stream: a role chunk, the text in pieces on the latency schedule, a
/// `finish_reason` chunk and `[DONE]`; a cut stream stops half-way and just closes; the
/// [`StreamQuirk`]s change that as real servers do.
fn stream(open: OpenChat, model: String, reply: Reply, user_message: String) -> Response {
    // Each chunk says whether it carries the reply's first text, so the body stream can note
    // the moment it hands that chunk to the connection.
    let (tx, rx) = mpsc::channel::<(Bytes, bool)>(32);
    let shared = open.0.clone();
    tokio::spawn(async move {
        let _open = open;
        let Reply {
            text,
            first,
            total,
            cut,
            quirks,
        } = reply;
        let has = |q: &StreamQuirk| quirks.contains(q);
        let start = Instant::now();
        let created = now();
        let event = |delta: Value, finish: Option<&str>| {
            let chunk = json!({
                "id": "chatcmpl-fake",
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [{ "index": 0, "delta": delta, "finish_reason": finish }]
            });
            Bytes::from(format!("data: {chunk}\n\n"))
        };
        let data = |value: Value| Bytes::from(format!("data: {value}\n\n"));
        if tx
            .send((
                event(json!({ "role": "assistant", "content": "" }), None),
                false,
            ))
            .await
            .is_err()
        {
            return;
        }
        if has(&StreamQuirk::Reasoning) {
            while Instant::now() + Duration::from_millis(100) < start + first {
                sleep(Duration::from_millis(100)).await;
                let thought = event(json!({ "reasoning_content": "Thinking. " }), None);
                if tx.send((thought, false)).await.is_err() {
                    return;
                }
            }
        }
        if let Some(StreamQuirk::ErrorEvent(error)) = quirks
            .iter()
            .find(|q| matches!(q, StreamQuirk::ErrorEvent(_)))
        {
            sleep_until(start + first).await;
            let _ = tx.send((data(json!({ "error": error })), false)).await;
            return;
        }
        let mut pieces = pieces(&text);
        let length = has(&StreamQuirk::FinishLength);
        if length {
            pieces.truncate(pieces.len().div_ceil(2));
        }
        let rest = total.saturating_sub(first);
        let last = pieces.len().saturating_sub(1).max(1) as u32;
        for (i, piece) in pieces.iter().enumerate() {
            if cut && i >= pieces.len().div_ceil(2) {
                return;
            }
            let due = start + first + rest * i as u32 / last;
            if due > Instant::now() {
                sleep_until(due).await;
            }
            if tx
                .send((event(json!({ "content": piece }), None), i == 0))
                .await
                .is_err()
            {
                return;
            }
            if i == 0 {
                let mut odd = Vec::new();
                if has(&StreamQuirk::MalformedEvent) {
                    odd.push(Bytes::from_static(b"data: {\"choices\": [{\"delta\": \n\n"));
                }
                if has(&StreamQuirk::NullChoices) {
                    odd.push(data(json!({ "id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": created, "model": model, "choices": null })));
                }
                for bytes in odd {
                    if tx.send((bytes, false)).await.is_err() {
                        return;
                    }
                }
            }
        }
        if cut {
            return;
        }
        if pieces.is_empty() {
            sleep_until(start + total.max(first)).await;
        }
        let no_done = quirks.iter().find_map(|q| match q {
            StreamQuirk::NoDone { finish_reason } => Some(*finish_reason),
            _ => None,
        });
        if no_done != Some(false) {
            let finish = if length { "length" } else { "stop" };
            let _ = tx.send((event(json!({}), Some(finish)), false)).await;
        }
        if no_done.is_none() {
            let _ = tx
                .send((Bytes::from_static(b"data: [DONE]\n\n"), false))
                .await;
        }
    });
    let user_message: Arc<str> = user_message.into();
    let body = futures_util::stream::unfold(rx, move |mut rx| {
        let shared = shared.clone();
        let user_message = user_message.clone();
        async move {
            let (bytes, first_text) = rx.recv().await?;
            if first_text {
                lock(&shared.first_tokens).push(FirstToken {
                    sent_at: std::time::Instant::now(),
                    user_message: user_message.to_string(),
                });
            }
            Some((Ok::<_, std::convert::Infallible>(bytes), rx))
        }
    });
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

/// The text cut into word-sized pieces (spaces kept), merged so there are at most
/// [`MAX_CHUNKS`].
fn pieces(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_inclusive(' ').collect();
    let per = words.len().div_ceil(MAX_CHUNKS).max(1);
    words.chunks(per).map(|c| c.concat()).collect()
}

/// A deterministic reply that names the subject of the user message.
fn reply_for(user: &str) -> String {
    let subject = user
        .strip_prefix("Tell me something interesting about ")
        .and_then(|rest| rest.split(".\n").next())
        .unwrap_or("this music")
        .trim_end_matches('.');
    // A grounded prompt gets an answer built from its first facts, as a model keeping to them
    // would write; the demo shows both kinds side by side.
    let facts: Vec<&str> = user
        .lines()
        .filter(|l| l.starts_with("- ") && !l.contains("Wikipedia summary"))
        .take(3)
        .map(|l| l[2..].rsplit_once(" [").map_or(&l[2..], |(fact, _)| fact))
        .collect();
    if !facts.is_empty() {
        return format!(
            "Here is something interesting about {subject}, checked against open music data: {}.\n\n\
             Those are the credits on record; anything beyond them would be a guess, so listen for \
             the people named there in every bar.",
            facts.join("; ")
        );
    }
    format!(
        "Here is something interesting about {subject}. It grew out of a long line of musicians \
         trading ideas across genres and decades. Critics at the time noticed how it blended \
         familiar sounds with something new.\n\nListen closely and you can hear those influences \
         in every bar; that is why it still finds new listeners today."
    )
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

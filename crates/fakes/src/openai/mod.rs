//! A fake OpenAI-compatible server: `POST /v1/chat/completions` (SSE stream or JSON) and
//! `GET /v1/models` (with shutdown dates), with the real error shapes, adjustable latency, fault
//! injection, the stream quirks real servers show ([`StreamQuirk`]) and counters for tests
//! (calls, peak concurrency, the last request).
//!
//! This file holds the options, the server and its knobs; `chat` answers chat completions,
//! `stream` sends them as SSE with the quirks, `models` lists the models with their shutdown
//! dates, `errors` makes OpenAI's error answers, `counters` counts what tests look at.

mod chat;
mod counters;
mod errors;
mod models;
mod stream;

pub use counters::FirstToken;
pub use stream::StreamQuirk;

use crate::faults::{inject, Faults};
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::task::JoinHandle;
use url::Url;

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
            models: Mutex::new(models::with_dates(options.models, &options.shutdown_dates)),
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
            .route("/v1/chat/completions", post(chat::chat))
            .route("/v1/models", get(models::models))
            .with_state(shared.clone())
            .layer(middleware::from_fn_with_state(
                shared.faults.clone(),
                inject,
            ))
            // Outermost, so requests answered by a fault are counted too.
            .layer(middleware::from_fn_with_state(
                shared.clone(),
                counters::count,
            ));
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

    /// The quirks of later replies (empty: a tidy stream).
    pub fn set_quirks(&self, quirks: Vec<StreamQuirk>) {
        *lock(&self.shared.quirks) = quirks;
    }
}

impl Drop for FakeOpenAi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

//! What tests look at: requests counted (faulted ones too), chats open at once, when each
//! stream's first text left, and the last chat request.

use super::{lock, FakeOpenAi, Shared};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// When the first piece of text of one streamed reply was handed to the connection.
#[derive(Clone, Debug)]
pub struct FirstToken {
    /// The moment the body stream yielded it (comparable with `Instant`s of the same process).
    pub sent_at: std::time::Instant,
    /// The user message of the request it answers, to tell concurrent replies apart.
    pub user_message: String,
}

impl FakeOpenAi {
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

    /// When the first text of each streamed reply left the fake, oldest first (benchmarks
    /// measure from here to the moment the text reaches the page).
    pub fn first_tokens_sent(&self) -> Vec<FirstToken> {
        lock(&self.shared.first_tokens).clone()
    }

    /// The JSON body of the last chat-completion request that reached the handler.
    pub fn last_chat_request(&self) -> Option<Value> {
        lock(&self.shared.last_chat).clone()
    }

    /// `GET /models` requests received (including ones answered by a fault).
    pub fn models_calls(&self) -> usize {
        self.shared.models_calls.load(Ordering::SeqCst)
    }
}

pub(super) async fn count(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    if request.uri().path().ends_with("/chat/completions") {
        shared.chat_calls.fetch_add(1, Ordering::SeqCst);
    }
    if request.uri().path().ends_with("/models") {
        shared.models_calls.fetch_add(1, Ordering::SeqCst);
    }
    next.run(request).await
}

/// Counts a chat as open from the request until its last byte is produced.
pub(super) struct OpenChat(pub(super) Arc<Shared>);

impl OpenChat {
    pub(super) fn new(shared: &Arc<Shared>) -> Self {
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

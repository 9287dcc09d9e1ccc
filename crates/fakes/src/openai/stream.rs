//! The SSE answer to a chat completion: the text in pieces on the latency schedule, and the
//! ways real servers' streams differ from the tidy one ([`StreamQuirk`]).

use super::chat::now;
use super::counters::{FirstToken, OpenChat};
use super::lock;
use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{sleep, sleep_until, Instant};

/// Most SSE chunks one reply is cut into: keeps a 100 KB reply quick to send and parse.
const MAX_CHUNKS: usize = 2000;

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

/// What one reply holds and how it misbehaves.
pub(super) struct Reply {
    pub(super) text: String,
    pub(super) first: Duration,
    pub(super) total: Duration,
    /// A cut stream ([`crate::faults::FaultKind::CutStream`]): stop half-way and just close.
    pub(super) cut: bool,
    pub(super) quirks: Vec<StreamQuirk>,
}

/// Answers as an SSE stream: a role chunk, the text in pieces on the latency schedule, a
/// `finish_reason` chunk and `[DONE]`; a cut stream stops half-way and just closes; the
/// [`StreamQuirk`]s change that as real servers do.
pub(super) fn stream(
    open: OpenChat,
    model: String,
    reply: Reply,
    user_message: String,
) -> Response {
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

//! `POST /v1/chat/completions`: checks the request as OpenAI does, then answers with a stream
//! or one JSON body; the reply text names the subject of the user message.

use super::counters::OpenChat;
use super::errors::{denied, error};
use super::stream::{stream, Reply, StreamQuirk};
use super::{lock, Shared};
use crate::faults::{ActiveFault, FaultKind};
use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::time::sleep;

pub(super) async fn chat(State(shared): State<Arc<Shared>>, request: Request) -> Response {
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

/// The numbered lines of a prompt's lyrics block (`3|"words"`), unquoted.
fn lyric_lines(user: &str) -> Vec<(String, String)> {
    user.lines()
        .skip_while(|l| !l.starts_with("=== LYRICS"))
        .skip(1)
        .take_while(|l| !l.starts_with("=== END OF LYRICS"))
        .filter_map(|l| {
            let (n, text) = l.split_once('|')?;
            Some((n.to_string(), text.trim_matches('"').to_string()))
        })
        .collect()
}

/// A deterministic reply that names the subject of the user message; for lyrics, numbered
/// lines as a model following the prompt gives them (a tag in place of a real translation).
fn reply_for(user: &str) -> String {
    let version = |tag: &str| {
        lyric_lines(user)
            .into_iter()
            .map(|(n, text)| match text.is_empty() {
                true => format!("{n}|"),
                false => format!("{n}|{tag} {text}"),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    if user.starts_with("Translate the lyrics") {
        let language = user
            .split_once(" into ")
            .and_then(|(_, rest)| rest.split(',').next())
            .unwrap_or("English");
        return version(&format!("[{language}]"));
    }
    if user.starts_with("Write the lyrics of") {
        return version("[romanised]");
    }
    if let Some(rest) = user.strip_prefix("What does the line ") {
        let line = rest.split(" (line ").next().unwrap_or_default();
        return format!(
            "The line {line} is an image of leaving something behind: the song returns to it \
             whenever the melody rises.\n\nHeard with the rest of the lyric, it reads as a quiet \
             promise rather than a farewell."
        );
    }
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

/// Seconds since the Unix epoch, for `created`.
pub(super) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

//! Reading an answer: SSE events as servers really send them, or one JSON object.

use super::errors::bad;
use super::*;
use crate::net::{self, BodyError};

#[derive(Deserialize)]
struct Chunk {
    model: Option<String>,
    /// `null` in some servers' usage-only and keep-alive chunks, not only missing.
    #[serde(default)]
    choices: Option<Vec<ChunkChoice>>,
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct ChunkChoice {
    delta: Option<Content>,
    message: Option<Content>,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct Content {
    content: Option<String>,
}

impl LlmClient {
    /// Reads an SSE answer until `[DONE]`, or the end of the body after a `finish_reason`.
    pub(super) async fn read_stream(
        &self,
        response: Response,
        deadline: Instant,
        on_delta: &mut impl FnMut(&str),
    ) -> Result<Completion, InsightError> {
        let mut parser = SseParser::new(MAX_BODY_BYTES);
        let mut body = response.bytes_stream();
        let mut text = String::new();
        let mut model = None;
        let mut finish: Option<String> = None;
        let mut skipped = 0;
        loop {
            let wake = deadline.min(Instant::now() + self.policy.idle_timeout);
            let next = timeout_at(wake, body.next())
                .await
                .map_err(InsightError::timeout)?;
            let (events, end) = match next {
                Some(Ok(bytes)) => (
                    parser
                        .feed(&bytes)
                        .map_err(|_| bad("a stream event was too large"))?,
                    false,
                ),
                // The connection broke: whatever was read is all there will be.
                Some(Err(_)) => (Vec::new(), true),
                None => (parser.finish().into_iter().collect(), true),
            };
            for event in events {
                let data = match event {
                    SseEvent::Done => {
                        return self.finished(text, model, finish.as_deref(), skipped)
                    }
                    SseEvent::Data(data) => data,
                };
                // Real servers now and then send an event that is not JSON (a proxy's keep-alive,
                // a half-written debug line): one such event must not lose the answer.
                let Ok(chunk) = serde_json::from_str::<Chunk>(&data) else {
                    skipped += 1;
                    tracing::warn!(skipped, "skipped a stream event that was not valid JSON");
                    if skipped > MAX_SKIPPED_EVENTS {
                        return Err(bad("its stream events were not valid JSON"));
                    }
                    continue;
                };
                // Several servers report failures inside a 200 stream: the same error as the
                // HTTP status would have been.
                if let Some(error) = &chunk.error {
                    return Err(self.embedded_error(error));
                }
                model = chunk.model.or(model);
                let Some(choice) = chunk.choices.and_then(|c| c.into_iter().next()) else {
                    // A usage-only or `"choices": null` chunk carries no text.
                    tracing::debug!("skipped a stream chunk without choices");
                    continue;
                };
                if let Some(reason) = choice.finish_reason {
                    finish = Some(reason);
                }
                if let Some(piece) = choice
                    .delta
                    .and_then(|d| d.content)
                    .filter(|p| !p.is_empty())
                {
                    if text.len() + piece.len() > MAX_COMPLETION_BYTES {
                        return Err(bad("the answer was longer than 1 MB"));
                    }
                    text.push_str(&piece);
                    on_delta(&piece);
                }
            }
            if end {
                // Without `[DONE]` the text only counts if the model said it had finished.
                return if finish.is_some() {
                    self.finished(text, model, finish.as_deref(), skipped)
                } else {
                    Err(InsightError::StreamCut)
                };
            }
        }
    }

    /// The completion of a stream that ended properly; an answer made only of events that
    /// could not be read is no answer.
    pub(super) fn finished(
        &self,
        text: String,
        model: Option<String>,
        finish: Option<&str>,
        skipped: usize,
    ) -> Result<Completion, InsightError> {
        if text.trim().is_empty() && skipped > 0 {
            return Err(bad("its stream events were not valid JSON"));
        }
        Ok(self.completion(text, model, finish))
    }

    /// Reads a non-streaming `chat.completion` object.
    pub(super) fn parse_whole(&self, bytes: &[u8]) -> Result<Completion, InsightError> {
        let whole: Chunk =
            serde_json::from_slice(bytes).map_err(|_| bad("the answer was not valid JSON"))?;
        if let Some(error) = &whole.error {
            return Err(self.embedded_error(error));
        }
        let choice = whole.choices.and_then(|c| c.into_iter().next());
        let finish = choice.as_ref().and_then(|c| c.finish_reason.clone());
        let text = choice
            .and_then(|c| c.message)
            .and_then(|m| m.content)
            .unwrap_or_default();
        if text.len() > MAX_COMPLETION_BYTES {
            return Err(bad("the answer was longer than 1 MB"));
        }
        Ok(self.completion(text, whole.model, finish.as_deref()))
    }

    pub(super) fn completion(
        &self,
        text: String,
        model: Option<String>,
        finish: Option<&str>,
    ) -> Completion {
        // The server's name for the model is shown to the user: only keep a sane one.
        let model = model
            .filter(|m| !m.is_empty() && m.len() <= 100 && !m.chars().any(char::is_control))
            .unwrap_or_else(|| self.model.clone());
        Completion {
            text,
            model,
            cut_short: finish == Some("length"),
        }
    }
}

/// Reads at most `cap` bytes of a body before `deadline`.
pub(super) async fn read_capped(
    response: Response,
    cap: usize,
    deadline: Instant,
) -> Result<Vec<u8>, InsightError> {
    match timeout_at(deadline, net::read_capped(response, cap)).await {
        Err(elapsed) => Err(InsightError::timeout(elapsed)),
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(BodyError::TooLarge)) => Err(bad("the answer was too large")),
        Ok(Err(BodyError::Transport(_))) => Err(bad("the answer was cut off")),
    }
}

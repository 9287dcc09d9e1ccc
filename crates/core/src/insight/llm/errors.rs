//! Errors as servers send them: HTTP statuses, error objects (also inside a 200 stream),
//! `Retry-After`, and messages cleaned of anything key-like before a user sees them.

use super::*;

impl LlmClient {
    /// The typed error for an error object a server sent with a 200 status (inside a stream,
    /// or instead of the answer): the same one as the HTTP status it stands for would give.
    pub(super) fn embedded_error(&self, error: &serde_json::Value) -> InsightError {
        let Some(key) = &self.api_key else {
            return InsightError::NoApiKey;
        };
        let body = serde_json::json!({ "error": error }).to_string();
        let (message, code) = error_details(body.as_bytes());
        let kind = error["type"].as_str().unwrap_or_default();
        let status = match (code.as_deref().unwrap_or_default(), kind) {
            (code, _) if code.parse::<u16>().is_ok_and(|s| (400..600).contains(&s)) => {
                code.parse().unwrap_or(500)
            }
            ("invalid_api_key" | "invalid_authentication", _) | (_, "authentication_error") => 401,
            ("permission_denied" | "unsupported_country_region_territory", _)
            | (_, "permission_error") => 403,
            ("model_not_found", _) => 404,
            ("insufficient_quota" | "rate_limit_exceeded", _)
            | (_, "rate_limit_error" | "insufficient_quota" | "tokens" | "requests") => 429,
            ("overloaded" | "service_unavailable", _) | (_, "overloaded_error") => 503,
            ("server_error" | "internal_error", _) | (_, "server_error" | "api_error") => 500,
            _ if message.is_some() => 400,
            _ => return bad("the server reported an error without saying what it was"),
        };
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        self.status_error(status, None, body.as_bytes(), key)
    }

    /// The typed error for an unsuccessful status and its (JSON or other) body.
    pub(super) fn status_error(
        &self,
        status: StatusCode,
        retry_after: Option<u64>,
        body: &[u8],
        key: &Secret,
    ) -> InsightError {
        let (message, code) = error_details(body);
        let about_model = code.as_deref() == Some("model_not_found")
            || message
                .as_deref()
                .is_some_and(|m| m.to_lowercase().contains("model"));
        match status.as_u16() {
            401 => InsightError::BadApiKey,
            403 => InsightError::Forbidden,
            404 if about_model => InsightError::ModelNotFound {
                model: self.model.clone(),
            },
            404 => InsightError::EndpointNotFound,
            400 if code.as_deref() == Some("model_not_found") => InsightError::ModelNotFound {
                model: self.model.clone(),
            },
            408 => InsightError::timeout("the server answered 408 Request Timeout"),
            429 if code.as_deref() == Some("insufficient_quota") => InsightError::QuotaExceeded,
            429 => InsightError::RateLimited { retry_after },
            500..=599 => InsightError::Server {
                status: status.as_u16(),
            },
            400..=499 => InsightError::BadRequest {
                message: message
                    .map(|m| sanitize(&m, key))
                    .filter(|m| !m.is_empty())
                    .unwrap_or_else(|| format!("HTTP {}", status.as_u16())),
            },
            other => bad(&format!("unexpected HTTP status {other}")),
        }
    }
}

pub(super) fn bad(reason: &str) -> InsightError {
    InsightError::BadResponse {
        reason: reason.to_string(),
    }
}

pub(super) fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
}

pub(super) fn unexpected_content(content_type: &str) -> InsightError {
    if content_type.starts_with("text/html") {
        bad("a web page instead of an API answer")
    } else {
        bad("an unexpected content type")
    }
}

/// `error.message` and `error.code` of an OpenAI-style error body (`{"error": "text"}` too).
pub(super) fn error_details(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (None, None);
    };
    let error = &value["error"];
    if let Some(text) = error.as_str() {
        return (Some(text.to_string()), None);
    }
    let code = match &error["code"] {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    (error["message"].as_str().map(str::to_string), code)
}

/// A server message made safe to show: one line, short, and nothing that looks like a key
/// (servers quote the rejected key, sometimes only partly masked).
pub(super) fn sanitize(message: &str, key: &Secret) -> String {
    let message = message.replace(key.expose(), "***");
    let mut words = Vec::new();
    let mut after_bearer = false;
    for word in message.split_whitespace() {
        let secretive = after_bearer || word.contains("sk-") || word.contains("key-");
        after_bearer = word.eq_ignore_ascii_case("bearer");
        words.push(if secretive { "***" } else { word });
    }
    let line: String = words
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let mut short: String = line.chars().take(MAX_MESSAGE_CHARS).collect();
    if short.len() < line.len() {
        short.push('…');
    }
    short.trim_end_matches('.').to_string()
}

//! OpenAI's error answers: `{"error": {message, type, param, code}}` with its status.

use super::Shared;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

pub(super) fn error(status: StatusCode, message: &str, kind: &str, code: Option<&str>) -> Response {
    let body =
        json!({ "error": { "message": message, "type": kind, "param": null, "code": code } });
    (status, Json(body)).into_response()
}

/// The 401 answer for a request without the right key, if it lacks it.
pub(super) fn denied(shared: &Shared, headers: &HeaderMap) -> Option<Response> {
    let given = crate::bearer::bearer(headers);
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

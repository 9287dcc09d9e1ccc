//! The bearer token of a request, read the same way by every fake API.

use axum::http::{header, HeaderMap};

/// The token of an `Authorization: Bearer <token>` header, if the request has one.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
}

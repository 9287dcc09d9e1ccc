//! Shared fault-injection rules: a test pushes a [`Fault`], the next matching requests misbehave.
//!
//! Both fakes install [`inject`] as an axum middleware. Faults that only a handler can produce
//! (such as [`FaultKind::CutStream`] for SSE) are passed on to it in the request extensions as an
//! [`ActiveFault`].

use axum::body::{to_bytes, Body};
use axum::extract::{OriginalUri, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One rule: requests whose path (with query) contains `path_contains` get `kind`.
#[derive(Clone, Debug)]
pub struct Fault {
    /// Substring of the request path and query that selects the requests, e.g. `/v1/artists/`.
    pub path_contains: String,
    /// What happens to a matching request.
    pub kind: FaultKind,
    /// How many matching requests are affected; `None` means every one until [`Faults::clear`].
    pub times: Option<u32>,
}

impl Fault {
    /// Every matching request answers `status`, with `Retry-After: retry_after` and `body` when
    /// given, until [`Faults::clear`].
    pub fn status(
        path_contains: &str,
        status: u16,
        retry_after: Option<u64>,
        body: Option<&str>,
    ) -> Self {
        Self {
            path_contains: path_contains.into(),
            kind: FaultKind::Status {
                status,
                retry_after,
                body: body.map(str::to_string),
            },
            times: None,
        }
    }
}

/// The ways a faulty request can misbehave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// Answer with this status (and `Retry-After` header / body when given) instead of the handler.
    Status {
        status: u16,
        retry_after: Option<u64>,
        body: Option<String>,
    },
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Accept the request and never answer.
    Hang,
    /// Answer 200 `application/json` with a body that is not JSON.
    MalformedJson,
    /// Answer with the first half of the real body (correct `Content-Length`, broken JSON).
    TruncatedBody,
    /// Answer 200 `text/html` with a proxy-style error page instead of JSON.
    HtmlErrorPage,
    /// Streaming endpoints stop mid-way; the handler must act on it (see [`ActiveFault`]).
    CutStream,
    /// Answer 200 `application/json` with a body that never ends (spaces, sent as fast as they
    /// are read), as a hostile or broken server might.
    EndlessBody,
}

/// The fault a request was selected for, left in its extensions for handlers that act on it.
#[derive(Clone, Debug)]
pub struct ActiveFault(pub FaultKind);

/// The live set of rules, shared between a fake server and its controlling test (cheap `Clone`).
#[derive(Clone, Debug, Default)]
pub struct Faults {
    rules: Arc<Mutex<Vec<Fault>>>,
}

impl Faults {
    /// Adds a rule; rules are matched in the order they were pushed.
    pub fn push(&self, fault: Fault) {
        self.lock().push(fault);
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// The fault for a request to `path`, if any, using up one of the rule's `times`.
    pub fn take(&self, path: &str) -> Option<FaultKind> {
        let mut rules = self.lock();
        let index = rules
            .iter()
            .position(|rule| path.contains(&rule.path_contains))?;
        let kind = rules[index].kind.clone();
        match &mut rules[index].times {
            Some(left) if *left <= 1 => {
                rules.remove(index);
            }
            Some(left) => *left -= 1,
            None => {}
        }
        Some(kind)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Fault>> {
        // A panicking test thread must not make every later request fail too.
        self.rules.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Axum middleware (`middleware::from_fn_with_state(faults, inject)`) applying the generic faults.
pub async fn inject(State(faults): State<Faults>, mut req: Request, next: Next) -> Response {
    // Inside a nested router the URI is stripped of the prefix; match on the full original one.
    let uri = req
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| req.uri().clone(), |original| original.0.clone());
    let path = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_string(), |pq| pq.to_string());
    let Some(kind) = faults.take(&path) else {
        return next.run(req).await;
    };
    match kind {
        FaultKind::Status {
            status,
            retry_after,
            body,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = match body {
                Some(body) => (status, body).into_response(),
                None => status.into_response(),
            };
            if let Some(secs) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            response
        }
        FaultKind::Delay(delay) => {
            tokio::time::sleep(delay).await;
            next.run(req).await
        }
        FaultKind::Hang => std::future::pending().await,
        FaultKind::MalformedJson => (
            [(header::CONTENT_TYPE, "application/json")],
            "{\"id\": \"abc\", oops, this is not json",
        )
            .into_response(),
        FaultKind::HtmlErrorPage => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<html><body><h1>502 Bad Gateway</h1><p>upstream unavailable</p></body></html>",
        )
            .into_response(),
        FaultKind::TruncatedBody => {
            let (mut parts, body) = next.run(req).await.into_parts();
            let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(bytes.slice(..bytes.len() / 2)))
        }
        FaultKind::EndlessBody => {
            let chunk = axum::body::Bytes::from(vec![b' '; 64 * 1024]);
            let endless = futures_util::stream::repeat_with(move || {
                Ok::<_, std::convert::Infallible>(chunk.clone())
            });
            (
                [(header::CONTENT_TYPE, "application/json")],
                Body::from_stream(endless),
            )
                .into_response()
        }
        FaultKind::CutStream => {
            req.extensions_mut()
                .insert(ActiveFault(FaultKind::CutStream));
            next.run(req).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16) -> FaultKind {
        FaultKind::Status {
            status: code,
            retry_after: None,
            body: None,
        }
    }

    #[test]
    fn take_counts_down_and_matches_in_order() {
        let faults = Faults::default();
        faults.push(Fault {
            path_contains: "/v1/me".into(),
            kind: status(500),
            times: Some(2),
        });
        faults.push(Fault {
            path_contains: "/v1".into(),
            kind: FaultKind::Hang,
            times: None,
        });
        assert_eq!(faults.take("/v1/me"), Some(status(500)));
        assert_eq!(faults.take("/v1/me"), Some(status(500)));
        assert_eq!(faults.take("/v1/me"), Some(FaultKind::Hang));
        assert_eq!(faults.take("/other"), None);
        faults.clear();
        assert_eq!(faults.take("/v1/me"), None);
    }
}

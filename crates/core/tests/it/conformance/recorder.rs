//! The recording reverse proxy in front of Prism: Prism reports what it finds wrong with a
//! request only in its answer, which the client does not expose, so every exchange is kept.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use url::Url;

/// One request through the proxy and Prism's answer.
#[derive(Clone, Debug)]
pub(super) struct Exchange {
    method: String,
    target: String,
    pub(super) status: u16,
    /// What Prism found wrong with the request: its `sl-violations` header, or the
    /// `validation` list of the 422 it makes when the description has no error answer.
    pub(super) violations: Option<String>,
    body: String,
}

impl Exchange {
    pub(super) fn describe(&self) -> String {
        const SHOWN: usize = 3000;
        let body: String = self.body.chars().take(SHOWN).collect();
        let cut = if self.body.chars().count() > SHOWN {
            " [...]"
        } else {
            ""
        };
        format!(
            "  {} {} -> {}{}\n  body: {body}{cut}",
            self.method,
            self.target,
            self.status,
            self.violations
                .as_ref()
                .map(|v| format!("\n  sl-violations: {v}"))
                .unwrap_or_default()
        )
    }
}

/// A reverse proxy in front of Prism that keeps every exchange.
#[derive(Clone)]
pub(super) struct Recorder {
    upstream: Url,
    http: reqwest::Client,
    log: Arc<Mutex<Vec<Exchange>>>,
}

impl Recorder {
    /// Serves the proxy on a free loopback port; returns it and its base URL.
    pub(super) async fn start(upstream: Url) -> (Recorder, Url) {
        let recorder = Recorder {
            upstream,
            http: reqwest::Client::new(),
            log: Arc::default(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let app = axum::Router::new()
            .fallback(forward)
            .with_state(recorder.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        (recorder, url)
    }

    fn exchanges(&self) -> std::sync::MutexGuard<'_, Vec<Exchange>> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn len(&self) -> usize {
        self.exchanges().len()
    }

    pub(super) fn since(&self, first: usize) -> Vec<Exchange> {
        self.exchanges()[first..].to_vec()
    }
}

/// Forwards the request to Prism unchanged, records the exchange, and answers with Prism's
/// status, content type and body.
async fn forward(State(recorder): State<Recorder>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let target = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let body = to_bytes(body, 1 << 20).await.unwrap_or_default();
    let mut upstream = recorder
        .http
        .request(
            parts.method.clone(),
            format!(
                "{}{}",
                recorder.upstream.as_str().trim_end_matches('/'),
                target
            ),
        )
        .body(body);
    for (name, value) in &parts.headers {
        if name != header::HOST && name != header::CONTENT_LENGTH {
            upstream = upstream.header(name, value);
        }
    }
    let mut exchange = Exchange {
        method: parts.method.to_string(),
        target,
        status: 502,
        violations: None,
        body: String::new(),
    };
    let mut response = Response::builder();
    let mut answer_body = axum::body::Bytes::new();
    match upstream.send().await {
        Ok(answer) => {
            exchange.status = answer.status().as_u16();
            exchange.violations = answer
                .headers()
                .get("sl-violations")
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            response = response.status(answer.status());
            if let Some(kind) = answer.headers().get(header::CONTENT_TYPE) {
                response = response.header(header::CONTENT_TYPE, kind);
            }
            answer_body = answer.bytes().await.unwrap_or_default();
            exchange.body = String::from_utf8_lossy(&answer_body).into_owned();
            // When the description has no answer for an invalid request, Prism makes a 422 of
            // its own and lists the violations in its body instead of the header.
            if exchange.violations.is_none() {
                exchange.violations = serde_json::from_slice::<Value>(&answer_body)
                    .ok()
                    .and_then(|problem| problem.get("validation").map(Value::to_string));
            }
        }
        Err(error) => {
            response = response.status(StatusCode::BAD_GATEWAY);
            exchange.body = format!("proxy could not reach Prism: {error}");
        }
    }
    recorder.exchanges().push(exchange);
    response.body(Body::from(answer_body)).unwrap()
}

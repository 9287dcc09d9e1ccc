//! One authenticated GET with Spotify's retry rules: honour `Retry-After` on 429, back off on
//! transient 5xx, bound everything, and map the rest to [`SpotifyError`] with Spotify's reason.

use super::error::clean_reason;
use super::SpotifyError;
use crate::secret::Secret;
use reqwest::{header, StatusCode};
use std::time::Duration;
use url::Url;

/// Enough of an error body to find Spotify's message; the rest is not read.
const MAX_ERROR_BODY_BYTES: usize = 16 * 1024;

/// Timeouts and retry bounds for Web API calls.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Limit on one attempt, from connecting to the end of the body.
    pub request_timeout: Duration,
    /// Retries after a 429 or transient 5xx (so at most `max_retries + 1` attempts).
    pub max_retries: u32,
    /// A 429 asking to wait longer than this fails at once instead of freezing the app (the
    /// client then refuses every call until the wait is over).
    pub max_retry_after: Duration,
    /// Wait after a 429 without a usable `Retry-After` header.
    pub default_retry_after: Duration,
    /// First wait after a 5xx; doubled on each further retry.
    pub backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(15),
            max_retries: 3,
            max_retry_after: Duration::from_secs(30),
            default_retry_after: Duration::from_secs(1),
            backoff: Duration::from_millis(200),
        }
    }
}

/// A successful exchange: a body, nothing (204 or empty), or a rejected token.
pub(crate) enum Reply {
    Body(Vec<u8>),
    NoContent,
    Unauthorized,
}

/// GETs `url` with `token`, retrying 429 and 502/503/504/500 within `policy`.
pub(crate) async fn get(
    http: &reqwest::Client,
    url: &Url,
    token: &Secret,
    policy: &RetryPolicy,
) -> Result<Reply, SpotifyError> {
    let mut attempt = 0;
    loop {
        let response = http
            .get(url.clone())
            .bearer_auth(token.expose())
            .header(header::ACCEPT, "application/json")
            .timeout(policy.request_timeout)
            .send()
            .await
            .map_err(transport_error)?;
        let status = response.status();
        let retry_in = match status {
            s if s.is_success() => {
                let body = response.bytes().await.map_err(transport_error)?;
                return Ok(if body.is_empty() {
                    Reply::NoContent
                } else {
                    Reply::Body(body.to_vec())
                });
            }
            StatusCode::UNAUTHORIZED => return Ok(Reply::Unauthorized),
            StatusCode::TOO_MANY_REQUESTS => {
                let wait = retry_after(&response).unwrap_or(policy.default_retry_after);
                if wait > policy.max_retry_after || attempt >= policy.max_retries {
                    return Err(SpotifyError::RateLimited {
                        retry_in: Some(wait),
                    });
                }
                wait
            }
            StatusCode::INTERNAL_SERVER_ERROR
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT => policy.backoff * 2u32.saturating_pow(attempt),
            other => return Err(status_error(other, reason(response).await)),
        };
        if attempt >= policy.max_retries {
            return Err(status_error(status, None));
        }
        tracing::debug!(%status, ?retry_in, attempt, "retrying Spotify request");
        tokio::time::sleep(retry_in).await;
        attempt += 1;
    }
}

/// Spotify's `{"error":{"status":N,"message":"..."}}` message, cleaned for display. Bodies are
/// read up to a cap, so a hostile server cannot make us buffer without end.
async fn reason(mut response: reqwest::Response) -> Option<String> {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_ERROR_BODY_BYTES {
            return None;
        }
    }
    let value: serde_json::Value = serde_json::from_slice(&body).ok()?;
    clean_reason(value.get("error")?.get("message")?.as_str()?)
}

/// `Retry-After` in seconds (Spotify never sends the HTTP-date form).
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get(header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse().ok().map(Duration::from_secs)
}

fn status_error(status: StatusCode, reason: Option<String>) -> SpotifyError {
    match status {
        StatusCode::FORBIDDEN => SpotifyError::Forbidden { reason },
        StatusCode::NOT_FOUND => SpotifyError::NotFound { reason },
        StatusCode::TOO_MANY_REQUESTS => SpotifyError::RateLimited { retry_in: None },
        s if s.is_client_error() => SpotifyError::BadRequest { reason },
        s => SpotifyError::Server { status: s.as_u16() },
    }
}

fn transport_error(error: reqwest::Error) -> SpotifyError {
    if error.is_timeout() {
        SpotifyError::Timeout { source: error }
    } else {
        SpotifyError::Network { source: error }
    }
}

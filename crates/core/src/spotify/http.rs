//! One authenticated request with Spotify's retry rules (the app's shared ones, `net.rs`):
//! honour `Retry-After` on 429, back off on a transient 5xx of a read, bound everything, and map
//! the rest to [`SpotifyError`] with Spotify's reason.

use super::error::clean_reason;
use super::SpotifyError;
use crate::net::{self, Retries, Transient};
use crate::secret::Secret;
use reqwest::{header, Method, StatusCode};
use std::time::Duration;
use url::Url;

/// Enough of an error body to find Spotify's message; the rest is not read.
const MAX_ERROR_BODY_BYTES: usize = 16 * 1024;
/// The reason Spotify gives on a 429 when the developer account's Development Mode quota
/// (shared by its up to 25 client IDs since July 2026) is used up.
const QUOTA: &str = "QUOTA_EXCEEDED";
/// Largest answer read: a page of 50 items with their albums is a few hundred kilobytes.
const MAX_BODY_BYTES: usize = 8 << 20;

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

impl RetryPolicy {
    /// The retry bounds, in the terms every client of the app shares.
    fn retries(&self) -> Retries {
        Retries {
            max: self.max_retries,
            backoff: self.backoff,
            max_retry_after: self.max_retry_after,
        }
    }
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

/// One request to the Web API.
pub(crate) struct Call<'a> {
    pub method: Method,
    pub url: &'a Url,
    /// JSON to send (`PUT /me/player/play`); writes without one send an empty body.
    pub body: Option<&'a serde_json::Value>,
}

/// Sends `call` with `token`. A 429 is waited out within `policy` (Spotify did not carry the
/// request out); a transient 5xx is retried for reads only, since a write (a skip) may have
/// happened. The rest maps to [`SpotifyError`] with Spotify's reason.
pub(crate) async fn send(
    http: &reqwest::Client,
    call: &Call<'_>,
    token: &Secret,
    policy: &RetryPolicy,
) -> Result<Reply, SpotifyError> {
    let retries = policy.retries();
    let read = call.method == Method::GET;
    let mut attempt = 0;
    loop {
        let mut request = http
            .request(call.method.clone(), call.url.clone())
            .bearer_auth(token.expose())
            .header(header::ACCEPT, "application/json")
            .timeout(policy.request_timeout);
        request = match call.body {
            Some(json) => request.json(json),
            // Spotify wants a length on a bodiless PUT, POST or DELETE.
            None if !read => request.header(header::CONTENT_LENGTH, "0"),
            None => request,
        };
        let response = request.send().await.map_err(transport_error)?;
        let status = response.status();
        let wait = match status {
            s if s.is_success() => {
                let body = match net::read_capped(response, MAX_BODY_BYTES).await {
                    Ok(body) => body,
                    Err(net::BodyError::Transport(error)) => return Err(transport_error(error)),
                    Err(net::BodyError::TooLarge) => {
                        tracing::warn!(cap = MAX_BODY_BYTES, "Spotify answer too large; not read");
                        return Err(SpotifyError::BadResponse);
                    }
                };
                return Ok(if body.is_empty() {
                    Reply::NoContent
                } else {
                    Reply::Body(body)
                });
            }
            StatusCode::UNAUTHORIZED => return Ok(Reply::Unauthorized),
            StatusCode::TOO_MANY_REQUESTS => {
                let asked =
                    net::retry_after(response.headers()).unwrap_or(policy.default_retry_after);
                match retries.wait(attempt, Transient::RateLimited(Some(asked))) {
                    Some(wait) => wait,
                    None => {
                        let quota = refusal(response).await.code.as_deref() == Some(QUOTA);
                        return Err(SpotifyError::RateLimited {
                            retry_in: Some(asked),
                            quota,
                        });
                    }
                }
            }
            StatusCode::INTERNAL_SERVER_ERROR
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
                if read =>
            {
                match retries.wait(attempt, Transient::Unavailable) {
                    Some(wait) => wait,
                    None => return Err(status_error(status, Refusal::default())),
                }
            }
            other => return Err(status_error(other, refusal(response).await)),
        };
        tracing::debug!(%status, ?wait, attempt, "retrying Spotify request");
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

/// What Spotify said when it refused: `{"error":{"status":N,"message":"...","reason":"..."}}`.
#[derive(Default)]
struct Refusal {
    /// The message, cleaned for display.
    message: Option<String>,
    /// The player's reason code, e.g. `PREMIUM_REQUIRED`.
    code: Option<String>,
}

/// Reads Spotify's refusal. Bodies are read up to a cap, so a hostile server cannot make us
/// buffer without end.
async fn refusal(response: reqwest::Response) -> Refusal {
    let Ok(body) = net::read_capped(response, MAX_ERROR_BODY_BYTES).await else {
        return Refusal::default();
    };
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return Refusal::default();
    };
    let error = &value["error"];
    Refusal {
        message: error["message"].as_str().and_then(clean_reason),
        code: error["reason"].as_str().map(str::to_string),
    }
}

fn status_error(status: StatusCode, refusal: Refusal) -> SpotifyError {
    let reason = refusal.message;
    match (status, refusal.code.as_deref()) {
        (_, Some("PREMIUM_REQUIRED")) => SpotifyError::PremiumRequired,
        (_, Some("NO_ACTIVE_DEVICE")) => SpotifyError::NoActiveDevice,
        (StatusCode::FORBIDDEN, _) => SpotifyError::Forbidden { reason },
        (StatusCode::NOT_FOUND, _) => SpotifyError::NotFound { reason },
        (StatusCode::TOO_MANY_REQUESTS, code) => SpotifyError::RateLimited {
            retry_in: None,
            quota: code == Some(QUOTA),
        },
        (s, _) if s.is_client_error() => SpotifyError::BadRequest { reason },
        (s, _) => SpotifyError::Server { status: s.as_u16() },
    }
}

fn transport_error(error: reqwest::Error) -> SpotifyError {
    if error.is_timeout() {
        SpotifyError::Timeout { source: error }
    } else {
        SpotifyError::Network { source: error }
    }
}

//! The user's library with the 2026 endpoints: `PUT`/`DELETE /me/library?uris=...` save and
//! remove, `GET /me/library/contains?uris=...` says what is saved. A sign-in from before the
//! library scopes is told to sign in again, before any request when its granted scopes show it.

use super::client::{decode, SpotifyClient};
use super::ids::TrackId;
use super::SpotifyError;
use reqwest::{header, Method, StatusCode};
use std::time::{Duration, Instant};

/// Scope of `GET /me/library/contains`.
pub const LIBRARY_READ: &str = "user-library-read";
/// Scope of `PUT`/`DELETE /me/library`.
pub const LIBRARY_MODIFY: &str = "user-library-modify";
/// Spotify's message for a token without the endpoint's scope.
const INSUFFICIENT_SCOPE: &str = "Insufficient client scope";

fn track_uri(id: &TrackId) -> String {
    format!("spotify:track:{id}")
}

impl SpotifyClient {
    /// Whether the track is saved in the user's library.
    pub async fn is_saved(&self, id: &TrackId) -> Result<bool, SpotifyError> {
        if !self.session.has_scope(LIBRARY_READ) {
            return Err(missing(LIBRARY_READ));
        }
        let query = [("uris", track_uri(id))];
        let body = match self.get(&["me", "library", "contains"], &query).await {
            Ok(body) => body.ok_or(SpotifyError::BadResponse)?,
            Err(error) => return Err(scope_or(error, LIBRARY_READ)),
        };
        let answer: Vec<bool> = decode(&body)?;
        answer.first().copied().ok_or(SpotifyError::BadResponse)
    }

    /// Saves the track to the user's library (`saved`) or removes it from there.
    pub async fn set_saved(&self, id: &TrackId, saved: bool) -> Result<(), SpotifyError> {
        if !self.session.has_scope(LIBRARY_MODIFY) {
            return Err(missing(LIBRARY_MODIFY));
        }
        let method = if saved { Method::PUT } else { Method::DELETE };
        self.write(method, &["me", "library"], &[("uris", track_uri(id))])
            .await
            .map_err(|error| scope_or(error, LIBRARY_MODIFY))
    }

    /// Sends a write without a body: a 401 refreshes once, a 429 fails at once (banning every
    /// call when Spotify asks for a long wait); nothing is retried, and the user can click again.
    async fn write(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
    ) -> Result<(), SpotifyError> {
        if let Some(wait) = self.blocked_for() {
            return Err(SpotifyError::RateLimited {
                retry_in: Some(wait),
            });
        }
        let url = self.url(segments, query);
        let mut token = self.session.access_token().await?;
        let mut refreshed = false;
        loop {
            let response = self
                .http
                .request(method.clone(), url.clone())
                .bearer_auth(token.expose())
                .header(header::ACCEPT, "application/json")
                // Spotify wants a length on a bodiless PUT.
                .header(header::CONTENT_LENGTH, "0")
                .timeout(self.policy.request_timeout)
                .send()
                .await
                .map_err(|source| match source.is_timeout() {
                    true => SpotifyError::Timeout { source },
                    false => SpotifyError::Network { source },
                })?;
            let status = response.status();
            match status {
                s if s.is_success() => return Ok(()),
                StatusCode::UNAUTHORIZED if !refreshed => {
                    token = self.session.refresh_after_unauthorized(&token).await?;
                    refreshed = true;
                }
                StatusCode::UNAUTHORIZED => return Err(SpotifyError::Unauthorized),
                StatusCode::TOO_MANY_REQUESTS => {
                    let wait = response
                        .headers()
                        .get(header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok()?.trim().parse().ok())
                        .map(Duration::from_secs);
                    if let Some(wait) = wait.filter(|w| *w > self.policy.max_retry_after) {
                        let until = Instant::now() + wait;
                        let mut ban = self.ban();
                        *ban = Some(ban.map_or(until, |held| held.max(until)));
                    }
                    return Err(SpotifyError::RateLimited { retry_in: wait });
                }
                _ => return Err(refusal(status, response).await),
            }
        }
    }
}

/// What the user is told for a sign-in without `scope`.
fn missing(scope: &str) -> SpotifyError {
    SpotifyError::MissingScope {
        what: if scope == LIBRARY_READ {
            "see which songs you liked"
        } else {
            "like songs for you"
        },
    }
}

/// Spotify's "Insufficient client scope" as the missing scope; anything else as it was.
fn scope_or(error: SpotifyError, scope: &str) -> SpotifyError {
    match &error {
        SpotifyError::Forbidden {
            reason: Some(reason),
        } if reason.contains(INSUFFICIENT_SCOPE) => missing(scope),
        _ => error,
    }
}

/// A refused write as the status errors the reads give, with Spotify's message.
async fn refusal(status: StatusCode, response: reqwest::Response) -> SpotifyError {
    let body: serde_json::Value = response
        .bytes()
        .await
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let reason = body["error"]["message"]
        .as_str()
        .and_then(super::error::clean_reason);
    match status {
        StatusCode::FORBIDDEN => SpotifyError::Forbidden { reason },
        StatusCode::NOT_FOUND => SpotifyError::NotFound { reason },
        s if s.is_client_error() => SpotifyError::BadRequest { reason },
        s => SpotifyError::Server { status: s.as_u16() },
    }
}

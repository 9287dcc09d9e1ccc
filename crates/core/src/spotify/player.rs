//! Following and controlling playback: `currently-playing` with progress and context, and the
//! player commands (`PUT /me/player/play|pause`, `POST /me/player/next|previous`) with
//! Spotify's player errors told apart (a sign-in without the scope, a Free account, no device).

use super::client::{decode, SpotifyClient};
use super::error::clean_reason;
use super::models::{NowPlaying, WireCurrentlyPlaying};
use super::playback::{PlayRequest, Playback, WirePlaybackExtra};
use super::SpotifyError;
use reqwest::{header, Method, StatusCode};
use std::time::{Duration, Instant};

/// The scope every player command needs; sign-ins from before controls existed lack it.
pub const MODIFY_PLAYBACK: &str = "user-modify-playback-state";

impl SpotifyClient {
    /// What plays now with its progress, length, timestamp and context; `None` when nothing
    /// does (204).
    pub async fn playback(&self) -> Result<Option<Playback>, SpotifyError> {
        let query = [("additional_types", "track,episode".to_string())];
        let Some(body) = self
            .get(&["me", "player", "currently-playing"], &query)
            .await?
        else {
            return Ok(None);
        };
        let now: NowPlaying = decode::<WireCurrentlyPlaying>(&body)?.into();
        // The extras are optional: an odd context or timestamp never hides the item.
        let extra = serde_json::from_slice::<WirePlaybackExtra>(&body).unwrap_or_default();
        Ok(Some(Playback::from_parts(now, extra)))
    }

    /// Whether this sign-in may control playback.
    pub fn can_control(&self) -> bool {
        self.session.has_scope(MODIFY_PLAYBACK)
    }

    /// Starts (or resumes) playback on the active device.
    pub async fn play(&self, request: &PlayRequest) -> Result<(), SpotifyError> {
        self.command(Method::PUT, "play", request.body()).await
    }

    /// Pauses playback.
    pub async fn pause(&self) -> Result<(), SpotifyError> {
        self.command(Method::PUT, "pause", None).await
    }

    /// Skips to the next item.
    pub async fn next(&self) -> Result<(), SpotifyError> {
        self.command(Method::POST, "next", None).await
    }

    /// Skips to the previous item.
    pub async fn previous(&self) -> Result<(), SpotifyError> {
        self.command(Method::POST, "previous", None).await
    }

    /// Sends one player command. A sign-in without the scope is refused before any request;
    /// a 401 refreshes once; a 429 is waited out within the policy (the command was not
    /// carried out), a long one bans every call; nothing else is retried, so a skip never
    /// happens twice.
    async fn command(
        &self,
        method: Method,
        action: &str,
        body: Option<serde_json::Value>,
    ) -> Result<(), SpotifyError> {
        if let Some(wait) = self.blocked_for() {
            return Err(SpotifyError::RateLimited {
                retry_in: Some(wait),
            });
        }
        if !self.can_control() {
            return Err(missing_scope());
        }
        let url = self.url(&["me", "player", action], &[]);
        let mut token = self.session.access_token().await?;
        let mut refreshed = false;
        let mut attempt = 0;
        loop {
            let mut request = self
                .http
                .request(method.clone(), url.clone())
                .bearer_auth(token.expose())
                .header(header::ACCEPT, "application/json")
                .timeout(self.policy.request_timeout);
            request = match &body {
                Some(json) => request.json(json),
                // Spotify wants a length on a bodiless PUT/POST.
                None => request.header(header::CONTENT_LENGTH, "0"),
            };
            let response = request.send().await.map_err(transport_error)?;
            let status = response.status();
            if status.is_success() {
                return Ok(());
            }
            match status {
                StatusCode::UNAUTHORIZED if !refreshed => {
                    token = self.session.refresh_after_unauthorized(&token).await?;
                    refreshed = true;
                }
                StatusCode::UNAUTHORIZED => return Err(SpotifyError::Unauthorized),
                StatusCode::TOO_MANY_REQUESTS => {
                    let wait = retry_after(&response).unwrap_or(self.policy.default_retry_after);
                    if wait > self.policy.max_retry_after || attempt >= self.policy.max_retries {
                        self.ban_for(wait);
                        return Err(SpotifyError::RateLimited {
                            retry_in: Some(wait),
                        });
                    }
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                _ => return Err(player_error(status, response).await),
            }
        }
    }

    fn ban_for(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut ban = self.ban();
        *ban = Some(ban.map_or(until, |held| held.max(until)));
    }
}

fn missing_scope() -> SpotifyError {
    SpotifyError::MissingScope {
        what: "control playback",
    }
}

/// Spotify's player errors by their `reason` code (or message, for the scope), else the
/// general status errors with Spotify's message.
async fn player_error(status: StatusCode, response: reqwest::Response) -> SpotifyError {
    let body: serde_json::Value = response
        .bytes()
        .await
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let error = &body["error"];
    let message = error["message"].as_str().unwrap_or_default();
    match (status, error["reason"].as_str()) {
        (_, Some("PREMIUM_REQUIRED")) => SpotifyError::PremiumRequired,
        (_, Some("NO_ACTIVE_DEVICE")) => SpotifyError::NoActiveDevice,
        (StatusCode::FORBIDDEN, _) if message.contains("Insufficient client scope") => {
            missing_scope()
        }
        (StatusCode::FORBIDDEN, _) => SpotifyError::Forbidden {
            reason: clean_reason(message),
        },
        (StatusCode::NOT_FOUND, _) => SpotifyError::NotFound {
            reason: clean_reason(message),
        },
        (s, _) if s.is_client_error() => SpotifyError::BadRequest {
            reason: clean_reason(message),
        },
        (s, _) => SpotifyError::Server { status: s.as_u16() },
    }
}

fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get(header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse().ok().map(Duration::from_secs)
}

fn transport_error(error: reqwest::Error) -> SpotifyError {
    if error.is_timeout() {
        SpotifyError::Timeout { source: error }
    } else {
        SpotifyError::Network { source: error }
    }
}

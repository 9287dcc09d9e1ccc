//! One polite HTTP client for the open sources: a descriptive User-Agent naming how to reach
//! the app's authors (MusicBrainz and Wikimedia both ask for one), short timeouts, a bounded
//! body, and answers sorted into found / not found / slow down.

use super::FactsError;
use crate::net::{self, BodyError};
use serde::de::DeserializeOwned;
use std::time::Duration;
use url::Url;

/// Where the maintainers of the app can be reached, as the sources' policies ask.
macro_rules! contact_url {
    () => {
        "https://github.com/spotify-plus/spotify-plus"
    };
}
/// The contact URL sent with every request.
pub const CONTACT_URL: &str = contact_url!();
/// `SpotifyPlus/<version> ( <contact> )`, the form MusicBrainz documents.
pub const USER_AGENT: &str = concat!(
    "SpotifyPlus/",
    env!("CARGO_PKG_VERSION"),
    " ( ",
    contact_url!(),
    " )"
);
/// Largest answer read: real ones are a few kilobytes.
const MAX_BODY: usize = 2 << 20;

/// Longest pause a source can ask for: beyond it, its facts are skipped for now anyway.
const MAX_PAUSE: Duration = Duration::from_secs(60);

/// A source's answer.
pub(crate) enum Answer<T> {
    /// 2xx with the documented JSON.
    Found(T),
    /// 404, or a 400 refusing the request: the source has nothing for it (a valid answer,
    /// remembered for a day rather than asked again on every visit).
    NotFound,
    /// 503 or 429: slow down, for this long if the source said.
    SlowDown(Option<Duration>),
}

/// The client: connect in 3 s, whole answer in 6 s, at most 3 redirects and only within the
/// origin asked (Wikipedia redirects renamed pages; nothing may send the app elsewhere).
pub(crate) fn client() -> reqwest::Client {
    let same_origin = reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt.previous().first().map(|u| u.origin());
        if attempt.previous().len() > 3 {
            attempt.error("too many redirects")
        } else if first.is_some_and(|o| o == attempt.url().origin()) {
            attempt.follow()
        } else {
            attempt.stop()
        }
    });
    crate::net::client_builder()
        .user_agent(USER_AGENT)
        .connect_timeout(Duration::from_secs(3))
        .timeout(Duration::from_secs(6))
        .redirect(same_origin)
        .build()
        .expect("an HTTP client with default TLS settings")
}

/// How long a source asks to be left alone: `Retry-After`, else MusicBrainz's
/// `X-RateLimit-Reset` (seconds since the epoch); capped.
fn pause_asked(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let reset = || {
        let at: u64 = headers
            .get("x-ratelimit-reset")?
            .to_str()
            .ok()?
            .trim()
            .parse()
            .ok()?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs();
        Some(Duration::from_secs(at.saturating_sub(now)))
    };
    net::retry_after(headers)
        .or_else(reset)
        .map(|d| d.min(MAX_PAUSE))
}

/// GETs `url` and reads its JSON.
pub(crate) async fn get_json<T: DeserializeOwned>(
    http: &reqwest::Client,
    source_name: &'static str,
    url: Url,
) -> Result<Answer<T>, FactsError> {
    let failed = |e: reqwest::Error| FactsError::from_reqwest(source_name, &e);
    let response = http
        .get(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(failed)?;
    let status = response.status().as_u16();
    match status {
        200..=299 => {}
        404 => return Ok(Answer::NotFound),
        400 => {
            // The real services refuse what they cannot answer (an unknown code, an ID of the
            // wrong shape); a refusal of the request itself is our bug, and worth a warning.
            tracing::warn!(source = source_name, "request refused with HTTP 400");
            return Ok(Answer::NotFound);
        }
        429 | 503 => return Ok(Answer::SlowDown(pause_asked(response.headers()))),
        _ => {
            return Err(FactsError::Status {
                source_name,
                status,
            })
        }
    }
    let body = match net::read_capped(response, MAX_BODY).await {
        Ok(body) => body,
        Err(BodyError::Transport(e)) => return Err(failed(e)),
        Err(BodyError::TooLarge) => {
            return Err(FactsError::BadResponse {
                source_name,
                reason: "the answer is too large".into(),
            })
        }
    };
    serde_json::from_slice(&body)
        .map(Answer::Found)
        .map_err(|e| FactsError::BadResponse {
            source_name,
            reason: e.to_string(),
        })
}

//! What every HTTP client of the app shares (Spotify's Web API, the chat server, the open music
//! sources): reading `Retry-After`, the bounded back-off between retries, and bodies read up to
//! a cap, so that a broken or hostile server can neither keep the app waiting without end nor
//! make it buffer without end.

use reqwest::header::{HeaderMap, RETRY_AFTER};
use std::time::Duration;

/// How a client retries a request that met a 429 or a transient 5xx.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retries {
    /// Retries after the first attempt (so at most `max + 1` attempts).
    pub max: u32,
    /// First back-off after a transient failure; doubled on each further retry.
    pub backoff: Duration,
    /// Longest `Retry-After` waited out; a longer one fails at once.
    pub max_retry_after: Duration,
}

/// Why an answer may be worth asking for again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transient {
    /// 429, with the wait the server asked for, if it said.
    RateLimited(Option<Duration>),
    /// A 5xx that usually passes (or a 429 that named no wait, for servers that do not).
    Unavailable,
}

impl Retries {
    /// How long to wait before retrying after failed attempt `attempt` (0-based), or `None` to
    /// give up: the retries are spent, or the server asked for a longer wait than is bearable.
    pub fn wait(&self, attempt: u32, why: Transient) -> Option<Duration> {
        if attempt >= self.max {
            return None;
        }
        match why {
            Transient::RateLimited(Some(wait)) => (wait <= self.max_retry_after).then_some(wait),
            Transient::RateLimited(None) | Transient::Unavailable => {
                Some(self.backoff * 2u32.saturating_pow(attempt))
            }
        }
    }
}

/// `Retry-After` as a wait: whole or fractional seconds (rounded up). The HTTP-date form is
/// not sent by the APIs the app talks to and is ignored.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let secs = value.parse::<u64>().ok().or_else(|| {
        value
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| s.ceil() as u64)
    })?;
    Some(Duration::from_secs(secs))
}

/// Why a body could not be read whole.
#[derive(Debug)]
pub enum BodyError {
    /// It is larger than the cap; the rest was not read.
    TooLarge,
    /// The connection failed or closed mid-body.
    Transport(reqwest::Error),
}

/// Reads at most `cap` bytes of a body; a larger one stops at the cap.
pub async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
) -> Result<Vec<u8>, BodyError> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if body.len() + chunk.len() > cap {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        headers
    }

    #[test]
    fn retry_after_reads_whole_and_fractional_seconds() {
        assert_eq!(retry_after(&headers("7")), Some(Duration::from_secs(7)));
        assert_eq!(retry_after(&headers(" 0.2 ")), Some(Duration::from_secs(1)));
        for odd in ["-1", "soon", "Wed, 21 Oct 2026 07:28:00 GMT", "NaN"] {
            assert_eq!(retry_after(&headers(odd)), None, "{odd}");
        }
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn waits_are_bounded_in_number_and_length() {
        let retries = Retries {
            max: 2,
            backoff: Duration::from_millis(100),
            max_retry_after: Duration::from_secs(30),
        };
        let asked = |secs| Transient::RateLimited(Some(Duration::from_secs(secs)));
        assert_eq!(retries.wait(0, asked(5)), Some(Duration::from_secs(5)));
        assert_eq!(retries.wait(0, asked(31)), None, "a ban is not waited out");
        assert_eq!(
            retries.wait(1, Transient::Unavailable),
            Some(Duration::from_millis(200)),
            "the back-off doubles"
        );
        assert_eq!(
            retries.wait(1, Transient::RateLimited(None)),
            Some(Duration::from_millis(200))
        );
        assert_eq!(
            retries.wait(2, Transient::Unavailable),
            None,
            "retries are spent"
        );
    }
}

//! What every HTTP client of the app shares (Spotify's Web API, the chat server, the open music
//! sources): reading `Retry-After`, the bounded back-off between retries, and bodies read up to
//! a cap, so that a broken or hostile server can neither keep the app waiting without end nor
//! make it buffer without end.

use reqwest::header::{HeaderMap, RETRY_AFTER};
use std::time::Duration;
use url::Url;

/// Longest wait any server can impose (`Retry-After`, a token's lifetime): a longer one reads as
/// this, so no arithmetic on it can overflow. Spotify's longest real ban is about a day.
pub const MAX_SERVER_WAIT: Duration = Duration::from_secs(2 * 24 * 3600);

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

/// `Retry-After` as a wait: whole or fractional seconds (rounded up), at most
/// [`MAX_SERVER_WAIT`]. The HTTP-date form is not sent by the APIs the app talks to and is
/// ignored.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let secs = value.parse::<u64>().ok().or_else(|| {
        value
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| s.ceil() as u64)
    })?;
    Some(Duration::from_secs(secs).min(MAX_SERVER_WAIT))
}

/// An HTTP client builder with the app's proxy rule, the system's proxy settings read from the
/// process environment (see [`client_builder_with`]).
pub fn client_builder() -> reqwest::ClientBuilder {
    client_builder_with(|name| std::env::var(name).ok())
}

/// An HTTP client builder that sends requests through the proxy `env` names (`http_proxy`,
/// `https_proxy`, `all_proxy`, either case, minus `no_proxy`), except those to this computer:
/// the loopback servers are reached over plain http, some with a key, and a proxy has no
/// business reading them.
pub fn client_builder_with(env: impl Fn(&str) -> Option<String>) -> reqwest::ClientBuilder {
    let var = |name: &str| {
        env(name)
            .or_else(|| env(&name.to_ascii_uppercase()))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let parse = |value: Option<String>| value.and_then(|v| Url::parse(&v).ok());
    let all = parse(var("all_proxy"));
    let http = parse(var("http_proxy")).or_else(|| all.clone());
    let https = parse(var("https_proxy")).or(all);
    let builder = reqwest::Client::builder().no_proxy();
    if http.is_none() && https.is_none() {
        return builder;
    }
    let proxy = reqwest::Proxy::custom(move |url| {
        if crate::config::is_loopback(url) {
            return None;
        }
        match url.scheme() {
            "https" => https.clone(),
            _ => http.clone(),
        }
    })
    .no_proxy(var("no_proxy").and_then(|list| reqwest::NoProxy::from_string(&list)));
    builder.proxy(proxy)
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
    fn a_huge_retry_after_is_capped() {
        for huge in ["18446744073709551615", "1e300", "99999999999"] {
            assert_eq!(retry_after(&headers(huge)), Some(MAX_SERVER_WAIT), "{huge}");
        }
    }

    /// A one-request-at-a-time HTTP server that answers 200 and records each request line.
    async fn recording_server() -> (
        std::net::SocketAddr,
        std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    ) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let mut buf = vec![0; 4096];
                let n = stream.read(&mut buf).await.unwrap_or(0);
                let head = String::from_utf8_lossy(&buf[..n]).into_owned();
                log.lock()
                    .unwrap()
                    .push(head.lines().next().unwrap_or("").to_string());
                let _ = stream
                    .write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
                    )
                    .await;
            }
        });
        (addr, seen)
    }

    #[tokio::test]
    async fn loopback_requests_never_go_through_the_system_proxy() {
        let (proxy, through_proxy) = recording_server().await;
        let (server, direct) = recording_server().await;
        let proxy_url = format!("http://{proxy}");
        let client = client_builder_with(move |name| {
            (name == "HTTP_PROXY" || name == "https_proxy").then(|| proxy_url.clone())
        })
        .build()
        .unwrap();
        for host in ["127.0.0.1", "localhost"] {
            let url = format!("http://{host}:{}/v1/chat/completions", server.port());
            client
                .get(url)
                .bearer_auth("sk-local")
                .send()
                .await
                .unwrap();
        }
        assert_eq!(direct.lock().unwrap().len(), 2);
        assert!(
            through_proxy.lock().unwrap().is_empty(),
            "{:?}",
            through_proxy.lock().unwrap()
        );
        // Other hosts do use it: the rule is not "no proxy at all".
        client.get("http://music.example/").send().await.unwrap();
        assert_eq!(
            through_proxy.lock().unwrap().as_slice(),
            ["GET http://music.example/ HTTP/1.1"]
        );
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

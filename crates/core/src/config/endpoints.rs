//! Where a setting may send the user's credentials: URLs are checked here before anything is
//! sent to them.
//!
//! - Any URL setting must be http(s) and name a host.
//! - The OpenAI-compatible server gets the API key, so plain `http://` is allowed only on this
//!   computer (loopback); anything else needs `https://`.
//! - The Spotify endpoints get the tokens and the client secret; a stray `.env` or environment
//!   variable may point them only at `https://*.spotify.com` or at a loopback server (a local
//!   fake or proxy the user runs).

use super::ConfigError;
use std::net::IpAddr;
use url::{Host, Url};

/// What the Spotify endpoints may be, as error messages say it.
pub const SPOTIFY_ALLOWED: &str =
    "https://*.spotify.com or a server on this computer (127.0.0.1, [::1] or localhost)";

/// Parses an http(s) URL that names a host.
pub(crate) fn parse_url(setting: &'static str, value: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(value).map_err(|e| ConfigError::InvalidUrl {
        setting,
        reason: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(ConfigError::InvalidUrl {
            setting,
            reason: "it must start with http:// or https:// and name a host".into(),
        });
    }
    Ok(url)
}

/// A server that may receive secrets or feed the prompt (the model server, the open music
/// sources): https anywhere, http only on loopback.
pub(crate) fn parse_secure_url(setting: &'static str, value: &str) -> Result<Url, ConfigError> {
    let url = parse_url(setting, value)?;
    if url.scheme() == "http" && !is_loopback(&url) {
        return Err(ConfigError::Insecure { setting });
    }
    Ok(url)
}

/// A Spotify endpoint: `https://spotify.com` or a subdomain, or any loopback server.
pub(crate) fn parse_spotify_url(setting: &'static str, value: &str) -> Result<Url, ConfigError> {
    let url = parse_url(setting, value)?;
    let spotify = url.scheme() == "https"
        && url.domain().is_some_and(|d| {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "spotify.com" || d.ends_with(".spotify.com")
        });
    if !(spotify || is_loopback(&url)) {
        return Err(ConfigError::NotAllowed {
            setting,
            allowed: SPOTIFY_ALLOWED,
        });
    }
    Ok(url)
}

/// Whether the URL's host is this computer: 127.0.0.0/8, `[::1]` or `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// The origin a key is bound to, e.g. `https://api.openai.com` or `http://127.0.0.1:11434`.
pub fn origin_of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_only_reaches_this_computer() {
        for ok in [
            "https://api.openai.com/v1",
            "http://127.0.0.1:11434/v1",
            "http://127.8.0.1/v1",
            "http://localhost:8080/v1",
            "http://[::1]:8080/v1",
        ] {
            assert!(parse_secure_url("OPENAI_BASE_URL", ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://api.openai.com/v1",
            "http://192.168.1.10:11434/v1",
            "http://localhost.evil.example/v1",
        ] {
            let error = parse_secure_url("OPENAI_BASE_URL", bad).unwrap_err();
            assert_eq!(
                error,
                ConfigError::Insecure {
                    setting: "OPENAI_BASE_URL"
                },
                "{bad}"
            );
        }
    }

    #[test]
    fn spotify_endpoints_are_spotify_or_loopback() {
        for ok in [
            "https://api.spotify.com/v1",
            "https://accounts.spotify.com",
            "http://127.0.0.1:4010/v1",
            "https://localhost:9443",
        ] {
            assert!(
                parse_spotify_url("SPOTIFY_API_BASE_URL", ok).is_ok(),
                "{ok}"
            );
        }
        for bad in [
            "http://api.spotify.com/v1",
            "https://api.spotify.com.evil.example/v1",
            "https://evilspotify.com/v1",
            "https://10.0.0.5/v1",
        ] {
            let error = parse_spotify_url("SPOTIFY_API_BASE_URL", bad).unwrap_err();
            assert!(
                error.to_string().starts_with("SPOTIFY_API_BASE_URL"),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn origins_ignore_the_path() {
        let a = Url::parse("https://api.openai.com/v1").unwrap();
        let b = Url::parse("https://api.openai.com/other").unwrap();
        assert_eq!(origin_of(&a), origin_of(&b));
        assert_eq!(origin_of(&a), "https://api.openai.com");
    }
}

//! The links the page may ask the system to open: Spotify's own items (in the Spotify app or
//! on the web), the sources of insights (MusicBrainz, Wikipedia) and of lyrics (LRCLIB). Checked on the parsed URL,
//! scheme, host, port and path, never on the raw string: a pattern such as
//! `https://*.wikipedia.org/*` also matches `https://evil.example/?.wikipedia.org/`.

use crate::{ErrorKind, Kinded};
use url::{Host, Url};

/// The kinds of Spotify item a link may name.
const KINDS: [&str; 4] = ["track", "playlist", "artist", "album"];

/// A link that is not one the app opens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "Spotify Plus opens only links to Spotify, MusicBrainz, Wikipedia and LRCLIB; this one was refused."
)]
pub struct LinkRefused;

impl Kinded for LinkRefused {
    fn kind(&self) -> ErrorKind {
        ErrorKind::BadRequest
    }
}

/// `raw` as a URL the system may open: `spotify:{kind}:{id}`,
/// `https://open.spotify.com/{kind}/{id}`, any page of `https://musicbrainz.org` or of a
/// language's `https://{lang}.wikipedia.org`, or a record `https://lrclib.net/api/get/{id}`, on
/// the default port and without a user name.
pub fn checked_link(raw: &str) -> Result<Url, LinkRefused> {
    let url = Url::parse(raw.trim()).map_err(|_| LinkRefused)?;
    let allowed = match url.scheme() {
        "spotify" => spotify_uri(&url),
        "https" => {
            url.username().is_empty()
                && url.password().is_none()
                && url.port().is_none()
                && match url.host() {
                    Some(Host::Domain(host)) => web_page(host, &url),
                    _ => false,
                }
        }
        _ => false,
    };
    allowed.then_some(url).ok_or(LinkRefused)
}

/// `spotify:track:4uLU6hMCjMI75M1A2tKUQC`, nothing more.
fn spotify_uri(url: &Url) -> bool {
    let parts: Vec<&str> = url.path().split(':').collect();
    url.query().is_none()
        && url.fragment().is_none()
        && matches!(parts.as_slice(), [kind, id] if KINDS.contains(kind) && crate::spotify::is_id(id))
}

fn web_page(host: &str, url: &Url) -> bool {
    match host {
        "open.spotify.com" => {
            let segments: Vec<&str> = url
                .path_segments()
                .map(Iterator::collect)
                .unwrap_or_default();
            matches!(segments.as_slice(), [kind, id] if KINDS.contains(kind) && crate::spotify::is_id(id))
        }
        "musicbrainz.org" => true,
        // The record lyrics came from: `/api/get/<id>`.
        "lrclib.net" => {
            url.path().strip_prefix("/api/get/").is_some_and(|id| {
                !id.is_empty() && id.len() <= 19 && id.bytes().all(|b| b.is_ascii_digit())
            }) && url.query().is_none()
        }
        other => other.strip_suffix(".wikipedia.org").is_some_and(|lang| {
            (2..=12).contains(&lang.len())
                && lang.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spotify_items_and_the_sources_of_insights_open() {
        for good in [
            "spotify:track:4uLU6hMCjMI75M1A2tKUQC",
            "spotify:album:1DFixLWuPkv3KT3TnV35m3",
            "https://open.spotify.com/playlist/37i9dQZF1DXcBWIGoYBM5M",
            "https://open.spotify.com/artist/0OdUWJ0sBjDrqHygGUXeCF",
            "https://musicbrainz.org/recording/b1a9c0e9-d987-4042-ae91-78d6a3267d69",
            "https://en.wikipedia.org/wiki/Rick_Astley",
            "https://zh-yue.wikipedia.org/wiki/%E9%A6%99%E6%B8%AF",
            "https://lrclib.net/api/get/3396226",
        ] {
            assert!(checked_link(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn crafted_urls_are_refused() {
        for crafted in [
            "https://evil.example/?.wikipedia.org/",
            "https://evil.example/#.wikipedia.org/",
            "https://evil.example/.wikipedia.org/wiki/X",
            "https://en.wikipedia.org.evil.example/wiki/X",
            "https://en.wikipedia.org@evil.example/wiki/X",
            "https://user@musicbrainz.org/",
            "https://musicbrainz.org:8443/",
            "http://musicbrainz.org/",
            "https://wikipedia.org/",
            "https://.wikipedia.org/",
            "https://EVIL_.wikipedia.org/",
            "https://open.spotify.com/track/../../evil",
            "https://lrclib.net/",
            "https://lrclib.net/api/get/",
            "https://lrclib.net/api/get/12/x",
            "https://lrclib.net/api/get/12?x=1",
            "https://lrclib.net/api/publish",
            "https://lrclib.net.evil.example/api/get/1",
            "https://open.spotify.com/user/spotify",
            "https://open.spotify.com.evil.example/track/4uLU6hMCjMI75M1A2tKUQC",
            "spotify:track:4uLU6hMCjMI75M1A2tKUQC:extra",
            "spotify:user:spotify",
            "spotify:track:4uLU6hMCjMI75M1A2tKUQC?action=x",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "https://[::1]/",
            "https://127.0.0.1/",
            "not a url",
        ] {
            assert_eq!(checked_link(crafted), Err(LinkRefused), "{crafted}");
        }
    }
}

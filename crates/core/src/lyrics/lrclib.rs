//! The LRCLIB API as its server really answers (the reference is
//! `crates/fakes/fixtures/lrclib/REFERENCE.md`): `GET /api/get` with the track's names and
//! duration, `GET /api/search`, records whose unknown fields are ignored, JSON errors and the
//! gateway's plain-text or HTML ones.

use super::LyricsError;
use crate::net::{self, BodyError};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use unicode_normalization::UnicodeNormalization;
use url::Url;

/// `SpotifyPlus v<version> (<home page>)`, the form LRCLIB's documentation asks for. Its
/// gateway refuses requests without a User-Agent.
pub const USER_AGENT: &str = concat!(
    "SpotifyPlus v",
    env!("CARGO_PKG_VERSION"),
    " (",
    "https://github.com/spotify-plus/spotify-plus",
    ")"
);
/// Largest `/api/get` answer read: one record, a few kilobytes for a long song.
const MAX_RECORD: usize = 1 << 20;
/// Largest `/api/search` answer read: up to 20 records.
const MAX_SEARCH: usize = 8 << 20;
/// The server refuses a duration outside 1..=3600 s; a longer track is asked without it.
const MAX_DURATION_S: f64 = 3600.0;

/// One record of `/api/get` or `/api/search`. `name` (a copy of `trackName`) and the live
/// service's `lyricsfile` are not read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    /// The track's ID at LRCLIB.
    pub id: i64,
    /// The title as stored.
    #[serde(default)]
    pub track_name: Option<String>,
    /// The artist as stored.
    #[serde(default)]
    pub artist_name: Option<String>,
    /// The album as stored.
    #[serde(default)]
    pub album_name: Option<String>,
    /// Length in seconds.
    #[serde(default)]
    pub duration: Option<f64>,
    /// Marked instrumental (both texts are then empty).
    #[serde(default)]
    pub instrumental: bool,
    /// Plain text; may carry stray timestamps (the server strips only the first line's).
    #[serde(default)]
    pub plain_lyrics: Option<String>,
    /// LRC text.
    #[serde(default)]
    pub synced_lyrics: Option<String>,
}

impl Record {
    /// Whether it has words to show (a 200 with both texts empty means "no lyrics").
    pub fn has_words(&self) -> bool {
        [&self.synced_lyrics, &self.plain_lyrics]
            .iter()
            .any(|t| t.as_deref().is_some_and(|t| !t.trim().is_empty()))
    }

    /// Whether it is worth showing: words, or a mark that there are none to sing.
    pub fn is_answer(&self) -> bool {
        self.instrumental || self.has_words()
    }
}

/// What is asked: Spotify's names (NFC, as the server does no Unicode normalisation) and
/// duration.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    /// The track's title.
    pub track: String,
    /// Its first artist.
    pub artist: String,
    /// Its album, when Spotify names one.
    pub album: Option<String>,
    /// Its length in seconds.
    pub duration_s: f64,
}

impl Query {
    /// A query from Spotify's names and duration in milliseconds.
    pub fn new(track: &str, artist: &str, album: Option<&str>, duration_ms: u64) -> Self {
        let nfc = |s: &str| s.trim().nfc().collect::<String>();
        Self {
            track: nfc(track),
            artist: nfc(artist),
            album: album.map(nfc).filter(|a| !a.is_empty()),
            duration_s: duration_ms as f64 / 1000.0,
        }
    }

    /// The duration to send, when the server accepts it.
    fn duration(&self) -> Option<f64> {
        (1.0..=MAX_DURATION_S)
            .contains(&self.duration_s)
            .then_some(self.duration_s)
    }
}

/// A client of one LRCLIB server.
#[derive(Clone)]
pub struct Lrclib {
    http: reqwest::Client,
    base: Url,
}

impl Lrclib {
    /// A client of the server at `base` (`https://lrclib.net` or a stand-in).
    pub fn new(base: Url) -> Self {
        let http = net::client_builder()
            .user_agent(USER_AGENT)
            .connect_timeout(Duration::from_secs(4))
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client with default TLS settings");
        Self { http, base }
    }

    fn endpoint(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        url.set_path(&format!("{}{path}", self.base.path().trim_end_matches('/')));
        url.set_query(None);
        url
    }

    /// `/api/get`: the record matching the names (and the album when `with_album`) within two
    /// seconds of the duration, if there is one.
    pub async fn get(
        &self,
        query: &Query,
        with_album: bool,
    ) -> Result<Option<Record>, LyricsError> {
        let mut url = self.endpoint("/api/get");
        {
            let mut pairs = url.query_pairs_mut();
            pairs.append_pair("track_name", &query.track);
            pairs.append_pair("artist_name", &query.artist);
            if let Some(album) = query.album.as_deref().filter(|_| with_album) {
                pairs.append_pair("album_name", album);
            }
            if let Some(duration) = query.duration() {
                pairs.append_pair("duration", &format!("{duration:.3}"));
            }
        }
        let record: Option<Record> = self.ask(url, MAX_RECORD).await?;
        // Without a duration (a track over an hour) the server takes any length: check it here.
        Ok(record.filter(|r| query.duration().is_some() || near(r, query)))
    }

    /// `/api/search` by title and artist: at most 20 records, unchecked.
    pub async fn search(&self, query: &Query) -> Result<Vec<Record>, LyricsError> {
        let mut url = self.endpoint("/api/search");
        url.query_pairs_mut()
            .append_pair("track_name", &query.track)
            .append_pair("artist_name", &query.artist);
        Ok(self.ask(url, MAX_SEARCH).await?.unwrap_or_default())
    }

    /// GETs `url`: `Some` answer on 200, `None` on 404, an error otherwise.
    async fn ask<T: serde::de::DeserializeOwned>(
        &self,
        url: Url,
        cap: usize,
    ) -> Result<Option<T>, LyricsError> {
        let failed = |e: reqwest::Error| LyricsError::from_reqwest(&e);
        let response = self
            .http
            .get(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(failed)?;
        match response.status().as_u16() {
            200 => {}
            404 => return Ok(None),
            400 => {
                // The app sends only what the server accepts: a refusal is our bug, and the
                // track simply has no lyrics to show.
                tracing::warn!("LRCLIB refused a request with HTTP 400");
                return Ok(None);
            }
            status => return Err(LyricsError::Status { status }),
        }
        let body = match net::read_capped(response, cap).await {
            Ok(body) => body,
            Err(BodyError::Transport(e)) => return Err(failed(e)),
            Err(BodyError::TooLarge) => {
                return Err(LyricsError::BadResponse {
                    reason: "the answer is too large".into(),
                })
            }
        };
        serde_json::from_slice(&body)
            .map(Some)
            .map_err(|e| LyricsError::BadResponse {
                reason: e.to_string(),
            })
    }
}

/// Whether a record's duration is within the server's own window (inclusive two seconds).
pub(crate) fn near(record: &Record, query: &Query) -> bool {
    record
        .duration
        .is_some_and(|d| (d - query.duration_s).abs() <= 2.0 + 1e-9)
}

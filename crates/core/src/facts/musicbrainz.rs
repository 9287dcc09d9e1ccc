//! The MusicBrainz web service (ws/2, JSON): a recording by ISRC with its credits, releases and
//! works; an artist through its Spotify URL; an artist's details; an album's Wikidata link.
//! Every request waits for its turn at the service's shared one-per-second gate; a 503 pauses
//! the gate and is tried once more, then given up quietly.

use super::gate::{Priority, RateGate};
use super::http::{get_json, Answer};
use super::mb_wire::{is_mbid, Artist, IsrcAnswer, RecordingFacts, ReleaseGroup, UrlAnswer};
use super::{FactSheet, FactsError};
use crate::spotify::ids::ArtistId;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

/// MusicBrainz allows one request per second per client.
pub(crate) const INTERVAL: Duration = Duration::from_secs(1);
/// A lookup whose turn is further away than this is skipped: nobody is waiting that long.
const MAX_QUEUE: Duration = Duration::from_secs(20);
/// How long an unreachable MusicBrainz is not asked again.
const DOWN_PAUSE: Duration = Duration::from_secs(30);
/// Pause after a 503 that does not say how long to wait.
const DEFAULT_PAUSE: Duration = Duration::from_secs(2);
const NAME: &str = "MusicBrainz";

/// A MusicBrainz client sharing its service's rate gate.
#[derive(Clone)]
pub(crate) struct MusicBrainz {
    http: reqwest::Client,
    base: Url,
    gate: Arc<RateGate>,
}

impl MusicBrainz {
    /// A client of the service at `base` (e.g. `https://musicbrainz.org`).
    pub(crate) fn new(http: reqwest::Client, base: Url) -> Self {
        let key = base.origin().ascii_serialization();
        Self {
            http,
            gate: RateGate::shared(&key, INTERVAL, MAX_QUEUE),
            base,
        }
    }

    fn url(&self, path: &str, query: &[(&str, &str)]) -> Url {
        let mut base = self.base.clone();
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        let mut url = base.join(path).expect("a relative path joins");
        url.query_pairs_mut()
            .extend_pairs(query)
            .append_pair("fmt", "json");
        url
    }

    async fn get<T: DeserializeOwned>(
        &self,
        url: Url,
        priority: Priority,
    ) -> Result<Option<T>, FactsError> {
        for _ in 0..2 {
            if self.gate.is_down() {
                return Err(FactsError::Network {
                    source_name: NAME,
                    reason: "unreachable a moment ago".into(),
                });
            }
            self.gate.acquire(priority).await?;
            let answer = get_json(&self.http, NAME, url.clone()).await;
            if let Err(FactsError::Network { .. }) = &answer {
                // Offline or refused: the next lookups fail at once rather than wait their turn.
                self.gate.mark_down(DOWN_PAUSE);
            }
            match answer? {
                Answer::Found(value) => return Ok(Some(value)),
                Answer::NotFound => return Ok(None),
                Answer::SlowDown(wait) => {
                    let pause = wait
                        .unwrap_or(DEFAULT_PAUSE)
                        .clamp(INTERVAL, Duration::from_secs(10));
                    tracing::info!(?pause, "MusicBrainz asked to slow down");
                    self.gate.back_off(pause);
                }
            }
        }
        Err(FactsError::RateLimited { source_name: NAME })
    }

    /// The first recording with this ISRC, with credits, releases, producers and works.
    pub(crate) async fn recording(&self, isrc: &str) -> Result<Option<RecordingFacts>, FactsError> {
        if isrc.len() != 12 || !isrc.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Ok(None);
        }
        let inc =
            "artist-credits+releases+release-groups+artist-rels+work-rels+work-level-rels+url-rels";
        let url = self.url(&format!("ws/2/isrc/{isrc}"), &[("inc", inc)]);
        let answer: Option<IsrcAnswer> = self.get(url, Priority::Now).await?;
        Ok(answer
            .and_then(|a| a.recordings.into_iter().next())
            .and_then(|r| r.into_facts()))
    }

    /// The MBID of the artist MusicBrainz links to this Spotify artist page.
    pub(crate) async fn artist_for_spotify(
        &self,
        id: &ArtistId,
    ) -> Result<Option<String>, FactsError> {
        let resource = format!("https://open.spotify.com/artist/{}", id.as_str());
        let url = self.url(
            "ws/2/url",
            &[("resource", &resource), ("inc", "artist-rels")],
        );
        let answer: Option<UrlAnswer> = self.get(url, Priority::Now).await?;
        Ok(answer.and_then(|a| a.artist_id()))
    }

    /// An artist's facts and Wikidata item.
    pub(crate) async fn artist(
        &self,
        mbid: &str,
    ) -> Result<Option<(FactSheet, Option<String>)>, FactsError> {
        if !is_mbid(mbid) {
            return Ok(None);
        }
        let url = self.url(
            &format!("ws/2/artist/{mbid}"),
            &[("inc", "url-rels+tags+artist-rels")],
        );
        let answer: Option<Artist> = self.get(url, Priority::Now).await?;
        Ok(answer.and_then(Artist::into_facts))
    }

    /// The Wikidata item of an album (release group); asked only in turns nobody else needs.
    pub(crate) async fn album_item(&self, mbid: &str) -> Result<Option<String>, FactsError> {
        if !is_mbid(mbid) {
            return Ok(None);
        }
        let url = self.url(
            &format!("ws/2/release-group/{mbid}"),
            &[("inc", "url-rels")],
        );
        let answer: Option<ReleaseGroup> = self.get(url, Priority::Spare).await?;
        Ok(answer.and_then(|g| g.wikidata_item()))
    }
}

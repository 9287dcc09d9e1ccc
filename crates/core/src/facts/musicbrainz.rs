//! The MusicBrainz web service (ws/2, JSON), asked only what each resource accepts
//! (`crates/fakes/fixtures/open-music/REFERENCE.md`): the recordings of an ISRC, the artists
//! credited on a recording (one browse), a recording's releases and writers, artists through
//! their Spotify URLs, an artist's details. Every request waits for its turn at the service's
//! shared one-per-second gate; a 503 pauses the gate and is tried once more, then given up.

use super::gate::{Priority, RateGate};
use super::http::{get_json, Answer};
use super::mb_wire::{
    is_mbid, spotify_artist, Artist, ArtistBrowse, ArtistFacts, IsrcAnswer, Recording,
    RecordingDetails, UrlAnswer, UrlList,
};
use super::FactsError;
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
                    // No Retry-After is promised: X-RateLimit-Reset, else a short default.
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

    /// The recordings an ISRC names (upper-cased and checked first: the service refuses any
    /// other shape), with their credits (names and aliases), producers and works: everything
    /// the ISRC resource serialises. It has no releases, and no relations of the works.
    pub(crate) async fn recordings(&self, isrc: &str) -> Result<Vec<Recording>, FactsError> {
        let Some(isrc) = normalise_isrc(isrc) else {
            return Ok(Vec::new());
        };
        let url = self.url(
            &format!("ws/2/isrc/{isrc}"),
            &[("inc", "artist-credits+aliases+artist-rels+work-rels")],
        );
        let answer: Option<IsrcAnswer> = self.get(url, Priority::Now).await?;
        Ok(answer.map(|a| a.recordings).unwrap_or_default())
    }

    /// Every artist credited on a recording, with aliases, links (Spotify, Wikidata),
    /// memberships and genres, in one browse request.
    pub(crate) async fn credited_artists(
        &self,
        recording: &str,
    ) -> Result<Vec<ArtistFacts>, FactsError> {
        if !is_mbid(recording) {
            return Ok(Vec::new());
        }
        let url = self.url(
            "ws/2/artist",
            &[("recording", recording), ("inc", ARTIST_INC)],
        );
        let answer: Option<ArtistBrowse> = self.get(url, Priority::Now).await?;
        Ok(answer
            .map(|a| a.artists)
            .unwrap_or_default()
            .into_iter()
            .filter_map(Artist::into_facts)
            .collect())
    }

    /// What only the recording lookup has: official releases with their release group, and
    /// the song's writers. Nobody waits for it, so it takes only turns nobody else needs.
    pub(crate) async fn recording_details(
        &self,
        recording: &str,
    ) -> Result<Option<RecordingDetails>, FactsError> {
        if !is_mbid(recording) {
            return Ok(None);
        }
        let url = self.url(
            &format!("ws/2/recording/{recording}"),
            &[
                (
                    "inc",
                    "releases+release-groups+artist-rels+work-rels+work-level-rels+url-rels",
                ),
                ("status", "official"),
            ],
        );
        let answer: Option<Recording> = self.get(url, Priority::Spare).await?;
        Ok(answer.map(Recording::into_details))
    }

    /// The MBIDs of the artists MusicBrainz links to these Spotify artist pages, in one URL
    /// lookup (up to 100 URLs a request).
    pub(crate) async fn artists_for_spotify(
        &self,
        ids: &[ArtistId],
    ) -> Result<Vec<(ArtistId, String)>, FactsError> {
        let mut found = Vec::new();
        for chunk in ids.chunks(100) {
            let resources: Vec<String> = chunk
                .iter()
                .map(|id| format!("https://open.spotify.com/artist/{}", id.as_str()))
                .collect();
            let mut query: Vec<(&str, &str)> =
                resources.iter().map(|r| ("resource", r.as_str())).collect();
            query.push(("inc", "artist-rels"));
            let url = self.url("ws/2/url", &query);
            let answers = if chunk.len() == 1 {
                let one: Option<UrlAnswer> = self.get(url, Priority::Now).await?;
                one.into_iter().collect()
            } else {
                let many: Option<UrlList> = self.get(url, Priority::Now).await?;
                many.map(|m| m.urls).unwrap_or_default()
            };
            for answer in answers {
                let spotify = spotify_artist(&answer.resource);
                let id = chunk
                    .iter()
                    .find(|id| spotify.as_deref() == Some(id.as_str()));
                if let (Some(id), Some(mbid)) = (id, answer.artist_id()) {
                    found.push((id.clone(), mbid));
                }
            }
        }
        Ok(found)
    }

    /// An artist's facts, links and Wikidata item.
    pub(crate) async fn artist(&self, mbid: &str) -> Result<Option<ArtistFacts>, FactsError> {
        if !is_mbid(mbid) {
            return Ok(None);
        }
        let url = self.url(&format!("ws/2/artist/{mbid}"), &[("inc", ARTIST_INC)]);
        let answer: Option<Artist> = self.get(url, Priority::Now).await?;
        Ok(answer.and_then(Artist::into_facts))
    }
}

/// What is asked of an artist: the names it goes by, its links, memberships and curated
/// genres (free tags are folksonomy: "seen live", nationalities).
const ARTIST_INC: &str = "aliases+url-rels+artist-rels+genres";

/// An ISRC as MusicBrainz accepts it (`^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$`), upper-cased; `None`
/// when it cannot be one.
pub(crate) fn normalise_isrc(isrc: &str) -> Option<String> {
    let isrc: String = isrc
        .trim()
        .chars()
        .filter(|c| *c != '-')
        .collect::<String>()
        .to_ascii_uppercase();
    let b = isrc.as_bytes();
    let valid = b.len() == 12
        && b[..2].iter().all(u8::is_ascii_uppercase)
        && b[2..5]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && b[5..].iter().all(u8::is_ascii_digit);
    valid.then_some(isrc)
}

#[cfg(test)]
mod tests {
    use super::normalise_isrc;

    #[test]
    fn isrcs_are_upper_cased_and_checked() {
        assert_eq!(
            normalise_isrc("usrc17607839").as_deref(),
            Some("USRC17607839")
        );
        assert_eq!(
            normalise_isrc("US-RC1-76-07839").as_deref(),
            Some("USRC17607839")
        );
        assert_eq!(normalise_isrc("USRC1760783"), None);
        assert_eq!(normalise_isrc("1SRC17607839"), None);
        assert_eq!(normalise_isrc("USRC1760783X"), None);
        assert_eq!(normalise_isrc("USRC1760/839"), None);
    }
}

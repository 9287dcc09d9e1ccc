//! The facts service: each part (an ISRC's recording, a song's page, an artist's page, a
//! recording's credited artists or details) comes from the SQLite cache while fresh (30 days;
//! a day for "not found"; an hour when a source failed half-way), else is fetched once for
//! everyone asking at the same time, in a task of its own so that it completes and is cached
//! even after the insight that asked has stopped waiting.

use super::config::FactsConfig;
use super::mb_wire::{ArtistFacts, CreditFacts, Recording};
use super::musicbrainz::MusicBrainz;
use super::wiki::Wiki;
use super::{http, FactSheet, FactsError, Played};
use crate::cache::{Cache, FactsRow};
use crate::spotify::ids::ArtistId;
use futures_util::future::{BoxFuture, FutureExt, Shared};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Facts older than this are fetched again.
pub const FRESH_FOR: Duration = Duration::from_secs(30 * 24 * 3600);
/// Facts fetched while a source failed are retried sooner.
const PARTIAL_FRESH_FOR: Duration = Duration::from_secs(3600);
/// "Nothing known" (a 404, or a 400 refusing the code) is asked again after a day.
const NOT_FOUND_FOR: Duration = Duration::from_secs(24 * 3600);

/// One cached unit of facts, with what it leads to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Part {
    pub sheet: FactSheet,
    /// An ISRC's chosen recording (MBID).
    #[serde(default)]
    pub recording: Option<String>,
    /// Its works (MBIDs), whose pages are found through Wikidata.
    #[serde(default)]
    pub works: Vec<String>,
    /// Its credited artists as the ISRC answer names them.
    #[serde(default)]
    pub credits: Vec<CreditFacts>,
    /// Artists with their MusicBrainz facts or (`mbid` empty) their Wikipedia summary.
    #[serde(default)]
    pub artists: Vec<ArtistFacts>,
}

impl Part {
    /// Adds another part of the same kind (another artist's, say).
    pub(crate) fn absorb(&mut self, other: Part) {
        self.sheet.merge(&other.sheet);
        self.recording = self.recording.take().or(other.recording);
        self.works.extend(other.works);
        self.credits.extend(other.credits);
        self.artists.extend(other.artists);
    }

    /// Whether the sources knew nothing.
    fn is_empty(&self) -> bool {
        self.sheet.is_empty()
            && self.recording.is_none()
            && self.artists.iter().all(|a| a.sheet.is_empty())
    }
}

pub(crate) type PartResult = Result<Arc<Part>, FactsError>;
pub(crate) type Flight = Shared<BoxFuture<'static, PartResult>>;
type Fetched = Result<(Part, bool), FactsError>;

/// Gathers and caches facts. Cheap to clone; clones share flights.
#[derive(Clone)]
pub struct FactsService {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    cache: Cache,
    pub(crate) mb: MusicBrainz,
    pub(crate) wiki: Wiki,
    pub(crate) lang: String,
    pub(crate) budget: Duration,
    flights: Mutex<HashMap<(&'static str, String), Flight>>,
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

impl FactsService {
    /// A service over this cache, with the sources and language of `config`.
    pub fn new(cache: Cache, config: &FactsConfig) -> Self {
        let http = http::client();
        Self {
            inner: Arc::new(Inner {
                cache,
                mb: MusicBrainz::new(http.clone(), config.musicbrainz_base_url.clone()),
                wiki: Wiki::new(
                    http,
                    config.wikidata_base_url.clone(),
                    config.wikipedia_base_url.clone(),
                ),
                lang: config.language.clone(),
                budget: config.budget,
                flights: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// How long an insight waits for its facts.
    pub fn budget(&self) -> Duration {
        self.inner.budget
    }

    /// The language of the Wikipedia pages read.
    pub fn language(&self) -> &str {
        &self.inner.lang
    }

    /// The flight `(kind, key)` under way, or a new one running `work` in a task of its own.
    fn flight(
        &self,
        kind: &'static str,
        key: String,
        work: impl FnOnce(Arc<Inner>) -> BoxFuture<'static, PartResult> + Send + 'static,
    ) -> Flight {
        let id = (kind, key);
        let mut flights = self.inner.flights();
        if let Some(flight) = flights.get(&id) {
            return flight.clone();
        }
        let inner = self.inner.clone();
        // The map stays locked until the flight is in it, so the task's removal comes after.
        // The removal is a guard's: a task that panics leaves the map too, and the next ask
        // starts afresh.
        let leave = Leave(self.inner.clone(), id.clone());
        let task = tokio::spawn(async move {
            let _leave = leave;
            work(inner).await
        });
        let flight = async move {
            task.await.unwrap_or_else(|_| {
                Err(FactsError::Network {
                    source_name: "facts",
                    reason: "the lookup stopped".into(),
                })
            })
        }
        .boxed()
        .shared();
        flights.insert(id, flight.clone());
        flight
    }

    /// Whether a flight for `(kind, key)` is in the single-flight map.
    #[cfg(test)]
    fn has_flight(&self, kind: &'static str, key: &str) -> bool {
        self.in_flight(kind, key).is_some()
    }

    /// The flight in progress for `(kind, key)`, if any.
    pub(crate) fn in_flight(&self, kind: &'static str, key: &str) -> Option<Flight> {
        self.inner.flights().get(&(kind, key.to_string())).cloned()
    }

    /// The part `(kind, key)`: from the cache while fresh, else fetched by `fetch` and stored.
    fn part(
        &self,
        kind: &'static str,
        key: String,
        fetch: impl FnOnce(Arc<Inner>) -> BoxFuture<'static, Fetched> + Send + 'static,
    ) -> Flight {
        let stored_key = key.clone();
        self.flight(kind, key, move |inner| {
            async move { inner.load_or_fetch(kind, &stored_key, fetch).await }.boxed()
        })
    }

    /// The stored part `(kind, key)`, however old; no network.
    pub(crate) async fn stored(&self, kind: &'static str, key: &str) -> Option<Part> {
        self.inner.load(kind, key).await.map(|(part, _)| part)
    }

    /// The recording an ISRC names that Spotify plays (among several: by length and credit),
    /// with its first-turn facts.
    pub(crate) fn isrc(&self, played: &Played) -> Flight {
        let played = played.clone();
        self.part("isrc", played.isrc.clone(), move |inner| {
            async move {
                let recordings = inner.mb.recordings(&played.isrc).await?;
                let chosen = recordings
                    .into_iter()
                    .min_by_key(|r: &Recording| r.mismatch(played.duration_ms, played.artists));
                let Some(facts) = chosen.and_then(Recording::into_facts) else {
                    return Ok((Part::default(), true));
                };
                Ok((
                    Part {
                        sheet: facts.sheet,
                        recording: Some(facts.recording),
                        works: facts.works,
                        credits: facts.credits,
                        artists: Vec::new(),
                    },
                    true,
                ))
            }
            .boxed()
        })
    }

    /// A song's Wikipedia summary, found through its work's Wikidata item (P435).
    pub(crate) fn song(&self, work: &str) -> Flight {
        let work = work.to_string();
        self.part("song", work.clone(), move |inner| {
            async move {
                let sheets = inner.wiki.summaries(&[("P435", work)], &inner.lang).await?;
                let sheet = sheets.into_iter().next().unwrap_or_default();
                Ok((part_of(sheet), true))
            }
            .boxed()
        })
    }

    /// Every artist credited on a recording, from one MusicBrainz browse.
    pub(crate) fn credits(&self, recording: &str) -> Flight {
        let recording = recording.to_string();
        self.part("credits", recording.clone(), move |inner| {
            async move {
                let artists = inner.mb.credited_artists(&recording).await?;
                Ok((
                    Part {
                        artists,
                        ..Part::default()
                    },
                    true,
                ))
            }
            .boxed()
        })
    }

    /// A recording's official releases and writers, and its album's page when the song has
    /// none; asked in MusicBrainz turns nobody else needs.
    pub(crate) fn details(&self, recording: &str) -> Flight {
        let recording = recording.to_string();
        self.part("details", recording.clone(), move |inner| {
            async move {
                let Some(details) = inner.mb.recording_details(&recording).await? else {
                    return Ok((Part::default(), true));
                };
                let mut part = part_of(details.sheet);
                let mut complete = true;
                if let (None, Some(group)) = (details.song_item, details.release_group) {
                    match inner.wiki.summaries(&[("P436", group)], &inner.lang).await {
                        Ok(sheets) => sheets.iter().for_each(|s| part.sheet.merge(s)),
                        Err(error) => {
                            tracing::info!(%error, "no album page this time");
                            complete = false;
                        }
                    }
                }
                Ok((part, complete))
            }
            .boxed()
        })
    }

    /// The Wikipedia summaries of these Spotify artists (their Wikidata items by P1902): the
    /// cached ones from the cache, the others found together (one `wbgetentities` call).
    pub(crate) fn artist_pages(&self, ids: &[ArtistId]) -> Flight {
        self.per_artist("artist-wiki", ids, |inner, missing| {
            async move {
                let wanted: Vec<(&str, String)> = missing
                    .iter()
                    .map(|id| ("P1902", id.as_str().to_string()))
                    .collect();
                let sheets = inner.wiki.summaries(&wanted, &inner.lang).await?;
                Ok(missing
                    .iter()
                    .zip(sheets)
                    .map(|(id, sheet)| ArtistFacts {
                        spotify: vec![id.as_str().to_string()],
                        sheet,
                        ..ArtistFacts::default()
                    })
                    .collect())
            }
            .boxed()
        })
    }

    /// The MusicBrainz facts of these Spotify artists without a recording to browse: their
    /// MBIDs from one URL lookup, then each artist's lookup.
    pub(crate) fn artist_details(&self, ids: &[ArtistId]) -> Flight {
        self.per_artist("mb-artist", ids, |inner, missing| {
            async move {
                let mut found = Vec::new();
                for (id, mbid) in inner.mb.artists_for_spotify(&missing).await? {
                    if let Some(mut artist) = inner.mb.artist(&mbid).await? {
                        artist.spotify = vec![id.as_str().to_string()];
                        found.push(artist);
                    }
                }
                Ok(found)
            }
            .boxed()
        })
    }

    /// One flight for the parts `(kind, id)` of several artists: cached ones are read, the
    /// rest fetched together by `fetch` and stored one by one (an artist it did not find is
    /// stored as not found).
    fn per_artist(
        &self,
        kind: &'static str,
        ids: &[ArtistId],
        fetch: impl FnOnce(
                Arc<Inner>,
                Vec<ArtistId>,
            ) -> BoxFuture<'static, Result<Vec<ArtistFacts>, FactsError>>
            + Send
            + 'static,
    ) -> Flight {
        let ids = ids.to_vec();
        let key = ids
            .iter()
            .map(ArtistId::as_str)
            .collect::<Vec<_>>()
            .join(",");
        self.flight(kind, key, move |inner| {
            async move {
                let mut artists = Vec::new();
                let mut missing = Vec::new();
                for id in &ids {
                    match inner.load(kind, id.as_str()).await {
                        Some((part, true)) => artists.extend(part.artists),
                        _ => missing.push(id.clone()),
                    }
                }
                if !missing.is_empty() {
                    let fetched = fetch(inner.clone(), missing.clone()).await?;
                    for id in &missing {
                        let mine: Vec<ArtistFacts> = fetched
                            .iter()
                            .filter(|a| a.spotify.iter().any(|s| s == id.as_str()))
                            .cloned()
                            .collect();
                        let part = Part {
                            artists: mine.clone(),
                            ..Part::default()
                        };
                        inner.store(kind, id.as_str(), &part, true).await;
                        artists.extend(mine);
                    }
                }
                Ok(Arc::new(Part {
                    artists,
                    ..Part::default()
                }))
            }
            .boxed()
        })
    }
}

fn part_of(sheet: FactSheet) -> Part {
    Part {
        sheet,
        ..Part::default()
    }
}

impl Inner {
    fn flights(&self) -> MutexGuard<'_, HashMap<(&'static str, String), Flight>> {
        self.flights.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn load_or_fetch(
        self: &Arc<Self>,
        kind: &'static str,
        key: &str,
        fetch: impl FnOnce(Arc<Inner>) -> BoxFuture<'static, Fetched> + Send,
    ) -> PartResult {
        let stored = self.load(kind, key).await;
        if let Some((part, true)) = &stored {
            return Ok(Arc::new(part.clone()));
        }
        match fetch(self.clone()).await {
            Ok((part, complete)) => {
                self.store(kind, key, &part, complete).await;
                Ok(Arc::new(part))
            }
            // Facts past their freshness still beat none when a source is failing.
            Err(error) => match stored {
                Some((part, _)) => Ok(Arc::new(part)),
                None => Err(error),
            },
        }
    }

    /// The stored part and whether it is still fresh; a failing cache counts as a miss.
    async fn load(&self, kind: &'static str, key: &str) -> Option<(Part, bool)> {
        let (cache, key, lang) = (self.cache.clone(), key.to_string(), self.lang.clone());
        let row = tokio::task::spawn_blocking(move || cache.facts(kind, &key, &lang))
            .await
            .ok()?
            .map_err(|e| tracing::warn!(error = %e, "could not read cached facts"))
            .ok()??;
        let part: Part = serde_json::from_str(&row.data).ok()?;
        let life = if !row.complete {
            PARTIAL_FRESH_FOR
        } else if part.is_empty() {
            NOT_FOUND_FOR
        } else {
            FRESH_FOR
        };
        let fresh = now() - row.fetched_at < life.as_secs() as i64;
        Some((part, fresh))
    }

    async fn store(&self, kind: &'static str, key: &str, part: &Part, complete: bool) {
        let mut sources: Vec<String> = part.sheet.sources.iter().map(|s| s.url.clone()).collect();
        sources.extend(
            part.artists
                .iter()
                .flat_map(|a| a.sheet.sources.iter().map(|s| s.url.clone())),
        );
        let row = FactsRow {
            kind: kind.to_string(),
            key: key.to_string(),
            lang: self.lang.clone(),
            data: serde_json::to_string(part).unwrap_or_default(),
            sources,
            complete,
            fetched_at: now(),
        };
        let cache = self.cache.clone();
        match tokio::task::spawn_blocking(move || cache.put_facts(&row)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "could not store facts"),
            Err(e) => tracing::warn!(error = %e, "storing facts failed"),
        }
    }
}

/// Takes a flight out of the single-flight map when its task ends, however it ends.
struct Leave(Arc<Inner>, (&'static str, String));

impl Drop for Leave {
    fn drop(&mut self) {
        self.0.flights().remove(&self.1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_flight_that_panics_leaves_the_map_at_once() {
        let cache = Cache::in_memory().unwrap();
        let facts = FactsService::new(cache, &FactsConfig::default());
        let flight = facts.flight("test", "k".into(), |_| {
            async move { panic!("a lookup bug") }.boxed()
        });
        // Nobody awaits the failed flight: the map must be clean all the same.
        let started = std::time::Instant::now();
        while facts.has_flight("test", "k") {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "still in the map"
            );
            tokio::task::yield_now().await;
        }
        drop(flight);
        let again = facts.flight("test", "k".into(), |_| {
            async move { Err(FactsError::Busy) }.boxed()
        });
        assert!(
            matches!(again.await, Err(FactsError::Busy)),
            "a new flight ran"
        );
    }
}

//! The facts service: each part (a recording, an album, an artist) comes from the SQLite cache
//! while fresh (30 days; an hour when a source failed half-way), else is fetched once for
//! everyone asking at the same time, in a task of its own so that it completes and is cached
//! even after the insight that asked has stopped waiting.

use super::config::FactsConfig;
use super::musicbrainz::MusicBrainz;
use super::wiki::Wiki;
use super::{http, FactSheet, FactsError};
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

/// One cached unit of facts, with what it leads to.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Part {
    pub sheet: FactSheet,
    /// Credited artists of a recording: (name, MBID).
    #[serde(default)]
    pub credits: Vec<(String, String)>,
    /// A recording's album (release group MBID), when the song has no Wikipedia page.
    #[serde(default)]
    pub album: Option<String>,
}

pub(crate) type PartResult = Result<Arc<Part>, FactsError>;
type Flight = Shared<BoxFuture<'static, PartResult>>;
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

    /// The part `(kind, key)`, joining a fetch under way or starting one with `fetch`.
    fn part(
        &self,
        kind: &'static str,
        key: String,
        fetch: impl FnOnce(Arc<Inner>) -> BoxFuture<'static, Fetched> + Send + 'static,
    ) -> Flight {
        let id = (kind, key);
        let mut flights = self.inner.flights();
        if let Some(flight) = flights.get(&id) {
            return flight.clone();
        }
        let inner = self.inner.clone();
        let task_id = id.clone();
        // The map stays locked until the flight is in it, so the task's removal comes after.
        let task = tokio::spawn(async move {
            let result = inner.load_or_fetch(task_id.0, &task_id.1, fetch).await;
            inner.flights().remove(&task_id);
            result
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

    /// A recording by ISRC, with its song's (or, failing that, nothing: see [`Self::album`])
    /// Wikipedia summary.
    pub(crate) fn recording(&self, isrc: &str) -> Flight {
        self.part("recording", isrc.to_string(), {
            let isrc = isrc.to_string();
            move |inner| {
                async move {
                    let Some(found) = inner.mb.recording(&isrc).await? else {
                        return Ok((Part::default(), true));
                    };
                    let mut part = Part {
                        sheet: found.sheet,
                        credits: found.credits,
                        album: None,
                    };
                    let mut complete = true;
                    match &found.song_item {
                        Some(q) => complete = inner.add_summary(&mut part.sheet, q).await,
                        None => part.album = found.release_group,
                    }
                    Ok((part, complete))
                }
                .boxed()
            }
        })
    }

    /// An album's Wikipedia summary, found through its release group.
    pub(crate) fn album(&self, release_group: &str) -> Flight {
        self.part("album", release_group.to_string(), {
            let group = release_group.to_string();
            move |inner| {
                async move {
                    let mut part = Part::default();
                    let mut complete = true;
                    if let Some(q) = inner.mb.album_item(&group).await? {
                        complete = inner.add_summary(&mut part.sheet, &q).await;
                    }
                    Ok((part, complete))
                }
                .boxed()
            }
        })
    }

    /// An artist: its MBID from the credits of the recording `isrc` when its name is there,
    /// else through its Spotify page; then its details and Wikipedia summary.
    pub(crate) fn artist(&self, id: &ArtistId, name: &str, isrc: Option<&str>) -> Flight {
        let isrc = isrc.map(str::to_string);
        let (id, name) = (id.clone(), name.trim().to_lowercase());
        self.part("artist", id.as_str().to_string(), move |inner| {
            async move {
                // Asked only on a cache miss; a track page shares it with the track's insight.
                let credits = isrc.map(|isrc| {
                    FactsService {
                        inner: inner.clone(),
                    }
                    .recording(&isrc)
                });
                let credited = match credits {
                    Some(recording) => recording.await.ok().and_then(|part| {
                        part.credits
                            .iter()
                            .find(|(n, _)| !name.is_empty() && n.trim().to_lowercase() == name)
                            .map(|(_, mbid)| mbid.clone())
                    }),
                    None => None,
                };
                let mbid = match credited {
                    Some(mbid) => Some(mbid),
                    None => inner.mb.artist_for_spotify(&id).await?,
                };
                let Some(mbid) = mbid else {
                    return Ok((Part::default(), true));
                };
                let Some((sheet, item)) = inner.mb.artist(&mbid).await? else {
                    return Ok((Part::default(), true));
                };
                let mut part = Part {
                    sheet,
                    ..Part::default()
                };
                let complete = match item {
                    Some(q) => inner.add_summary(&mut part.sheet, &q).await,
                    None => true,
                };
                Ok((part, complete))
            }
            .boxed()
        })
    }
}

impl Inner {
    fn flights(&self) -> MutexGuard<'_, HashMap<(&'static str, String), Flight>> {
        self.flights.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds item `q`'s Wikipedia summary; false when Wikidata or Wikipedia failed (the
    /// MusicBrainz facts are kept, and the part is fetched again sooner).
    async fn add_summary(&self, sheet: &mut FactSheet, q: &str) -> bool {
        match self.wiki.summary(q, &self.lang).await {
            Ok(summary) => {
                sheet.merge(&summary);
                true
            }
            Err(error) => {
                tracing::info!(%error, "no Wikipedia summary this time");
                false
            }
        }
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
        let life = if row.complete {
            FRESH_FOR
        } else {
            PARTIAL_FRESH_FOR
        };
        let fresh = now() - row.fetched_at < life.as_secs() as i64;
        Some((part, fresh))
    }

    async fn store(&self, kind: &'static str, key: &str, part: &Part, complete: bool) {
        let row = FactsRow {
            kind: kind.to_string(),
            key: key.to_string(),
            lang: self.lang.clone(),
            data: serde_json::to_string(part).unwrap_or_default(),
            sources: part.sheet.sources.iter().map(|s| s.url.clone()).collect(),
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

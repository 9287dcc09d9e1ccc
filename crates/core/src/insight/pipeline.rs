//! The insight pipeline: cache first; otherwise one upstream call per subject at a time
//! (single-flight), streamed to every caller asking for it, stored only once complete.

use super::grounded::Grounder;
use super::llm::LlmClient;
use super::models::ModelInfo;
use super::prompt::Subject;
use super::{Insight, InsightError, InsightKind};
use crate::cache::Cache;
use crate::facts::{GroundingStatus, Lookup, Source};
use crate::UiError;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::sync::mpsc;
use ts_rs::TS;

/// What a caller of [`InsightService::get`] is told while an insight is being written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "event", rename_all = "camelCase")]
pub enum InsightEvent {
    /// More text: append it to what was received so far.
    Delta {
        /// The new piece.
        text: String,
    },
    /// The model stopped at the length limit: the text is incomplete, so the next event's
    /// insight is shown marked as cut short, and it was not stored.
    CutShort,
    /// The complete insight (also sent alone for a cache hit).
    Done {
        /// The insight; its text replaces the pieces received so far.
        insight: Insight,
    },
    /// The insight could not be written; nothing follows.
    Failed {
        /// What went wrong, as the page shows it.
        error: UiError,
    },
    /// After `Done`: the sources now know more than the insight was written with (lookups
    /// that were not back in time have landed); a rewrite would use them.
    BetterFacts {
        /// How many facts a rewrite would have, against the insight's `grounding.facts`.
        facts: u32,
        /// Their sources.
        sources: Vec<Source>,
    },
}

/// Writes, caches and shares insights. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct InsightService {
    inner: Arc<Inner>,
}

type FlightKey = (InsightKind, String);

struct Inner {
    cache: Cache,
    llm: RwLock<Arc<LlmClient>>,
    grounder: RwLock<Arc<Grounder>>,
    flights: Mutex<HashMap<FlightKey, Flight>>,
}

/// One upstream call in progress, with the text so far for callers who join late.
struct Flight {
    text: String,
    subscribers: Vec<mpsc::UnboundedSender<FlightMsg>>,
}

enum FlightMsg {
    Delta(String),
    Done(Result<Landed, InsightError>),
}

/// A flight's answer, and whether it was cut off at the length limit (and so not stored).
#[derive(Clone)]
struct Landed {
    insight: Insight,
    cut_short: bool,
}

impl InsightService {
    /// A service over this cache and chat client.
    pub fn new(cache: Cache, llm: LlmClient) -> Self {
        Self {
            inner: Arc::new(Inner {
                cache,
                llm: RwLock::new(Arc::new(llm)),
                grounder: RwLock::new(Arc::new(Grounder::default())),
                flights: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Replaces the chat client (new key, base URL or model); calls in progress finish with
    /// the old one.
    pub fn set_llm(&self, llm: LlmClient) {
        *self.inner.llm.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(llm);
    }

    /// Sets where new insights get their facts and language (none, English, until set).
    pub fn set_grounder(&self, grounder: Grounder) {
        *self
            .inner
            .grounder
            .write()
            .unwrap_or_else(|e| e.into_inner()) = Arc::new(grounder);
    }

    /// Starts gathering the facts `lookup` for the insight `(kind, key)` if it will need them
    /// (not cached, or `regenerate`), without waiting: a page can start them while it still
    /// waits for Spotify. A cached insight costs no network call.
    pub async fn warm_facts(
        &self,
        kind: InsightKind,
        key: String,
        lookup: Lookup,
        regenerate: bool,
    ) {
        let grounder = self.inner.grounder();
        let Some(facts) = grounder.facts() else {
            return;
        };
        if regenerate || self.inner.cached(kind, key).await.is_none() {
            facts.warm(lookup);
        }
    }

    /// Whether the facts `lookup` has now (from the cache, once the lookups still under way
    /// have landed) outnumber those `insight` was written with: what a rewrite would get.
    pub async fn better_facts(&self, lookup: &Lookup, insight: &Insight) -> Option<InsightEvent> {
        let grounder = self.inner.grounder();
        let facts = grounder.facts()?;
        if insight.grounding.status == GroundingStatus::Off && !insight.cached {
            return None;
        }
        let sheet = facts.settle(lookup).await;
        let count = sheet.facts.len() as u32;
        (count > insight.grounding.facts).then(|| InsightEvent::BetterFacts {
            facts: count,
            sources: sheet.used_sources(),
        })
    }

    /// The model new insights are asked from.
    pub fn model(&self) -> String {
        self.inner.llm().model().to_string()
    }

    /// The models the configured server offers, with their shutdown dates.
    pub async fn models(&self) -> Result<Vec<ModelInfo>, InsightError> {
        let llm = self.inner.llm();
        llm.models().await
    }

    /// Whether the configured server is OpenAI's own API.
    pub fn is_openai(&self) -> bool {
        self.inner.llm().is_openai()
    }

    /// The cache behind the service.
    pub fn cache(&self) -> &Cache {
        &self.inner.cache
    }

    /// The insight about `subject`: from the cache unless `regenerate`, else written by the
    /// model while `sink` receives the text as it comes. Ends with [`InsightEvent::Done`] on
    /// success, preceded by [`InsightEvent::CutShort`] for an answer stopped at the length limit.
    /// Only complete, non-empty answers are stored; on failure the cache is unchanged.
    /// Concurrent calls for the same subject share one upstream call and its result (a
    /// regenerate arriving while one is under way joins it rather than starting another).
    pub async fn get(
        &self,
        subject: Subject,
        regenerate: bool,
        sink: impl Fn(InsightEvent) + Send + Sync + 'static,
    ) -> Result<Insight, InsightError> {
        self.get_grounded(subject, None, regenerate, sink).await
    }

    /// [`InsightService::get`], with the facts of `lookup` in the prompt when grounding is on
    /// (gathered only when the model is asked, within the budget).
    pub async fn get_grounded(
        &self,
        subject: Subject,
        lookup: Option<Lookup>,
        regenerate: bool,
        sink: impl Fn(InsightEvent) + Send + Sync + 'static,
    ) -> Result<Insight, InsightError> {
        if !regenerate {
            if let Some(hit) = self.inner.cached(subject.kind(), subject.key()).await {
                sink(InsightEvent::Done {
                    insight: hit.clone(),
                });
                return Ok(hit);
            }
        }
        let mut messages = self.join_or_start(subject, lookup, regenerate);
        while let Some(message) = messages.recv().await {
            match message {
                FlightMsg::Delta(text) => sink(InsightEvent::Delta { text }),
                FlightMsg::Done(result) => {
                    if let Ok(landed) = &result {
                        if landed.cut_short {
                            sink(InsightEvent::CutShort);
                        }
                        sink(InsightEvent::Done {
                            insight: landed.insight.clone(),
                        });
                    }
                    return result.map(|landed| landed.insight);
                }
            }
        }
        // The flight task died (a panic, or the runtime shutting down) without a result.
        Err(InsightError::StreamCut)
    }

    /// The track and its artists' insights, fetched concurrently, each streamed to its sink.
    pub async fn track_insights(
        &self,
        track: Subject,
        artists: Subject,
        sink_track: impl Fn(InsightEvent) + Send + Sync + 'static,
        sink_artists: impl Fn(InsightEvent) + Send + Sync + 'static,
    ) -> (Result<Insight, InsightError>, Result<Insight, InsightError>) {
        tokio::join!(
            self.get(track, false, sink_track),
            self.get(artists, false, sink_artists)
        )
    }

    /// Subscribes to the flight for this subject, starting it if there is none. The text so far
    /// is handed over under the same lock the producer appends under, so nothing is lost or
    /// repeated.
    fn join_or_start(
        &self,
        subject: Subject,
        lookup: Option<Lookup>,
        regenerate: bool,
    ) -> mpsc::UnboundedReceiver<FlightMsg> {
        let key = (subject.kind(), subject.key());
        let (tx, rx) = mpsc::unbounded_channel();
        let mut flights = self.inner.flights();
        if let Some(flight) = flights.get_mut(&key) {
            if !flight.text.is_empty() {
                let _ = tx.send(FlightMsg::Delta(flight.text.clone()));
            }
            flight.subscribers.push(tx);
            return rx;
        }
        flights.insert(
            key.clone(),
            Flight {
                text: String::new(),
                subscribers: vec![tx],
            },
        );
        drop(flights);
        // A task of its own, so the call completes (and is cached) even if every caller
        // goes away, and late joiners never depend on the first caller staying.
        tokio::spawn(fly(self.inner.clone(), key, subject, lookup, regenerate));
        rx
    }
}

/// Runs one flight; its [`Landing`] hands the result to every subscriber.
async fn fly(
    inner: Arc<Inner>,
    key: FlightKey,
    subject: Subject,
    lookup: Option<Lookup>,
    regenerate: bool,
) {
    let mut landing = Landing {
        inner: inner.clone(),
        key,
        result: None,
    };
    let produced = inner
        .produce(&landing.key, &subject, lookup.as_ref(), regenerate)
        .await;
    landing.result = Some(produced);
}

/// Ends a flight when its task ends, however it ends: removing the flight and sending the
/// result happen under one lock, so a caller arriving later finds the cache (written before)
/// rather than a flight that will not report again. If the task panicked or was cancelled
/// there is no result, and dropping the senders tells the callers so.
struct Landing {
    inner: Arc<Inner>,
    key: FlightKey,
    result: Option<Result<Landed, InsightError>>,
}

impl Drop for Landing {
    fn drop(&mut self) {
        let Some(flight) = self.inner.flights().remove(&self.key) else {
            return;
        };
        if let Some(result) = self.result.take() {
            for subscriber in flight.subscribers {
                let _ = subscriber.send(FlightMsg::Done(result.clone()));
            }
        }
    }
}

impl Inner {
    fn llm(&self) -> Arc<LlmClient> {
        self.llm.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn grounder(&self) -> Arc<Grounder> {
        self.grounder
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// A panic while holding the map cannot leave it inconsistent (each update is one step).
    fn flights(&self) -> MutexGuard<'_, HashMap<FlightKey, Flight>> {
        self.flights.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn produce(
        &self,
        key: &FlightKey,
        subject: &Subject,
        lookup: Option<&Lookup>,
        regenerate: bool,
    ) -> Result<Landed, InsightError> {
        // Checked again here: another flight may have stored it after this caller's lookup.
        if !regenerate {
            if let Some(hit) = self.cached(key.0, key.1.clone()).await {
                return Ok(Landed {
                    insight: hit,
                    cut_short: false,
                });
            }
        }
        let (messages, grounding) = self.grounder().messages(subject, lookup).await;
        let completion = self
            .llm()
            .stream_chat(&messages, |piece| self.publish(key, piece))
            .await?;
        let insight = Insight {
            kind: key.0,
            key: key.1.clone(),
            text: completion.text.trim().to_string(),
            model: completion.model,
            created_at: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64),
            cached: false,
            grounding,
        };
        if completion.cut_short {
            // Shown with a mark, but not stored: the next visit asks again for a whole answer.
            tracing::info!(
                kind = key.0.as_str(),
                "an insight was cut short at the length limit"
            );
            return Ok(Landed {
                insight,
                cut_short: true,
            });
        }
        let cache = self.cache.clone();
        let row = insight.clone();
        // A cache that cannot be written costs a future call, not this insight.
        match tokio::task::spawn_blocking(move || cache.put(&row)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "could not store an insight"),
            Err(e) => tracing::warn!(error = %e, "storing an insight failed"),
        }
        Ok(Landed {
            insight,
            cut_short: false,
        })
    }

    /// Appends a piece to the flight's text and forwards it to its subscribers.
    fn publish(&self, key: &FlightKey, piece: &str) {
        if let Some(flight) = self.flights().get_mut(key) {
            flight.text.push_str(piece);
            flight
                .subscribers
                .retain(|s| s.send(FlightMsg::Delta(piece.to_string())).is_ok());
        }
    }

    /// The cached insight, if any; a failing cache counts as a miss (and is logged).
    async fn cached(&self, kind: InsightKind, key: String) -> Option<Insight> {
        let cache = self.cache.clone();
        match tokio::task::spawn_blocking(move || cache.get(kind, &key)).await {
            Ok(Ok(hit)) => hit,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "could not read the insight cache");
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, "reading the insight cache failed");
                None
            }
        }
    }
}

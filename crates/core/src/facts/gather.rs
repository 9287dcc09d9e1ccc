//! Gathering the facts of one insight: what is back before the deadline is used; what only
//! later turns bring (the credited artists' browse, the recording's details) is started in the
//! background, lands in the cache, and is offered for a rewrite (see [`FactsService::settle`]).
//!
//! The plan for a cold track page, which costs the page one MusicBrainz turn:
//! - at once: the ISRC lookup (MusicBrainz), and each artist's Wikidata item by its Spotify ID
//!   with its Wikipedia summary (Wikimedia, in parallel);
//! - when the ISRC answer is back: the song's Wikidata item by its work's MBID and its summary;
//!   both cards are then written, together;
//! - later turns, in the background: the artists credited on the recording (one browse), then
//!   the recording's official releases and writers.

use super::mb_wire::ArtistFacts;
use super::service::{Flight, Part, PartResult};
use super::{FactSheet, FactsService, GroundingStatus, Lookup, Played};
use crate::spotify::ids::ArtistId;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::{timeout_at, Instant};

/// The facts of one insight and how they went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gathered {
    /// Every fact back in time.
    pub sheet: FactSheet,
    /// `Grounded` when there is any fact; otherwise why there is none.
    pub status: GroundingStatus,
}

type Outcome = Result<PartResult, tokio::time::error::Elapsed>;

/// How long [`FactsService::settle`] waits for the background lookups.
const SETTLE_WITHIN: Duration = Duration::from_secs(15);

/// Where parts come from: fetched (within a deadline), or only what the cache holds.
#[derive(Clone, Copy)]
enum Mode {
    Fetch(Instant),
    Cached,
}

impl FactsService {
    /// The facts for `lookup` that are back before `deadline`.
    pub async fn gather(&self, lookup: &Lookup, deadline: Instant) -> Gathered {
        self.collect(lookup, Mode::Fetch(deadline)).await
    }

    /// Starts gathering `lookup` without waiting (a page about to ask for it).
    pub fn warm(&self, lookup: Lookup) {
        let service = self.clone();
        let deadline = Instant::now() + Duration::from_secs(60);
        tokio::spawn(async move { service.gather(&lookup, deadline).await });
    }

    /// The facts for `lookup` once its background lookups have landed (waiting for those
    /// under way, at most 15 s), from the cache only: what a rewrite would be written with.
    pub async fn settle(&self, lookup: &Lookup) -> FactSheet {
        if let Some(played) = lookup.played() {
            if let Some(recording) = self
                .stored("isrc", &played.isrc)
                .await
                .and_then(|p| p.recording)
            {
                let until = Instant::now() + SETTLE_WITHIN;
                for kind in ["credits", "details"] {
                    if let Some(flight) = self.in_flight(kind, &recording) {
                        let _ = timeout_at(until, flight).await;
                    }
                }
            }
        }
        self.collect(lookup, Mode::Cached).await.sheet
    }

    async fn collect(&self, lookup: &Lookup, mode: Mode) -> Gathered {
        let mut outcomes: Vec<Outcome> = Vec::new();
        match lookup {
            Lookup::Track {
                recording: None, ..
            } => {}
            Lookup::Track {
                recording: Some(played),
                ..
            } => {
                let (isrc, song) = self.recording_facts(played, mode).await;
                let details = match (&isrc, mode) {
                    (Ok(Ok(part)), _) => match &part.recording {
                        Some(recording) => {
                            self.get(mode, "details", recording, false, || {
                                self.details(recording)
                            })
                            .await
                        }
                        None => None,
                    },
                    _ => None,
                };
                outcomes.extend([Some(isrc), song, details].into_iter().flatten());
            }
            Lookup::Artists {
                artists,
                recording: Some(played),
            } => {
                let ids: Vec<ArtistId> = artists.iter().map(|(id, _)| id.clone()).collect();
                // The track's facts are awaited too (shared flights, no extra request), so both
                // cards of a page are written at the same moment.
                let (pages, (isrc, _song)) = tokio::join!(
                    self.get(mode, "artist-wiki", &ids, true, || self.artist_pages(&ids)),
                    self.recording_facts(played, mode)
                );
                let credits = match &isrc {
                    Ok(Ok(part)) => match &part.recording {
                        Some(recording) => {
                            self.get(mode, "credits", recording, false, || {
                                self.credits(recording)
                            })
                            .await
                        }
                        None => None,
                    },
                    _ => None,
                };
                let sheet = artist_sheet(artists, &isrc, credits.as_ref());
                outcomes.push(Ok(Ok(Arc::new(Part {
                    sheet,
                    ..Part::default()
                }))));
                outcomes.extend(pages);
                if isrc.is_err() || matches!(isrc, Ok(Err(_))) {
                    outcomes.push(isrc);
                }
            }
            Lookup::Artists {
                artists,
                recording: None,
            } => {
                let ids: Vec<ArtistId> = artists.iter().map(|(id, _)| id.clone()).collect();
                let (pages, details) = tokio::join!(
                    self.get(mode, "artist-wiki", &ids, true, || self.artist_pages(&ids)),
                    self.get(mode, "mb-artist", &ids, true, || self.artist_details(&ids)),
                );
                for outcome in [details, pages].into_iter().flatten() {
                    outcomes.push(
                        outcome.map(|r| r.map(|part| Arc::new(artists_part(artists, &part)))),
                    );
                }
            }
        }
        combine(outcomes)
    }

    /// The ISRC's recording (the first MusicBrainz turn) and then its song's page.
    async fn recording_facts(&self, played: &Played, mode: Mode) -> (Outcome, Option<Outcome>) {
        let isrc = self
            .get(mode, "isrc", &played.isrc, true, || self.isrc(played))
            .await
            .unwrap_or(Ok(Ok(Arc::default())));
        let work = match &isrc {
            Ok(Ok(part)) => part.works.first().cloned(),
            _ => None,
        };
        let song = match work {
            Some(work) => {
                self.get(mode, "song", &work, true, || self.song(&work))
                    .await
            }
            None => None,
        };
        (isrc, song)
    }

    /// One part: awaited until the deadline when `primary` (its flight started if need be),
    /// else started in the background and used only if already back; in cached mode, what
    /// the cache holds. `None` when there is nothing to use.
    async fn get<K: PartKey + ?Sized>(
        &self,
        mode: Mode,
        kind: &'static str,
        key: &K,
        primary: bool,
        start: impl FnOnce() -> Flight,
    ) -> Option<Outcome> {
        match mode {
            Mode::Fetch(deadline) => {
                let flight = start();
                if primary {
                    return Some(timeout_at(deadline, flight).await);
                }
                // Not waited for: used when an earlier visit's turn already stored it.
                let mut part = Part::default();
                let mut found = false;
                for key in key.keys() {
                    if let Some(stored) = self.stored(kind, &key).await {
                        part.absorb(stored);
                        found = true;
                    }
                }
                found.then(|| Ok(Ok(Arc::new(part))))
            }
            Mode::Cached => {
                let mut part = Part::default();
                for key in key.keys() {
                    if let Some(stored) = self.stored(kind, &key).await {
                        part.absorb(stored);
                    }
                }
                Some(Ok(Ok(Arc::new(part))))
            }
        }
    }
}

/// The cache keys a part request stands for: one, or one per artist.
trait PartKey {
    fn keys(&self) -> Vec<String>;
}

impl PartKey for str {
    fn keys(&self) -> Vec<String> {
        vec![self.to_string()]
    }
}

impl PartKey for String {
    fn keys(&self) -> Vec<String> {
        vec![self.clone()]
    }
}

impl PartKey for Vec<ArtistId> {
    fn keys(&self) -> Vec<String> {
        self.iter().map(|id| id.as_str().to_string()).collect()
    }
}

/// Spotify artists' facts from a part of artists, in the page's order.
fn artists_part(artists: &[(ArtistId, String)], part: &Part) -> Part {
    let mut sheet = FactSheet::default();
    for (id, _) in artists {
        for artist in part
            .artists
            .iter()
            .filter(|a| a.spotify.iter().any(|s| s == id.as_str()))
        {
            sheet.merge(&artist.sheet);
        }
    }
    part_of(sheet)
}

fn part_of(sheet: FactSheet) -> Part {
    Part {
        sheet,
        ..Part::default()
    }
}

/// Each Spotify artist's MusicBrainz facts: from the browse of the recording's credited
/// artists when it is back, matched by the Spotify link MusicBrainz keeps (an alias as the
/// fallback); else from the ISRC answer's credit, matched by a name or alias it gives, or by
/// position when the credit names as many artists as Spotify.
fn artist_sheet(
    artists: &[(ArtistId, String)],
    isrc: &Outcome,
    credits: Option<&Outcome>,
) -> FactSheet {
    let mut sheet = FactSheet::default();
    let browsed: Option<&Vec<ArtistFacts>> = match credits {
        Some(Ok(Ok(part))) if !part.artists.is_empty() => Some(&part.artists),
        _ => None,
    };
    let credited = match isrc {
        Ok(Ok(part)) => part.credits.as_slice(),
        _ => &[],
    };
    for (k, (id, name)) in artists.iter().enumerate() {
        let key = fold(name);
        if let Some(browsed) = browsed {
            let by_link = browsed
                .iter()
                .find(|a| a.spotify.iter().any(|s| s == id.as_str()));
            let by_alias = || {
                browsed
                    .iter()
                    .find(|a| !key.is_empty() && a.names.iter().any(|n| fold(n) == key))
            };
            if let Some(artist) = by_link.or_else(by_alias) {
                sheet.merge(&artist.sheet);
                continue;
            }
        }
        let by_name = credited
            .iter()
            .find(|c| !key.is_empty() && c.names.iter().any(|n| fold(n) == key));
        let by_position = (credited.len() == artists.len()).then(|| &credited[k]);
        if let Some(credit) = by_name.or(by_position) {
            sheet.merge(&credit.sheet);
        }
    }
    sheet
}

/// A name compared without case, spacing or punctuation differences.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn combine(outcomes: Vec<Outcome>) -> Gathered {
    let mut sheet = FactSheet::default();
    let (mut late, mut failed) = (false, false);
    for outcome in outcomes {
        match outcome {
            Ok(Ok(part)) => {
                sheet.merge(&part.sheet);
                for artist in &part.artists {
                    sheet.merge(&artist.sheet);
                }
            }
            Ok(Err(error)) => {
                tracing::info!(%error, "facts unavailable");
                failed = true;
            }
            Err(_) => late = true,
        }
    }
    let status = if !sheet.is_empty() {
        GroundingStatus::Grounded
    } else if late {
        GroundingStatus::Late
    } else if failed {
        GroundingStatus::Unavailable
    } else {
        GroundingStatus::NotFound
    };
    Gathered { sheet, status }
}

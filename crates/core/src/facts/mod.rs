//! Facts for insights: what MusicBrainz, Wikidata and Wikipedia say about a track or artist,
//! gathered before the model is asked (within a time budget), cached in SQLite, written into
//! the prompt as quoted data, and shown under the insight as its sources.

mod block;
pub mod config;
mod error;
mod gate;
mod gather;
mod http;
mod mb_wire;
mod musicbrainz;
mod service;
mod text;
mod wiki;

#[cfg(test)]
mod recorded_tests;

pub use block::{facts_block, quoted, BLOCK_END, BLOCK_START};
pub use config::{language_name, FactsConfig, LANGUAGES};
pub use error::FactsError;
pub use gather::Gathered;
pub use http::{CONTACT_URL, USER_AGENT};
pub use service::FactsService;
pub use text::clean_text;

use crate::spotify::ids::{ArtistId, TrackId};
use crate::spotify::models::Track;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Where facts come from: a chip under the insight, and a numbered line in the prompt.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// `MusicBrainz` or `Wikipedia`.
    pub name: String,
    /// What the page is about, as the source names it (data: shown only as text).
    pub title: String,
    /// The public page, `https://musicbrainz.org/...` or `https://<lang>.wikipedia.org/wiki/...`.
    pub url: String,
}

/// One statement from a source: `about` and `values` are the source's data (quoted in the
/// prompt), `label` is ours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    /// What the statement is about, e.g. a recording or an artist name.
    pub about: String,
    /// What is said of it, in our words, e.g. `written by`.
    pub label: String,
    /// The values, e.g. names or a date.
    pub values: Vec<String>,
    /// Index of its source in the sheet's `sources`.
    pub source: usize,
}

/// Facts and their sources.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactSheet {
    /// The statements.
    pub facts: Vec<Fact>,
    /// Their sources, each listed once.
    pub sources: Vec<Source>,
}

impl FactSheet {
    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// Adds a source (once) and returns its index.
    pub fn source(&mut self, mut source: Source) -> usize {
        source.title = clean_text(&source.title);
        match self.sources.iter().position(|s| s.url == source.url) {
            Some(i) => i,
            None => {
                self.sources.push(source);
                self.sources.len() - 1
            }
        }
    }

    /// Adds a fact unless it has no values.
    pub fn add(&mut self, about: &str, label: &str, values: Vec<String>, source: usize) {
        let values: Vec<String> = values
            .iter()
            .map(|v| clean_text(v))
            .filter(|v| !v.trim().is_empty())
            .collect();
        if !values.is_empty() {
            self.facts.push(Fact {
                about: clean_text(about),
                label: label.to_string(),
                values,
                source,
            });
        }
    }

    /// Appends another sheet, renumbering its sources.
    pub fn merge(&mut self, other: &FactSheet) {
        for fact in &other.facts {
            if let Some(source) = other.sources.get(fact.source) {
                let index = self.source(source.clone());
                self.facts.push(Fact {
                    source: index,
                    ..fact.clone()
                });
            }
        }
    }

    /// Sources that back at least one fact, in order.
    pub fn used_sources(&self) -> Vec<Source> {
        self.sources
            .iter()
            .enumerate()
            .filter(|(i, _)| self.facts.iter().any(|f| f.source == *i))
            .map(|(_, s)| s.clone())
            .collect()
    }
}

/// How an insight relates to facts; stored with it and said on its card.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum GroundingStatus {
    /// Written with facts; its sources are listed.
    Grounded,
    /// The open sources know nothing about it.
    NotFound,
    /// The facts were not back within the budget, so the model was asked without them.
    Late,
    /// A source failed (rate limited, down or unreachable).
    Unavailable,
    /// Grounding is switched off, or the insight was written before it existed.
    #[default]
    Off,
}

/// An insight's grounding: how it was written and from which sources.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Grounding {
    /// With facts or, if not, why not.
    pub status: GroundingStatus,
    /// The sources of the facts it was written with.
    pub sources: Vec<Source>,
    /// How many facts it was written with: more in the cache later means a rewrite would be
    /// better informed.
    #[serde(default)]
    pub facts: u32,
}

/// The recording a track plays, as Spotify describes it: enough to find it among the
/// recordings an ISRC names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Played {
    /// Its ISRC (`external_ids.isrc`).
    pub isrc: String,
    /// Its length.
    pub duration_ms: u64,
    /// How many artists Spotify credits.
    pub artists: usize,
}

impl Played {
    /// The recording of `track`, when Spotify gives its ISRC.
    pub fn of(track: &Track) -> Option<Self> {
        Some(Self {
            isrc: track.isrc.clone()?,
            duration_ms: track.duration_ms,
            artists: track.artists.len(),
        })
    }
}

/// What to gather facts about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// A track's recording, found by its ISRC.
    Track {
        /// The Spotify track.
        id: TrackId,
        /// Its recording; without an ISRC there is nothing to look up.
        recording: Option<Played>,
    },
    /// Artists by their Spotify IDs; with the recording of a track they share, MusicBrainz
    /// is asked about the recording's credits rather than about each artist.
    Artists {
        /// The artists (ID and name as Spotify has it), main artist first.
        artists: Vec<(ArtistId, String)>,
        /// The recording of a track they are credited on.
        recording: Option<Played>,
    },
}

impl Lookup {
    /// Facts about a track.
    pub fn track(track: &Track) -> Self {
        Self::Track {
            id: track.id.clone(),
            recording: Played::of(track),
        }
    }

    /// Facts about a track's artists.
    pub fn artists(track: &Track) -> Self {
        Self::Artists {
            artists: track
                .artists
                .iter()
                .filter_map(|a| Some((a.id.clone()?, a.name.clone())))
                .collect(),
            recording: Played::of(track),
        }
    }

    /// Facts about one artist (found through its Spotify page, so its name is not needed).
    pub fn artist(id: ArtistId) -> Self {
        Self::Artists {
            artists: vec![(id, String::new())],
            recording: None,
        }
    }

    /// The recording it is about or credited on.
    pub fn played(&self) -> Option<&Played> {
        match self {
            Self::Track { recording, .. } | Self::Artists { recording, .. } => recording.as_ref(),
        }
    }
}

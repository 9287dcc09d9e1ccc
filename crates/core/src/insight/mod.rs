//! Insights: short texts about a track or artist, written by an OpenAI-compatible chat model,
//! streamed to the UI as they are written and cached once complete.

pub mod error;
mod grounded;
pub mod llm;
pub mod models;
pub mod pipeline;
pub mod prompt;
pub mod sse;
mod store;

pub use error::{Cause, InsightError};
pub use grounded::Grounder;
pub use llm::{ChatMessage, Completion, LlmClient, LlmPolicy};
pub use models::{ModelChoice, ModelInfo};
pub use pipeline::{InsightEvent, InsightService};
pub use prompt::{Subject, SYSTEM_PROMPT};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What an insight is about; stored in the cache as `"track"`, `"artists"`, `"artist"`,
/// `"album"`, or, for what the model writes about lyrics, `"lyric-line"`, `"translation"` and
/// `"romanisation"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
pub enum InsightKind {
    /// One track.
    #[serde(rename = "track")]
    Track,
    /// All the artists of one track, together.
    #[serde(rename = "artists")]
    TrackArtists,
    /// One artist.
    #[serde(rename = "artist")]
    Artist,
    /// One album.
    #[serde(rename = "album")]
    Album,
    /// One line of a track's lyrics, explained.
    #[serde(rename = "lyric-line")]
    LyricLine,
    /// A track's lyrics translated line by line.
    #[serde(rename = "translation")]
    LyricsTranslation,
    /// A track's lyrics in Latin letters, line by line.
    #[serde(rename = "romanisation")]
    LyricsRomanisation,
}

impl InsightKind {
    /// The stable name used in the cache and over the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Track => "track",
            Self::TrackArtists => "artists",
            Self::Artist => "artist",
            Self::Album => "album",
            Self::LyricLine => "lyric-line",
            Self::LyricsTranslation => "translation",
            Self::LyricsRomanisation => "romanisation",
        }
    }

    /// Parses a name written by [`InsightKind::as_str`].
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "track" => Some(Self::Track),
            "artists" => Some(Self::TrackArtists),
            "artist" => Some(Self::Artist),
            "album" => Some(Self::Album),
            "lyric-line" => Some(Self::LyricLine),
            "translation" => Some(Self::LyricsTranslation),
            "romanisation" => Some(Self::LyricsRomanisation),
            _ => None,
        }
    }
}

/// A complete insight, as stored in the cache and shown to the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Insight {
    /// What it is about.
    pub kind: InsightKind,
    /// The Spotify id of the track, artist or album it is about.
    pub key: String,
    /// The text, as written by the model.
    pub text: String,
    /// The model that wrote it.
    pub model: String,
    /// When it was written, in Unix seconds.
    pub created_at: i64,
    /// Whether it came from the cache rather than a fresh model call.
    pub cached: bool,
    /// Whether it was written with facts, and their sources.
    #[serde(default)]
    pub grounding: crate::facts::Grounding,
}

//! Lyrics from LRCLIB (lrclib.net): finding the right record for a track ([`find`]), reading
//! its LRC text leniently ([`lrc`]), and keeping the answer in the cache: found lyrics for 30
//! days, "none" for a day (LRCLIB looks missing songs up later). A cached answer costs no
//! network call; an expired one is still shown when LRCLIB cannot be reached.

mod error;
mod find;
pub mod lrc;
pub mod lrclib;
pub mod versions;

pub use error::LyricsError;
pub use lrc::LyricLine;
pub use lrclib::{Lrclib, Query, Record};

use crate::cache::{Cache, LyricsRow};
use crate::memo::Memo;
use crate::spotify::models::Track;
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use ts_rs::TS;
use url::Url;

/// How long found lyrics are kept.
pub const FOUND_FOR: Duration = Duration::from_secs(30 * 24 * 3600);
/// How long "no lyrics" is kept before LRCLIB is asked again.
pub const NOT_FOUND_FOR: Duration = Duration::from_secs(24 * 3600);

/// The record at LRCLIB that the lyrics came from, credited on the card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LyricsSource {
    /// The record's ID at LRCLIB.
    #[ts(type = "number")]
    pub id: i64,
    /// The record at lrclib.net.
    pub url: String,
}

/// What a track's lyrics card shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Lyrics {
    /// The words; timed when `synced`, so the now page can follow the song.
    Words {
        /// Whether the lines are timed (an untimed line among timed ones has no start).
        synced: bool,
        /// The lines; an empty text is a pause or a stanza break.
        lines: Vec<LyricLine>,
        /// Whether some words are in a script other than Latin (a romanisation is offered).
        romanisable: bool,
        /// Where they came from.
        source: LyricsSource,
    },
    /// LRCLIB marks the track instrumental.
    Instrumental {
        /// Where that came from.
        source: LyricsSource,
    },
    /// LRCLIB has no lyrics for the track.
    NotFound,
}

impl Lyrics {
    /// The lyrics of a chosen record (or of none).
    pub fn from_record(record: Option<&Record>) -> Self {
        let Some(record) = record else {
            return Self::NotFound;
        };
        let source = LyricsSource {
            id: record.id,
            url: format!("https://lrclib.net/api/get/{}", record.id),
        };
        if let Some(lines) = record.synced_lyrics.as_deref().and_then(lrc::parse_synced) {
            return Self::words(true, lines, source);
        }
        // Plain text, or "synced" text without usable timing, shown without its timestamps.
        let text = record
            .plain_lyrics
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .or(record.synced_lyrics.as_deref())
            .unwrap_or_default();
        let lines: Vec<LyricLine> = lrc::plain_lines(text)
            .into_iter()
            .map(|text| LyricLine {
                start_ms: None,
                text,
            })
            .collect();
        if lines.iter().any(|l| !l.text.is_empty()) {
            Self::words(false, lines, source)
        } else if record.instrumental {
            Self::Instrumental { source }
        } else {
            Self::NotFound
        }
    }

    fn words(synced: bool, lines: Vec<LyricLine>, source: LyricsSource) -> Self {
        Self::Words {
            synced,
            romanisable: versions::needs_romanisation(lines.iter().map(|l| l.text.as_str())),
            lines,
            source,
        }
    }

    /// The lines with words, when there are any.
    pub fn lines(&self) -> &[LyricLine] {
        match self {
            Self::Words { lines, .. } => lines,
            _ => &[],
        }
    }
}

/// Finds, keeps and serves lyrics. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct LyricsService {
    inner: Arc<Inner>,
}

struct Inner {
    lrclib: Lrclib,
    cache: Cache,
    /// One LRCLIB lookup per track at a time (the now page and a track page may ask together).
    flights: Memo<String, Lyrics>,
}

impl LyricsService {
    /// Lyrics from the LRCLIB server at `base`, kept in `cache`.
    pub fn new(base: Url, cache: Cache) -> Self {
        Self {
            inner: Arc::new(Inner {
                lrclib: Lrclib::new(base),
                cache,
                flights: Memo::new(64, |_| Some(Duration::ZERO)),
            }),
        }
    }

    /// The lyrics of `track`: from the cache while fresh, else from LRCLIB (and kept).
    pub async fn for_track(&self, track: &Track) -> Result<Lyrics, LyricsError> {
        let key = track.id.as_str().to_string();
        let stored = self.inner.cache.lyrics(&key)?;
        if let Some(row) = stored.as_ref().filter(|row| fresh(row)) {
            return Ok(read(row));
        }
        let fetched = self
            .inner
            .flights
            .get(&key, || self.fetch(track, key.clone()))
            .await;
        match (fetched, stored) {
            (Ok(lyrics), _) => Ok(lyrics),
            (Err(error), Some(stale)) => {
                tracing::info!(%error, "LRCLIB failed; showing the lyrics kept earlier");
                Ok(read(&stale))
            }
            (Err(error), None) => Err(error),
        }
    }

    async fn fetch(&self, track: &Track, key: String) -> Result<Lyrics, LyricsError> {
        let record = find::find(&self.inner.lrclib, &query(track)).await?;
        let row = LyricsRow {
            track_id: key,
            record: record.as_ref().and_then(|r| serde_json::to_string(r).ok()),
            fetched_at: now(),
        };
        if let Err(error) = self.inner.cache.put_lyrics(&row) {
            tracing::warn!(%error, "could not keep the lyrics");
        }
        Ok(Lyrics::from_record(record.as_ref()))
    }
}

/// What LRCLIB is asked for a track: its title, first artist, album and length.
pub fn query(track: &Track) -> Query {
    Query::new(
        &track.name,
        track.artists.first().map_or("", |a| a.name.as_str()),
        track.album.as_ref().map(|a| a.name.as_str()),
        track.duration_ms,
    )
}

fn read(row: &LyricsRow) -> Lyrics {
    let record = row
        .record
        .as_deref()
        .and_then(|json| serde_json::from_str::<Record>(json).ok());
    Lyrics::from_record(record.as_ref())
}

fn fresh(row: &LyricsRow) -> bool {
    let keep = if row.record.is_some() {
        FOUND_FOR
    } else {
        NOT_FOUND_FOR
    };
    now().saturating_sub(row.fetched_at) < keep.as_secs() as i64
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

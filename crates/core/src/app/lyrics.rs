//! What the model writes about a track's lyrics: one line explained (with the song's facts),
//! the whole lyric translated or romanised line by line. Each is asked once and cached like an
//! insight.

use super::{AppError, Services};
use crate::facts::Lookup;
use crate::insight::{InsightError, InsightEvent, Subject};
use crate::lyrics::versions::{align, LyricsTask};
use crate::lyrics::LyricsError;
use crate::spotify::TrackId;

impl Services {
    /// Explains line `line` of a track's lyrics into `sink`, ending with `Done` or `Failed`.
    pub async fn explain_lyric_line(
        &self,
        id: &TrackId,
        line: u32,
        regenerate: bool,
        sink: impl Fn(InsightEvent) + Send + Sync + 'static,
    ) -> Result<(), AppError> {
        let track = self.track(id).await?;
        let lyrics = self.lyric_lines(&track).await?;
        let line = line as usize;
        if lyrics.get(line).is_none_or(|l| l.trim().is_empty()) {
            return Err(AppError::Lyrics(LyricsError::NoSuchLine));
        }
        let subject = Subject::LyricLine {
            track: Box::new(Subject::from(&track)),
            lyrics,
            line,
        };
        let _ = self
            .stream(subject, Some(Lookup::track(&track)), regenerate, sink)
            .await;
        Ok(())
    }

    /// The lyrics translated into the insights' language, or romanised: one entry per line of
    /// the lyrics (`None` where the model gave nothing for it). `sink` sees the answer stream.
    pub async fn lyrics_version(
        &self,
        id: &TrackId,
        task: LyricsTask,
        sink: impl Fn(InsightEvent) + Send + Sync + 'static,
    ) -> Result<Vec<Option<String>>, AppError> {
        let track = self.track(id).await?;
        let lyrics = self.lyric_lines(&track).await?;
        let count = lyrics.len();
        let subject = Subject::LyricsVersion {
            track: Box::new(Subject::from(&track)),
            lyrics,
            task,
        };
        let insight = self.stream(subject, None, false, sink).await?;
        let lines = align(&insight.text, count);
        if lines.iter().all(Option::is_none) {
            return Err(AppError::Insight(InsightError::Empty));
        }
        Ok(lines)
    }

    /// The texts of a track's lyric lines; an error when it has none.
    async fn lyric_lines(
        &self,
        track: &crate::spotify::models::Track,
    ) -> Result<Vec<String>, AppError> {
        let lyrics = self
            .lyrics
            .for_track(track)
            .await
            .map_err(AppError::Lyrics)?;
        let lines: Vec<String> = lyrics.lines().iter().map(|l| l.text.clone()).collect();
        if lines.is_empty() {
            return Err(AppError::Lyrics(LyricsError::NoSuchLine));
        }
        Ok(lines)
    }
}

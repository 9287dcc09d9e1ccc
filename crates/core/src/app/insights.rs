//! The insights of track and artist pages, streamed to the page or fetched in the background.

use super::{AppError, Services};
use crate::facts::Lookup;
use crate::insight::{Insight, InsightError, InsightEvent, InsightKind, Subject};
use crate::spotify::{ArtistId, TrackId};
use crate::UiError;
use std::sync::Arc;

impl Services {
    /// Both insights of a track page, concurrently, each ending its stream with `Failed` when it
    /// cannot be written; the outer error is about the track itself.
    pub async fn track_insights(
        &self,
        id: &TrackId,
        regenerate: Option<InsightKind>,
        on_track: impl Fn(InsightEvent) + Send + Sync + 'static,
        on_artists: impl Fn(InsightEvent) + Send + Sync + 'static,
    ) -> Result<(Result<(), AppError>, Result<(), AppError>), AppError> {
        let track = self.track(id).await?;
        let (a, b) = tokio::join!(
            self.stream(
                Subject::from(&track),
                Some(Lookup::track(&track)),
                regenerate == Some(InsightKind::Track),
                on_track
            ),
            self.stream(
                Subject::artists_of(&track),
                Some(Lookup::artists(&track)),
                regenerate == Some(InsightKind::TrackArtists),
                on_artists
            ),
        );
        Ok((
            a.map(drop).map_err(Into::into),
            b.map(drop).map_err(Into::into),
        ))
    }

    /// Regenerates one of a track page's insights. A failure to write it ends the stream with
    /// `Failed`; the error returned is about the track itself.
    pub async fn track_insight(
        &self,
        id: &TrackId,
        kind: InsightKind,
        sink: impl Fn(InsightEvent) + Send + Sync + 'static,
    ) -> Result<(), AppError> {
        let track = self.track(id).await?;
        let (subject, lookup) = match kind {
            InsightKind::TrackArtists => (Subject::artists_of(&track), Lookup::artists(&track)),
            _ => (Subject::from(&track), Lookup::track(&track)),
        };
        let _ = self.stream(subject, Some(lookup), true, sink).await;
        Ok(())
    }

    /// Streams one insight into `sink`, ending with [`InsightEvent::Failed`] when it cannot be
    /// written, so the page learns every outcome from the one stream.
    /// After `Done`, a [`InsightEvent::BetterFacts`] follows when lookups that were not back
    /// in time have since brought more facts (checked in the background, no model call).
    pub(super) async fn stream(
        &self,
        subject: Subject,
        lookup: Option<Lookup>,
        regenerate: bool,
        sink: impl Fn(InsightEvent) + Send + Sync + 'static,
    ) -> Result<Insight, InsightError> {
        let sink = Arc::new(sink);
        let events = sink.clone();
        let result = self
            .insights
            .get_grounded(subject, lookup.clone(), regenerate, move |event| {
                events(event)
            })
            .await;
        match (&result, lookup) {
            (Err(error), _) => sink(InsightEvent::Failed {
                error: UiError::from(error),
            }),
            (Ok(insight), Some(lookup)) => {
                let (insights, insight) = (self.insights.clone(), insight.clone());
                tokio::spawn(async move {
                    if let Some(better) = insights.better_facts(&lookup, &insight).await {
                        sink(better);
                    }
                });
            }
            (Ok(_), None) => {}
        }
        result
    }

    /// Fetches a track's insights in the background; returns the track insight for the tray.
    pub async fn prefetch_track_insights(&self, id: &TrackId) -> Result<Insight, AppError> {
        let track = self.track(id).await?;
        let (track_insight, _) = tokio::join!(
            self.insights.get_grounded(
                Subject::from(&track),
                Some(Lookup::track(&track)),
                false,
                |_| {}
            ),
            self.insights.get_grounded(
                Subject::artists_of(&track),
                Some(Lookup::artists(&track)),
                false,
                |_| {}
            ),
        );
        Ok(track_insight?)
    }

    /// An artist page's insight; `regenerate` replaces the saved one. A failure to write it ends
    /// the stream with `Failed`; the error returned is about the artist itself.
    pub async fn artist_insight(
        &self,
        id: &ArtistId,
        regenerate: bool,
        sink: impl Fn(InsightEvent) + Send + Sync + 'static,
    ) -> Result<(), AppError> {
        // Facts need only the Spotify ID: they start while Spotify is asked for the artist.
        let lookup = Lookup::artist(id.clone());
        let key = id.as_str().to_string();
        self.insights
            .warm_facts(InsightKind::Artist, key, lookup.clone(), regenerate)
            .await;
        let artist = self.artist(id).await?;
        let subject = Subject::Artist {
            id: artist.id,
            name: artist.name,
        };
        let _ = self.stream(subject, Some(lookup), regenerate, sink).await;
        Ok(())
    }

    /// The background fetch of the playing track's insights, if the user's setting allows it
    /// now: it sends their listening to the model server and costs money. `None` when skipped.
    pub async fn background_track_insights(
        &self,
        id: &TrackId,
        window_visible: bool,
    ) -> Result<Option<Insight>, AppError> {
        if !self.config.background_insights.allows(window_visible) {
            tracing::debug!(setting = ?self.config.background_insights, "background insights skipped");
            return Ok(None);
        }
        self.prefetch_track_insights(id).await.map(Some)
    }
}

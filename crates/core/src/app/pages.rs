//! A page in one call: the track, artist or album page asks once and receives, in order, the
//! view, then (as they come) the heart's state, the lyrics, the model's shutdown notice and the
//! insights' streams. The subject is looked up once; nothing comes back to the page for a second lookup.

use super::{AppError, Services};
use crate::facts::Lookup;
use crate::insight::{InsightEvent, InsightKind, Subject};
use crate::lyrics::Lyrics;
use crate::spotify::models::{Artist, Track};
use crate::spotify::{AlbumId, AlbumPage, ArtistId, TrackId};
use crate::UiError;
use serde::Serialize;
use std::sync::Arc;
use ts_rs::TS;

/// One part of a page, streamed to the window.
#[derive(Clone, Debug, Serialize, TS)]
#[serde(
    tag = "part",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum PagePart<V> {
    /// What the page shows of its subject, first.
    View {
        /// The subject's view model.
        view: V,
    },
    /// Whether the track is in the user's saved items, or why that is not known.
    Liked {
        /// The state, when Spotify said.
        liked: Option<bool>,
        /// Why it is not known (an old sign-in without the scope, a blip).
        error: Option<UiError>,
    },
    /// The track's lyrics, or why they could not be had.
    Lyrics {
        /// What LRCLIB has, when it could be asked (or was, earlier).
        lyrics: Option<Lyrics>,
        /// Why it could not be asked.
        error: Option<UiError>,
    },
    /// The model in use has a shutdown date: the insight cards say so.
    ModelRetiring {
        /// The model.
        model: String,
        /// When it shuts down, as the server gave it.
        shutdown_date: String,
    },
    /// An event of one of the page's insights.
    Insight {
        /// Which insight (a track page has two).
        card: InsightKind,
        /// What happened to it.
        event: InsightEvent,
    },
}

/// Where a page's parts go.
type Parts<V> = Arc<dyn Fn(PagePart<V>) + Send + Sync>;

impl Services {
    /// The track page: the track, then its heart, lyrics, the model notice and both insights
    /// (the lyrics wait for nothing and nothing waits for them).
    pub async fn track_page(
        &self,
        id: &TrackId,
        on_part: impl Fn(PagePart<Track>) + Send + Sync + 'static,
    ) -> Result<(), AppError> {
        let on_part: Parts<Track> = Arc::new(on_part);
        let track = self.track(id).await?;
        on_part(PagePart::View {
            view: track.clone(),
        });
        let liked = async {
            let part = match self.liked(id).await {
                Ok(liked) => PagePart::Liked {
                    liked: Some(liked),
                    error: None,
                },
                Err(error) => PagePart::Liked {
                    liked: None,
                    error: Some(UiError::from(&error)),
                },
            };
            on_part(part);
        };
        let lyrics = async {
            let part = match self.lyrics.for_track(&track).await {
                Ok(lyrics) => PagePart::Lyrics {
                    lyrics: Some(lyrics),
                    error: None,
                },
                Err(error) => PagePart::Lyrics {
                    lyrics: None,
                    error: Some(UiError::from(&error)),
                },
            };
            on_part(part);
        };
        let track_card = self.stream(
            Subject::from(&track),
            Some(Lookup::track(&track)),
            false,
            insight_sink(&on_part, InsightKind::Track),
        );
        let artists_card = self.stream(
            Subject::artists_of(&track),
            Some(Lookup::artists(&track)),
            false,
            insight_sink(&on_part, InsightKind::TrackArtists),
        );
        let _ = tokio::join!(
            liked,
            lyrics,
            self.model_notice(&on_part),
            track_card,
            artists_card
        );
        Ok(())
    }

    /// The artist page: the artist, then the model notice and its insight.
    pub async fn artist_page(
        &self,
        id: &ArtistId,
        on_part: impl Fn(PagePart<Artist>) + Send + Sync + 'static,
    ) -> Result<(), AppError> {
        let on_part: Parts<Artist> = Arc::new(on_part);
        // Facts need only the Spotify ID: they start while Spotify is asked for the artist.
        let lookup = Lookup::artist(id.clone());
        self.insights
            .warm_facts(
                InsightKind::Artist,
                id.as_str().to_string(),
                lookup.clone(),
                false,
            )
            .await;
        let artist = self.artist(id).await?;
        on_part(PagePart::View {
            view: artist.clone(),
        });
        let subject = Subject::Artist {
            id: artist.id,
            name: artist.name,
        };
        let card = self.stream(
            subject,
            Some(lookup),
            false,
            insight_sink(&on_part, InsightKind::Artist),
        );
        let _ = tokio::join!(self.model_notice(&on_part), card);
        Ok(())
    }

    /// The album page: the album with one page of its tracks, then the model notice and its
    /// insight.
    pub async fn album_page(
        &self,
        id: &AlbumId,
        offset: u32,
        on_part: impl Fn(PagePart<AlbumPage>) + Send + Sync + 'static,
    ) -> Result<(), AppError> {
        let on_part: Parts<AlbumPage> = Arc::new(on_part);
        let page = self.album(id, offset).await?;
        let (subject, lookup) = Self::album_subject(&page.album);
        on_part(PagePart::View { view: page });
        let card = self.stream(
            subject,
            Some(lookup),
            false,
            insight_sink(&on_part, InsightKind::Album),
        );
        let _ = tokio::join!(self.model_notice(&on_part), card);
        Ok(())
    }

    /// Sends the model's shutdown date when it has one (read from the server's list, kept a
    /// while); says nothing otherwise, nor when the list cannot be read.
    async fn model_notice<V>(&self, on_part: &Parts<V>) {
        if let Ok(status) = self.model_status(false).await {
            if let Some(shutdown_date) = status.shutdown_date {
                on_part(PagePart::ModelRetiring {
                    model: status.model,
                    shutdown_date,
                });
            }
        }
    }
}

/// The sink of one insight card of a page.
fn insight_sink<V: 'static>(
    on_part: &Parts<V>,
    card: InsightKind,
) -> impl Fn(InsightEvent) + Send + Sync + 'static {
    let on_part = on_part.clone();
    move |event| on_part(PagePart::Insight { card, event })
}

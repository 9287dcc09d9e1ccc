//! Finding anything: search, album pages with their insight, and the heart on track pages.

use super::{AppError, Services};
use crate::facts::Lookup;
use crate::insight::{InsightEvent, Subject};
use crate::spotify::models::Album;
use crate::spotify::{AlbumId, AlbumPage, SearchResults, TrackId};

impl Services {
    /// One page of tracks, artists and albums matching `query`.
    pub async fn search(&self, query: &str, offset: u32) -> Result<SearchResults, AppError> {
        Ok(self.spotify()?.search(query, offset).await?)
    }

    /// An album and one page of its tracks.
    pub async fn album(&self, id: &AlbumId, offset: u32) -> Result<AlbumPage, AppError> {
        Ok(self.spotify()?.album_page(id, offset).await?)
    }

    /// An album page's insight, grounded in what the open sources say about its artists;
    /// `regenerate` replaces the saved one. A failure to write it ends the stream with
    /// `Failed`; the error returned is about the album itself.
    pub async fn album_insight(
        &self,
        id: &AlbumId,
        regenerate: bool,
        sink: impl Fn(InsightEvent) + Send + Sync + 'static,
    ) -> Result<(), AppError> {
        let album = self.spotify()?.album(id).await?;
        let (subject, lookup) = Self::album_subject(&album);
        let _ = self.stream(subject, Some(lookup), regenerate, sink).await;
        Ok(())
    }

    /// What an album's insight is about, and the facts to look up for it (its artists').
    pub(super) fn album_subject(album: &Album) -> (Subject, Lookup) {
        let lookup = Lookup::Artists {
            artists: album
                .artists
                .iter()
                .filter_map(|a| Some((a.id.clone()?, a.name.clone())))
                .collect(),
            recording: None,
        };
        (Subject::from(album), lookup)
    }

    /// Whether the track is in the user's library.
    pub async fn liked(&self, id: &TrackId) -> Result<bool, AppError> {
        Ok(self.spotify()?.is_saved(id).await?)
    }

    /// Saves the track to the user's library (`liked`) or removes it; returns the new state.
    pub async fn set_liked(&self, id: &TrackId, liked: bool) -> Result<bool, AppError> {
        self.spotify()?.set_saved(id, liked).await?;
        Ok(liked)
    }
}

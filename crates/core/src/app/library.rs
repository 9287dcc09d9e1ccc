//! Reading the user's Spotify: now playing, playlists, tracks and artists.

use super::{AppError, Services};
use crate::spotify::models::{Artist, Page, PlaylistSummary, Track};
use crate::spotify::{ArtistId, PlaylistId, PlaylistPage, SpotifyClient, TrackId};
use std::time::Duration;

impl Services {
    /// One page of the user's playlists.
    pub async fn playlists(&self, offset: u32) -> Result<Page<PlaylistSummary>, AppError> {
        Ok(self.spotify()?.playlists(offset).await?)
    }

    /// A playlist and one page of its items, or why Spotify withholds them.
    pub async fn playlist(&self, id: &PlaylistId, offset: u32) -> Result<PlaylistPage, AppError> {
        Ok(self.spotify()?.playlist_page(id, offset).await?)
    }

    /// How long Spotify still bans this app's calls, if it does (the poller sleeps it out).
    pub fn spotify_blocked_for(&self) -> Option<Duration> {
        self.spotify.as_ref().and_then(SpotifyClient::blocked_for)
    }

    /// A track's details, from the memo when it was fetched in the last few minutes; concurrent
    /// first asks for the same track share one Spotify call.
    pub async fn track(&self, id: &TrackId) -> Result<Track, AppError> {
        Ok(self.tracks.track(self.spotify()?, id).await?)
    }

    /// An artist's details.
    pub async fn artist(&self, id: &ArtistId) -> Result<Artist, AppError> {
        Ok(self.spotify()?.artist(id).await?)
    }
}

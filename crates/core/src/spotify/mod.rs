//! Spotify Web API: validated IDs, tolerant wire models, view models for the UI, and a client
//! with token refresh and bounded retries.

mod album;
mod client;
pub mod error;
mod http;
pub mod ids;
mod library;
mod memo;
pub mod models;
pub mod playback;
pub mod player;
mod playlist_page;
mod search;

pub use client::SpotifyClient;
pub use error::SpotifyError;
pub use http::RetryPolicy;
pub use ids::{is_id, AlbumId, ArtistId, EpisodeId, PlaylistId, TrackId};
pub use memo::TrackMemo;
pub use models::{
    Album, AlbumPage, AlbumRef, Artist, ArtistRef, Image, NowPlaying, Page, Playlist,
    PlaylistEntry, PlaylistSummary, SearchResults, Track, User, PAGE_SIZE,
};
pub use playback::{PlayRequest, Playback, PlaybackContext};
pub use playlist_page::{ItemsRefusal, PlaylistItems, PlaylistPage};

//! A playlist page as Spotify allows it today: the header of any playlist, and its items only
//! where Spotify lets this app list them (Development Mode: owned or collaborative playlists).

use super::client::SpotifyClient;
use super::ids::PlaylistId;
use super::models::{Page, Playlist, PlaylistEntry};
use super::SpotifyError;
use serde::Serialize;
use ts_rs::TS;

/// A playlist with one page of its items, or why Spotify withholds them.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlaylistPage {
    /// The playlist itself (header, play buttons).
    pub playlist: Playlist,
    /// One page of its items, or the refusal.
    pub items: PlaylistItems,
}

/// What the items part of a playlist page holds.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(
    tag = "state",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum PlaylistItems {
    /// Spotify listed them.
    Listed {
        /// One page of items.
        page: Page<PlaylistEntry>,
    },
    /// Spotify refused them for a reason that opening the playlist in Spotify gets around.
    Unavailable {
        /// Why, in a word the UI can use.
        reason: ItemsRefusal,
        /// One sentence for the user.
        message: String,
    },
}

/// Why Spotify refuses a playlist's items to this app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ItemsRefusal {
    /// The user follows it but neither owns nor collaborates on it (403).
    NotOwned,
    /// One of Spotify's own editorial or algorithmic playlists (404).
    SpotifyOwned,
}

impl ItemsRefusal {
    fn message(self) -> &'static str {
        match self {
            Self::NotOwned => "Spotify lets apps in Development Mode list the songs only of playlists you own or collaborate on, so open this one in Spotify to see and play them.",
            Self::SpotifyOwned => "Spotify does not share the songs of its own editorial and personalised playlists with apps in Development Mode, so open this one in Spotify to see and play them.",
        }
    }
}

impl SpotifyClient {
    /// A playlist's header and one page of its items, asked concurrently. A refusal of the
    /// items alone (403 for a followed playlist, 404 for Spotify's own) still gives the page;
    /// when Spotify hides even the header, the one remembered from the playlists list is used.
    pub async fn playlist_page(
        &self,
        id: &PlaylistId,
        offset: u32,
    ) -> Result<PlaylistPage, SpotifyError> {
        let (playlist, items) = tokio::join!(self.playlist(id), self.playlist_items(id, offset));
        let playlist = match playlist {
            Ok(playlist) => playlist,
            Err(SpotifyError::NotFound { reason }) => self
                .listed_playlist(id)
                .ok_or(SpotifyError::NotFound { reason })?,
            Err(error) => return Err(error),
        };
        let items = match items {
            Ok(page) => PlaylistItems::Listed { page },
            Err(SpotifyError::Forbidden { .. }) => refused(ItemsRefusal::NotOwned),
            Err(SpotifyError::NotFound { .. }) if playlist.is_spotify_owned() => {
                refused(ItemsRefusal::SpotifyOwned)
            }
            Err(SpotifyError::NotFound { .. }) if playlist.followed => {
                refused(ItemsRefusal::NotOwned)
            }
            Err(error) => return Err(error),
        };
        Ok(PlaylistPage { playlist, items })
    }
}

fn refused(reason: ItemsRefusal) -> PlaylistItems {
    PlaylistItems::Unavailable {
        reason,
        message: reason.message().to_string(),
    }
}

//! Spotify's data in three rooms: [`wire`] (what Spotify sends, both generations of its JSON),
//! [`view`] (what the page receives) and `convert` (the one place that turns one into the other).

mod album;
mod convert;
mod search;
mod view;
mod wire;

pub(crate) use album::WireFullAlbum;
pub use album::{Album, AlbumPage};
pub(crate) use search::WireSearch;
pub use search::{SearchResults, SEARCH_LIMIT};
pub use view::*;
pub(crate) use wire::{
    WireArtist, WireCurrentlyPlaying, WireItem, WirePaging, WirePlaylist, WirePlaylistItem,
    WireUser,
};

/// Items per page for playlists and playlist items.
pub const PAGE_SIZE: u32 = 10;

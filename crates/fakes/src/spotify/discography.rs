//! The library's albums as their own pages show them: each album with its tracks (the library
//! tracks on it, in library order) and its artists (those of its first track), so an album
//! page, a track's `album` and a search result always agree on IDs.

use super::library::{library, Album, ALBUM_COUNT};
use std::sync::OnceLock;

/// An album with 14 tracks: two pages of 10 on its page.
pub const LONG_ALBUM_ID: &str = "6alb000000000000000000";
/// Number of tracks on [`LONG_ALBUM_ID`].
pub const LONG_ALBUM_TRACKS: usize = 14;
/// An album by [`super::library::HOSTILE_ARTIST_ID`], holding [`super::library::HOSTILE_TRACK_ID`].
pub const HOSTILE_ALBUM_ID: &str = "6alb000000000000000002";
/// A well-formed album ID the fake does not know (404).
pub const UNKNOWN_ALBUM_ID: &str = "6alb999999999999999999";
/// A search query matching more than one page of tracks, an artist and two albums.
pub const VELVET_QUERY: &str = "velvet";

/// An album with what its page lists.
#[derive(Clone, Debug)]
pub struct AlbumPage {
    /// Index into the library's albums.
    pub album: usize,
    /// Indices into the library's artists.
    pub artists: Vec<usize>,
    /// Indices into the library's tracks, in album order.
    pub tracks: Vec<usize>,
}

impl AlbumPage {
    /// The library album.
    pub fn album(&self) -> &'static Album {
        &library().albums[self.album]
    }
}

/// Every album, in library order.
pub fn albums() -> &'static [AlbumPage] {
    static ALBUMS: OnceLock<Vec<AlbumPage>> = OnceLock::new();
    ALBUMS.get_or_init(|| {
        let lib = library();
        (0..ALBUM_COUNT)
            .map(|album| {
                let tracks: Vec<usize> = (0..lib.tracks.len())
                    .filter(|&t| lib.tracks[t].album == album)
                    .collect();
                let artists = tracks
                    .first()
                    .map(|&t| lib.tracks[t].artists.clone())
                    .unwrap_or_default();
                AlbumPage {
                    album,
                    artists,
                    tracks,
                }
            })
            .collect()
    })
}

/// The album with this ID.
pub fn album(id: &str) -> Option<&'static AlbumPage> {
    albums().iter().find(|a| a.album().id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spotify::library::{HOSTILE_ARTIST_ID, HOSTILE_TRACK_ID};

    #[test]
    fn constants_match_the_data() {
        let lib = library();
        assert_eq!(
            album(LONG_ALBUM_ID).unwrap().tracks.len(),
            LONG_ALBUM_TRACKS
        );
        let hostile = album(HOSTILE_ALBUM_ID).unwrap();
        assert_eq!(lib.artists[hostile.artists[0]].id, HOSTILE_ARTIST_ID);
        assert_eq!(lib.tracks[hostile.tracks[0]].id, HOSTILE_TRACK_ID);
        assert!(album(UNKNOWN_ALBUM_ID).is_none());
        // Every track is on exactly one album page, and every album has tracks.
        let listed: usize = albums().iter().map(|a| a.tracks.len()).sum();
        assert_eq!(listed, lib.tracks.len());
        assert!(albums().iter().all(|a| !a.tracks.is_empty()));
    }
}

//! Deterministic sample library served by the fake: the same data on every run, with the awkward
//! cases a real library contains (local files, episodes, null and unavailable items, hostile text).

use std::sync::OnceLock;

mod names;
use names::{ARTIST_NAMES, GENRES, WORDS_A, WORDS_B};

/// Display name of the signed-in fake user.
pub const USER_NAME: &str = "Demo Listener";
/// Spotify user ID of the fake user.
pub const USER_ID: &str = "demolistener";
/// Number of playlists returned by `GET /me/playlists`.
pub const PLAYLIST_COUNT: usize = 23;
/// Number of distinct tracks in the library.
pub const TRACK_COUNT: usize = 130;
/// Number of artists in the library.
pub const ARTIST_COUNT: usize = 30;
/// Number of albums in the library.
pub const ALBUM_COUNT: usize = 20;

/// The first playlist: exactly [`BIG_PLAYLIST_ITEMS`] items, including every special kind.
pub const BIG_PLAYLIST_ID: &str = "7pls000000000000000000";
/// Number of items in [`BIG_PLAYLIST_ID`].
pub const BIG_PLAYLIST_ITEMS: usize = 123;
/// Index in [`BIG_PLAYLIST_ID`] of the multi-artist track.
pub const BIG_PLAYLIST_MULTI_ARTIST_INDEX: usize = 0;
/// Index in [`BIG_PLAYLIST_ID`] of the hostile-text track.
pub const BIG_PLAYLIST_HOSTILE_INDEX: usize = 1;
/// Index in [`BIG_PLAYLIST_ID`] of the unavailable track (`is_playable: false`).
pub const BIG_PLAYLIST_UNAVAILABLE_INDEX: usize = 2;
/// Index in [`BIG_PLAYLIST_ID`] of the local file (`is_local: true`, null IDs).
pub const BIG_PLAYLIST_LOCAL_FILE_INDEX: usize = 4;
/// Index in [`BIG_PLAYLIST_ID`] of the podcast episode.
pub const BIG_PLAYLIST_EPISODE_INDEX: usize = 6;
/// Index in [`BIG_PLAYLIST_ID`] of the null item (a track removed from Spotify).
pub const BIG_PLAYLIST_NULL_ITEM_INDEX: usize = 8;
/// A playlist with no items.
pub const EMPTY_PLAYLIST_ID: &str = "7pls000000000000000001";
/// A playlist with exactly 10 items (one full page).
pub const TEN_ITEM_PLAYLIST_ID: &str = "7pls000000000000000002";
/// A playlist whose name and description hold HTML-like hostile text.
pub const HOSTILE_PLAYLIST_ID: &str = "7pls000000000000000003";
/// Name of [`HOSTILE_PLAYLIST_ID`].
pub const HOSTILE_PLAYLIST_NAME: &str =
    "Late Night <script>alert(\"pl\")</script> & \"Friends\" 🎉";

/// A playlist the user follows: another listener owns it, it is not collaborative, so a
/// Development Mode app gets its header but 403 for its items.
pub const FOLLOWED_PLAYLIST_ID: &str = "7pls000000000000000004";
/// Owner (display name) of [`FOLLOWED_PLAYLIST_ID`].
pub const FOLLOWED_PLAYLIST_OWNER: &str = "Music Friend";
/// A collaborative playlist owned by someone else: its items are open to the user.
pub const COLLABORATIVE_PLAYLIST_ID: &str = "7pls000000000000000005";
/// One of Spotify's own editorial playlists: 404 for its header and items in Development Mode.
pub const SPOTIFY_OWNED_PLAYLIST_ID: &str = "7pls000000000000000006";

/// A plain track: one artist, album with images.
pub const PLAIN_TRACK_ID: &str = "4trk000000000000000000";
/// A track with three artists.
pub const MULTI_ARTIST_TRACK_ID: &str = "4trk000000000000000001";
/// A track whose name is hostile HTML, by [`HOSTILE_ARTIST_ID`].
pub const HOSTILE_TRACK_ID: &str = "4trk000000000000000002";
/// Name of [`HOSTILE_TRACK_ID`].
pub const HOSTILE_TRACK_NAME: &str = "<script>alert(\"t\")</script> Don't \"Stop\" 🎵";
/// A track that is not playable in the user's market.
pub const UNAVAILABLE_TRACK_ID: &str = "4trk000000000000000003";
/// A track on [`ALBUM_WITHOUT_IMAGES_ID`].
pub const TRACK_WITHOUT_ALBUM_IMAGE_ID: &str = "4trk000000000000000004";
/// An album with an empty `images` list.
pub const ALBUM_WITHOUT_IMAGES_ID: &str = "6alb000000000000000001";
/// An artist with images and genres.
pub const ARTIST_WITH_IMAGE_ID: &str = "5art000000000000000000";
/// An artist whose name is hostile HTML.
pub const HOSTILE_ARTIST_ID: &str = "5art000000000000000001";
/// Name of [`HOSTILE_ARTIST_ID`].
pub const HOSTILE_ARTIST_NAME: &str = "<img src=x onerror=alert(1)>";
/// An artist with no images.
pub const ARTIST_WITHOUT_IMAGE_ID: &str = "5art000000000000000002";
/// The podcast episode found in [`BIG_PLAYLIST_ID`] and in now-playing `Episode`.
pub const EPISODE_ID: &str = "8epi000000000000000000";

/// A fake artist.
#[derive(Clone, Debug)]
pub struct Artist {
    pub id: String,
    pub name: String,
    /// Image name served at `/images/{name}.png`; `None` = no images.
    pub image: Option<String>,
    pub genres: Vec<String>,
    pub followers: u64,
    pub popularity: u8,
}

/// A fake album.
#[derive(Clone, Debug)]
pub struct Album {
    pub id: String,
    pub name: String,
    pub image: Option<String>,
    pub release_date: String,
    /// `day` or `year`, as in Spotify's `release_date_precision`.
    pub release_date_precision: &'static str,
}

/// A fake track.
#[derive(Clone, Debug)]
pub struct Track {
    pub id: String,
    pub name: String,
    /// Indices into [`Library::artists`].
    pub artists: Vec<usize>,
    /// Index into [`Library::albums`].
    pub album: usize,
    pub duration_ms: u64,
    pub explicit: bool,
    pub is_playable: bool,
}

/// One entry of a playlist.
#[derive(Clone, Debug)]
pub enum Item {
    /// Index into [`Library::tracks`].
    Track(usize),
    /// A file from the user's computer: no IDs at all.
    LocalFile {
        name: &'static str,
        artist: &'static str,
        album: &'static str,
        duration_ms: u64,
    },
    /// The library's podcast episode.
    Episode,
    /// `track`/`item` is null (removed from Spotify).
    Null,
}

/// A fake playlist.
#[derive(Clone, Debug)]
pub struct Playlist {
    pub id: String,
    pub name: String,
    pub description: String,
    pub owner_id: &'static str,
    pub owner_name: Option<&'static str>,
    /// Others may edit it, which opens its items to them.
    pub collaborative: bool,
    pub image: Option<String>,
    pub items: Vec<Item>,
}

impl Playlist {
    /// Whether a Development Mode app may list its items for the fake user.
    pub fn items_open_to_user(&self) -> bool {
        self.owner_id == USER_ID || self.collaborative
    }

    /// One of Spotify's own playlists.
    pub fn spotify_owned(&self) -> bool {
        self.owner_id == "spotify"
    }
}

/// A fake podcast episode.
#[derive(Clone, Debug)]
pub struct Episode {
    pub id: &'static str,
    pub name: &'static str,
    pub show_id: &'static str,
    pub show_name: &'static str,
    pub duration_ms: u64,
}

/// The whole sample library.
#[derive(Debug)]
pub struct Library {
    pub artists: Vec<Artist>,
    pub albums: Vec<Album>,
    pub tracks: Vec<Track>,
    pub playlists: Vec<Playlist>,
    pub episode: Episode,
}

impl Library {
    /// The track with this ID.
    pub fn track(&self, id: &str) -> Option<&Track> {
        self.tracks.iter().find(|t| t.id == id)
    }

    /// The artist with this ID.
    pub fn artist(&self, id: &str) -> Option<&Artist> {
        self.artists.iter().find(|a| a.id == id)
    }

    /// The playlist with this ID.
    pub fn playlist(&self, id: &str) -> Option<&Playlist> {
        self.playlists.iter().find(|p| p.id == id)
    }
}

/// The shared library (built once).
pub fn library() -> &'static Library {
    static LIBRARY: OnceLock<Library> = OnceLock::new();
    LIBRARY.get_or_init(build)
}

/// IDs of every track, for benchmarks that visit many distinct tracks.
pub fn all_track_ids() -> Vec<&'static str> {
    library().tracks.iter().map(|t| t.id.as_str()).collect()
}

/// IDs of every artist.
pub fn all_artist_ids() -> Vec<&'static str> {
    library().artists.iter().map(|a| a.id.as_str()).collect()
}

/// A 22-character base-62 ID: a 4-character kind prefix and a zero-padded number.
fn id(prefix: &str, n: usize) -> String {
    format!("{prefix}{n:018}")
}

fn build() -> Library {
    let artists = (0..ARTIST_COUNT)
        .map(|i| Artist {
            id: id("5art", i),
            name: ARTIST_NAMES[i].to_string(),
            // Every fourth artist (including ARTIST_WITHOUT_IMAGE_ID) has no picture.
            image: (i % 4 != 2).then(|| format!("artist-{i}")),
            genres: if i % 5 == 3 {
                Vec::new()
            } else {
                vec![GENRES[i % 8].to_string(), GENRES[(i + 3) % 8].to_string()]
            },
            followers: (i as u64 * 7919 + 13) * 97,
            popularity: (i * 37 % 100) as u8,
        })
        .collect();
    let albums = (0..ALBUM_COUNT)
        .map(|i| Album {
            id: id("6alb", i),
            name: format!("{} {}", WORDS_A[(i + 3) % 10], WORDS_B[i % 13]),
            image: (i != 1).then(|| format!("album-{i}")),
            release_date: if i % 3 == 0 {
                format!("{}", 1960 + i * 3)
            } else {
                format!("{}-{:02}-{:02}", 1960 + i * 3, i % 12 + 1, i % 28 + 1)
            },
            release_date_precision: if i % 3 == 0 { "year" } else { "day" },
        })
        .collect();
    let tracks = (0..TRACK_COUNT).map(track).collect();
    let playlists = (0..PLAYLIST_COUNT).map(playlist).collect();
    Library {
        artists,
        albums,
        tracks,
        playlists,
        episode: Episode {
            id: EPISODE_ID,
            name: "The History of Bebop",
            show_id: "9shw000000000000000000",
            show_name: "Jazz Stories",
            duration_ms: 1_860_000,
        },
    }
}

fn track(i: usize) -> Track {
    let name = match i {
        2 => HOSTILE_TRACK_NAME.to_string(),
        _ => format!("{} {}", WORDS_A[i % 10], WORDS_B[(i / 10 + i) % 13]),
    };
    let artists = match i {
        1 => vec![10, 11, 12],
        2 => vec![1],
        // Every ninth track is a collaboration, to exercise artist lists.
        _ if i % 9 == 5 => vec![i % ARTIST_COUNT, (i + 7) % ARTIST_COUNT],
        _ => vec![i % ARTIST_COUNT],
    };
    Track {
        id: id("4trk", i),
        name,
        artists,
        // Only TRACK_WITHOUT_ALBUM_IMAGE_ID uses the album without images.
        album: match (i, i % ALBUM_COUNT) {
            (4, _) => 1,
            (_, 1) => 0,
            (_, album) => album,
        },
        duration_ms: 120_000 + (i as u64 * 7919) % 240_000,
        explicit: i.is_multiple_of(5),
        is_playable: i != 3,
    }
}

fn playlist(p: usize) -> Playlist {
    let tracks_from = |start: usize, count: usize| -> Vec<Item> {
        (0..count)
            .map(|k| Item::Track((start + k) % TRACK_COUNT))
            .collect()
    };
    let (name, items) = match p {
        0 => ("Everything Mix".to_string(), big_playlist_items()),
        1 => ("Empty For Now".to_string(), Vec::new()),
        2 => ("Top Ten".to_string(), tracks_from(10, 10)),
        3 => (HOSTILE_PLAYLIST_NAME.to_string(), tracks_from(20, 15)),
        4 => ("Road Trip Classics".to_string(), tracks_from(40, 24)),
        5 => ("Band Practice".to_string(), tracks_from(70, 12)),
        6 => ("Today's Top Hits".to_string(), tracks_from(90, 50)),
        _ => (
            format!("{} {} Mix", WORDS_A[p % 10], WORDS_B[p % 13]),
            tracks_from(p * 5, (p * 7) % 31 + 1),
        ),
    };
    let description = match p {
        3 => "<b onmouseover=alert(2)>bold</b> &amp; \"quoted\"".to_string(),
        _ if p.is_multiple_of(3) => String::new(),
        _ => format!("Songs for {} moods", WORDS_A[(p + 1) % 10].to_lowercase()),
    };
    // Like a real library, most playlists past the first few are followed, not owned.
    let friend = ("musicfriend", Some(FOLLOWED_PLAYLIST_OWNER));
    let spotify = ("spotify", Some("Spotify"));
    let (owner_id, owner_name) = match p {
        0..=3 => (USER_ID, Some(USER_NAME)),
        4 => friend,
        5 => ("bandmate", Some("Band Mate")),
        6 => spotify,
        7 => ("anonymous", None),
        _ => match p % 4 {
            0 => (USER_ID, Some(USER_NAME)),
            2 => spotify,
            _ => friend,
        },
    };
    Playlist {
        id: id("7pls", p),
        name,
        description,
        owner_id,
        owner_name,
        collaborative: p == 5,
        image: (p % 4 != 1).then(|| format!("playlist-{p}")),
        items,
    }
}

fn big_playlist_items() -> Vec<Item> {
    (0..BIG_PLAYLIST_ITEMS)
        .map(|i| match i {
            BIG_PLAYLIST_MULTI_ARTIST_INDEX => Item::Track(1),
            BIG_PLAYLIST_HOSTILE_INDEX => Item::Track(2),
            BIG_PLAYLIST_UNAVAILABLE_INDEX => Item::Track(3),
            3 => Item::Track(4),
            BIG_PLAYLIST_LOCAL_FILE_INDEX => Item::LocalFile {
                name: "My Demo Tape (home recording)",
                artist: "The Garage Band",
                album: "Basement Sessions",
                duration_ms: 187_000,
            },
            5 => Item::Track(0),
            BIG_PLAYLIST_EPISODE_INDEX => Item::Episode,
            7 => Item::Track(5),
            BIG_PLAYLIST_NULL_ITEM_INDEX => Item::Null,
            _ => Item::Track(i - 3),
        })
        .collect()
}

#[cfg(test)]
mod tests;

//! The sample library keeps the promises its constants make.

use super::*;

fn is_spotify_id(s: &str) -> bool {
    s.len() == 22 && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

#[test]
fn constants_match_the_data() {
    let lib = library();
    assert_eq!(lib.playlists.len(), PLAYLIST_COUNT);
    let big = lib.playlist(BIG_PLAYLIST_ID).unwrap();
    assert_eq!(big.items.len(), BIG_PLAYLIST_ITEMS);
    assert!(matches!(
        big.items[BIG_PLAYLIST_LOCAL_FILE_INDEX],
        Item::LocalFile { .. }
    ));
    assert!(matches!(
        big.items[BIG_PLAYLIST_EPISODE_INDEX],
        Item::Episode
    ));
    assert!(matches!(
        big.items[BIG_PLAYLIST_NULL_ITEM_INDEX],
        Item::Null
    ));
    assert_eq!(lib.playlist(EMPTY_PLAYLIST_ID).unwrap().items.len(), 0);
    assert_eq!(lib.playlist(TEN_ITEM_PLAYLIST_ID).unwrap().items.len(), 10);
    assert_eq!(
        lib.playlist(HOSTILE_PLAYLIST_ID).unwrap().name,
        HOSTILE_PLAYLIST_NAME
    );
    assert_eq!(lib.track(MULTI_ARTIST_TRACK_ID).unwrap().artists.len(), 3);
    assert_eq!(
        lib.track(HOSTILE_TRACK_ID).unwrap().name,
        HOSTILE_TRACK_NAME
    );
    assert!(!lib.track(UNAVAILABLE_TRACK_ID).unwrap().is_playable);
    let no_image = lib.track(TRACK_WITHOUT_ALBUM_IMAGE_ID).unwrap().album;
    assert_eq!(lib.albums[no_image].id, ALBUM_WITHOUT_IMAGES_ID);
    assert!(lib.albums[no_image].image.is_none());
    assert_eq!(
        lib.artist(HOSTILE_ARTIST_ID).unwrap().name,
        HOSTILE_ARTIST_NAME
    );
    assert!(lib.artist(ARTIST_WITHOUT_IMAGE_ID).unwrap().image.is_none());
    assert!(lib.artist(ARTIST_WITH_IMAGE_ID).unwrap().image.is_some());
    assert!(lib.track(PLAIN_TRACK_ID).is_some());
}

#[test]
fn ids_are_valid_and_distinct() {
    let tracks = all_track_ids();
    let mut unique = tracks.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), TRACK_COUNT);
    let lib = library();
    let ids = tracks
        .iter()
        .copied()
        .chain(all_artist_ids())
        .chain(lib.albums.iter().map(|a| a.id.as_str()))
        .chain(lib.playlists.iter().map(|p| p.id.as_str()))
        .chain([EPISODE_ID, lib.episode.show_id]);
    for id in ids {
        assert!(is_spotify_id(id), "{id}");
    }
}

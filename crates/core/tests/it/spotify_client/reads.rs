//! What the client reads, against the fake over real HTTP: both JSON shapes, special playlist
//! entries, paging at the edges, now playing, and artists fetched side by side.

use super::setup;
use spotify_plus_core::spotify::{ArtistId, NowPlaying, PlaylistEntry, PlaylistId};
use spotify_plus_fakes::spotify::library::{self, *};
use spotify_plus_fakes::spotify::{NowPlayingState, Shape};
use std::time::{Duration, Instant};

fn pid(id: &str) -> PlaylistId {
    id.parse().unwrap()
}

#[tokio::test]
async fn both_json_shapes_give_the_same_view_models() {
    let (fake, client, _dir) = setup().await;
    let mut seen = Vec::new();
    for shape in [Shape::Dev2026, Shape::Legacy] {
        fake.set_shape(shape);
        let artists: Vec<ArtistId> = [
            ARTIST_WITH_IMAGE_ID,
            HOSTILE_ARTIST_ID,
            ARTIST_WITHOUT_IMAGE_ID,
        ]
        .iter()
        .map(|id| id.parse().unwrap())
        .collect();
        let artists = client.artists(&artists).await.unwrap();
        let followers: Vec<_> = artists.iter().map(|a| a.followers).collect();
        let names: Vec<_> = artists
            .iter()
            .map(|a| (a.id.clone(), a.name.clone(), a.images.clone()))
            .collect();
        seen.push((
            client.playlists(0).await.unwrap(),
            client.playlist(&pid(BIG_PLAYLIST_ID)).await.unwrap(),
            client
                .playlist_items(&pid(BIG_PLAYLIST_ID), 0)
                .await
                .unwrap(),
            client
                .track(&MULTI_ARTIST_TRACK_ID.parse().unwrap())
                .await
                .unwrap(),
            client.currently_playing().await.unwrap(),
            names,
        ));
        // Development mode lost followers and popularity; the model copes either way.
        assert!(followers
            .iter()
            .all(|f| f.is_some() == (shape == Shape::Legacy)));
    }
    assert_eq!(seen[0], seen[1]);
    let (playlists, big, items, track, now, artists) = &seen[0];
    assert_eq!(playlists.total, PLAYLIST_COUNT as u32);
    assert_eq!(big.total_items, BIG_PLAYLIST_ITEMS as u32);
    assert_eq!(items.items.len(), 10);
    assert_eq!(track.artists.len(), 3);
    assert!(matches!(now, Some(NowPlaying::Track { .. })));
    assert_eq!(artists[1].1, HOSTILE_ARTIST_NAME);
    assert!(!artists[0].2.is_empty() && artists[2].2.is_empty());
    // Only the new endpoint was used.
    assert_eq!(fake.api_requests("/tracks?"), 0);
}

#[tokio::test]
async fn special_playlist_entries_are_typed() {
    let (_fake, client, _dir) = setup().await;
    let page = client
        .playlist_items(&pid(BIG_PLAYLIST_ID), 0)
        .await
        .unwrap();
    let items = &page.items;
    match &items[BIG_PLAYLIST_MULTI_ARTIST_INDEX] {
        PlaylistEntry::Track { track, added_at } => {
            assert_eq!(track.id.as_str(), MULTI_ARTIST_TRACK_ID);
            assert_eq!(track.artists.len(), 3);
            assert!(track.artists.iter().all(|a| a.id.is_some()));
            assert!(added_at.is_some());
            let album = track.album.as_ref().unwrap();
            assert!(album.release_year.is_some() && !album.images.is_empty());
        }
        other => panic!("{other:?}"),
    }
    match &items[BIG_PLAYLIST_HOSTILE_INDEX] {
        PlaylistEntry::Track { track, .. } => {
            assert_eq!(track.name, HOSTILE_TRACK_NAME);
            assert_eq!(track.artists[0].name, HOSTILE_ARTIST_NAME);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(&items[BIG_PLAYLIST_UNAVAILABLE_INDEX], PlaylistEntry::Unavailable { name } if !name.is_empty())
    );
    assert!(
        matches!(&items[BIG_PLAYLIST_LOCAL_FILE_INDEX], PlaylistEntry::LocalFile { name, artists, album, .. }
            if name.contains("Demo Tape") && artists.len() == 1 && album.is_some())
    );
    assert!(
        matches!(&items[BIG_PLAYLIST_EPISODE_INDEX], PlaylistEntry::Episode { id: Some(id), show: Some(show), .. }
            if id.as_str() == EPISODE_ID && show == "Jazz Stories")
    );
    assert_eq!(items[BIG_PLAYLIST_NULL_ITEM_INDEX], PlaylistEntry::Missing);

    let no_image = client
        .track(&TRACK_WITHOUT_ALBUM_IMAGE_ID.parse().unwrap())
        .await
        .unwrap();
    assert!(no_image.album.unwrap().images.is_empty());
    let json = serde_json::to_value(&items[BIG_PLAYLIST_LOCAL_FILE_INDEX]).unwrap();
    assert_eq!(json["type"], "localFile");

    let playlists = client.playlists(0).await.unwrap();
    let hostile = playlists
        .items
        .iter()
        .find(|p| p.id.as_str() == HOSTILE_PLAYLIST_ID)
        .unwrap();
    assert_eq!(hostile.name, HOSTILE_PLAYLIST_NAME);
    // `images: null` (a playlist without a cover) is an empty list, not an error.
    assert!(playlists.items.iter().any(|p| p.images.is_empty()));
}

#[tokio::test]
async fn pagination_at_the_edges() {
    let (fake, client, _dir) = setup().await;
    let empty = client
        .playlist_items(&pid(EMPTY_PLAYLIST_ID), 0)
        .await
        .unwrap();
    assert_eq!(
        (empty.items.len(), empty.total, empty.page, empty.pages),
        (0, 0, 1, 1)
    );
    let ten = client
        .playlist_items(&pid(TEN_ITEM_PLAYLIST_ID), 0)
        .await
        .unwrap();
    assert_eq!(
        (ten.items.len(), ten.total, ten.page, ten.pages),
        (10, 10, 1, 1)
    );
    let big = pid(BIG_PLAYLIST_ID);
    let first = client.playlist_items(&big, 0).await.unwrap();
    assert_eq!((first.page, first.pages, first.limit), (1, 13, 10));
    let last = client.playlist_items(&big, 120).await.unwrap();
    assert_eq!(
        (last.items.len(), last.total, last.page, last.pages),
        (3, 123, 13, 13)
    );
    let beyond = client.playlist_items(&big, 200).await.unwrap();
    assert_eq!((beyond.items.len(), beyond.page), (0, 13));
    let playlists = client.playlists(20).await.unwrap();
    assert_eq!(
        (playlists.items.len(), playlists.page, playlists.pages),
        (3, 3, 3)
    );
    assert_eq!(fake.api_requests("limit=10&offset=120"), 1);
}

#[tokio::test]
async fn now_playing_variants() {
    let (fake, client, _dir) = setup().await;
    fake.set_now_playing(NowPlayingState::Nothing);
    assert_eq!(client.currently_playing().await.unwrap(), None);

    fake.set_now_playing(NowPlayingState::Track(PLAIN_TRACK_ID.into()));
    match client.currently_playing().await.unwrap() {
        Some(NowPlaying::Track {
            track,
            progress_ms,
            is_playing,
        }) => {
            assert_eq!(track.id.as_str(), PLAIN_TRACK_ID);
            assert_eq!(progress_ms, Some(42_000));
            assert!(is_playing);
        }
        other => panic!("{other:?}"),
    }
    fake.set_now_playing(NowPlayingState::Episode);
    assert!(matches!(
        client.currently_playing().await.unwrap(),
        Some(NowPlaying::Episode { name, .. }) if name == "The History of Bebop"
    ));
    fake.set_now_playing(NowPlayingState::Ad);
    assert_eq!(
        client.currently_playing().await.unwrap(),
        Some(NowPlaying::Ad { is_playing: true })
    );
    fake.set_now_playing(NowPlayingState::NullItem);
    assert_eq!(
        client.currently_playing().await.unwrap(),
        Some(NowPlaying::Unknown { is_playing: true })
    );
    let json = serde_json::to_value(NowPlaying::Ad { is_playing: false }).unwrap();
    assert_eq!(json, serde_json::json!({"type": "ad", "isPlaying": false}));
}
#[tokio::test]
async fn artists_are_fetched_concurrently_in_order() {
    let (fake, client, _dir) = setup().await;
    fake.set_api_latency(Duration::from_millis(100));
    let ids: Vec<ArtistId> = library::all_artist_ids()[..6]
        .iter()
        .map(|id| id.parse().unwrap())
        .collect();
    let started = Instant::now();
    let artists = client.artists(&ids).await.unwrap();
    let elapsed = started.elapsed();
    let got: Vec<_> = artists.iter().map(|a| a.id.clone()).collect();
    assert_eq!(got, ids);
    assert!(fake.max_concurrent_api_requests() > 1);
    assert!(elapsed < Duration::from_millis(450), "{elapsed:?}");
    assert_eq!(fake.api_requests("/v1/artists/"), 6);
}

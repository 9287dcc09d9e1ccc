//! The Web API client against the fake Spotify over real HTTP: both JSON shapes, paging,
//! now playing, retries, timeouts and error mapping.


use crate::spotify_common::*;
use spotify_plus_core::spotify::{
    ArtistId, NowPlaying, PlaylistEntry, PlaylistId, RetryPolicy, SpotifyClient, SpotifyError,
    TrackId,
};
use spotify_plus_core::Kinded;
use spotify_plus_fakes::faults::{Fault, FaultKind};
use spotify_plus_fakes::spotify::library::{self, *};
use spotify_plus_fakes::spotify::{FakeSpotify, NowPlayingState, Shape};
use std::time::{Duration, Instant};

/// A fake, a signed-in client, and the temp dir holding its token file.
async fn setup() -> (FakeSpotify, SpotifyClient, tempfile::TempDir) {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = signed_in(&fake, &token_path(&dir));
    let client = client(&fake, session);
    (fake, client, dir)
}

fn pid(id: &str) -> PlaylistId {
    id.parse().unwrap()
}

fn status_fault(path: &str, status: u16, retry_after: Option<u64>, times: Option<u32>) -> Fault {
    Fault {
        path_contains: path.into(),
        kind: FaultKind::Status {
            status,
            retry_after,
            body: None,
        },
        times,
    }
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
async fn rate_limit_honours_retry_after() {
    let (fake, client, _dir) = setup().await;
    fake.faults()
        .push(status_fault("/v1/me", 429, Some(1), Some(1)));
    let started = Instant::now();
    client.me().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(fake.api_requests("/v1/me"), 2);
}

#[tokio::test]
async fn rate_limit_is_bounded() {
    let (fake, client, _dir) = setup().await;
    fake.faults()
        .push(status_fault("/v1/me", 429, Some(0), None));
    let error = client.me().await.unwrap_err();
    assert_eq!(error.kind(), "rate_limited");
    assert_eq!(fake.api_requests("/v1/me"), 4, "one try and three retries");

    // A wait longer than the cap fails at once instead of freezing the app.
    fake.faults().clear();
    fake.faults()
        .push(status_fault("/v1/tracks", 429, Some(3600), None));
    let started = Instant::now();
    let error = client
        .track(&PLAIN_TRACK_ID.parse().unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(error, SpotifyError::RateLimited { retry_in: Some(wait) } if wait == Duration::from_secs(3600)),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(fake.api_requests("/v1/tracks"), 1);
}

#[tokio::test]
async fn server_errors_are_retried_then_bounded() {
    let (fake, client, _dir) = setup().await;
    fake.faults()
        .push(status_fault("/v1/me", 503, None, Some(2)));
    client.me().await.unwrap();
    assert_eq!(fake.api_requests("/v1/me"), 3);

    fake.faults()
        .push(status_fault("/v1/me/playlists", 500, None, None));
    let error = client.playlists(0).await.unwrap_err();
    assert!(
        matches!(error, SpotifyError::Server { status: 500 }),
        "{error:?}"
    );
    assert_eq!(error.kind(), "server");
    assert_eq!(fake.api_requests("/v1/me/playlists"), 4);
}

#[tokio::test]
async fn unreadable_answers_are_bad_responses() {
    let (fake, client, _dir) = setup().await;
    for kind in [
        FaultKind::MalformedJson,
        FaultKind::TruncatedBody,
        FaultKind::HtmlErrorPage,
    ] {
        fake.faults().push(Fault {
            path_contains: "/v1/me".into(),
            kind: kind.clone(),
            times: Some(1),
        });
        let error = client.me().await.unwrap_err();
        assert_eq!(error.kind(), "bad_response", "{kind:?}");
    }
    client.me().await.unwrap();
}

#[tokio::test]
async fn status_codes_map_to_kinds() {
    let (fake, client, _dir) = setup().await;
    let plain: TrackId = PLAIN_TRACK_ID.parse().unwrap();
    for (status, kind) in [(400, "bad_request"), (403, "forbidden"), (404, "not_found")] {
        fake.faults()
            .push(status_fault("/v1/tracks/", status, None, Some(1)));
        let error = client.track(&plain).await.unwrap_err();
        assert_eq!(error.kind(), kind);
        assert!(!error.to_string().is_empty());
    }
    // A 403 on the user's own profile means the whole app is refused.
    fake.faults()
        .push(status_fault("/v1/me", 403, None, Some(1)));
    assert_eq!(client.me().await.unwrap_err().kind(), "app_forbidden");
    // A well-formed ID that does not exist is the fake's own 404.
    let unknown: TrackId = "4trk999999999999999999".parse().unwrap();
    assert_eq!(
        client.track(&unknown).await.unwrap_err().kind(),
        "not_found"
    );
}

#[tokio::test]
async fn hanging_server_times_out() {
    let (fake, client, _dir) = setup().await;
    let client = client.with_policy(RetryPolicy {
        request_timeout: Duration::from_millis(300),
        ..fast_policy()
    });
    fake.faults().push(status_fault_hang());
    let started = Instant::now();
    let error = client.me().await.unwrap_err();
    assert!(matches!(error, SpotifyError::Timeout { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

fn status_fault_hang() -> Fault {
    Fault {
        path_contains: "/v1/me".into(),
        kind: FaultKind::Hang,
        times: Some(1),
    }
}

#[tokio::test]
async fn unreachable_server_is_a_network_error() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let session = signed_in(&fake, &token_path(&dir));
    // A port that was just free: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = url::Url::parse(&format!("http://127.0.0.1:{port}/v1")).unwrap();
    let client = SpotifyClient::new(http(), dead, session).with_policy(fast_policy());
    assert_eq!(client.me().await.unwrap_err().kind(), "network");
}

#[tokio::test]
async fn invalid_ids_are_rejected_before_any_request() {
    let (fake, client, _dir) = setup().await;
    client.me().await.unwrap();
    let before = fake.api_requests("");
    for bad in [
        "",
        "abc",
        "../../me/playlists",
        "4trk00000000000000000?",
        "4trk0000000000000000000",
    ] {
        let error = bad.parse::<TrackId>().unwrap_err();
        assert_eq!(error.kind(), "invalid_id");
        assert!(error.to_string().contains("track ID"), "{error}");
        assert!(bad.parse::<PlaylistId>().is_err());
        assert!(bad.parse::<ArtistId>().is_err());
    }
    assert_eq!(fake.api_requests(""), before);
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

#[tokio::test]
async fn not_logged_in_makes_no_request() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = client(&fake, session(&fake, &token_path(&dir)));
    let error = client.playlists(0).await.unwrap_err();
    assert!(matches!(error, SpotifyError::NotLoggedIn));
    assert!(error.to_string().contains("log in"));
    assert_eq!(fake.api_requests(""), 0);
}

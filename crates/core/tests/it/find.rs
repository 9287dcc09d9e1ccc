//! Finding anything over real HTTP against the fake Spotify: search (10 of each type a page, as
//! Development Mode allows), album pages 10 tracks at a time, the album insight (grounded,
//! cached), and the heart with the 2026 library endpoints, scopes included.

mod fakes;

use crate::facts::World;
use crate::spotify_common::*;
use spotify_plus_core::auth::{TokenStore, Tokens};
use spotify_plus_core::config::SavedSettings;
use spotify_plus_core::facts::{GroundingStatus, BLOCK_START};
use spotify_plus_core::insight::{InsightEvent, InsightKind};
use spotify_plus_core::secret::Secret;
use spotify_plus_core::spotify::{AlbumId, SpotifyClient, TrackId};
use spotify_plus_core::Kinded;
use spotify_plus_fakes::facts::FakeFactsOptions;
use spotify_plus_fakes::spotify::discography::*;
use spotify_plus_fakes::spotify::library::*;
use spotify_plus_fakes::spotify::{FakeSpotify, LibraryRequest};
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn signed_in_client(fake: &FakeSpotify, dir: &tempfile::TempDir) -> SpotifyClient {
    client(fake, signed_in(fake, &token_path(dir)))
}

/// Library track indices whose name or artists hold `word`, as a listener would expect.
fn tracks_matching(word: &str) -> Vec<String> {
    let lib = library();
    lib.tracks
        .iter()
        .filter(|t| {
            let artists = t.artists.iter().map(|&a| lib.artists[a].name.as_str());
            std::iter::once(t.name.as_str())
                .chain(artists)
                .any(|n| n.to_lowercase().contains(word))
        })
        .map(|t| t.id.clone())
        .collect()
}

#[tokio::test]
async fn search_asks_for_ten_of_each_type_and_pages_through_them() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = signed_in_client(&fake, &dir).await;
    let expected = tracks_matching(VELVET_QUERY);
    assert!(expected.len() > 10, "the query spans two pages");

    let first = client
        .search(&format!("  {VELVET_QUERY} "), 0)
        .await
        .unwrap();
    assert_eq!(
        fake.api_requests("/v1/search?q=velvet&type=track%2Cartist%2Calbum&limit=10&offset=0"),
        1
    );
    assert_eq!(first.query, VELVET_QUERY);
    let ids: Vec<String> = first
        .tracks
        .items
        .iter()
        .map(|t| t.id.to_string())
        .collect();
    assert_eq!(ids, expected[..10]);
    assert_eq!(
        (first.tracks.total as usize, first.tracks.pages),
        (expected.len(), 2)
    );
    let artists: Vec<&str> = first
        .artists
        .items
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(artists, ["The Velvet Lanterns"]);
    let albums: Vec<&str> = first.albums.items.iter().map(|a| a.name.as_str()).collect();
    // Albums by name, and by the name of their artist.
    assert_eq!(albums, ["Quiet Avenue", "Velvet River", "Velvet Avenue"]);
    // An album result opens the album page the tracks on it point to.
    let album = &first.albums.items[1];
    let page = client.album_page(&album.id, 0).await.unwrap();
    assert_eq!(page.album.name, "Velvet River");
    assert_eq!(album.total_tracks, page.tracks.total);

    let second = client.search(VELVET_QUERY, 10).await.unwrap();
    let ids: Vec<String> = second
        .tracks
        .items
        .iter()
        .map(|t| t.id.to_string())
        .collect();
    assert_eq!(ids, expected[10..]);
    assert_eq!(second.tracks.page, 2);
}

#[tokio::test]
async fn a_blank_search_asks_nothing_and_a_miss_is_empty() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = signed_in_client(&fake, &dir).await;
    let blank = client.search("   ", 0).await.unwrap();
    assert_eq!(
        blank.tracks.total + blank.artists.total + blank.albums.total,
        0
    );
    assert_eq!(fake.api_requests("/search"), 0);
    let miss = client.search("zzzqqq nothing", 0).await.unwrap();
    assert!(miss.tracks.items.is_empty() && miss.albums.items.is_empty());
    assert_eq!((miss.tracks.page, miss.tracks.pages), (1, 1));
}

#[tokio::test]
async fn an_album_page_lists_its_tracks_ten_at_a_time_with_the_album() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = signed_in_client(&fake, &dir).await;
    let id: AlbumId = LONG_ALBUM_ID.parse().unwrap();
    let expected = album(LONG_ALBUM_ID).unwrap();
    let lib = library();

    let first = client.album_page(&id, 0).await.unwrap();
    assert_eq!(first.album.name, expected.album().name);
    assert_eq!(first.album.release_year, Some(1960));
    assert_eq!(first.album.total_tracks as usize, LONG_ALBUM_TRACKS);
    let artists: Vec<&str> = first
        .album
        .artists
        .iter()
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(artists, ["The Velvet Lanterns"]);
    assert_eq!(first.tracks.items.len(), 10);
    assert_eq!((first.tracks.page, first.tracks.pages), (1, 2));
    for track in &first.tracks.items {
        let on = track.album.as_ref().expect("each track carries its album");
        assert_eq!(on.id.as_ref(), Some(&id));
        assert!(!on.images.is_empty(), "with its cover");
    }

    let second = client.album_page(&id, 10).await.unwrap();
    assert_eq!(
        fake.api_requests(&format!(
            "/v1/albums/{LONG_ALBUM_ID}/tracks?limit=10&offset=10"
        )),
        1
    );
    let ids: Vec<String> = second
        .tracks
        .items
        .iter()
        .map(|t| t.id.to_string())
        .collect();
    let want: Vec<String> = expected.tracks[10..]
        .iter()
        .map(|&t| lib.tracks[t].id.clone())
        .collect();
    assert_eq!(ids, want);
    assert_eq!(second.tracks.page, 2);
}

#[tokio::test]
async fn a_tracks_album_opens_and_an_unknown_album_is_not_found() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = signed_in_client(&fake, &dir).await;
    let track = client
        .track(&PLAIN_TRACK_ID.parse().unwrap())
        .await
        .unwrap();
    let album_id = track.album.unwrap().id.expect("a track names its album");
    let page = client.album_page(&album_id, 0).await.unwrap();
    assert!(page
        .tracks
        .items
        .iter()
        .any(|t| t.id.as_str() == PLAIN_TRACK_ID));

    let missing = client
        .album_page(&UNKNOWN_ALBUM_ID.parse().unwrap(), 0)
        .await
        .unwrap_err();
    assert_eq!(missing.kind(), "not_found", "{missing}");
}

fn request(method: &str, path: &str, uri: &str) -> LibraryRequest {
    LibraryRequest {
        method: method.into(),
        path: path.into(),
        uris: vec![uri.into()],
    }
}

#[tokio::test]
async fn the_heart_saves_and_removes_the_track_by_its_uri() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let client = signed_in_client(&fake, &dir).await;
    let id: TrackId = PLAIN_TRACK_ID.parse().unwrap();
    let uri = format!("spotify:track:{PLAIN_TRACK_ID}");

    assert!(!client.is_saved(&id).await.unwrap());
    client.set_saved(&id, true).await.unwrap();
    assert_eq!(fake.saved_uris(), std::slice::from_ref(&uri));
    assert!(client.is_saved(&id).await.unwrap());
    client.set_saved(&id, false).await.unwrap();
    assert!(fake.saved_uris().is_empty());
    assert!(!client.is_saved(&id).await.unwrap());
    let contains = "/v1/me/library/contains";
    assert_eq!(
        fake.library_requests(),
        [
            request("GET", contains, &uri),
            request("PUT", "/v1/me/library", &uri),
            request("GET", contains, &uri),
            request("DELETE", "/v1/me/library", &uri),
            request("GET", contains, &uri),
        ]
    );
    // Saved elsewhere (another Spotify app): the heart shows it.
    fake.save_uris(&[&format!("spotify:track:{HOSTILE_TRACK_ID}")]);
    assert!(client
        .is_saved(&HOSTILE_TRACK_ID.parse().unwrap())
        .await
        .unwrap());
}

#[tokio::test]
async fn a_sign_in_from_before_the_heart_is_told_to_sign_in_again_without_a_request() {
    let fake = fake().await;
    fake.grant_old_scopes(true);
    let dir = tempfile::tempdir().unwrap();
    let client = signed_in_client(&fake, &dir).await;
    let id: TrackId = PLAIN_TRACK_ID.parse().unwrap();
    for error in [
        client.is_saved(&id).await.unwrap_err(),
        client.set_saved(&id, true).await.unwrap_err(),
    ] {
        assert_eq!(error.kind(), "missing_scope");
        assert!(error.to_string().contains("sign in again"), "{error}");
    }
    assert!(fake.library_requests().is_empty());
}

#[tokio::test]
async fn spotify_refusing_the_scope_reads_as_missing_scope() {
    let fake = fake().await;
    fake.grant_old_scopes(true);
    let issued = fake.issue_tokens();
    let dir = tempfile::tempdir().unwrap();
    // The token file claims the library scopes, but Spotify's token lacks them.
    TokenStore::new(token_path(&dir))
        .save(&Tokens::granted(
            Secret::new(issued.access_token).unwrap(),
            Secret::new(issued.refresh_token).unwrap(),
            Duration::from_secs(issued.expires_in),
            "user-library-read user-library-modify".into(),
        ))
        .unwrap();
    let client = client(&fake, session(&fake, &token_path(&dir)));
    let id: TrackId = PLAIN_TRACK_ID.parse().unwrap();
    let read = client.is_saved(&id).await.unwrap_err();
    let write = client.set_saved(&id, true).await.unwrap_err();
    assert_eq!(read.kind(), "missing_scope", "{read}");
    assert_eq!(write.kind(), "missing_scope", "{write}");
    let methods: Vec<String> = fake
        .library_requests()
        .into_iter()
        .map(|r| r.method)
        .collect();
    assert_eq!(methods, ["GET", "PUT"], "both reached Spotify");
    assert!(fake.saved_uris().is_empty());
}

#[tokio::test]
async fn the_album_insight_has_its_own_prompt_is_grounded_and_cached() {
    let world = World::start(FakeFactsOptions::default()).await;
    let app = world.app(&SavedSettings::default());
    let id: AlbumId = LONG_ALBUM_ID.parse().unwrap();
    let events = Arc::new(Mutex::new(Vec::new()));
    let into = events.clone();
    app.album_insight(&id, false, move |e| into.lock().unwrap().push(e))
        .await
        .unwrap();
    let prompt = world.prompt("Tell me something interesting about the album");
    assert!(
        prompt.starts_with(
            "Tell me something interesting about the album \"Quiet Avenue\" by \"The Velvet Lanterns\", released in 1960.\n"
        ),
        "{prompt}"
    );
    assert!(
        prompt.contains(BLOCK_START) && prompt.contains("musicbrainz.org/artist/"),
        "grounded in facts about its artist: {prompt}"
    );
    let done = |events: &Mutex<Vec<InsightEvent>>| {
        events.lock().unwrap().iter().find_map(|e| match e {
            InsightEvent::Done { insight } => Some(insight.clone()),
            _ => None,
        })
    };
    let first = done(&events).expect("the insight was written");
    assert!(
        events
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, InsightEvent::Delta { .. })),
        "streamed"
    );
    assert_eq!(
        (first.kind, first.key.as_str(), first.cached),
        (InsightKind::Album, LONG_ALBUM_ID, false)
    );
    assert_eq!(first.grounding.status, GroundingStatus::Grounded);

    // Again: from the cache, without a model call.
    let calls = world.openai.chat_calls();
    let again = Arc::new(Mutex::new(Vec::new()));
    let into = again.clone();
    app.album_insight(&id, false, move |e| into.lock().unwrap().push(e))
        .await
        .unwrap();
    let second = done(&again).expect("the saved insight");
    assert!(second.cached);
    assert_eq!(second.text, first.text);
    assert_eq!(world.openai.chat_calls(), calls);
}

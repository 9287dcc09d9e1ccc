//! The fake Spotify's search and library endpoints refuse what Spotify refuses, so the app's
//! tests against them mean something.

use crate::spotify_common::{fake, http};
use spotify_plus_fakes::spotify::library::*;

#[tokio::test]
async fn the_fake_search_refuses_what_spotify_refuses() {
    let fake = fake().await;
    let token = fake.issue_tokens().access_token;
    let get = |query: &'static str| {
        let url = format!("{}/search?{query}", fake.api_base_url());
        let token = token.clone();
        async move {
            let response = http().get(url).bearer_auth(token).send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (status, body) = get("q=velvet&type=track&limit=11").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["message"], "Invalid limit");
    assert_eq!(get("q=velvet&type=track&limit=0").await.0, 400);
    assert_eq!(get("type=track").await.0, 400);
    assert_eq!(get("q=velvet").await.0, 400);
    assert_eq!(get("q=velvet&type=track,podcast").await.0, 400);
    let (status, body) = get("q=velvet&type=track,album").await;
    assert_eq!(status, 200);
    assert_eq!(body["tracks"]["limit"], 5, "Spotify's default limit");
    assert!(body.get("artists").is_none(), "only the types asked for");
    assert_eq!(body["albums"]["items"][0]["type"], "album");
}

#[tokio::test]
async fn the_fake_library_refuses_what_spotify_refuses() {
    let fake = fake().await;
    let token = fake.issue_tokens().access_token;
    let track = format!("spotify:track:{PLAIN_TRACK_ID}");
    let artist = format!("spotify:artist:{ARTIST_WITH_IMAGE_ID}");
    let send = |method: reqwest::Method, path: &str, uris: Option<String>| {
        let mut url = fake.api_base_url().join(path).unwrap();
        if let Some(uris) = uris {
            url.query_pairs_mut().append_pair("uris", &uris);
        }
        let request = http().request(method, url).bearer_auth(&token);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    let (put, get) = (reqwest::Method::PUT, reqwest::Method::GET);
    assert_eq!(send(put.clone(), "v1/me/library", None).await, 400);
    assert_eq!(
        send(
            put.clone(),
            "v1/me/library",
            Some("spotify:track:nope".into())
        )
        .await,
        400
    );
    assert_eq!(
        send(put.clone(), "v1/me/library", Some(artist.clone())).await,
        400,
        "artists are followed, not saved"
    );
    assert_eq!(
        send(
            put.clone(),
            "v1/me/library",
            Some(vec![track.as_str(); 41].join(","))
        )
        .await,
        400
    );
    assert_eq!(send(put, "v1/me/library", Some(track.clone())).await, 200);
    let both = format!("{track},{artist}");
    let answer: Vec<bool> = http()
        .get(fake.api_base_url().join("v1/me/library/contains").unwrap())
        .query(&[("uris", both.as_str())])
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer, [true, false]);
    fake.grant_old_scopes(true);
    let old = fake.issue_tokens().access_token;
    let refused = http()
        .request(
            get,
            fake.api_base_url().join("v1/me/library/contains").unwrap(),
        )
        .query(&[("uris", track.as_str())])
        .bearer_auth(old)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["message"], "Insufficient client scope");
}

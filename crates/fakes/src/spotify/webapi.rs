//! Fake Web API under `/v1`: bearer-token checks, Spotify's JSON shapes (2026 and legacy),
//! paging, request counting and fault injection.

use super::library::{self, Album, Artist, Item, Library, Playlist, Track};
use super::{NowPlayingState, Shape, Shared};
use crate::faults::{inject, Faults};
use axum::extract::{OriginalUri, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

// Children of this module, so that they render with its `Render`.
#[path = "albums.rs"]
mod albums;
#[path = "search.rs"]
mod search;

type Params = Query<HashMap<String, String>>;

pub(crate) fn router(shared: Arc<Shared>, faults: Faults) -> Router {
    // Layers run outermost-last: count -> faults -> token check -> handler.
    Router::new()
        .route("/me", get(me))
        .route("/me/player/currently-playing", get(currently_playing))
        .route("/me/playlists", get(my_playlists))
        .route("/playlists/{id}", get(playlist))
        .route("/playlists/{id}/items", get(playlist_items))
        .route("/playlists/{id}/tracks", get(playlist_tracks))
        .route("/tracks/{id}", get(track))
        .route("/artists/{id}", get(artist))
        .route("/search", get(search::search))
        .route("/albums/{id}", get(albums::album))
        .route("/albums/{id}/tracks", get(albums::album_tracks))
        .merge(super::saved::routes())
        .merge(super::player::routes())
        .fallback(|| async { api_error(StatusCode::NOT_FOUND, "Service not found") })
        .layer(from_fn_with_state(shared.clone(), require_token))
        .layer(from_fn_with_state(faults, inject))
        .layer(from_fn_with_state(shared.clone(), count))
        .with_state(shared)
}

/// An error answered in Spotify's Web API shape: `{"error":{"status":N,"message":"..."}}`.
struct ApiError(StatusCode, &'static str);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        api_error(self.0, self.1)
    }
}

fn api_error(status: StatusCode, message: &str) -> Response {
    let body = json!({ "error": { "status": status.as_u16(), "message": message } });
    (status, Json(body)).into_response()
}

type ApiResult = Result<Response, ApiError>;

/// Decrements the in-flight gauge even when the request is abandoned (e.g. a `Hang` fault).
struct InFlight<'a>(&'a Shared);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Logs the request, tracks peak concurrency and applies the configured latency.
async fn count(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let uri = req
        .extensions()
        .get::<OriginalUri>()
        .map_or_else(|| req.uri().clone(), |original| original.0.clone());
    let latency = {
        let mut state = shared.state();
        state.api_log.push(uri.to_string());
        state.api_latency
    };
    let now = shared.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    shared.peak_in_flight.fetch_max(now, Ordering::SeqCst);
    let _guard = InFlight(&shared);
    tokio::time::sleep(latency).await;
    next.run(req).await
}

async fn require_token(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(token) = token else {
        return api_error(StatusCode::UNAUTHORIZED, "No token provided");
    };
    let valid = match shared.state().access_tokens.get(token) {
        Some(expires_at) => *expires_at > Instant::now(),
        None => false,
    };
    if !valid {
        return api_error(StatusCode::UNAUTHORIZED, "The access token expired");
    }
    let refusal = shared.state().app_refusal.clone();
    if let Some(message) = refusal {
        return api_error(StatusCode::FORBIDDEN, &message);
    }
    next.run(req).await
}

/// Spotify rejects malformed IDs with 400 before looking them up.
fn check_id(id: &str) -> Result<(), ApiError> {
    if id.len() == 22 && id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(ApiError(StatusCode::BAD_REQUEST, "invalid id"))
    }
}

/// `limit` (default 20, 1..=50) and `offset` (default 0) as Spotify validates them.
fn paging_params(params: &HashMap<String, String>) -> Result<(usize, usize), ApiError> {
    let limit = match params.get("limit") {
        None => 20,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (1..=50).contains(&n) => n,
            _ => return Err(ApiError(StatusCode::BAD_REQUEST, "Invalid limit")),
        },
    };
    let offset = match params.get("offset") {
        None => 0,
        Some(raw) => raw
            .parse::<usize>()
            .map_err(|_| ApiError(StatusCode::BAD_REQUEST, "Invalid offset"))?,
    };
    Ok((limit, offset))
}

/// Renders JSON for one request, knowing the shape and the server's root URL.
pub(crate) struct Render<'a> {
    root: &'a str,
    shape: Shape,
    odd_images: bool,
    lib: &'static Library,
}

impl Render<'_> {
    pub(crate) fn new(shared: &Shared) -> Render<'_> {
        let state = shared.state();
        Render {
            root: &shared.root,
            shape: state.shape,
            odd_images: state.odd_images,
            lib: library::library(),
        }
    }

    fn legacy(&self) -> bool {
        self.shape == Shape::Legacy
    }

    fn images(&self, image: &Option<String>) -> Value {
        let mut images = match image {
            Some(name) => json!([
                { "url": format!("{}/images/{name}.png", self.root), "height": 640, "width": 640 },
                { "url": format!("{}/images/{name}-300.png", self.root), "height": 300, "width": 300 },
            ]),
            None => json!([]),
        };
        if self.odd_images {
            let odd = json!([
                { "url": null, "height": 640, "width": 640 },
                { "url": format!("{}/images/odd.png", self.root), "height": -1, "width": "wide" },
            ]);
            let list = images.as_array_mut().expect("an array");
            list.splice(0..0, odd.as_array().expect("an array").iter().cloned());
        }
        images
    }

    pub(crate) fn object(&self, kind: &str, id: &str) -> Value {
        json!({
            "id": id,
            "type": kind,
            "uri": format!("spotify:{kind}:{id}"),
            "href": format!("{}/v1/{kind}s/{id}", self.root),
            "external_urls": { "spotify": format!("https://open.spotify.com/{kind}/{id}") },
        })
    }

    fn simple_artist(&self, artist: &Artist) -> Value {
        let mut value = self.object("artist", &artist.id);
        value["name"] = json!(artist.name);
        value
    }

    fn artist(&self, artist: &Artist) -> Value {
        let mut value = self.simple_artist(artist);
        value["images"] = self.images(&artist.image);
        value["genres"] = json!(artist.genres);
        // Development-mode apps lost popularity and followers in February 2026.
        if self.legacy() {
            value["popularity"] = json!(artist.popularity);
            value["followers"] = json!({ "href": null, "total": artist.followers });
        }
        value
    }

    fn album(&self, album: &Album, artists: &[usize]) -> Value {
        let mut value = self.object("album", &album.id);
        value["name"] = json!(album.name);
        value["album_type"] = json!("album");
        value["images"] = self.images(&album.image);
        value["release_date"] = json!(album.release_date);
        value["release_date_precision"] = json!(album.release_date_precision);
        value["artists"] = self.artist_list(artists);
        value
    }

    fn artist_list(&self, artists: &[usize]) -> Value {
        artists
            .iter()
            .map(|&i| self.simple_artist(&self.lib.artists[i]))
            .collect()
    }

    pub(crate) fn track(&self, track: &Track) -> Value {
        let mut value = self.object("track", &track.id);
        value["name"] = json!(track.name);
        value["artists"] = self.artist_list(&track.artists);
        value["album"] = self.album(&self.lib.albums[track.album], &track.artists);
        value["duration_ms"] = json!(track.duration_ms);
        value["explicit"] = json!(track.explicit);
        value["is_local"] = json!(false);
        value["is_playable"] = json!(track.is_playable);
        // Spotify still gives every track its ISRC; the app finds the recording by it.
        value["external_ids"] = json!({ "isrc": crate::facts::data::isrc_of(&track.id) });
        value["track_number"] = json!(1);
        value["disc_number"] = json!(1);
        if self.legacy() {
            value["popularity"] = json!(42);
            value["available_markets"] = json!(["DE", "FR", "US"]);
        }
        value
    }

    pub(crate) fn episode(&self) -> Value {
        let episode = &self.lib.episode;
        let mut value = self.object("episode", episode.id);
        value["name"] = json!(episode.name);
        value["duration_ms"] = json!(episode.duration_ms);
        value["release_date"] = json!("2024-05-01");
        value["images"] = self.images(&Some("episode".into()));
        let mut show = self.object("show", episode.show_id);
        show["name"] = json!(episode.show_name);
        show["publisher"] = json!("Fake Radio");
        value["show"] = show;
        value
    }

    /// A local file: every ID, URI and href is null, as Spotify sends them.
    fn local_file(&self, name: &str, artist: &str, album: &str, duration_ms: u64) -> Value {
        json!({
            "id": null, "uri": format!("spotify:local:{artist}:{album}:{name}:{}", duration_ms / 1000),
            "href": null, "type": "track", "name": name, "is_local": true, "duration_ms": duration_ms,
            "explicit": false, "external_urls": {}, "popularity": 0,
            "artists": [{ "id": null, "uri": null, "href": null, "type": "artist", "name": artist, "external_urls": {} }],
            "album": { "id": null, "uri": null, "href": null, "type": "album", "name": album,
                       "images": [], "release_date": null, "artists": [] },
        })
    }

    fn playlist_item(&self, item: &Item) -> Value {
        let (is_local, object) = match item {
            Item::Track(i) => (false, self.track(&self.lib.tracks[*i])),
            Item::LocalFile {
                name,
                artist,
                album,
                duration_ms,
            } => (true, self.local_file(name, artist, album, *duration_ms)),
            Item::Episode => (false, self.episode()),
            Item::Null => (false, Value::Null),
        };
        let key = if self.legacy() { "track" } else { "item" };
        json!({
            "added_at": "2024-03-01T12:00:00Z",
            "added_by": { "id": library::USER_ID, "type": "user" },
            "is_local": is_local,
            key: object,
        })
    }

    fn playlist_simple(&self, playlist: &Playlist) -> Value {
        let mut value = self.object("playlist", &playlist.id);
        value["name"] = json!(playlist.name);
        value["description"] = json!(playlist.description);
        value["collaborative"] = json!(playlist.collaborative);
        value["public"] = json!(true);
        value["snapshot_id"] = json!("c25hcHNob3Q");
        // Spotify sends `images: null` for playlists without a cover.
        value["images"] = match &playlist.image {
            Some(_) => self.images(&playlist.image),
            None => Value::Null,
        };
        let mut owner = self.object("user", playlist.owner_id);
        owner["display_name"] = json!(playlist.owner_name);
        value["owner"] = owner;
        let items_href = format!("{}/v1/playlists/{}/items", self.root, playlist.id);
        value[self.items_key()] = json!({ "href": items_href, "total": playlist.items.len() });
        value
    }

    fn items_key(&self) -> &'static str {
        if self.legacy() {
            "tracks"
        } else {
            "items"
        }
    }

    fn paging(
        &self,
        path: &str,
        items: Vec<Value>,
        limit: usize,
        offset: usize,
        total: usize,
    ) -> Value {
        let link = |offset: usize| format!("{}/v1/{path}?offset={offset}&limit={limit}", self.root);
        json!({
            "href": link(offset),
            "items": items,
            "limit": limit,
            "next": (offset + limit < total).then(|| link(offset + limit)),
            "offset": offset,
            "previous": (offset > 0).then(|| link(offset.saturating_sub(limit))),
            "total": total,
        })
    }

    fn items_page(&self, playlist: &Playlist, path: &str, limit: usize, offset: usize) -> Value {
        let items = playlist
            .items
            .iter()
            .skip(offset)
            .take(limit)
            .map(|item| self.playlist_item(item))
            .collect();
        self.paging(path, items, limit, offset, playlist.items.len())
    }
}

async fn me(State(shared): State<Arc<Shared>>) -> Response {
    let render = Render::new(&shared);
    let mut user = render.object("user", library::USER_ID);
    user["display_name"] = json!(library::USER_NAME);
    user["images"] = render.images(&Some("user".into()));
    if render.legacy() {
        user["country"] = json!("DE");
        user["product"] = json!("premium");
        user["followers"] = json!({ "href": null, "total": 3 });
    }
    Json(user).into_response()
}

async fn currently_playing(State(shared): State<Arc<Shared>>) -> Response {
    if let Some(answer) = super::player::currently_playing(&shared) {
        return answer;
    }
    let now_playing = shared.state().now_playing.clone();
    let render = Render::new(&shared);
    let (kind, item) = match now_playing {
        NowPlayingState::Nothing => return StatusCode::NO_CONTENT.into_response(),
        NowPlayingState::Track(id) => match render.lib.track(&id) {
            Some(track) => ("track", render.track(track)),
            None => ("track", Value::Null),
        },
        NowPlayingState::Episode => ("episode", render.episode()),
        NowPlayingState::Ad => ("ad", Value::Null),
        NowPlayingState::NullItem => ("unknown", Value::Null),
    };
    Json(json!({
        "timestamp": 1_767_225_600_000u64,
        "context": null,
        "progress_ms": 42_000,
        "is_playing": true,
        "currently_playing_type": kind,
        "item": item,
        "actions": { "disallows": { "resuming": true } },
    }))
    .into_response()
}

async fn my_playlists(State(shared): State<Arc<Shared>>, Query(params): Params) -> ApiResult {
    let (limit, offset) = paging_params(&params)?;
    let render = Render::new(&shared);
    let playlists = &render.lib.playlists;
    let items = playlists
        .iter()
        .skip(offset)
        .take(limit)
        .map(|p| render.playlist_simple(p))
        .collect();
    let page = render.paging("me/playlists", items, limit, offset, playlists.len());
    Ok(Json(page).into_response())
}

fn find_playlist(id: &str) -> Result<&'static Playlist, ApiError> {
    check_id(id)?;
    library::library()
        .playlist(id)
        .ok_or(ApiError(StatusCode::NOT_FOUND, "Resource not found"))
}

/// Since November 2024 new apps get 404 for Spotify's own editorial and algorithmic playlists.
const SPOTIFY_OWNED_REFUSAL: ApiError = ApiError(StatusCode::NOT_FOUND, "Resource not found");

async fn playlist(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> ApiResult {
    let playlist = find_playlist(&id)?;
    let render = Render::new(&shared);
    if !render.legacy() && playlist.spotify_owned() {
        return Err(SPOTIFY_OWNED_REFUSAL);
    }
    let mut value = render.playlist_simple(playlist);
    // The full object embeds the first page of items (up to 100) under the same key, except
    // for a Development Mode app looking at a playlist it may not list (only `{href,total}`).
    if render.legacy() || playlist.items_open_to_user() {
        let path = format!("playlists/{id}/{}", render.items_key());
        value[render.items_key()] = render.items_page(playlist, &path, 100, 0);
    }
    value["followers"] = json!({ "href": null, "total": 7 });
    Ok(Json(value).into_response())
}

async fn playlist_items(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(params): Params,
) -> ApiResult {
    let playlist = find_playlist(&id)?;
    let (limit, offset) = paging_params(&params)?;
    let render = Render::new(&shared);
    // Development Mode since March 2026: items only of playlists the user owns or collaborates on.
    if !render.legacy() {
        if playlist.spotify_owned() {
            return Err(SPOTIFY_OWNED_REFUSAL);
        }
        if !playlist.items_open_to_user() {
            return Err(ApiError(StatusCode::FORBIDDEN, "Forbidden"));
        }
    }
    let path = format!("playlists/{id}/items");
    Ok(Json(render.items_page(playlist, &path, limit, offset)).into_response())
}

/// `/tracks` was removed for development-mode apps in 2026; legacy apps still have it.
async fn playlist_tracks(
    State(shared): State<Arc<Shared>>,
    path: Path<String>,
    params: Params,
) -> ApiResult {
    if shared.state().shape == Shape::Dev2026 {
        return Err(ApiError(StatusCode::NOT_FOUND, "Service not found"));
    }
    playlist_items(State(shared), path, params).await
}

async fn track(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> ApiResult {
    check_id(&id)?;
    let render = Render::new(&shared);
    let track = render
        .lib
        .track(&id)
        .ok_or(ApiError(StatusCode::NOT_FOUND, "Resource not found"))?;
    Ok(Json(render.track(track)).into_response())
}

async fn artist(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> ApiResult {
    check_id(&id)?;
    let render = Render::new(&shared);
    let artist = render
        .lib
        .artist(&id)
        .ok_or(ApiError(StatusCode::NOT_FOUND, "Resource not found"))?;
    Ok(Json(render.artist(artist)).into_response())
}

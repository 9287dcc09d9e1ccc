//! The reads of the user's library: `/me`, now playing, playlists and their items, tracks and
//! artists.

use super::super::library::{self, Playlist};
use super::super::{NowPlayingState, Shape, Shared};
use super::{check_id, paging_params, ApiError, ApiResult, Params, Render};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;

pub(super) async fn me(State(shared): State<Arc<Shared>>) -> Response {
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

pub(super) async fn currently_playing(State(shared): State<Arc<Shared>>) -> Response {
    if let Some(answer) = super::super::player::currently_playing(&shared) {
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

pub(super) async fn my_playlists(
    State(shared): State<Arc<Shared>>,
    Query(params): Params,
) -> ApiResult {
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

pub(super) async fn playlist(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> ApiResult {
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

pub(super) async fn playlist_items(
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
pub(super) async fn playlist_tracks(
    State(shared): State<Arc<Shared>>,
    path: Path<String>,
    params: Params,
) -> ApiResult {
    if shared.state().shape == Shape::Dev2026 {
        return Err(ApiError(StatusCode::NOT_FOUND, "Service not found"));
    }
    playlist_items(State(shared), path, params).await
}

pub(super) async fn track(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> ApiResult {
    check_id(&id)?;
    let render = Render::new(&shared);
    let track = render
        .lib
        .track(&id)
        .ok_or(ApiError(StatusCode::NOT_FOUND, "Resource not found"))?;
    Ok(Json(render.track(track)).into_response())
}

pub(super) async fn artist(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> ApiResult {
    check_id(&id)?;
    let render = Render::new(&shared);
    let artist = render
        .lib
        .artist(&id)
        .ok_or(ApiError(StatusCode::NOT_FOUND, "Resource not found"))?;
    Ok(Json(render.artist(artist)).into_response())
}

//! `GET /albums/{id}` (the full album, its first 50 tracks embedded) and
//! `GET /albums/{id}/tracks` (simplified tracks, paged), from [`discography`].

use super::super::discography::{self, AlbumPage};
use super::{check_id, paging_params, ApiError, ApiResult, Params, Render, Shared};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;

/// How many tracks the full album object embeds.
const EMBEDDED_TRACKS: usize = 50;

fn find(id: &str) -> Result<&'static AlbumPage, ApiError> {
    check_id(id)?;
    discography::album(id).ok_or(ApiError(StatusCode::NOT_FOUND, "Resource not found"))
}

pub(super) async fn album(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> ApiResult {
    let page = find(&id)?;
    let render = Render::new(&shared);
    let album = page.album();
    let mut value = render.album(album, &page.artists);
    value["total_tracks"] = json!(page.tracks.len());
    value["tracks"] = tracks_page(&render, page, EMBEDDED_TRACKS, 0);
    value["copyrights"] =
        json!([{ "text": format!("℗ {} Fake Records", year(&album.release_date)), "type": "P" }]);
    value["external_ids"] = json!({ "upc": format!("00{:010}", page.album) });
    value["genres"] = json!([]);
    value["label"] = json!("Fake Records");
    if render.legacy() {
        value["popularity"] = json!(37);
        value["available_markets"] = json!(["DE", "FR", "US"]);
    }
    Ok(Json(value).into_response())
}

pub(super) async fn album_tracks(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    Query(params): Params,
) -> ApiResult {
    let page = find(&id)?;
    let (limit, offset) = paging_params(&params)?;
    let render = Render::new(&shared);
    Ok(Json(tracks_page(&render, page, limit, offset)).into_response())
}

fn year(date: &str) -> &str {
    date.get(..4).unwrap_or(date)
}

/// A page of the album's tracks as simplified track objects (no `album`, no `external_ids`).
fn tracks_page(render: &Render, page: &AlbumPage, limit: usize, offset: usize) -> Value {
    let items = page
        .tracks
        .iter()
        .enumerate()
        .skip(offset)
        .take(limit)
        .map(|(number, &t)| {
            let mut track = render.track(&render.lib.tracks[t]);
            if let Some(object) = track.as_object_mut() {
                for field in ["album", "external_ids", "popularity"] {
                    object.remove(field);
                }
            }
            track["track_number"] = json!(number + 1);
            track
        })
        .collect();
    let path = format!("albums/{}/tracks", page.album().id);
    render.paging(&path, items, limit, offset, page.tracks.len())
}

//! The routes and answers of the LRCLIB server (REFERENCE.md §1-§3), including its exact error
//! bodies: LRCLIB's own JSON errors, and the `text/plain` rejections of the axum 0.7 it runs on,
//! whose wording the fake rebuilds rather than taking axum 0.8's (which differ: 0.8 prefixes
//! query errors with the field, `duration: invalid float literal`, and quotes path values
//! differently).

use super::rules::{process_param, validate_get};
use super::store::TrackResponse;
use super::Shared;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Instant;

pub(super) fn router(shared: Arc<Shared>) -> Router {
    // `lib.rs:91-97,122-123`: everything under `/api`; `request-challenge` and `flag` are not
    // served by the fake (no client of ours publishes).
    Router::new()
        .route("/api/get", get(get_by_metadata))
        .route("/api/get/{id}", get(get_by_id))
        .route("/api/search", get(search))
        .route("/api/publish", post(publish))
        .with_state(shared)
}

/// LRCLIB's own errors (`server/src/errors.rs`, §3): `{"message","name","statusCode"}`.
pub(super) enum ApiError {
    TrackNotFound,
    IncorrectPublishToken,
    Validation(String),
    /// The server's answer to a database failure (`errors.rs:54-66`), while
    /// [`super::FakeLrclib::set_database_down`].
    Unknown,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message, name) = match self {
            Self::TrackNotFound => (
                StatusCode::NOT_FOUND,
                "Failed to find specified track".to_string(),
                "TrackNotFound",
            ),
            Self::IncorrectPublishToken => (
                StatusCode::BAD_REQUEST,
                "The provided publish token is incorrect".to_string(),
                "IncorrectPublishTokenError",
            ),
            Self::Validation(message) => (StatusCode::BAD_REQUEST, message, "ValidationError"),
            Self::Unknown => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something bad happened when processing your request".to_string(),
                "UnknownError",
            ),
        };
        let body = serde_json::json!({
            "message": message,
            "name": name,
            "statusCode": status.as_u16(),
        });
        (status, Json(body)).into_response()
    }
}

/// axum 0.7's `Query` rejection: 400 `text/plain; charset=utf-8`.
fn bad_query(error: serde_urlencoded::de::Error) -> Response {
    (
        StatusCode::BAD_REQUEST,
        format!("Failed to deserialize query string: {error}"),
    )
        .into_response()
}

/// `/api/get`'s query (`get_lyrics_by_metadata.rs:17-26`); the same field order, so serde
/// reports the same first missing or duplicate field.
#[derive(Deserialize)]
struct GetParams {
    track_name: String,
    artist_name: String,
    album_name: Option<String>,
    duration: Option<f64>,
}

/// `/api/search`'s query (`search_lyrics.rs:14-20`).
#[derive(Deserialize)]
struct SearchParams {
    q: Option<String>,
    track_name: Option<String>,
    artist_name: Option<String>,
    album_name: Option<String>,
}

async fn get_by_metadata(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    // axum 0.7's `Query`: `serde_urlencoded::from_str` of the raw query (unknown keys ignored).
    let params: GetParams = match serde_urlencoded::from_str(query.as_deref().unwrap_or_default()) {
        Ok(params) => params,
        Err(error) => return bad_query(error),
    };
    let errors = validate_get(&params.track_name, &params.artist_name, params.duration);
    if !errors.is_empty() {
        return ApiError::Validation(errors.join("\n")).into_response();
    }
    let track = process_param(Some(&params.track_name));
    let artist = process_param(Some(&params.artist_name));
    let album = process_param(params.album_name.as_deref());
    let store = match shared.database() {
        Ok(store) => store,
        Err(error) => return error.into_response(),
    };
    // Names that normalise to nothing pass validation and are not found (§3).
    let (Some(track), Some(artist)) = (track, artist) else {
        return ApiError::TrackNotFound.into_response();
    };
    let found = store.by_metadata(&track, &artist, album.as_deref(), params.duration);
    record_or_404(found)
}

async fn get_by_id(State(shared): State<Arc<Shared>>, Path(raw): Path<String>) -> Response {
    // axum 0.7's `Path<i64>` rejection (Rust's `i64` parsing: `+5` and `-1` are numbers).
    let Ok(id) = raw.parse::<i64>() else {
        let message = format!("Invalid URL: Cannot parse `{raw:?}` to a `i64`");
        return (StatusCode::BAD_REQUEST, message).into_response();
    };
    match shared.database() {
        Ok(store) => record_or_404(store.by_id(id)),
        Err(error) => error.into_response(),
    }
}

fn record_or_404(found: Option<TrackResponse>) -> Response {
    match found {
        Some(record) => Json(record).into_response(),
        None => ApiError::TrackNotFound.into_response(),
    }
}

async fn search(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let params: SearchParams =
        match serde_urlencoded::from_str(query.as_deref().unwrap_or_default()) {
            Ok(params) => params,
            Err(error) => return bad_query(error),
        };
    let q = process_param(params.q.as_deref());
    let track = process_param(params.track_name.as_deref());
    let artist = process_param(params.artist_name.as_deref());
    let album = process_param(params.album_name.as_deref());
    let answer = shared.store().search(
        q.as_deref(),
        track.as_deref(),
        artist.as_deref(),
        album.as_deref(),
        Instant::now(),
        shared.database_down(),
    );
    match answer {
        Some(answer) => Json(answer).into_response(),
        None => ApiError::Unknown.into_response(),
    }
}

/// `PublishRequest` (`publish_lyrics.rs:22-31`): only its shape matters (the same 422s for a
/// missing or mistyped field), the fake stores nothing.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct PublishRequest {
    track_name: String,
    artist_name: String,
    album_name: String,
    duration: f64,
    plain_lyrics: Option<String>,
    synced_lyrics: Option<String>,
}

/// `POST /api/publish` up to the token check (§7): the body is read first (415 without
/// `Content-Type: application/json`, 400/422 for bad JSON, 413 over 2 MiB, all axum's), then
/// the token. The fake hands out no challenges, so no token is correct.
async fn publish(Json(_request): Json<PublishRequest>) -> Response {
    ApiError::IncorrectPublishToken.into_response()
}

/// The methods each path answers, for the `allow` header of a CORS preflight; `None` for paths
/// without a route.
pub(super) fn allowed_methods(path: &str) -> Option<&'static str> {
    match path {
        "/api/get" | "/api/search" => Some("GET,HEAD"),
        "/api/publish" => Some("POST"),
        _ => {
            let id = path.strip_prefix("/api/get/")?;
            (!id.is_empty() && !id.contains('/')).then_some("GET,HEAD")
        }
    }
}

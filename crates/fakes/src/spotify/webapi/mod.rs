//! Fake Web API under `/v1`: bearer-token checks, Spotify's JSON shapes (2026 and legacy),
//! paging, request counting and fault injection.

use super::Shared;
use crate::faults::{inject, Faults};
use axum::extract::{OriginalUri, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

mod albums;
mod catalog;
mod render;
mod search;

pub(crate) use render::Render;

/// A request's query parameters.
pub(super) type Params = Query<HashMap<String, String>>;

/// The Web API's routes, behind the request counter, the fault injector and the token check.
pub(crate) fn router(shared: Arc<Shared>, faults: Faults) -> Router {
    // Layers run outermost-last: count -> faults -> token check -> handler.
    Router::new()
        .route("/me", get(catalog::me))
        .route(
            "/me/player/currently-playing",
            get(catalog::currently_playing),
        )
        .route("/me/playlists", get(catalog::my_playlists))
        .route("/playlists/{id}", get(catalog::playlist))
        .route("/playlists/{id}/items", get(catalog::playlist_items))
        .route("/playlists/{id}/tracks", get(catalog::playlist_tracks))
        .route("/tracks/{id}", get(catalog::track))
        .route("/artists/{id}", get(catalog::artist))
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

/// An error body in Spotify's shape, with its status.
pub(super) fn api_error(status: StatusCode, message: &str) -> Response {
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
    let token = crate::bearer::bearer(req.headers());
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

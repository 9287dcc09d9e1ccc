//! The user's library as the 2026 endpoints keep it: `PUT` and `DELETE /me/library?uris=...`
//! save and remove, `GET /me/library/contains?uris=...` answers one boolean per URI. As on
//! Spotify: the token needs `user-library-modify` (writes) or `user-library-read` (reads),
//! else 403 "Insufficient client scope"; `uris` is required, at most 40, each a well-formed
//! Spotify URI of a kind the endpoint takes, else 400. Every request is recorded.

use super::webapi::{api_error, Params};
use super::{FakeSpotify, Shared};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// Scope of `PUT`/`DELETE /me/library`.
pub const MODIFY_SCOPE: &str = "user-library-modify";
/// Scope of `GET /me/library/contains`.
pub const READ_SCOPE: &str = "user-library-read";
/// Most URIs one request may name.
const MAX_URIS: usize = 40;
/// URI kinds the write endpoints take; `contains` also takes artists.
const SAVABLE: [&str; 7] = [
    "track",
    "album",
    "episode",
    "show",
    "audiobook",
    "user",
    "playlist",
];

/// A library request as it reached the fake: `PUT`, `DELETE` or `GET`, its path (without the
/// query) and the URIs it named, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LibraryRequest {
    pub method: String,
    pub path: String,
    pub uris: Vec<String>,
}

/// What is saved, and every request seen; inside the fake's [`super::State`].
#[derive(Default)]
pub(crate) struct SavedLibrary {
    uris: BTreeSet<String>,
    requests: Vec<LibraryRequest>,
}

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/me/library", put(save).delete(remove))
        .route("/me/library/contains", get(contains))
}

/// A refusal's status and Spotify's message.
type Refusal = (StatusCode, &'static str);

/// Records the request, then checks the token's scope and the URIs, in Spotify's order.
fn admit(
    shared: &Shared,
    method: Method,
    path: &str,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
    scope: &str,
) -> Result<Vec<String>, Refusal> {
    let uris: Vec<String> = params
        .get("uris")
        .map(|raw| {
            raw.split(',')
                .filter(|u| !u.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let token = crate::bearer::bearer(headers).unwrap_or_default();
    let mut state = shared.state();
    state.saved.requests.push(LibraryRequest {
        method: method.to_string(),
        path: path.to_string(),
        uris: uris.clone(),
    });
    if !state.grants(token, scope) {
        return Err((StatusCode::FORBIDDEN, "Insufficient client scope"));
    }
    if uris.is_empty() {
        return Err((StatusCode::BAD_REQUEST, "Missing required parameter: uris"));
    }
    if uris.len() > MAX_URIS {
        return Err((StatusCode::BAD_REQUEST, "Too many ids requested"));
    }
    let artists_too = method == Method::GET;
    for uri in &uris {
        let Some((kind, id)) = uri.strip_prefix("spotify:").and_then(|r| r.split_once(':')) else {
            return Err((StatusCode::BAD_REQUEST, "Invalid URI"));
        };
        if id.len() != 22 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err((StatusCode::BAD_REQUEST, "Invalid URI"));
        }
        if !(SAVABLE.contains(&kind) || (artists_too && kind == "artist")) {
            return Err((StatusCode::BAD_REQUEST, "Unsupported URI type"));
        }
    }
    Ok(uris)
}

async fn save(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(params): Params,
) -> Response {
    match admit(
        &shared,
        Method::PUT,
        "/v1/me/library",
        &headers,
        &params,
        MODIFY_SCOPE,
    ) {
        Ok(uris) => {
            shared.state().saved.uris.extend(uris);
            StatusCode::OK.into_response()
        }
        Err((status, message)) => api_error(status, message),
    }
}

async fn remove(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(params): Params,
) -> Response {
    match admit(
        &shared,
        Method::DELETE,
        "/v1/me/library",
        &headers,
        &params,
        MODIFY_SCOPE,
    ) {
        Ok(uris) => {
            let mut state = shared.state();
            for uri in uris {
                state.saved.uris.remove(&uri);
            }
            StatusCode::OK.into_response()
        }
        Err((status, message)) => api_error(status, message),
    }
}

async fn contains(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(params): Params,
) -> Response {
    let path = "/v1/me/library/contains";
    match admit(&shared, Method::GET, path, &headers, &params, READ_SCOPE) {
        Ok(uris) => {
            let state = shared.state();
            let answer: Vec<bool> = uris.iter().map(|u| state.saved.uris.contains(u)).collect();
            Json(answer).into_response()
        }
        Err((status, message)) => api_error(status, message),
    }
}

impl FakeSpotify {
    /// Every `/me/library` request so far, in order, refused ones included.
    pub fn library_requests(&self) -> Vec<LibraryRequest> {
        self.shared.state().saved.requests.clone()
    }

    /// The URIs saved in the user's library now.
    pub fn saved_uris(&self) -> Vec<String> {
        self.shared.state().saved.uris.iter().cloned().collect()
    }

    /// Saves `uris` in the user's library, as if done in another Spotify app.
    pub fn save_uris(&self, uris: &[&str]) {
        let mut state = self.shared.state();
        state.saved.uris.extend(uris.iter().map(|u| u.to_string()));
    }
}

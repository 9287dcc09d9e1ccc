//! Fake accounts service: `GET /authorize` (auto-consent) and `POST /api/token` (PKCE + refresh).

use super::Shared;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;
use url::Url;

/// Scopes of a sign-in from before playback control and the library.
pub(crate) const OLD_SCOPES: &str = "user-read-currently-playing user-read-playback-state \
                                     playlist-read-private playlist-read-collaborative";
/// Every scope the fake knows: the old ones, playback control and the library.
pub(crate) const ALL_SCOPES: &str = "user-read-currently-playing user-read-playback-state \
                                     playlist-read-private playlist-read-collaborative \
                                     user-modify-playback-state user-library-read \
                                     user-library-modify";

/// The scopes granted for `requested` (space-separated): those the fake knows, as Spotify
/// grants what was asked; only the old ones when `old` (a token from an older sign-in).
pub(crate) fn grant(requested: &str, old: bool) -> String {
    let known = if old { OLD_SCOPES } else { ALL_SCOPES };
    let known: Vec<&str> = known.split_whitespace().collect();
    requested
        .split_whitespace()
        .filter(|s| known.contains(s))
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/authorize", get(authorize))
        .route("/api/token", post(token))
        .with_state(shared)
}

/// Validates the request like Spotify does, then redirects straight back (no consent page).
async fn authorize(
    State(shared): State<Arc<Shared>>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let param = |name: &str| params.get(name).map(String::as_str).unwrap_or_default();
    let client_ok = match &shared.client_id {
        Some(expected) => param("client_id") == expected,
        None => !param("client_id").is_empty(),
    };
    if !client_ok {
        return (StatusCode::BAD_REQUEST, "INVALID_CLIENT: Invalid client").into_response();
    }
    // Since 2025 Spotify only accepts loopback IP literals over plain HTTP.
    let redirect = match Url::parse(param("redirect_uri")) {
        Ok(url)
            if url.scheme() == "http"
                && url.host_str() == Some("127.0.0.1")
                && url.port().is_some() =>
        {
            url
        }
        _ => {
            return (
                StatusCode::BAD_REQUEST,
                "INVALID_CLIENT: Invalid redirect URI",
            )
                .into_response()
        }
    };
    if param("response_type") != "code" {
        return (StatusCode::BAD_REQUEST, "unsupported_response_type").into_response();
    }
    if param("code_challenge_method") != "S256" || param("code_challenge").is_empty() {
        return (
            StatusCode::BAD_REQUEST,
            "code_challenge_method must be S256",
        )
            .into_response();
    }
    let mut target = redirect.clone();
    let mut state = shared.state();
    if state.deny_consent {
        target
            .query_pairs_mut()
            .append_pair("error", "access_denied");
    } else {
        let code = format!("fake-code-{:016x}", rand::random::<u64>());
        state.codes.insert(
            code.clone(),
            (param("code_challenge").to_string(), redirect.to_string()),
        );
        state
            .code_scopes
            .insert(code.clone(), param("scope").to_string());
        target.query_pairs_mut().append_pair("code", &code);
    }
    if let Some(s) = params.get("state") {
        target.query_pairs_mut().append_pair("state", s);
    }
    (StatusCode::FOUND, [(header::LOCATION, target.to_string())]).into_response()
}

fn token_error(error: &str, description: &str) -> Response {
    let body = json!({ "error": error, "error_description": description });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

/// The client ID from HTTP Basic auth (confidential clients) or the form (PKCE public clients).
fn client_id(headers: &HeaderMap, form: &HashMap<String, String>) -> Option<String> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b64| STANDARD.decode(b64).ok())
        .and_then(|raw| String::from_utf8(raw).ok())
        .and_then(|pair| pair.split(':').next().map(str::to_string));
    basic
        .or_else(|| form.get("client_id").cloned())
        .filter(|id| !id.is_empty())
}

async fn token(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut state = shared.state();
    state.token_requests += 1;
    if client_id(&headers, &form).is_none() {
        return token_error("invalid_client", "Invalid client");
    }
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    let requested = match field("grant_type") {
        "authorization_code" => {
            // Codes are single-use, as on the real service.
            let Some((challenge, redirect_uri)) = state.codes.remove(field("code")) else {
                return token_error("invalid_grant", "Invalid authorization code");
            };
            if redirect_uri != field("redirect_uri") {
                return token_error("invalid_grant", "Invalid redirect URI");
            }
            let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(field("code_verifier")));
            if computed != challenge {
                return token_error("invalid_grant", "code_verifier was incorrect");
            }
            state.code_scopes.remove(field("code")).unwrap_or_default()
        }
        "refresh_token" => {
            state.refresh_requests += 1;
            let presented = field("refresh_token").to_string();
            if state.reject_refresh || !state.refresh_tokens.contains(&presented) {
                return token_error("invalid_grant", "Refresh token revoked");
            }
            // A refresh keeps the scopes of the sign-in it came from.
            let scope = state.scopes.get(&presented).cloned().unwrap_or_default();
            if !state.rotate_refresh {
                // Spotify's answer to a PKCE refresh today: a new access token, no new refresh
                // token; the old one stays valid.
                return Json(json!({
                    "access_token": state.issue_access(&scope),
                    "token_type": "Bearer",
                    "scope": scope,
                    "expires_in": state.access_token_ttl,
                }))
                .into_response();
            }
            state.refresh_tokens.remove(&presented);
            scope
        }
        _ => return token_error("unsupported_grant_type", "grant_type is not supported"),
    };
    let issued = state.issue(&requested);
    Json(json!({
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "scope": issued.scope,
        "expires_in": issued.expires_in,
        "refresh_token": issued.refresh_token,
    }))
    .into_response()
}

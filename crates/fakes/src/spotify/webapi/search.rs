//! `GET /search` as a Development Mode app meets it: `q` and `type` required, at most 10 results
//! per type (`limit` above 10 is a 400 "Invalid limit"), `offset` up to 1000, one paging object
//! per requested type. Matching is by words: every word of `q` must appear, case-insensitively,
//! in the item's name or its artists' names (Spotify's field filters are not modelled).

use super::super::discography;
use super::{ApiError, ApiResult, Params, Render, Shared};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Json;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// Results per type and page allowed to Development Mode apps since February 2026.
pub(crate) const MAX_LIMIT: usize = 10;
const DEFAULT_LIMIT: usize = 5;
const MAX_OFFSET: usize = 1000;
const TYPES: [&str; 3] = ["track", "artist", "album"];

pub(super) async fn search(State(shared): State<Arc<Shared>>, Query(params): Params) -> ApiResult {
    let q = params.get("q").map(|q| q.trim()).unwrap_or_default();
    if q.is_empty() {
        return Err(ApiError(StatusCode::BAD_REQUEST, "No search query"));
    }
    let Some(raw_types) = params.get("type") else {
        return Err(ApiError(StatusCode::BAD_REQUEST, "Missing parameter type"));
    };
    let types: Vec<&str> = raw_types.split(',').map(str::trim).collect();
    if types.iter().any(|t| !TYPES.contains(t)) {
        return Err(ApiError(StatusCode::BAD_REQUEST, "Bad search type field"));
    }
    let limit = match params.get("limit") {
        None => DEFAULT_LIMIT,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => return Err(ApiError(StatusCode::BAD_REQUEST, "Invalid limit")),
        },
    };
    let offset = match params.get("offset") {
        None => 0,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if n <= MAX_OFFSET => n,
            _ => return Err(ApiError(StatusCode::BAD_REQUEST, "Invalid offset")),
        },
    };
    let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
    let render = Render::new(&shared);
    let mut body = Map::new();
    for kind in types {
        let found = matches(&render, kind, &words);
        let total = found.len();
        let items = found.into_iter().skip(offset).take(limit).collect();
        body.insert(
            format!("{kind}s"),
            paging(&render, q, kind, items, limit, offset, total),
        );
    }
    Ok(Json(Value::Object(body)).into_response())
}

/// Every item of `kind` matching all `words`, rendered as Spotify sends it in search results.
fn matches(render: &Render, kind: &str, words: &[String]) -> Vec<Value> {
    let lib = render.lib;
    let hit = |names: Vec<&str>| {
        let text = names.join(" ").to_lowercase();
        words.iter().all(|w| text.contains(w.as_str()))
    };
    let artist_names = |artists: &[usize]| -> Vec<&str> {
        artists
            .iter()
            .map(|&i| lib.artists[i].name.as_str())
            .collect()
    };
    match kind {
        "track" => lib
            .tracks
            .iter()
            .filter(|t| hit([vec![t.name.as_str()], artist_names(&t.artists)].concat()))
            .map(|t| render.track(t))
            .collect(),
        "artist" => lib
            .artists
            .iter()
            .filter(|a| hit(vec![a.name.as_str()]))
            .map(|a| render.artist(a))
            .collect(),
        _ => discography::albums()
            .iter()
            .filter(|a| hit([vec![a.album().name.as_str()], artist_names(&a.artists)].concat()))
            .map(|a| {
                let mut value = render.album(a.album(), &a.artists);
                value["total_tracks"] = json!(a.tracks.len());
                value
            })
            .collect(),
    }
}

/// A paging object whose links repeat the query, as Spotify's do.
fn paging(
    render: &Render,
    q: &str,
    kind: &str,
    items: Vec<Value>,
    limit: usize,
    offset: usize,
    total: usize,
) -> Value {
    let link = |offset: usize| {
        let mut url = url::Url::parse(&format!("{}/v1/search", render.root)).expect("a URL");
        url.query_pairs_mut()
            .append_pair("offset", &offset.to_string())
            .append_pair("limit", &limit.to_string())
            .append_pair("query", q)
            .append_pair("type", kind);
        url.to_string()
    };
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

//! Fake Wikidata (`/wiki/Special:EntityData/<Q>.json`, with sitelinks) and fake Wikipedia REST
//! page summaries (`/<lang>/api/rest_v1/page/summary/<title>`), in the real JSON shapes.

use super::data::{self, Item};
use super::Service;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use std::sync::Arc;

pub(super) fn wikidata(service: Arc<Service>) -> Router {
    Router::new()
        .route("/wiki/Special:EntityData/{file}", get(entity))
        .with_state(service)
}

pub(super) fn wikipedia(service: Arc<Service>) -> Router {
    Router::new()
        .route("/{lang}/api/rest_v1/page/summary/{title}", get(summary))
        .with_state(service)
}

/// Every item the fake knows, as (Q number, item).
fn all_items() -> impl Iterator<Item = (String, Item)> {
    let lib = crate::spotify::library::library();
    let artists = (0..lib.artists.len()).map(data::artist_item);
    let songs = (0..lib.tracks.len()).map(data::song_item);
    let albums = (0..lib.albums.len()).map(data::album_item);
    artists
        .chain(songs)
        .chain(albums)
        .filter_map(|q| data::item(&q).map(|item| (q, item)))
}

async fn entity(State(_): State<Arc<Service>>, Path(file): Path<String>) -> Response {
    let Some(q) = file.strip_suffix(".json") else {
        return (StatusCode::BAD_REQUEST, "only .json").into_response();
    };
    let Some(item) = data::item(q) else {
        return (
            StatusCode::NOT_FOUND,
            format!("<!DOCTYPE html><html><body><p>Invalid ID: {q}</p></body></html>"),
        )
            .into_response();
    };
    let title = data::item_title(&item);
    let mut sitelinks = Map::new();
    for lang in data::languages(&item) {
        sitelinks.insert(
            format!("{lang}wiki"),
            json!({
                "site": format!("{lang}wiki"), "title": title, "badges": [],
                "url": format!("https://{lang}.wikipedia.org/wiki/{}", title.replace(' ', "_")),
            }),
        );
    }
    Json(json!({
        "entities": {
            q: {
                "pageid": 1, "ns": 0, "title": q, "lastrevid": 1, "modified": "2026-01-01T00:00:00Z",
                "type": "item", "id": q,
                "labels": { "en": { "language": "en", "value": title } },
                "descriptions": {}, "aliases": {}, "claims": {},
                "sitelinks": sitelinks,
            }
        }
    }))
    .into_response()
}

async fn summary(
    State(_): State<Arc<Service>>,
    Path((lang, title)): Path<(String, String)>,
) -> Response {
    let wanted = title.replace('_', " ");
    let found = all_items().find(|(_, item)| {
        data::item_title(item) == wanted && data::languages(item).contains(&lang.as_str())
    });
    let Some((q, item)) = found else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({
                "type": "https://mediawiki.org/wiki/HyperSwitch/errors/not_found",
                "title": "Not found.", "method": "get", "detail": "Page or revision not found.",
                "uri": format!("/{lang}.wikipedia.org/v1/page/summary/{title}"),
            })),
        )
            .into_response();
    };
    let canonical = wanted.replace(' ', "_");
    let extract = data::extract(&item, &lang);
    let page = format!("https://{lang}.wikipedia.org/wiki/{canonical}");
    let answer: Value = json!({
        "type": "standard",
        "title": wanted,
        "displaytitle": format!("<span class=\"mw-page-title-main\">{wanted}</span>"),
        "namespace": { "id": 0, "text": "" },
        "wikibase_item": q,
        "titles": { "canonical": canonical, "normalized": wanted, "display": wanted },
        "pageid": 4242,
        "lang": lang, "dir": "ltr", "revision": "1", "tid": "0",
        "timestamp": "2026-01-01T00:00:00Z",
        "description": "fake page",
        "description_source": "local",
        "content_urls": {
            "desktop": { "page": page, "revisions": format!("{page}?action=history"),
                         "edit": format!("{page}?action=edit"), "talk": "" },
            "mobile": { "page": page.replace(".wikipedia", ".m.wikipedia"), "revisions": "", "edit": "", "talk": "" },
        },
        "extract": extract,
        "extract_html": format!("<p>{extract}</p>"),
    });
    Json(answer).into_response()
}

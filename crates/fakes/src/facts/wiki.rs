//! Fake Wikidata and Wikipedia in the real shapes (`fixtures/open-music/REFERENCE.md`):
//! `Special:EntityData` answers the whole entity at its real size (every language's labels,
//! claims with references), the action API answers `wbgetentities` (with `props` and
//! `sitefilter`, missing IDs marked `missing`) and `haswbstatement` searches, and the REST page
//! summaries redirect moved titles, mark disambiguation pages and answer 404 as problem+json.

use super::data::{self, Item};
use super::Service;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Most IDs one `wbgetentities` call takes.
pub const MAX_IDS: usize = 50;

pub(super) fn wikidata(service: Arc<Service>) -> Router {
    Router::new()
        .route("/wiki/Special:EntityData/{file}", get(entity))
        .route("/w/api.php", get(api))
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

/// The item's identifiers: Spotify artist ID (P1902), MusicBrainz artist (P434), work (P435)
/// and release group (P436) IDs.
fn statements(item: &Item) -> Vec<(&'static str, String)> {
    let lib = crate::spotify::library::library();
    match item {
        Item::Artist(a) => vec![
            ("P1902", lib.artists[*a].id.clone()),
            ("P434", data::mbid(data::ARTIST, *a)),
        ],
        Item::Song(t) => vec![("P435", data::mbid(data::WORK, *t))],
        Item::Album(a) => vec![("P436", data::mbid(data::RELEASE_GROUP, *a))],
    }
}

/// The sitelinks of an item, keyed by site (`enwiki`), kept to `filter` when given.
fn sitelinks(item: &Item, filter: Option<&[&str]>) -> Map<String, Value> {
    let mut links = Map::new();
    for lang in data::languages(item) {
        let site = format!("{lang}wiki");
        if filter.is_some_and(|f| !f.contains(&site.as_str())) {
            continue;
        }
        let title = sitelink_title(item, lang);
        links.insert(
            site.clone(),
            json!({
                "site": site, "title": title, "badges": [],
                "url": format!("https://{lang}.wikipedia.org/wiki/{}", title.replace(' ', "_")),
            }),
        );
    }
    links
}

/// The title a sitelink names: some songs' pages have moved since (the old title redirects),
/// and some artists' German sitelinks lead to a disambiguation page.
fn sitelink_title(item: &Item, lang: &str) -> String {
    match item {
        Item::Song(t) if data::moved_song(*t) => format!("{} (song)", data::title(&song_name(*t))),
        Item::Artist(a) if lang == "de" && data::disambiguated(*a) => data::title(&artist_name(*a)),
        _ => data::item_title(item),
    }
}

fn song_name(t: usize) -> String {
    crate::spotify::library::library().tracks[t].name.clone()
}

fn artist_name(a: usize) -> String {
    crate::spotify::library::library().artists[a].name.clone()
}

/// The whole entity, at the size of a well-known item: every language's label and
/// description, claims with references, every sitelink.
fn whole_entity(q: &str, item: &Item) -> Value {
    let title = data::item_title(item);
    let mut labels = Map::new();
    let mut descriptions = Map::new();
    for (k, lang) in language_codes().into_iter().enumerate() {
        labels.insert(lang.clone(), json!({ "language": lang, "value": title }));
        descriptions.insert(
            lang.clone(),
            json!({ "language": lang, "value": format!("music item {k} described in {lang}") }),
        );
    }
    let mut claims = Map::new();
    let mut all: Vec<(String, String)> = statements(item)
        .into_iter()
        .map(|(p, v)| (p.to_string(), v))
        .collect();
    all.extend((0..120).map(|k| (format!("P{}", 2000 + k), format!("value {k} of {q}"))));
    for (p, value) in all {
        claims.insert(
            p.clone(),
            json!([{
                "mainsnak": { "snaktype": "value", "property": p, "datatype": "external-id",
                              "datavalue": { "value": value, "type": "string" } },
                "type": "statement", "id": format!("{q}$0000-{p}"), "rank": "normal",
                "references": [{ "hash": "0".repeat(40), "snaks": { "P248": [{ "snaktype": "value",
                    "property": "P248", "datavalue": { "value": { "entity-type": "item", "id": "Q14005", "numeric-id": 14005 },
                    "type": "wikibase-entityid" }, "datatype": "wikibase-item" }] }, "snaks-order": ["P248"] }],
            }]),
        );
    }
    json!({
        "pageid": 1, "ns": 0, "title": q, "lastrevid": 1, "modified": "2026-01-01T00:00:00Z",
        "type": "item", "id": q, "labels": labels, "descriptions": descriptions, "aliases": {},
        "claims": claims, "sitelinks": sitelinks(item, None),
    })
}

/// 300 language codes, as many as a well-known item has labels in.
fn language_codes() -> Vec<String> {
    let letters: Vec<char> = ('a'..='z').collect();
    letters
        .iter()
        .flat_map(|a| letters.iter().map(move |b| format!("{a}{b}")))
        .take(300)
        .collect()
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
    Json(json!({ "entities": { q: whole_entity(q, &item) } })).into_response()
}

/// A MediaWiki API error: HTTP 200 with an `error` object, as the action API answers.
fn api_error(code: &str, info: &str) -> Response {
    Json(json!({ "error": { "code": code, "info": info, "*": "See https://www.wikidata.org/w/api.php" } }))
        .into_response()
}

/// `GET /w/api.php`: `action=wbgetentities` and `action=query&list=search`.
async fn api(Query(params): Query<HashMap<String, String>>) -> Response {
    if params.get("format").map(String::as_str) != Some("json") {
        return (StatusCode::OK, "this fake only speaks format=json").into_response();
    }
    match params.get("action").map(String::as_str) {
        Some("wbgetentities") => get_entities(&params),
        Some("query") if params.get("list").map(String::as_str) == Some("search") => search(
            params
                .get("srsearch")
                .map(String::as_str)
                .unwrap_or_default(),
        ),
        _ => api_error("badvalue", "Unrecognized value for parameter \"action\"."),
    }
}

fn get_entities(params: &HashMap<String, String>) -> Response {
    let ids: Vec<&str> = params
        .get("ids")
        .map(|ids| ids.split('|').collect())
        .unwrap_or_default();
    if ids.is_empty() {
        return api_error("param-missing", "Either provide the item \"ids\" or pairs of \"sites\" and \"titles\" for corresponding pages");
    }
    if ids.len() > MAX_IDS {
        return api_error(
            "toomanyvalues",
            "Too many values supplied for parameter \"ids\". The limit is 50.",
        );
    }
    let props: Vec<&str> = params
        .get("props")
        .map(|p| p.split('|').collect())
        .unwrap_or_else(|| {
            vec![
                "info",
                "sitelinks",
                "aliases",
                "labels",
                "descriptions",
                "claims",
                "datatype",
            ]
        });
    let filter: Option<Vec<&str>> = params.get("sitefilter").map(|f| f.split('|').collect());
    let mut entities = Map::new();
    for id in ids {
        let well_formed =
            id.len() > 1 && id.starts_with('Q') && id[1..].bytes().all(|b| b.is_ascii_digit());
        if !well_formed {
            return api_error(
                "no-such-entity",
                &format!("Could not find an entity with the ID \"{id}\"."),
            );
        }
        let Some(item) = data::item(id) else {
            entities.insert(id.to_string(), json!({ "id": id, "missing": "" }));
            continue;
        };
        let whole = whole_entity(id, &item);
        let mut entity = json!({ "type": "item", "id": id });
        for prop in &props {
            match *prop {
                "sitelinks" => entity["sitelinks"] = json!(sitelinks(&item, filter.as_deref())),
                "labels" | "descriptions" | "aliases" | "claims" => {
                    entity[*prop] = whole[*prop].clone()
                }
                _ => {}
            }
        }
        entities.insert(id.to_string(), entity);
    }
    Json(json!({ "entities": entities, "success": 1 })).into_response()
}

/// `haswbstatement:P1902=<id>|P434=<mbid>`: items having any of the statements.
fn search(query: &str) -> Response {
    let wanted: Vec<(&str, &str)> = query
        .strip_prefix("haswbstatement:")
        .unwrap_or_default()
        .split('|')
        .filter_map(|s| s.split_once('='))
        .collect();
    let hits: Vec<Value> = all_items()
        .filter(|(_, item)| {
            statements(item)
                .iter()
                .any(|(p, v)| wanted.iter().any(|(wp, wv)| wp == p && wv == v))
        })
        .map(|(q, _)| {
            json!({ "ns": 0, "title": q, "pageid": q[1..].parse::<u64>().unwrap_or(0),
                    "size": 150_000, "wordcount": 0, "snippet": "", "timestamp": "2026-01-01T00:00:00Z" })
        })
        .collect();
    Json(json!({
        "batchcomplete": "",
        "query": { "searchinfo": { "totalhits": hits.len() }, "search": hits },
    }))
    .into_response()
}

fn not_found(lang: &str, title: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "application/problem+json")],
        Json(json!({
            "type": "https://mediawiki.org/wiki/HyperSwitch/errors/not_found",
            "title": "Not found.", "method": "get", "detail": "Page or revision not found.",
            "uri": format!("/{lang}.wikipedia.org/v1/page/summary/{title}"),
        })),
    )
        .into_response()
}

async fn summary(
    State(_): State<Arc<Service>>,
    Path((lang, title)): Path<(String, String)>,
) -> Response {
    let wanted = title.replace('_', " ");
    // A moved song's old title redirects to where its page is now, as the REST API does.
    let moved = all_items().find(|(_, item)| {
        matches!(item, Item::Song(t) if data::moved_song(*t))
            && sitelink_title(item, &lang) == wanted
            && data::languages(item).contains(&lang.as_str())
    });
    if let Some((_, item)) = moved {
        let target = data::item_title(&item).replace(' ', "_");
        let location = url::form_urlencoded::byte_serialize(target.as_bytes()).collect::<String>();
        return (
            StatusCode::FOUND,
            [(header::LOCATION, location.replace('+', "%20"))],
        )
            .into_response();
    }
    let disambiguation = all_items().find(|(_, item)| {
        matches!(item, Item::Artist(a) if data::disambiguated(*a))
            && lang == "de"
            && sitelink_title(item, &lang) == wanted
    });
    if disambiguation.is_some() {
        return Json(summary_json(
            &lang,
            &wanted,
            "disambiguation",
            "Q4167410",
            &format!("{wanted} steht für:"),
        ))
        .into_response();
    }
    let found = all_items().find(|(_, item)| {
        data::item_title(item) == wanted && data::languages(item).contains(&lang.as_str())
    });
    let Some((q, item)) = found else {
        return not_found(&lang, &title);
    };
    Json(summary_json(
        &lang,
        &wanted,
        "standard",
        &q,
        &data::extract(&item, &lang),
    ))
    .into_response()
}

fn summary_json(lang: &str, title: &str, kind: &str, q: &str, extract: &str) -> Value {
    let canonical = title.replace(' ', "_");
    let page = format!("https://{lang}.wikipedia.org/wiki/{canonical}");
    json!({
        "type": kind,
        "title": title,
        "displaytitle": format!("<span class=\"mw-page-title-main\">{title}</span>"),
        "namespace": { "id": 0, "text": "" },
        "wikibase_item": q,
        "titles": { "canonical": canonical, "normalized": title, "display": title },
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
    })
}

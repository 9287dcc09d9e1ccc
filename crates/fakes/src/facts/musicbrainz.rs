//! Fake MusicBrainz web service (`/ws/2/`, JSON): recordings by ISRC, URL lookups, artists and
//! release groups in the shapes of the real service, its 404 and 503 answers, and its rule of
//! one request per second (enforced: a faster client gets 503, as from the real one).

use super::data;
use super::{Hit, Service};
use crate::spotify::library;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

type Params = Query<HashMap<String, String>>;

pub(super) fn router(service: Arc<Service>) -> Router {
    Router::new()
        .route("/ws/2/isrc/{isrc}", get(isrc))
        .route("/ws/2/url", get(url))
        .route("/ws/2/artist/{mbid}", get(artist))
        .route("/ws/2/release-group/{mbid}", get(release_group))
        .fallback(|| async { not_found() })
        .with_state(service)
}

/// The rate rule and the User-Agent rule, checked on arrival like the real service does.
pub(super) async fn police(
    State(service): State<Arc<Service>>,
    req: Request,
    next: Next,
) -> Response {
    let agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let path = req.uri().to_string();
    let now = Instant::now();
    let too_fast = {
        let mut state = service.state();
        let too_fast = state
            .last_accepted
            .is_some_and(|last| now.duration_since(last) < state.min_gap);
        if !too_fast {
            state.last_accepted = Some(now);
        }
        too_fast
    };
    // MusicBrainz blocks anonymous clients; a descriptive agent names a way to reach its author.
    let response = if !(agent.contains('/') && agent.contains("( ") && agent.contains("http")) {
        (
            StatusCode::FORBIDDEN,
            Json(json!({ "error": "Please provide a meaningful User-Agent (app/version ( contact ))" })),
        )
            .into_response()
    } else if too_fast {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "error": "Your requests are exceeding the allowable rate limit. Please see https://wiki.musicbrainz.org/XMLWebService for more information." })),
        )
            .into_response()
    } else {
        next.run(req).await
    };
    service.record(Hit {
        at: now,
        path,
        status: response.status().as_u16(),
        user_agent: agent,
    });
    response
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({ "error": "Not Found", "help": "For usage, please see: https://musicbrainz.org/development/mmd" })),
    )
        .into_response()
}

fn needs_json(params: &HashMap<String, String>) -> Option<Response> {
    (params.get("fmt").map(String::as_str) != Some("json"))
        .then(|| (StatusCode::BAD_REQUEST, "this fake only speaks fmt=json").into_response())
}

fn includes(params: &HashMap<String, String>) -> Vec<String> {
    params
        .get("inc")
        .map(|inc| inc.split([' ', '+']).map(str::to_string).collect())
        .unwrap_or_default()
}

fn artist_stub(index: usize) -> Value {
    let artist = &library::library().artists[index];
    json!({
        "id": data::mbid(data::ARTIST, index),
        "name": artist.name,
        "sort-name": artist.name,
        "disambiguation": "",
        "type": if data::is_group(index) { "Group" } else { "Person" },
        "type-id": null,
    })
}

fn person_stub(index: usize, name: &str) -> Value {
    json!({ "id": data::mbid(data::PERSON, index), "name": name, "sort-name": name,
            "disambiguation": "", "type": "Person", "type-id": null })
}

/// A relationship to an artist, as MusicBrainz serialises one.
fn artist_rel(kind: &str, direction: &str, artist: Value) -> Value {
    json!({
        "type": kind, "type-id": null, "direction": direction, "target-type": "artist",
        "attributes": [], "attribute-values": {}, "attribute-ids": {},
        "begin": null, "end": null, "ended": false, "source-credit": "", "target-credit": "",
        "artist": artist,
    })
}

fn wikidata_rel(item: &str) -> Value {
    json!({
        "type": "wikidata", "type-id": "689870a4-a1e4-4912-b17f-7b2664215698",
        "direction": "forward", "target-type": "url", "attributes": [], "attribute-values": {},
        "attribute-ids": {}, "begin": null, "end": null, "ended": false,
        "source-credit": "", "target-credit": "",
        "url": { "id": data::mbid(0x0011, item[1..].parse().unwrap_or(0)), "resource": format!("https://www.wikidata.org/wiki/{item}") },
    })
}

/// `GET /ws/2/isrc/<isrc>?inc=...&fmt=json`: the recordings with that ISRC.
async fn isrc(Path(code): Path<String>, Query(params): Params) -> Response {
    if let Some(bad) = needs_json(&params) {
        return bad;
    }
    let Some(index) = data::track_of_isrc(&code).filter(|i| data::knows_recording(*i)) else {
        return not_found();
    };
    let inc = includes(&params);
    let lib = library::library();
    let track = &lib.tracks[index];
    let album = &lib.albums[track.album];
    let mut recording = json!({
        "id": data::mbid(data::RECORDING, index),
        "title": track.name,
        "length": track.duration_ms,
        "disambiguation": "",
        "video": false,
        "first-release-date": album.release_date,
    });
    if inc.iter().any(|i| i == "artist-credits" || i == "artists") {
        let count = track.artists.len();
        recording["artist-credit"] = track
            .artists
            .iter()
            .enumerate()
            .map(|(k, &a)| {
                let join = match count - k {
                    1 => "",
                    2 => " & ",
                    _ => ", ",
                };
                json!({ "name": lib.artists[a].name, "joinphrase": join, "artist": artist_stub(a) })
            })
            .collect();
    }
    if inc.iter().any(|i| i == "releases") {
        let mut release = json!({
            "id": data::mbid(data::RELEASE, track.album), "title": album.name, "status": "Official",
            "date": album.release_date, "country": "XW", "disambiguation": "", "quality": "normal",
            "packaging": null, "barcode": null, "text-representation": { "language": "eng", "script": "Latn" },
        });
        if inc.iter().any(|i| i == "release-groups") {
            release["release-group"] = json!({
                "id": data::mbid(data::RELEASE_GROUP, track.album), "title": album.name,
                "primary-type": "Album", "secondary-types": [], "first-release-date": album.release_date,
                "disambiguation": "",
            });
        }
        recording["releases"] = json!([release]);
    }
    let mut relations = Vec::new();
    if inc.iter().any(|i| i == "artist-rels") {
        let (p, name) = data::producer(index);
        relations.push(artist_rel("producer", "backward", person_stub(p, name)));
    }
    if inc.iter().any(|i| i == "work-rels") {
        let mut work = json!({
            "id": data::mbid(data::WORK, index), "title": track.name, "type": "Song",
            "language": "eng", "languages": ["eng"], "iswcs": [], "attributes": [], "disambiguation": "",
        });
        if inc.iter().any(|i| i == "work-level-rels") {
            let mut rels: Vec<Value> = data::writers(index)
                .into_iter()
                .enumerate()
                .map(|(k, (p, name))| {
                    let kind = if k == 0 { "composer" } else { "lyricist" };
                    artist_rel(kind, "backward", person_stub(p, &name))
                })
                .collect();
            if data::song_has_page(index) && inc.iter().any(|i| i == "url-rels") {
                rels.push(wikidata_rel(&data::song_item(index)));
            }
            work["relations"] = json!(rels);
        }
        relations.push(json!({
            "type": "performance", "type-id": "a3005666-a872-32c3-ad06-98af558e99b0",
            "direction": "forward", "target-type": "work", "attributes": [], "attribute-values": {},
            "attribute-ids": {}, "begin": null, "end": null, "ended": false,
            "source-credit": "", "target-credit": "", "work": work,
        }));
    }
    if inc.iter().any(|i| i.ends_with("-rels")) {
        recording["relations"] = json!(relations);
    }
    Json(json!({ "isrc": code, "recordings": [recording] })).into_response()
}

/// `GET /ws/2/url?resource=<url>&inc=artist-rels&fmt=json`: what links to a URL.
async fn url(Query(params): Params) -> Response {
    if let Some(bad) = needs_json(&params) {
        return bad;
    }
    let resource = params.get("resource").cloned().unwrap_or_default();
    let Some(index) = data::artist_of_spotify_url(&resource).filter(|a| data::knows_artist(*a))
    else {
        return not_found();
    };
    let mut answer = json!({ "id": data::mbid(0x0011, index), "resource": resource });
    if includes(&params).iter().any(|i| i == "artist-rels") {
        answer["relations"] = json!([artist_rel("free streaming", "backward", artist_stub(index))]);
    }
    Json(answer).into_response()
}

/// `GET /ws/2/artist/<mbid>?inc=url-rels+tags+artist-rels&fmt=json`.
async fn artist(Path(mbid): Path<String>, Query(params): Params) -> Response {
    if let Some(bad) = needs_json(&params) {
        return bad;
    }
    let Some(index) = data::mbid_index(&mbid, data::ARTIST).filter(|a| *a < library::ARTIST_COUNT)
    else {
        return not_found();
    };
    let inc = includes(&params);
    let lib = library::library();
    let area = data::area(index);
    let mut artist = artist_stub(index);
    artist["country"] = json!(null);
    artist["gender"] = json!(null);
    artist["area"] = json!({ "id": data::mbid(0x00a0, index % 8), "name": area, "sort-name": area,
                             "type": "Country", "disambiguation": "" });
    artist["begin-area"] = json!(null);
    artist["life-span"] = json!({
        "begin": data::begin_year(index).to_string(),
        "end": data::end_year(index).map(|y| y.to_string()),
        "ended": data::end_year(index).is_some(),
    });
    artist["isnis"] = json!([]);
    artist["ipis"] = json!([]);
    if inc.iter().any(|i| i == "tags") {
        artist["tags"] = lib.artists[index]
            .genres
            .iter()
            .enumerate()
            .map(|(k, g)| json!({ "name": g, "count": 5 - k }))
            .collect();
    }
    let mut relations = Vec::new();
    if inc.iter().any(|i| i == "artist-rels") {
        for (p, name) in data::members(index) {
            relations.push(artist_rel(
                "member of band",
                "backward",
                person_stub(p, name),
            ));
        }
    }
    if inc.iter().any(|i| i == "url-rels") {
        let spotify = format!("https://open.spotify.com/artist/{}", lib.artists[index].id);
        relations.push(json!({
            "type": "free streaming", "direction": "forward", "target-type": "url",
            "attributes": [], "begin": null, "end": null, "ended": false,
            "url": { "id": data::mbid(0x0011, index), "resource": spotify },
        }));
        if data::artist_has_page(index) {
            relations.push(wikidata_rel(&data::artist_item(index)));
        }
    }
    if !relations.is_empty() {
        artist["relations"] = json!(relations);
    }
    Json(artist).into_response()
}

/// `GET /ws/2/release-group/<mbid>?inc=url-rels&fmt=json`.
async fn release_group(Path(mbid): Path<String>, Query(params): Params) -> Response {
    if let Some(bad) = needs_json(&params) {
        return bad;
    }
    let Some(index) =
        data::mbid_index(&mbid, data::RELEASE_GROUP).filter(|a| *a < library::ALBUM_COUNT)
    else {
        return not_found();
    };
    let album = &library::library().albums[index];
    let mut group = json!({
        "id": mbid, "title": album.name, "primary-type": "Album", "secondary-types": [],
        "first-release-date": album.release_date, "disambiguation": "",
    });
    if includes(&params).iter().any(|i| i == "url-rels") {
        let rels: Vec<Value> = data::item(&data::album_item(index))
            .map(|_| wikidata_rel(&data::album_item(index)))
            .into_iter()
            .collect();
        group["relations"] = json!(rels);
    }
    Json(group).into_response()
}

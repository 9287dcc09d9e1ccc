//! Fake MusicBrainz web service (`/ws/2/`, JSON) that answers and refuses as the real server
//! does (`fixtures/open-music/REFERENCE.md`): each resource's accepted `inc` values (anything
//! else is the server's 400), ISRC answers without releases and sometimes with a mix listed
//! first, names in their original script with aliases, relations with their years, the
//! multi-resource URL lookup, browsing artists by recording, and the one-request-per-second
//! rule (503 with `X-RateLimit-*` headers, as the real one answers).

use super::data;
use super::inc::rules;
use super::{Hit, Service};
use crate::spotify::library;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// The query as (name, value) pairs, repeats kept (the URL lookup takes many `resource`s).
struct Params(Vec<(String, String)>);

impl Params {
    fn new(raw: Option<String>) -> Self {
        Self(
            url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
                .into_owned()
                .collect(),
        )
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The `inc` values (`+` arrives decoded as a space).
    fn inc(&self) -> Vec<String> {
        self.get("inc")
            .map(|inc| {
                inc.split([' ', '+'])
                    .filter(|v| !v.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn has(&self, value: &str) -> bool {
        self.inc().iter().any(|i| i == value)
    }

    /// The server's refusal, unless it is `fmt=json` with an `inc` the resource accepts. A
    /// `status` or `type` filter counts as the inc value it rides on.
    fn refused(&self, resource: &str) -> Option<Response> {
        if self.get("fmt") != Some("json") {
            return Some(bad_request("this fake only speaks fmt=json".into()));
        }
        let mut inc = self.inc();
        if !resource.ends_with("-browse") {
            inc.extend(
                ["status", "type"]
                    .into_iter()
                    .filter(|f| self.get(f).is_some())
                    .map(str::to_string),
            );
        }
        rules().refusal(resource, &inc).map(|error| {
            let mut refused = bad_request(error.clone());
            refused.extensions_mut().insert(IncRefusal(error));
            refused
        })
    }
}

/// Marks a 400 that the inc table caused, for [`police`] to keep.
#[derive(Clone)]
struct IncRefusal(String);

pub(super) fn router(service: Arc<Service>) -> Router {
    Router::new()
        .route("/ws/2/isrc/{isrc}", get(isrc))
        .route("/ws/2/recording/{mbid}", get(recording))
        .route("/ws/2/url", get(url))
        .route("/ws/2/artist", get(browse_artists))
        .route("/ws/2/artist/{mbid}", get(artist))
        .route("/ws/2/release-group/{mbid}", get(release_group))
        .fallback(|| async { not_found() })
        .with_state(service)
}

/// `X-RateLimit-*` as the real service sends them: one request per second per IP address.
fn rate_headers(response: &mut Response, remaining: u32) {
    let reset = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() + 1);
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-ratelimit-limit", "1".to_string()),
        ("x-ratelimit-remaining", remaining.to_string()),
        ("x-ratelimit-reset", reset.to_string()),
        ("x-ratelimit-zone", "ip".to_string()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
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
        // No Retry-After: the real service does not promise one.
        let mut response = (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "error": "Your requests are exceeding the allowable rate limit. Please see https://wiki.musicbrainz.org/XMLWebService for more information." })),
        )
            .into_response();
        rate_headers(&mut response, 0);
        response
    } else {
        let mut response = next.run(req).await;
        rate_headers(&mut response, 0);
        response
    };
    if let Some(IncRefusal(error)) = response.extensions().get::<IncRefusal>() {
        service.state().refused.push(format!("{path}: {error}"));
    }
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

fn bad_request(error: String) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": error, "help": "For usage, please see: https://musicbrainz.org/development/mmd" })),
    )
        .into_response()
}

/// A relation with its time span, as MusicBrainz serialises one.
fn relation(
    kind: &str,
    direction: &str,
    target: &str,
    begin: Option<usize>,
    end: Option<usize>,
) -> Value {
    json!({
        "type": kind, "type-id": null, "direction": direction, "target-type": target,
        "attributes": [], "attribute-values": {}, "attribute-ids": {},
        "begin": begin.map(|y| y.to_string()), "end": end.map(|y| y.to_string()),
        "ended": end.is_some(), "source-credit": "", "target-credit": "",
    })
}

fn artist_rel(kind: &str, direction: &str, artist: Value) -> Value {
    let mut rel = relation(kind, direction, "artist", None, None);
    rel["artist"] = artist;
    rel
}

fn url_rel(kind: &str, resource: &str, n: usize) -> Value {
    let mut rel = relation(kind, "forward", "url", None, None);
    rel["url"] = json!({ "id": data::mbid(0x0011, n), "resource": resource });
    rel
}

fn wikidata_rel(item: &str) -> Value {
    let n = item[1..].parse().unwrap_or(0);
    url_rel(
        "wikidata",
        &format!("https://www.wikidata.org/wiki/{item}"),
        n,
    )
}

fn aliases(index: usize) -> Value {
    let spotify = &library::library().artists[index].name;
    let (name, _) = data::mb_name(index);
    if name == *spotify {
        return json!([]);
    }
    json!([{ "name": spotify, "sort-name": spotify, "locale": "en", "primary": true,
             "type": "Artist name", "type-id": "894afba6-2816-3c24-8072-eadb66bd04bc",
             "begin": null, "end": null, "ended": false }])
}

/// An artist as nested in credits and relations.
fn artist_stub(index: usize, with_aliases: bool) -> Value {
    let (name, sort) = data::mb_name(index);
    let mut artist = json!({
        "id": data::mbid(data::ARTIST, index),
        "name": name,
        "sort-name": sort,
        "disambiguation": "",
        "type": if data::is_group(index) { "Group" } else { "Person" },
        "type-id": null,
    });
    if with_aliases {
        artist["aliases"] = aliases(index);
    }
    artist
}

fn person_stub(index: usize, name: &str) -> Value {
    json!({ "id": data::mbid(data::PERSON, index), "name": name, "sort-name": name,
            "disambiguation": "", "type": "Person", "type-id": null })
}

fn artist_credit(track: usize, with_aliases: bool) -> Value {
    let lib = library::library();
    let artists = &lib.tracks[track].artists;
    artists
        .iter()
        .enumerate()
        .map(|(k, &a)| {
            let join = match artists.len() - k {
                1 => "",
                2 => " & ",
                _ => ", ",
            };
            // The credit carries the name as credited, in the artist's own script.
            json!({ "name": data::mb_name(a).0, "joinphrase": join, "artist": artist_stub(a, with_aliases) })
        })
        .collect()
}

/// A recording of track `index` (`mix`: its Dolby Atmos mix) as the ISRC and recording
/// resources serialise it, without releases.
fn recording_json(index: usize, mix: bool, params: &Params) -> Value {
    let lib = library::library();
    let track = &lib.tracks[index];
    let album = &lib.albums[track.album];
    let (id, length, disambiguation) = if mix {
        (
            data::mbid(data::RECORDING_MIX, index),
            data::mix_length(index),
            "Dolby Atmos mix",
        )
    } else {
        (data::mbid(data::RECORDING, index), track.duration_ms, "")
    };
    let mut recording = json!({
        "id": id, "title": track.name, "length": length, "disambiguation": disambiguation,
        "video": false, "first-release-date": album.release_date,
    });
    if params.has("artist-credits") || params.has("artists") {
        recording["artist-credit"] = artist_credit(index, params.has("aliases"));
    }
    let mut relations = Vec::new();
    if params.has("artist-rels") {
        let (p, name) = if mix {
            data::mix_producer(index)
        } else {
            data::producer(index)
        };
        relations.push(artist_rel("producer", "backward", person_stub(p, name)));
    }
    if params.has("work-rels") {
        let mut work = json!({
            "id": data::mbid(data::WORK, index), "title": track.name, "type": "Song",
            "language": "eng", "languages": ["eng"], "iswcs": [], "attributes": [], "disambiguation": "",
        });
        // Only the recording lookup serialises a work's own relations (work-level-rels).
        if params.has("work-level-rels") {
            let mut rels: Vec<Value> = data::writers(index)
                .into_iter()
                .enumerate()
                .map(|(k, (p, name))| {
                    let kind = if k == 0 { "composer" } else { "lyricist" };
                    artist_rel(kind, "backward", person_stub(p, &name))
                })
                .collect();
            if data::song_has_page(index) && params.has("url-rels") {
                rels.push(wikidata_rel(&data::song_item(index)));
            }
            work["relations"] = json!(rels);
        }
        let mut rel = relation("performance", "forward", "work", None, None);
        rel["work"] = work;
        relations.push(rel);
    }
    if params.inc().iter().any(|i| i.ends_with("-rels")) {
        recording["relations"] = json!(relations);
    }
    recording
}

/// `GET /ws/2/isrc/<isrc>`: the recordings with that code, never with releases.
async fn isrc(Path(code): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::new(raw);
    if let Some(refused) = params.refused("isrc") {
        return refused;
    }
    let valid = code.len() == 12
        && code[..2].bytes().all(|b| b.is_ascii_uppercase())
        && code[2..5]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && code[5..].bytes().all(|b| b.is_ascii_digit());
    if !valid {
        return bad_request("Invalid isrc.".into());
    }
    let Some(index) = data::track_of_isrc(&code).filter(|i| data::knows_recording(*i)) else {
        return not_found();
    };
    let mut recordings = Vec::new();
    if data::has_mix(index) {
        recordings.push(recording_json(index, true, &params));
    }
    recordings.push(recording_json(index, false, &params));
    Json(json!({ "isrc": code, "recordings": recordings })).into_response()
}

/// The track (and whether it is the mix) behind a recording MBID.
fn recording_of(mbid: &str) -> Option<(usize, bool)> {
    let known = |i: &usize| *i < library::TRACK_COUNT && data::knows_recording(*i);
    if let Some(i) = data::mbid_index(mbid, data::RECORDING).filter(known) {
        return Some((i, false));
    }
    data::mbid_index(mbid, data::RECORDING_MIX)
        .filter(|i| known(i) && data::has_mix(*i))
        .map(|i| (i, true))
}

/// `GET /ws/2/recording/<mbid>`: with releases (bootlegs too, unless `status=official`) and
/// their release groups, and works with their own relations.
async fn recording(Path(mbid): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::new(raw);
    if let Some(refused) = params.refused("recording") {
        return refused;
    }
    let Some((index, mix)) = recording_of(&mbid) else {
        return not_found();
    };
    let lib = library::library();
    let track = &lib.tracks[index];
    let album = &lib.albums[track.album];
    let mut recording = recording_json(index, mix, &params);
    if params.has("releases") {
        let group = json!({
            "id": data::mbid(data::RELEASE_GROUP, track.album), "title": album.name,
            "primary-type": "Album", "secondary-types": [], "first-release-date": album.release_date,
            "disambiguation": "",
        });
        let mut official = json!({
            "id": data::mbid(data::RELEASE, track.album), "title": album.name, "status": "Official",
            "date": album.release_date, "country": "XW", "disambiguation": "", "quality": "normal",
            "packaging": null, "barcode": null, "text-representation": { "language": "eng", "script": "Latn" },
        });
        let mut bootleg = json!({
            "id": data::mbid(data::BOOTLEG, index), "title": format!("Live at the Roxy {}", index),
            "status": "Bootleg", "date": "1999", "country": "XE", "disambiguation": "",
            "quality": "low", "packaging": null, "barcode": null,
        });
        if params.has("release-groups") {
            official["release-group"] = group;
            bootleg["release-group"] = json!({
                "id": data::mbid(data::BOOTLEG, index + 1000), "title": format!("Live at the Roxy {}", index),
                "primary-type": "Album", "secondary-types": ["Live"], "disambiguation": "",
            });
        }
        let official_only = params
            .get("status")
            .is_some_and(|s| s.eq_ignore_ascii_case("official"));
        // Bootlegs are listed first, as a user-added release often is.
        recording["releases"] = if official_only {
            json!([official])
        } else {
            json!([bootleg, official])
        };
    }
    Json(recording).into_response()
}

/// One artist as the artist lookup and the browse serialise it.
fn artist_json(index: usize, params: &Params) -> Value {
    let lib = library::library();
    let area = data::area(index);
    let mut artist = artist_stub(index, params.has("aliases"));
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
    if params.has("tags") {
        artist["tags"] = data::free_tags(index)
            .into_iter()
            .enumerate()
            .map(|(k, t)| json!({ "name": t, "count": 9 - k }))
            .collect();
    }
    if params.has("genres") {
        artist["genres"] = lib.artists[index]
            .genres
            .iter()
            .enumerate()
            .map(|(k, g)| json!({ "id": data::mbid(0x0e7e, k), "name": g, "disambiguation": "", "count": 5 - k }))
            .collect();
    }
    let mut relations = Vec::new();
    if params.has("artist-rels") {
        for m in data::members(index) {
            let mut rel = relation("member of band", "backward", "artist", Some(m.begin), m.end);
            rel["artist"] = person_stub(m.person, m.name);
            relations.push(rel);
        }
    }
    if params.has("url-rels") {
        if data::knows_artist(index) {
            let spotify = format!("https://open.spotify.com/artist/{}", lib.artists[index].id);
            relations.push(url_rel("free streaming", &spotify, index));
        }
        if data::artist_has_page(index) {
            relations.push(wikidata_rel(&data::artist_item(index)));
        }
    }
    if params.inc().iter().any(|i| i.ends_with("-rels")) {
        artist["relations"] = json!(relations);
    }
    artist
}

/// `GET /ws/2/artist/<mbid>`.
async fn artist(Path(mbid): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::new(raw);
    if let Some(refused) = params.refused("artist") {
        return refused;
    }
    match data::mbid_index(&mbid, data::ARTIST).filter(|a| *a < library::ARTIST_COUNT) {
        Some(index) => Json(artist_json(index, &params)).into_response(),
        None => not_found(),
    }
}

/// `GET /ws/2/artist?recording=<mbid>`: every artist credited on the recording, in one answer.
async fn browse_artists(RawQuery(raw): RawQuery) -> Response {
    let params = Params::new(raw);
    if let Some(refused) = params.refused("artist-browse") {
        return refused;
    }
    let Some(mbid) = params.get("recording") else {
        return bad_request("browse artists by recording, release, release-group or work".into());
    };
    let Some((index, _)) = recording_of(mbid) else {
        return not_found();
    };
    let artists: Vec<Value> = library::library().tracks[index]
        .artists
        .iter()
        .map(|&a| artist_json(a, &params))
        .collect();
    Json(json!({ "artist-count": artists.len(), "artist-offset": 0, "artists": artists }))
        .into_response()
}

/// A known URL with what links to it (`inc=artist-rels`).
fn url_json(resource: &str, params: &Params) -> Option<Value> {
    let index = data::artist_of_spotify_url(resource).filter(|a| data::knows_artist(*a))?;
    let mut answer = json!({ "id": data::mbid(0x0011, index), "resource": resource });
    if params.has("artist-rels") {
        answer["relations"] = json!([artist_rel(
            "free streaming",
            "backward",
            artist_stub(index, false)
        )]);
    }
    Some(answer)
}

/// `GET /ws/2/url?resource=<url>[&resource=<url>...]`: one URL answers the URL itself (404 when
/// unknown); several (up to 100) answer a list of the known ones.
async fn url(RawQuery(raw): RawQuery) -> Response {
    let params = Params::new(raw);
    if let Some(refused) = params.refused("url") {
        return refused;
    }
    let resources = params.all("resource");
    match resources.as_slice() {
        [] => bad_request("resource is required".into()),
        [one] => match url_json(one, &params) {
            Some(answer) => Json(answer).into_response(),
            None => not_found(),
        },
        many if many.len() > 100 => bad_request("at most 100 resource parameters".into()),
        many => {
            let urls: Vec<Value> = many.iter().filter_map(|r| url_json(r, &params)).collect();
            Json(json!({ "url-count": urls.len(), "url-offset": 0, "urls": urls })).into_response()
        }
    }
}

/// `GET /ws/2/release-group/<mbid>?inc=url-rels`.
async fn release_group(Path(mbid): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::new(raw);
    if let Some(refused) = params.refused("release-group") {
        return refused;
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
    if params.has("url-rels") {
        let rels: Vec<Value> = data::item(&data::album_item(index))
            .map(|_| wikidata_rel(&data::album_item(index)))
            .into_iter()
            .collect();
        group["relations"] = json!(rels);
    }
    Json(group).into_response()
}

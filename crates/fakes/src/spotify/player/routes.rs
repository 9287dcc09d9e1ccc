//! The player's HTTP side: the commands as Spotify answers them (errors first, in Spotify's
//! order) and `currently-playing` while the simulation runs.

use super::super::library::{self, Item};
use super::super::Shared;
use super::{PlayerRequest, Queued, MODIFY_SCOPE};
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{post, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/me/player/play", put(play))
        .route("/me/player/pause", put(pause))
        .route("/me/player/next", post(next))
        .route("/me/player/previous", post(previous))
}

/// A player error in Spotify's shape, with its `reason` code when Spotify gives one.
fn player_error(status: StatusCode, message: &str, reason: Option<&str>) -> Response {
    let mut error = json!({ "status": status.as_u16(), "message": message });
    if let Some(reason) = reason {
        error["reason"] = json!(reason);
    }
    (status, Json(json!({ "error": error }))).into_response()
}

fn restriction() -> Response {
    player_error(
        StatusCode::FORBIDDEN,
        "Player command failed: Restriction violated",
        Some("UNKNOWN"),
    )
}

/// A refused command: status, Spotify's message and its reason code, if any.
struct Refusal(StatusCode, &'static str, Option<&'static str>);

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        player_error(self.0, self.1, self.2)
    }
}

/// Records the command, then refuses it as Spotify would, in Spotify's order: the token's
/// scope, the account, the device. `Ok` holds the parsed body.
fn admit(
    shared: &Shared,
    method: Method,
    uri: &OriginalUri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Value, Refusal> {
    let parsed: Value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(body)
            .map_err(|_| Refusal(StatusCode::BAD_REQUEST, "Malformed json", None))?
    };
    let token = crate::bearer::bearer(headers).unwrap_or_default();
    let mut state = shared.state();
    state.player.requests.push(PlayerRequest {
        method: method.to_string(),
        path: uri.0.to_string(),
        body: parsed.clone(),
    });
    if !state.grants(token, MODIFY_SCOPE) {
        return Err(Refusal(
            StatusCode::FORBIDDEN,
            "Insufficient client scope",
            None,
        ));
    }
    if !state.player.premium {
        return Err(Refusal(
            StatusCode::FORBIDDEN,
            "Player command failed: Premium required",
            Some("PREMIUM_REQUIRED"),
        ));
    }
    if !state.player.device {
        return Err(Refusal(
            StatusCode::NOT_FOUND,
            "Player command failed: No active device found",
            Some("NO_ACTIVE_DEVICE"),
        ));
    }
    Ok(parsed)
}

/// The queue a `context_uri` stands for, or why it is refused.
pub(super) fn context_queue(uri: &str) -> Option<Vec<Option<Queued>>> {
    let lib = library::library();
    let (kind, id) = uri.strip_prefix("spotify:")?.split_once(':')?;
    let track = |i: usize| Some(Queued::Track(lib.tracks[i].id.clone()));
    let queue: Vec<_> = match kind {
        "playlist" => lib
            .playlist(id)?
            .items
            .iter()
            .map(|item| match item {
                Item::Track(i) if lib.tracks[*i].is_playable => track(*i),
                Item::Episode => Some(Queued::Episode),
                _ => None,
            })
            .collect(),
        "album" => {
            let album = lib.albums.iter().position(|a| a.id == id)?;
            (0..lib.tracks.len())
                .filter(|&i| lib.tracks[i].album == album)
                .map(track)
                .collect()
        }
        "artist" => {
            let artist = lib.artists.iter().position(|a| a.id == id)?;
            (0..lib.tracks.len())
                .filter(|&i| lib.tracks[i].artists.contains(&artist))
                .map(track)
                .take(10)
                .collect()
        }
        _ => return None,
    };
    (!queue.is_empty()).then_some(queue)
}

fn track_uri(uri: &str) -> Option<Queued> {
    let id = uri.strip_prefix("spotify:track:")?;
    library::library()
        .track(id)
        .map(|t| Queued::Track(t.id.clone()))
}

/// `PUT /me/player/play`: resume (no body), a context from an offset, or a list of track URIs.
async fn play(
    State(shared): State<Arc<Shared>>,
    uri: OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body = match admit(&shared, Method::PUT, &uri, &headers, &body) {
        Ok(body) => body,
        Err(refused) => return refused.into_response(),
    };
    let bad = |message| player_error(StatusCode::BAD_REQUEST, message, None);
    let position_ms = body["position_ms"].as_u64().unwrap_or(0);
    let (queue, context) = if let Some(context) = body["context_uri"].as_str() {
        match context_queue(context) {
            Some(queue) => (queue, Some(context.to_string())),
            None => return bad("Invalid context uri"),
        }
    } else if let Some(uris) = body["uris"].as_array() {
        let queue: Option<Vec<_>> = uris
            .iter()
            .map(|u| u.as_str().and_then(track_uri).map(Some))
            .collect();
        match queue {
            Some(queue) if !queue.is_empty() => (queue, None),
            _ => return bad("Invalid track uri"),
        }
    } else {
        let mut state = shared.state();
        let player = &mut state.player;
        player.advance();
        if !player.active() || player.playing {
            return restriction();
        }
        player.playing = true;
        let at = player.position_ms;
        player.stamp(at);
        return StatusCode::NO_CONTENT.into_response();
    };
    let offset = &body["offset"];
    let index = if let Some(position) = offset["position"].as_u64() {
        position as usize
    } else if let Some(wanted) = offset["uri"].as_str() {
        match queue
            .iter()
            .position(|q| q.as_ref() == track_uri(wanted).as_ref())
        {
            Some(i) => i,
            None => return bad("Invalid offset"),
        }
    } else {
        0
    };
    if index >= queue.len() || queue[index..].iter().all(Option::is_none) {
        return bad("Invalid offset");
    }
    shared
        .state()
        .player
        .start(queue, context, index, position_ms);
    StatusCode::NO_CONTENT.into_response()
}

async fn pause(
    State(shared): State<Arc<Shared>>,
    uri: OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = admit(&shared, Method::PUT, &uri, &headers, &body) {
        return refused.into_response();
    }
    let mut state = shared.state();
    let player = &mut state.player;
    player.advance();
    // Spotify refuses to pause what is not playing.
    if !player.playing {
        return restriction();
    }
    let at = player.position_now();
    player.playing = false;
    player.stamp(at);
    StatusCode::NO_CONTENT.into_response()
}

async fn next(
    State(shared): State<Arc<Shared>>,
    uri: OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = admit(&shared, Method::POST, &uri, &headers, &body) {
        return refused.into_response();
    }
    skip(&shared, true)
}

async fn previous(
    State(shared): State<Arc<Shared>>,
    uri: OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(refused) = admit(&shared, Method::POST, &uri, &headers, &body) {
        return refused.into_response();
    }
    skip(&shared, false)
}

fn skip(shared: &Shared, forward: bool) -> Response {
    let mut state = shared.state();
    let player = &mut state.player;
    player.advance();
    if !player.active() {
        return restriction();
    }
    let target = if forward {
        player.next_playable(player.index + 1)
    } else {
        (0..player.index)
            .rev()
            .find(|&i| player.queue[i].is_some())
            .or(Some(player.index))
    };
    match target {
        Some(index) => {
            player.index = index;
            player.playing = true;
            player.stamp(0);
        }
        // Past the last item Spotify stops.
        None => {
            player.playing = false;
            player.stamp(0);
        }
    }
    StatusCode::NO_CONTENT.into_response()
}

/// `currently-playing` while the simulation runs: 204 without an active device, else the item
/// with its live progress; `None` leaves the answer to the static now-playing knob.
pub(crate) fn currently_playing(shared: &Shared) -> Option<Response> {
    let snapshot = {
        let mut state = shared.state();
        if !state.player.device {
            return Some(StatusCode::NO_CONTENT.into_response());
        }
        state.player.snapshot()?
    };
    let render = super::super::webapi::Render::new(shared);
    let (kind, mut item) = match &snapshot.item {
        Queued::Track(id) => {
            let track = library::library().track(id)?;
            ("track", render.track(track))
        }
        Queued::Episode => ("episode", render.episode()),
    };
    if let Some(duration) = snapshot.duration_ms {
        item["duration_ms"] = json!(duration);
    }
    let context = snapshot.context.as_deref().and_then(|uri| {
        let (kind, id) = uri.strip_prefix("spotify:")?.split_once(':')?;
        let mut value = render.object(kind, id);
        value
            .as_object_mut()?
            .retain(|k, _| k != "id" && k != "name");
        Some(value)
    });
    let disallows = if snapshot.is_playing {
        json!({ "resuming": true })
    } else {
        json!({ "pausing": true })
    };
    Some(
        Json(json!({
            "timestamp": snapshot.timestamp,
            "context": context,
            "progress_ms": snapshot.progress_ms,
            "is_playing": snapshot.is_playing,
            "currently_playing_type": kind,
            "item": item,
            "actions": { "disallows": disallows },
        }))
        .into_response(),
    )
}

//! A simulated Spotify player: the playing item runs on a real clock, ends by itself and moves
//! to the next item of its context, and the player commands (`PUT /me/player/play|pause`,
//! `POST /me/player/next|previous`) answer as Spotify does, errors included (a token without
//! `user-modify-playback-state`, a Free account, no active device). Every command is recorded.

use super::library::{self, Item};
use super::{FakeSpotify, Shared};
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{post, put};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The scope every player command needs.
pub const MODIFY_SCOPE: &str = "user-modify-playback-state";

/// One entry of the play queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Queued {
    /// A library track, by ID.
    Track(String),
    /// The library's podcast episode.
    Episode,
}

/// A player command as it reached the fake: method, path with query, and JSON body (`Null`
/// when there was none).
#[derive(Clone, Debug, PartialEq)]
pub struct PlayerRequest {
    pub method: String,
    pub path: String,
    pub body: Value,
}

/// What `currently-playing` shows of the simulation at one moment.
pub(crate) struct Snapshot {
    pub(crate) item: Queued,
    pub(crate) progress_ms: u64,
    /// Unix milliseconds of the last change of state (play, pause, skip, a track's end).
    pub(crate) timestamp: u64,
    pub(crate) is_playing: bool,
    pub(crate) context: Option<String>,
    /// Set when sample lengths replace the library's durations.
    pub(crate) duration_ms: Option<u64>,
}

/// The player's state, inside the fake's [`super::State`].
pub(crate) struct Player {
    /// Items of the context; `None` entries (local files, removed items) are skipped.
    queue: Vec<Option<Queued>>,
    context: Option<String>,
    index: usize,
    /// Position at `changed_at`.
    position_ms: u64,
    changed_at: Instant,
    changed_unix_ms: u64,
    playing: bool,
    /// Every item lasts this long instead of its library duration (tests and benchmarks).
    sample_ms: Option<u64>,
    pub(crate) premium: bool,
    pub(crate) device: bool,
    pub(crate) requests: Vec<PlayerRequest>,
}

impl Default for Player {
    fn default() -> Self {
        Self {
            queue: Vec::new(),
            context: None,
            index: 0,
            position_ms: 0,
            changed_at: Instant::now(),
            changed_unix_ms: unix_ms(),
            playing: false,
            sample_ms: None,
            premium: true,
            device: true,
            requests: Vec::new(),
        }
    }
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

impl Player {
    /// Whether a simulation runs (else `currently-playing` serves the static knob).
    pub(crate) fn active(&self) -> bool {
        !self.queue.is_empty()
    }

    fn duration_of(&self, item: &Queued) -> u64 {
        if let Some(sample) = self.sample_ms {
            return sample;
        }
        match item {
            Queued::Track(id) => library::library()
                .track(id)
                .map_or(180_000, |t| t.duration_ms),
            Queued::Episode => library::library().episode.duration_ms,
        }
    }

    /// Moves the clock on to `now`: items that ended give way to the next playable one, each
    /// change stamped with the moment it happened; the end of the queue stops playback.
    fn advance(&mut self) {
        let now = Instant::now();
        while self.playing {
            let Some(item) = self.queue.get(self.index).cloned().flatten() else {
                break;
            };
            let elapsed = now.duration_since(self.changed_at).as_millis() as u64;
            let left = self.duration_of(&item).saturating_sub(self.position_ms);
            if elapsed < left {
                break;
            }
            let ended_at = self.changed_at + Duration::from_millis(left);
            self.changed_unix_ms += ended_at.duration_since(self.changed_at).as_millis() as u64;
            self.changed_at = ended_at;
            self.position_ms = 0;
            match self.next_playable(self.index + 1) {
                Some(next) => self.index = next,
                None => self.playing = false,
            }
        }
    }

    fn next_playable(&self, from: usize) -> Option<usize> {
        (from..self.queue.len()).find(|&i| self.queue[i].is_some())
    }

    fn position_now(&self) -> u64 {
        let run = if self.playing {
            self.changed_at.elapsed().as_millis() as u64
        } else {
            0
        };
        self.position_ms + run
    }

    /// Records a change of state now, at `position_ms`.
    fn stamp(&mut self, position_ms: u64) {
        self.position_ms = position_ms;
        self.changed_at = Instant::now();
        self.changed_unix_ms = unix_ms();
    }

    /// Starts `queue` at `index` (the first playable item from there).
    pub(crate) fn start(
        &mut self,
        queue: Vec<Option<Queued>>,
        context: Option<String>,
        index: usize,
        position_ms: u64,
    ) {
        self.queue = queue;
        self.context = context;
        self.index = self.next_playable(index).unwrap_or(index);
        self.playing = true;
        self.stamp(position_ms);
    }

    /// Stops the simulation (the static now-playing knob applies again).
    pub(crate) fn clear(&mut self) {
        self.queue.clear();
        self.playing = false;
    }

    pub(crate) fn snapshot(&mut self) -> Option<Snapshot> {
        self.advance();
        let item = self.queue.get(self.index).cloned().flatten()?;
        Some(Snapshot {
            progress_ms: self.position_now().min(self.duration_of(&item)),
            duration_ms: self.sample_ms,
            item,
            timestamp: self.changed_unix_ms,
            is_playing: self.playing,
            context: self.context.clone(),
        })
    }
}

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

/// Records the command, then refuses it as Spotify would, in Spotify's order: the token's
/// scope, the account, the device. `Ok` holds the parsed body.
fn admit(
    shared: &Shared,
    method: Method,
    uri: &OriginalUri,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Value, Response> {
    let parsed: Value = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(body)
            .map_err(|_| player_error(StatusCode::BAD_REQUEST, "Malformed json", None))?
    };
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let mut state = shared.state();
    state.player.requests.push(PlayerRequest {
        method: method.to_string(),
        path: uri.0.to_string(),
        body: parsed.clone(),
    });
    let granted = state.scopes.get(token).cloned().unwrap_or_default();
    if !granted.split(' ').any(|s| s == MODIFY_SCOPE) {
        return Err(player_error(
            StatusCode::FORBIDDEN,
            "Insufficient client scope",
            None,
        ));
    }
    if !state.player.premium {
        return Err(player_error(
            StatusCode::FORBIDDEN,
            "Player command failed: Premium required",
            Some("PREMIUM_REQUIRED"),
        ));
    }
    if !state.player.device {
        return Err(player_error(
            StatusCode::NOT_FOUND,
            "Player command failed: No active device found",
            Some("NO_ACTIVE_DEVICE"),
        ));
    }
    Ok(parsed)
}

/// The queue a `context_uri` stands for, or why it is refused.
fn context_queue(uri: &str) -> Option<Vec<Option<Queued>>> {
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
        Err(refused) => return refused,
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
        return refused;
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
        return refused;
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
        return refused;
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

/// Knobs and records of the simulated player.
impl FakeSpotify {
    /// Starts playing `context_uri` (`spotify:playlist:…`, `album`, `artist`) at item
    /// `position`, as if the user pressed play in another Spotify app.
    pub fn play_context(&self, context_uri: &str, position: usize) {
        let queue = context_queue(context_uri).expect("a context of the sample library");
        self.shared
            .state()
            .player
            .start(queue, Some(context_uri.to_string()), position, 0);
    }

    /// Makes every item last `length` instead of its real duration, so tracks end within a
    /// test; `None` restores the library's durations.
    pub fn set_sample_length(&self, length: Option<Duration>) {
        let mut state = self.shared.state();
        state.player.advance();
        state.player.sample_ms = length.map(|l| l.as_millis() as u64);
    }

    /// A Free account: every player command answers 403 `PREMIUM_REQUIRED`.
    pub fn set_premium(&self, premium: bool) {
        self.shared.state().player.premium = premium;
    }

    /// No Spotify app is open anywhere: commands answer 404 `NO_ACTIVE_DEVICE` and nothing plays.
    pub fn set_active_device(&self, active: bool) {
        self.shared.state().player.device = active;
    }

    /// Every player command received, oldest first.
    pub fn player_requests(&self) -> Vec<PlayerRequest> {
        self.shared.state().player.requests.clone()
    }

    /// The simulated item playing now (`None` when the simulation is off or ended).
    pub fn playing_now(&self) -> Option<(Queued, bool)> {
        let snapshot = self.shared.state().player.snapshot()?;
        Some((snapshot.item, snapshot.is_playing))
    }
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
    let render = super::webapi::Render::new(shared);
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

impl FakeSpotify {
    /// Unix ms of the player's last change of state (a command, or an item that ended by
    /// itself: then exactly the moment it ended).
    pub fn player_changed_at(&self) -> u64 {
        let mut state = self.shared.state();
        state.player.advance();
        state.player.changed_unix_ms
    }
}

//! A simulated Spotify player: the playing item runs on a real clock, ends by itself and moves
//! to the next item of its context, and the player commands (`PUT /me/player/play|pause`,
//! `POST /me/player/next|previous`) answer as Spotify does, errors included (a token without
//! `user-modify-playback-state`, a Free account, no active device). Every command is recorded.

mod routes;

use super::library;
use super::FakeSpotify;
use routes::context_queue;
pub(crate) use routes::{currently_playing, routes};
use serde_json::Value;
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

    /// Moves the simulated player to `position` in the item playing, as a seek in another
    /// Spotify app does.
    pub fn seek(&self, position: Duration) {
        let mut state = self.shared.state();
        state.player.advance();
        state.player.stamp(position.as_millis() as u64);
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

impl FakeSpotify {
    /// Unix ms of the player's last change of state (a command, or an item that ended by
    /// itself: then exactly the moment it ended).
    pub fn player_changed_at(&self) -> u64 {
        let mut state = self.shared.state();
        state.player.advance();
        state.player.changed_unix_ms
    }
}

//! Following and controlling playback: `currently-playing` with progress and context, and the
//! player commands (`PUT /me/player/play|pause`, `POST /me/player/next|previous`) with
//! Spotify's player errors told apart (a sign-in without the scope, a Free account, no device).

use super::client::{decode, SpotifyClient};
use super::models::{NowPlaying, WireCurrentlyPlaying};
use super::playback::{PlayRequest, Playback, WirePlaybackExtra};
use super::SpotifyError;
use reqwest::Method;

/// The scope every player command needs; sign-ins from before controls existed lack it.
pub const MODIFY_PLAYBACK: &str = "user-modify-playback-state";

impl SpotifyClient {
    /// What plays now with its progress, length, timestamp and context; `None` when nothing
    /// does (204).
    pub async fn playback(&self) -> Result<Option<Playback>, SpotifyError> {
        let query = [("additional_types", "track,episode".to_string())];
        let Some(body) = self
            .get(&["me", "player", "currently-playing"], &query)
            .await?
        else {
            return Ok(None);
        };
        let now: NowPlaying = decode::<WireCurrentlyPlaying>(&body)?.into();
        // The extras are optional: an odd context or timestamp never hides the item.
        let extra = serde_json::from_slice::<WirePlaybackExtra>(&body).unwrap_or_default();
        Ok(Some(Playback::from_parts(now, extra)))
    }

    /// Whether this sign-in may control playback.
    pub fn can_control(&self) -> bool {
        self.session.has_scope(MODIFY_PLAYBACK)
    }

    /// Starts (or resumes) playback on the active device.
    pub async fn play(&self, request: &PlayRequest) -> Result<(), SpotifyError> {
        self.command(Method::PUT, "play", request.body()).await
    }

    /// Pauses playback.
    pub async fn pause(&self) -> Result<(), SpotifyError> {
        self.command(Method::PUT, "pause", None).await
    }

    /// Skips to the next item.
    pub async fn next(&self) -> Result<(), SpotifyError> {
        self.command(Method::POST, "next", None).await
    }

    /// Skips to the previous item.
    pub async fn previous(&self) -> Result<(), SpotifyError> {
        self.command(Method::POST, "previous", None).await
    }

    /// Sends one player command. A sign-in without the scope is refused before any request;
    /// otherwise it is a write (a 5xx is not retried, so a skip never happens twice).
    async fn command(
        &self,
        method: Method,
        action: &str,
        body: Option<serde_json::Value>,
    ) -> Result<(), SpotifyError> {
        if !self.can_control() {
            return Err(missing_scope());
        }
        self.write(method, &["me", "player", action], &[], body.as_ref())
            .await
            .map_err(|error| error.or_missing_scope(CONTROL))
    }
}

/// What a sign-in without [`MODIFY_PLAYBACK`] cannot do, as the user is told.
const CONTROL: &str = "control playback";

fn missing_scope() -> SpotifyError {
    SpotifyError::MissingScope { what: CONTROL }
}

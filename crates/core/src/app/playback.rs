//! Following and controlling playback: the now page, its controls, "Play" and the poller.

use super::{AppError, Services};
use crate::poll::PollState;
use crate::spotify::{PlayRequest, Playback};
use std::time::Duration;

impl Services {
    /// What plays now, with progress and context, if anything.
    pub async fn playback(&self) -> Result<Option<Playback>, AppError> {
        Ok(self.spotify()?.playback().await?)
    }

    /// Whether the sign-in may control playback (older sign-ins lack the scope); `true`
    /// when signed out, where there is nothing to say about it yet.
    pub fn controls_allowed(&self) -> bool {
        match &self.spotify {
            Some(spotify) if self.is_logged_in() => spotify.can_control(),
            _ => true,
        }
    }

    /// Starts `request` on the active device.
    pub async fn play(&self, request: &PlayRequest) -> Result<(), AppError> {
        Ok(self.spotify()?.play(request).await?)
    }

    /// Pauses playback.
    pub async fn pause(&self) -> Result<(), AppError> {
        Ok(self.spotify()?.pause().await?)
    }

    /// Skips to the next item.
    pub async fn next_item(&self) -> Result<(), AppError> {
        Ok(self.spotify()?.next().await?)
    }

    /// Skips to the previous item.
    pub async fn previous_item(&self) -> Result<(), AppError> {
        Ok(self.spotify()?.previous().await?)
    }

    /// What the poll schedule needs to know now; `left` is the playing item's remaining time
    /// as last seen, `elapsed` since then.
    pub fn poll_state(
        &self,
        visible: bool,
        last: Option<&Playback>,
        elapsed: Duration,
    ) -> PollState {
        PollState {
            signed_in: self.is_logged_in(),
            visible,
            banned_for: self.spotify_blocked_for(),
            left: last.and_then(|p| p.left_after(elapsed)),
        }
    }
}

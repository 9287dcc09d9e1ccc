//! Playback as the now page follows it: the playing item with its progress, when Spotify last
//! saw the state change, and the context it plays from; and what "Play" asks Spotify to start.

use super::ids::{AlbumId, ArtistId, PlaylistId, TrackId};
use super::models::NowPlaying;
use serde::{Deserialize, Serialize};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use ts_rs::TS;

/// What plays now, with what the page needs to move a progress bar between polls.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Playback {
    /// The item (track, episode, ad or unknown).
    pub now: NowPlaying,
    /// Whether it is playing (else paused).
    pub is_playing: bool,
    /// Position in the item when Spotify answered.
    pub progress_ms: Option<u64>,
    /// The item's length, when Spotify gave it.
    pub duration_ms: Option<u64>,
    /// When the state last changed (play, pause, skip, a new item), Unix ms, as Spotify says.
    #[ts(type = "number | null")]
    pub timestamp: Option<u64>,
    /// When the answer arrived, Unix ms: the page advances the bar from here while playing.
    #[ts(type = "number")]
    pub fetched_at: u64,
    /// The playlist, album, artist or show it plays from, if any.
    pub context: Option<PlaybackContext>,
}

/// Where an item plays from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlaybackContext {
    /// `playlist`, `album`, `artist`, `show`, or another kind Spotify names.
    pub kind: String,
    /// The context's `spotify:` URI.
    pub uri: String,
}

impl Playback {
    /// How long until the playing item should end, from when the answer arrived; `None`
    /// when paused or its length is unknown.
    pub fn left(&self) -> Option<Duration> {
        if !self.is_playing {
            return None;
        }
        let (duration, progress) = (self.duration_ms?, self.progress_ms?);
        Some(Duration::from_millis(duration.saturating_sub(progress)))
    }

    /// The left-over time as seen now, `elapsed` after the answer arrived.
    pub fn left_after(&self, elapsed: Duration) -> Option<Duration> {
        self.left().map(|left| left.saturating_sub(elapsed))
    }
}

/// The parts of `currently-playing` that [`NowPlaying`] leaves out.
#[derive(Debug, Default, Deserialize)]
pub(super) struct WirePlaybackExtra {
    pub(super) timestamp: Option<u64>,
    pub(super) context: Option<WireContext>,
    pub(super) item: Option<WireLength>,
}

#[derive(Debug, Deserialize)]
pub(super) struct WireContext {
    #[serde(rename = "type")]
    pub(super) kind: Option<String>,
    pub(super) uri: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(super) struct WireLength {
    pub(super) duration_ms: Option<u64>,
}

impl Playback {
    pub(super) fn from_parts(now: NowPlaying, extra: WirePlaybackExtra) -> Self {
        let (is_playing, progress_ms) = match &now {
            NowPlaying::Track {
                progress_ms,
                is_playing,
                ..
            }
            | NowPlaying::Episode {
                progress_ms,
                is_playing,
                ..
            } => (*is_playing, *progress_ms),
            NowPlaying::Ad { is_playing } | NowPlaying::Unknown { is_playing } => {
                (*is_playing, None)
            }
        };
        let context = extra.context.and_then(|c| {
            Some(PlaybackContext {
                uri: c.uri.filter(|u| u.starts_with("spotify:"))?,
                kind: c.kind.unwrap_or_else(|| "other".into()),
            })
        });
        Self {
            is_playing,
            progress_ms,
            duration_ms: extra.item.and_then(|i| i.duration_ms),
            timestamp: extra.timestamp,
            fetched_at: unix_ms(),
            context,
            now,
        }
    }
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// What "Play" starts on the active device.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, TS)]
#[serde(
    tag = "type",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum PlayRequest {
    /// Go on with what was paused.
    Resume,
    /// A track: inside a playlist's context at `position` when both are given, else alone.
    Track {
        /// The track to play.
        id: TrackId,
        /// The playlist it plays in, from `position`.
        playlist: Option<PlaylistId>,
        /// Its position in that playlist (0-based).
        position: Option<u32>,
    },
    /// A playlist from its start.
    Playlist {
        /// Its Spotify ID.
        id: PlaylistId,
    },
    /// An album from its start.
    Album {
        /// Its Spotify ID.
        id: AlbumId,
    },
    /// An artist's top of the list.
    Artist {
        /// Its Spotify ID.
        id: ArtistId,
    },
}

impl PlayRequest {
    /// The JSON body of `PUT /me/player/play`; `None` (no body) resumes.
    pub fn body(&self) -> Option<serde_json::Value> {
        use serde_json::json;
        let context =
            |kind: &str, id: &str| json!({ "context_uri": format!("spotify:{kind}:{id}") });
        Some(match self {
            Self::Resume => return None,
            Self::Track {
                playlist: Some(playlist),
                position: Some(position),
                ..
            } => json!({
                "context_uri": format!("spotify:playlist:{}", playlist.as_str()),
                "offset": { "position": position },
            }),
            Self::Track { id, .. } => json!({ "uris": [format!("spotify:track:{}", id.as_str())] }),
            Self::Playlist { id } => context("playlist", id.as_str()),
            Self::Album { id } => context("album", id.as_str()),
            Self::Artist { id } => context("artist", id.as_str()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn id<T: std::str::FromStr>(raw: &str) -> T
    where
        T::Err: std::fmt::Debug,
    {
        raw.parse().unwrap()
    }

    #[test]
    fn a_track_in_a_playlist_starts_in_its_context_at_its_position() {
        let request = PlayRequest::Track {
            id: id("4trk000000000000000001"),
            playlist: Some(id("7pls000000000000000000")),
            position: Some(12),
        };
        assert_eq!(
            request.body(),
            Some(json!({
                "context_uri": "spotify:playlist:7pls000000000000000000",
                "offset": { "position": 12 },
            }))
        );
        let alone = PlayRequest::Track {
            id: id("4trk000000000000000001"),
            playlist: None,
            position: None,
        };
        assert_eq!(
            alone.body(),
            Some(json!({ "uris": ["spotify:track:4trk000000000000000001"] }))
        );
        assert_eq!(PlayRequest::Resume.body(), None);
    }

    #[test]
    fn requests_are_read_from_the_page_with_validated_ids() {
        let ok: PlayRequest =
            serde_json::from_value(json!({ "type": "album", "id": "6alb000000000000000001" }))
                .unwrap();
        assert_eq!(
            ok.body(),
            Some(json!({ "context_uri": "spotify:album:6alb000000000000000001" }))
        );
        let bad = serde_json::from_value::<PlayRequest>(json!({ "type": "album", "id": "x/../y" }));
        assert!(bad.is_err());
    }
}

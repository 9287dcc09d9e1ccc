//! Spotify IDs: 22 base-62 characters, checked before they reach a URL.

use super::SpotifyError;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::str::FromStr;
use ts_rs::TS;

/// Length of every Spotify base-62 ID.
const ID_LEN: usize = 22;

/// Whether `value` is shaped like a Spotify ID (22 base-62 characters).
pub fn is_id(value: &str) -> bool {
    problem(value).is_none()
}

/// Why `value` is not a Spotify ID, or `None` when it is one.
fn problem(value: &str) -> Option<String> {
    let len = value.chars().count();
    if len != ID_LEN {
        return Some(format!("it has {len} characters instead of {ID_LEN}"));
    }
    value
        .chars()
        .find(|c| !c.is_ascii_alphanumeric())
        .map(|c| format!("it contains {c:?}, but only letters and digits are allowed"))
}

macro_rules! spotify_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The ID as sent to Spotify.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl FromStr for $name {
            type Err = SpotifyError;

            fn from_str(value: &str) -> Result<Self, SpotifyError> {
                match problem(value) {
                    None => Ok(Self(value.to_string())),
                    Some(reason) => Err(SpotifyError::InvalidId { what: $what, reason }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(deserializer)?;
                raw.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

spotify_id!(
    /// ID of a track.
    TrackId,
    "track"
);
spotify_id!(
    /// ID of an artist.
    ArtistId,
    "artist"
);
spotify_id!(
    /// ID of a playlist.
    PlaylistId,
    "playlist"
);
spotify_id!(
    /// ID of an album.
    AlbumId,
    "album"
);
spotify_id!(
    /// ID of a podcast episode.
    EpisodeId,
    "episode"
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Kinded;

    #[test]
    fn accepts_22_base62_characters() {
        let id: TrackId = "4uLU6hMCjMI75M1A2tKUQC".parse().unwrap();
        assert_eq!(id.as_str(), "4uLU6hMCjMI75M1A2tKUQC");
        assert_eq!(id.to_string(), "4uLU6hMCjMI75M1A2tKUQC");
        assert_eq!(
            serde_json::to_string(&id).unwrap(),
            "\"4uLU6hMCjMI75M1A2tKUQC\""
        );
    }

    #[test]
    fn rejects_and_explains() {
        for bad in [
            "",
            "short",
            "4uLU6hMCjMI75M1A2tKUQCX",
            "4uLU6hMCjMI75M1A2tKU/C",
            "4uLU6hMCjMI75M1A2tKUQé",
        ] {
            let err = bad.parse::<ArtistId>().unwrap_err();
            assert_eq!(err.kind(), "invalid_id");
            assert!(err.to_string().contains("artist"), "{err}");
        }
        let err = "abc".parse::<PlaylistId>().unwrap_err().to_string();
        assert!(err.contains("3 characters instead of 22"), "{err}");
        let err = "4uLU6hMCjMI75M1A2tKU/C"
            .parse::<TrackId>()
            .unwrap_err()
            .to_string();
        assert!(err.contains("'/'"), "{err}");
    }

    #[test]
    fn deserialize_validates() {
        assert!(serde_json::from_str::<TrackId>("\"4uLU6hMCjMI75M1A2tKUQC\"").is_ok());
        assert!(serde_json::from_str::<TrackId>("\"../../me\"").is_err());
    }
}

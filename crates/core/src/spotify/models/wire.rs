//! Wire models: what Spotify sends, in both the 2026 development-mode shape and the older one.
//! Deliberately lenient: every field Spotify has ever omitted or nulled is optional, and one odd
//! entry in a list degrades to a placeholder instead of failing the page.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// `null` (or a missing field) becomes the default value.
fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Anything that is not the expected object (null, `false`, a string) becomes `None`.
fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    Ok(serde_json::from_value(Value::deserialize(deserializer)?).ok())
}

#[derive(Deserialize)]
pub(crate) struct WireUser {
    pub(super) id: String,
    pub(super) display_name: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct WireImage {
    pub(super) url: String,
    #[serde(default, deserialize_with = "lenient")]
    pub(super) width: Option<u32>,
    #[serde(default, deserialize_with = "lenient")]
    pub(super) height: Option<u32>,
}

/// An image list where each entry stands alone: one with a null `url` or an odd size is
/// dropped (or its size forgotten) without taking the album, artist or playlist with it.
fn lenient_images<'de, D>(deserializer: D) -> Result<Vec<WireImage>, D::Error>
where
    D: Deserializer<'de>,
{
    let raw: Option<Vec<Value>> = lenient(deserializer)?;
    Ok(raw
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| serde_json::from_value::<WireImage>(v).ok())
        .filter(|i| !i.url.trim().is_empty())
        .collect())
}

#[derive(Deserialize)]
pub(super) struct WireNamed {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct WireAlbum {
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    #[serde(default, deserialize_with = "lenient_images")]
    pub(super) images: Vec<WireImage>,
    pub(super) release_date: Option<String>,
}

/// A track or an episode (playlist items and now-playing can hold either).
#[derive(Deserialize)]
pub(crate) struct WireItem {
    #[serde(rename = "type")]
    pub(super) kind: Option<String>,
    pub(super) id: Option<String>,
    pub(super) name: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub(super) artists: Vec<WireNamed>,
    #[serde(default, deserialize_with = "lenient")]
    pub(super) album: Option<WireAlbum>,
    #[serde(default, deserialize_with = "lenient")]
    pub(super) show: Option<WireNamed>,
    pub(super) duration_ms: Option<u64>,
    pub(super) explicit: Option<bool>,
    pub(super) is_local: Option<bool>,
    pub(super) is_playable: Option<bool>,
    #[serde(default, deserialize_with = "lenient")]
    pub(super) external_ids: Option<WireExternalIds>,
}

/// `external_ids` of a track: only the ISRC is used (to find the recording in MusicBrainz).
#[derive(Deserialize)]
pub(super) struct WireExternalIds {
    #[serde(default, deserialize_with = "lenient")]
    pub(super) isrc: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct WireArtist {
    pub(super) id: String,
    pub(super) name: Option<String>,
    #[serde(default, deserialize_with = "lenient_images")]
    pub(super) images: Vec<WireImage>,
    #[serde(default, deserialize_with = "null_default")]
    pub(super) genres: Vec<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub(super) followers: Option<WireFollowers>,
    #[serde(default, deserialize_with = "lenient")]
    pub(super) popularity: Option<u8>,
}

#[derive(Deserialize)]
pub(super) struct WireFollowers {
    pub(super) total: Option<u64>,
}

#[derive(Deserialize)]
pub(super) struct WireTotal {
    pub(super) total: Option<u32>,
}

/// A simplified (from `/me/playlists`) or full (from `/playlists/{id}`) playlist.
#[derive(Deserialize)]
pub(crate) struct WirePlaylist {
    pub(super) id: String,
    pub(super) name: Option<String>,
    pub(super) description: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub(super) owner: Option<WireUser>,
    pub(super) collaborative: Option<bool>,
    #[serde(default, deserialize_with = "lenient_images")]
    pub(super) images: Vec<WireImage>,
    /// Since 2026 (development mode): `items: {href, total}`.
    #[serde(default, deserialize_with = "lenient")]
    pub(super) items: Option<WireTotal>,
    /// Before 2026 / extended quota: `tracks: {href, total}`.
    #[serde(default, deserialize_with = "lenient")]
    pub(super) tracks: Option<WireTotal>,
}

/// An entry of `/playlists/{id}/items`; the object is under `item` (2026) or `track` (older).
#[derive(Deserialize)]
pub(crate) struct WirePlaylistItem {
    pub(super) added_at: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub(super) item: Option<WireItem>,
    #[serde(default, deserialize_with = "lenient")]
    pub(super) track: Option<WireItem>,
    pub(super) is_local: Option<bool>,
}

/// A paging object; entries stay raw so one bad entry cannot fail the page.
#[derive(Deserialize)]
pub(crate) struct WirePaging {
    #[serde(default, deserialize_with = "null_default")]
    pub(crate) items: Vec<Value>,
    pub(crate) offset: Option<u32>,
    pub(crate) total: Option<u32>,
}

/// `GET /me/player/currently-playing`.
#[derive(Deserialize)]
pub(crate) struct WireCurrentlyPlaying {
    pub(super) is_playing: Option<bool>,
    pub(super) progress_ms: Option<u64>,
    pub(super) currently_playing_type: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    pub(super) item: Option<WireItem>,
}

//! The track, artist and album pages, each in one call: the view, then the rest streamed.

use crate::error::CommandResult;
use crate::state::services;
use spotify_plus_core::app::PagePart;
use spotify_plus_core::spotify::models::{Artist, Track};
use spotify_plus_core::spotify::{AlbumId, AlbumPage, ArtistId, TrackId};
use tauri::ipc::Channel;
use tauri::AppHandle;

/// Turns a channel into the sink the core streams a page's parts into.
fn parts<V: serde::Serialize + Send + Sync + 'static>(
    channel: Channel<PagePart<V>>,
) -> impl Fn(PagePart<V>) + Send + Sync + 'static {
    move |part| {
        let _ = channel.send(part);
    }
}

/// The track page: the track, its heart, the model notice and both insights.
pub async fn track_page(
    app: AppHandle,
    id: TrackId,
    on_part: Channel<PagePart<Track>>,
) -> CommandResult<()> {
    Ok(services(&app).track_page(&id, parts(on_part)).await?)
}

/// The artist page: the artist, the model notice and its insight.
pub async fn artist_page(
    app: AppHandle,
    id: ArtistId,
    on_part: Channel<PagePart<Artist>>,
) -> CommandResult<()> {
    Ok(services(&app).artist_page(&id, parts(on_part)).await?)
}

/// The album page: the album with a page of its tracks, the model notice and its insight.
pub async fn album_page(
    app: AppHandle,
    id: AlbumId,
    offset: u32,
    on_part: Channel<PagePart<AlbumPage>>,
) -> CommandResult<()> {
    Ok(services(&app)
        .album_page(&id, offset, parts(on_part))
        .await?)
}

//! `GET /albums/{id}` and `GET /albums/{id}/tracks`: an album page, 10 tracks at a time.

use super::client::{decode, SpotifyClient};
use super::ids::AlbumId;
use super::models::{Album, AlbumPage, Page, WireFullAlbum, WirePaging, PAGE_SIZE};
use super::SpotifyError;

impl SpotifyClient {
    /// An album's name, artists, cover, date and track count.
    pub async fn album(&self, id: &AlbumId) -> Result<Album, SpotifyError> {
        let body = self
            .get(&["albums", id.as_str()], &[])
            .await?
            .ok_or(SpotifyError::BadResponse)?;
        decode::<WireFullAlbum>(&body)?
            .into_view()
            .ok_or(SpotifyError::BadResponse)
    }

    /// An album and one page (10) of its tracks from `offset`, asked for together.
    pub async fn album_page(&self, id: &AlbumId, offset: u32) -> Result<AlbumPage, SpotifyError> {
        let query = [
            ("limit", PAGE_SIZE.to_string()),
            ("offset", offset.to_string()),
        ];
        let path = ["albums", id.as_str(), "tracks"];
        let (album, tracks) = tokio::try_join!(self.album(id), self.get(&path, &query))?;
        let paging: WirePaging = decode(&tracks.ok_or(SpotifyError::BadResponse)?)?;
        let items = paging
            .items
            .into_iter()
            .filter_map(|raw| album.track(raw))
            .collect();
        let total = paging.total.unwrap_or(album.total_tracks);
        let tracks = Page::new(items, paging.offset.unwrap_or(offset), PAGE_SIZE, total);
        Ok(AlbumPage { album, tracks })
    }
}

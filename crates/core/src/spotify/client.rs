//! `SpotifyClient`: the Web API calls the app makes, returning view models.

use super::http::{self, Call, Reply, RetryPolicy};
use super::ids::{ArtistId, PlaylistId, TrackId};
use super::models::{
    Artist, NowPlaying, Page, Playlist, PlaylistEntry, PlaylistSummary, Track, User, WireArtist,
    WireItem, WirePaging, WirePlaylist, WirePlaylistItem, WireUser, PAGE_SIZE,
};
use super::SpotifyError;
use crate::auth::Session;
use crate::memo::Memo;
use futures_util::{stream, StreamExt, TryStreamExt};
use reqwest::Method;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use url::Url;

/// Playlists of the user's list remembered for their headers; a library larger than this
/// just starts over.
const LISTED_MAX: usize = 1000;
/// Artist lookups in flight at once (batch endpoints are gone, so artists come one by one).
const ARTIST_CONCURRENCY: usize = 8;

/// Spotify Web API client for one session.
#[derive(Clone)]
pub struct SpotifyClient {
    http: reqwest::Client,
    api_base_url: Url,
    pub(super) session: Arc<Session>,
    policy: RetryPolicy,
    /// Until when Spotify told us to stay away (a long `Retry-After`); shared by every clone,
    /// so one ban stops every caller at once without a request.
    blocked_until: Arc<Mutex<Option<Ban>>>,
    /// The signed-in user's ID, asked once: it decides which playlists are only followed.
    user: Arc<Memo<(), String>>,
    /// Playlists seen in the user's list: Spotify answers 404 for its own playlists' headers
    /// in Development Mode, and the page can still show what the list showed.
    listed: Arc<Mutex<HashMap<PlaylistId, PlaylistSummary>>>,
}

impl SpotifyClient {
    /// A client for the API at `api_base_url` (normally `https://api.spotify.com/v1`).
    pub fn new(http: reqwest::Client, api_base_url: Url, session: Arc<Session>) -> Self {
        Self {
            http,
            api_base_url,
            session,
            policy: RetryPolicy::default(),
            blocked_until: Arc::default(),
            user: Arc::new(Memo::new(1, |_| None)),
            listed: Arc::default(),
        }
    }

    /// This client with what must outlive a settings change taken from `previous`: Spotify's
    /// ban when both use the same client ID (Spotify counts per client ID), and the user's ID
    /// and playlists when they share the session as well.
    pub fn carrying(mut self, previous: &SpotifyClient) -> Self {
        let same_session = Arc::ptr_eq(&self.session, &previous.session);
        if same_session || previous.session.client_id() == self.session.client_id() {
            self.blocked_until = previous.blocked_until.clone();
        }
        if same_session {
            self.user = previous.user.clone();
            self.listed = previous.listed.clone();
        }
        self
    }

    /// Replaces the timeout and retry policy (tests use short ones).
    pub fn with_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The signed-in user.
    pub async fn me(&self) -> Result<User, SpotifyError> {
        let wire: WireUser = self.get_json(&["me"], &[]).await?;
        Ok(wire.into())
    }

    /// The signed-in user's ID, from memory after the first ask (single flight). An answer
    /// that lands after [`SpotifyClient::forget_user`] is used by its caller but not kept.
    async fn user_id(&self) -> Result<String, SpotifyError> {
        self.user
            .get(&(), || async { Ok(self.me().await?.id) })
            .await
    }

    /// Forgets the remembered user and their playlists (another account may sign in next),
    /// including an answer to `/me` still on its way.
    pub fn forget_user(&self) {
        self.user.forget();
        self.listed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// How long Spotify still bans this app's calls, if it does.
    pub fn blocked_for(&self) -> Option<Duration> {
        let ban = (*self.ban())?;
        ban.until
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
    }

    /// What is playing now; `None` when nothing is (204).
    pub async fn currently_playing(&self) -> Result<Option<NowPlaying>, SpotifyError> {
        Ok(self.playback().await?.map(|playback| playback.now))
    }

    /// One page (10) of the user's playlists starting at `offset`, each marked `followed` when
    /// the user neither owns nor collaborates on it.
    pub async fn playlists(&self, offset: u32) -> Result<Page<PlaylistSummary>, SpotifyError> {
        let query = page_query(offset);
        let (user_id, paging) = tokio::try_join!(
            self.user_id(),
            self.get_json::<WirePaging>(&["me", "playlists"], &query)
        )?;
        // A null or unreadable entry (Spotify sends some) is skipped rather than failing the page.
        let page = to_page(paging, offset, |raw| {
            serde_json::from_value::<WirePlaylist>(raw)
                .ok()
                .and_then(WirePlaylist::into_view)
                .map(|p| p.seen_by(&user_id))
        });
        let mut listed = self.listed.lock().unwrap_or_else(|e| e.into_inner());
        if listed.len() + page.items.len() > LISTED_MAX {
            listed.clear();
        }
        listed.extend(page.items.iter().map(|p| (p.id.clone(), p.clone())));
        Ok(page)
    }

    /// The playlist as the user's list last showed it, if it did.
    pub(crate) fn listed_playlist(&self, id: &PlaylistId) -> Option<PlaylistSummary> {
        let listed = self.listed.lock().unwrap_or_else(|e| e.into_inner());
        listed.get(id).cloned()
    }

    /// A playlist's name, owner, images and item count (Spotify gives these for any playlist,
    /// even one whose items it refuses).
    pub async fn playlist(&self, id: &PlaylistId) -> Result<Playlist, SpotifyError> {
        let path = ["playlists", id.as_str()];
        let (user_id, wire) =
            tokio::try_join!(self.user_id(), self.get_json::<WirePlaylist>(&path, &[]))?;
        let playlist = wire.into_view().ok_or(SpotifyError::BadResponse)?;
        Ok(playlist.seen_by(&user_id))
    }

    /// One page (10) of a playlist's items starting at `offset` (`GET /playlists/{id}/items`).
    pub async fn playlist_items(
        &self,
        id: &PlaylistId,
        offset: u32,
    ) -> Result<Page<PlaylistEntry>, SpotifyError> {
        let mut query = page_query(offset);
        query.push(("additional_types", "track,episode".to_string()));
        let paging: WirePaging = self
            .get_json(&["playlists", id.as_str(), "items"], &query)
            .await?;
        Ok(to_page(paging, offset, |raw| {
            Some(
                serde_json::from_value::<WirePlaylistItem>(raw)
                    .map_or(PlaylistEntry::Missing, PlaylistEntry::from),
            )
        }))
    }

    /// A track.
    pub async fn track(&self, id: &TrackId) -> Result<Track, SpotifyError> {
        let wire: WireItem = self.get_json(&["tracks", id.as_str()], &[]).await?;
        wire.into_track().ok_or(SpotifyError::BadResponse)
    }

    /// An artist.
    pub async fn artist(&self, id: &ArtistId) -> Result<Artist, SpotifyError> {
        let wire: WireArtist = self.get_json(&["artists", id.as_str()], &[]).await?;
        wire.into_view().ok_or(SpotifyError::BadResponse)
    }

    /// Several artists, fetched concurrently, in the order given; the first failure wins.
    pub async fn artists(&self, ids: &[ArtistId]) -> Result<Vec<Artist>, SpotifyError> {
        stream::iter(ids)
            .map(|id| self.artist(id))
            .buffered(ARTIST_CONCURRENCY)
            .try_collect()
            .await
    }

    async fn get_json<T: DeserializeOwned>(
        &self,
        segments: &[&str],
        query: &[(&str, String)],
    ) -> Result<T, SpotifyError> {
        let body = self
            .get(segments, query)
            .await?
            .ok_or(SpotifyError::BadResponse)?;
        decode(&body)
    }

    /// GETs an API path (see [`SpotifyClient::call`]); `None` means no content. A 403 is told
    /// apart into this resource or the whole app.
    pub(super) async fn get(
        &self,
        segments: &[&str],
        query: &[(&str, String)],
    ) -> Result<Option<Vec<u8>>, SpotifyError> {
        match self.call(Method::GET, segments, query, None).await {
            Err(SpotifyError::Forbidden { reason }) => {
                Err(self.classify_forbidden(segments, reason).await)
            }
            other => other,
        }
    }

    /// Sends a write (`PUT`, `POST`, `DELETE`) with an optional JSON body (see
    /// [`SpotifyClient::call`]); a 5xx is not retried, since the write may have happened.
    pub(super) async fn write(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
        body: Option<&serde_json::Value>,
    ) -> Result<(), SpotifyError> {
        self.call(method, segments, query, body).await.map(drop)
    }

    /// Sends a request with the session's token; after a 401 it refreshes once and retries,
    /// and a second 401 ends the session. While Spotify bans the app every call fails at once,
    /// and a long `Retry-After` starts such a ban.
    async fn call(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
        body: Option<&serde_json::Value>,
    ) -> Result<Option<Vec<u8>>, SpotifyError> {
        if let Some(wait) = self.blocked_for() {
            let quota = self.ban().is_some_and(|ban| ban.quota);
            return Err(SpotifyError::RateLimited {
                retry_in: Some(wait),
                quota,
            });
        }
        match self.send(method, segments, query, body).await {
            Err(SpotifyError::RateLimited {
                retry_in: Some(wait),
                quota,
            }) => {
                let until = Instant::now() + wait;
                let mut ban = self.ban();
                *ban = Some(match *ban {
                    Some(held) if held.until > until => held,
                    _ => Ban { until, quota },
                });
                tracing::warn!(
                    ?wait,
                    quota,
                    "Spotify rate limit: no Spotify calls until it passes"
                );
                Err(SpotifyError::RateLimited {
                    retry_in: Some(wait),
                    quota,
                })
            }
            other => other,
        }
    }

    /// A 403 on `/me` means the account or app is refused everywhere; on another path it is
    /// that resource alone unless `/me` is refused too (asked once, to tell which).
    async fn classify_forbidden(&self, segments: &[&str], reason: Option<String>) -> SpotifyError {
        if segments == ["me"] {
            return SpotifyError::AppForbidden { reason };
        }
        match self.send(Method::GET, &["me"], &[], None).await {
            Err(SpotifyError::Forbidden { reason: app_reason }) => SpotifyError::AppForbidden {
                reason: app_reason.or(reason),
            },
            _ => SpotifyError::Forbidden { reason },
        }
    }

    async fn send(
        &self,
        method: Method,
        segments: &[&str],
        query: &[(&str, String)],
        body: Option<&serde_json::Value>,
    ) -> Result<Option<Vec<u8>>, SpotifyError> {
        let url = self.url(segments, query);
        let call = Call {
            method,
            url: &url,
            body,
        };
        let mut token = self.session.access_token().await?;
        let mut refreshed = false;
        loop {
            match http::send(&self.http, &call, &token, &self.policy).await? {
                Reply::Body(body) => return Ok(Some(body)),
                Reply::NoContent => return Ok(None),
                Reply::Unauthorized if !refreshed => {
                    token = self.session.refresh_after_unauthorized(&token).await?;
                    refreshed = true;
                }
                Reply::Unauthorized => {
                    if let Err(error) = self.session.logout() {
                        tracing::warn!(%error, "could not delete rejected Spotify tokens");
                    }
                    return Err(SpotifyError::Unauthorized);
                }
            }
        }
    }

    fn ban(&self) -> MutexGuard<'_, Option<Ban>> {
        self.blocked_until.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(super) fn url(&self, segments: &[&str], query: &[(&str, String)]) -> Url {
        let mut url = self.api_base_url.clone();
        // IDs are validated types, so segments never contain '/' or '?'; extend() escapes anyway.
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (k, v.as_str())));
        }
        url
    }
}

/// Spotify's ban on the app: until when, and whether it named the developer quota.
#[derive(Clone, Copy)]
struct Ban {
    until: Instant,
    quota: bool,
}

fn page_query(offset: u32) -> Vec<(&'static str, String)> {
    vec![
        ("limit", PAGE_SIZE.to_string()),
        ("offset", offset.to_string()),
    ]
}

fn to_page<T>(
    paging: WirePaging,
    offset: u32,
    convert: impl Fn(serde_json::Value) -> Option<T>,
) -> Page<T> {
    let items = paging.items.into_iter().filter_map(convert).collect();
    Page::new(
        items,
        paging.offset.unwrap_or(offset),
        PAGE_SIZE,
        paging.total.unwrap_or(0),
    )
}

pub(super) fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, SpotifyError> {
    serde_json::from_slice(body).map_err(|error| {
        // Log the parse position only: the body itself may hold personal data.
        tracing::warn!(
            line = error.line(),
            column = error.column(),
            "unreadable Spotify response"
        );
        SpotifyError::BadResponse
    })
}

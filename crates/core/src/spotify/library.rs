//! The user's library with the 2026 endpoints: `PUT`/`DELETE /me/library?uris=...` save and
//! remove, `GET /me/library/contains?uris=...` says what is saved. A sign-in from before the
//! library scopes is told to sign in again, before any request when its granted scopes show it.

use super::client::{decode, SpotifyClient};
use super::ids::TrackId;
use super::SpotifyError;
use reqwest::Method;

/// Scope of `GET /me/library/contains`.
pub const LIBRARY_READ: &str = "user-library-read";
/// Scope of `PUT`/`DELETE /me/library`.
pub const LIBRARY_MODIFY: &str = "user-library-modify";

fn track_uri(id: &TrackId) -> String {
    format!("spotify:track:{id}")
}

impl SpotifyClient {
    /// Whether the track is saved in the user's library.
    pub async fn is_saved(&self, id: &TrackId) -> Result<bool, SpotifyError> {
        if !self.session.has_scope(LIBRARY_READ) {
            return Err(missing(LIBRARY_READ));
        }
        let query = [("uris", track_uri(id))];
        let body = match self.get(&["me", "library", "contains"], &query).await {
            Ok(body) => body.ok_or(SpotifyError::BadResponse)?,
            Err(error) => return Err(error.or_missing_scope(what(LIBRARY_READ))),
        };
        let answer: Vec<bool> = decode(&body)?;
        answer.first().copied().ok_or(SpotifyError::BadResponse)
    }

    /// Saves the track to the user's library (`saved`) or removes it from there.
    pub async fn set_saved(&self, id: &TrackId, saved: bool) -> Result<(), SpotifyError> {
        if !self.session.has_scope(LIBRARY_MODIFY) {
            return Err(missing(LIBRARY_MODIFY));
        }
        let method = if saved { Method::PUT } else { Method::DELETE };
        self.write(method, &["me", "library"], &[("uris", track_uri(id))], None)
            .await
            .map_err(|error| error.or_missing_scope(what(LIBRARY_MODIFY)))
    }
}

/// What a sign-in without `scope` cannot do, as the user is told.
fn what(scope: &str) -> &'static str {
    if scope == LIBRARY_READ {
        "see which songs you liked"
    } else {
        "like songs for you"
    }
}

fn missing(scope: &str) -> SpotifyError {
    SpotifyError::MissingScope { what: what(scope) }
}

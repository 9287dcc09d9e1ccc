//! Web API failures, worded for the user.

use crate::auth::AuthError;
use crate::Kinded;

/// Why a Spotify Web API call failed.
#[derive(Debug, thiserror::Error)]
pub enum SpotifyError {
    /// A Spotify ID was malformed; no request was made.
    #[error("That is not a valid Spotify {what} ID: {reason}. Copy the ID from a Spotify link.")]
    InvalidId { what: &'static str, reason: String },
    /// No tokens: the user has to sign in.
    #[error("You are not signed in to Spotify; please log in.")]
    NotLoggedIn,
    /// Spotify rejected the tokens even after a refresh; the session was ended.
    #[error("Spotify no longer accepts this sign-in; please log in again.")]
    Unauthorized,
    /// 403: the app or account may not do this.
    #[error("Spotify refused access to this; check that your Spotify app has access (Development Mode apps must list your account as a user).")]
    Forbidden,
    /// 404: the item does not exist (or is not visible to this app).
    #[error("Spotify could not find this; it may have been removed or made private. Go back and pick another.")]
    NotFound,
    /// 400: Spotify considered the request invalid.
    #[error("Spotify rejected the request as invalid; go back and try again.")]
    BadRequest,
    /// 429 after the allowed retries, or a wait longer than we are willing to make.
    #[error("Spotify is rate limiting requests; try again in a minute.")]
    RateLimited,
    /// 5xx after the allowed retries.
    #[error("Spotify is having trouble right now (HTTP {status}); try again in a few minutes.")]
    Server { status: u16 },
    /// No answer within the request timeout.
    #[error("Spotify did not answer in time; check your connection and try again.")]
    Timeout,
    /// Spotify could not be reached at all.
    #[error("Could not reach Spotify; check your internet connection and try again.")]
    Network,
    /// The answer was not the JSON we expected.
    #[error("Spotify sent an answer Spotify Plus could not read; try again later.")]
    BadResponse,
    /// Getting a token failed (sign-in service problem).
    #[error(transparent)]
    Auth(AuthError),
}

impl From<AuthError> for SpotifyError {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::NotLoggedIn => Self::NotLoggedIn,
            AuthError::SessionExpired => Self::Unauthorized,
            other => Self::Auth(other),
        }
    }
}

impl Kinded for SpotifyError {
    fn kind(&self) -> &'static str {
        match self {
            Self::InvalidId { .. } => "invalid_id",
            Self::NotLoggedIn => "not_logged_in",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::BadRequest => "bad_request",
            Self::RateLimited => "rate_limited",
            Self::Server { .. } => "server",
            Self::Timeout => "timeout",
            Self::Network => "network",
            Self::BadResponse => "bad_response",
            Self::Auth(_) => "auth",
        }
    }
}

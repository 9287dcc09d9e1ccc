//! Why lyrics could not be had. They never stop a page: the lyrics card says what went wrong
//! and the rest of the page is unaffected.

use crate::cache::CacheError;
use crate::{ErrorKind, Kinded};

/// A failure to ask LRCLIB or to keep its answer.
#[derive(Debug, thiserror::Error)]
pub enum LyricsError {
    /// No answer in time.
    #[error("LRCLIB took too long to answer; try again later.")]
    Timeout,
    /// LRCLIB could not be reached.
    #[error("LRCLIB could not be reached ({reason}).")]
    Network {
        /// What the HTTP client said.
        reason: String,
    },
    /// LRCLIB (or the gateway in front of it) answered with an error.
    #[error("LRCLIB answered HTTP {status}; lyrics are not available right now.")]
    Status {
        /// The status received.
        status: u16,
    },
    /// The answer was not the JSON LRCLIB documents.
    #[error("LRCLIB sent an answer that could not be read ({reason}).")]
    BadResponse {
        /// What was wrong with it.
        reason: String,
    },
    /// The line asked about is not in the track's lyrics (they changed, or it has none).
    #[error("That line is not in this track's lyrics any more; reload the page.")]
    NoSuchLine,
    /// The cache could not be read or written.
    #[error(transparent)]
    Cache(#[from] CacheError),
}

impl LyricsError {
    /// Names what went wrong with a request.
    pub(crate) fn from_reqwest(error: &reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::Timeout
        } else if error.is_decode() || error.is_body() {
            Self::BadResponse {
                reason: error.to_string(),
            }
        } else {
            Self::Network {
                reason: error.to_string(),
            }
        }
    }
}

impl Kinded for LyricsError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Timeout => ErrorKind::Timeout,
            Self::Network { .. } => ErrorKind::Network,
            Self::Status { status: 429 } => ErrorKind::RateLimited,
            Self::Status { .. } => ErrorKind::Server,
            Self::BadResponse { .. } => ErrorKind::BadResponse,
            Self::NoSuchLine => ErrorKind::BadRequest,
            Self::Cache(e) => e.kind(),
        }
    }
}

//! Why facts could not be gathered. These never stop an insight: it is written without facts
//! and its card says so; the kinds are for logs and tests.

use crate::{ErrorKind, Kinded};

/// A source that failed. `Clone` so every insight sharing one fetch sees the same failure.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FactsError {
    /// The source kept answering 503/429 after backing off.
    #[error("{source_name} is limiting requests; insights are written without its facts for now.")]
    RateLimited {
        /// `MusicBrainz`, `Wikidata` or `Wikipedia`.
        source_name: &'static str,
    },
    /// Too many lookups are already waiting for MusicBrainz's one-per-second turn.
    #[error("Too many lookups are waiting for MusicBrainz; this one was skipped.")]
    Busy,
    /// Any other unexpected status.
    #[error(
        "{source_name} answered HTTP {status}; insights are written without its facts for now."
    )]
    Status {
        /// The source.
        source_name: &'static str,
        /// The status received.
        status: u16,
    },
    /// No answer in time.
    #[error("{source_name} took too long to answer.")]
    Timeout {
        /// The source.
        source_name: &'static str,
    },
    /// The source could not be reached.
    #[error("{source_name} could not be reached ({reason}).")]
    Network {
        /// The source.
        source_name: &'static str,
        /// What the HTTP client said.
        reason: String,
    },
    /// The answer was not the JSON the source documents.
    #[error("{source_name} sent an answer that could not be read ({reason}).")]
    BadResponse {
        /// The source.
        source_name: &'static str,
        /// What was wrong with it.
        reason: String,
    },
}

impl FactsError {
    /// Names what went wrong with a request to `source_name`.
    pub(crate) fn from_reqwest(source_name: &'static str, error: &reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::Timeout { source_name }
        } else if error.is_decode() {
            Self::BadResponse {
                source_name,
                reason: error.to_string(),
            }
        } else {
            Self::Network {
                source_name,
                reason: error.to_string(),
            }
        }
    }
}

impl Kinded for FactsError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::RateLimited { .. } | Self::Busy => ErrorKind::RateLimited,
            Self::Status { .. } => ErrorKind::Server,
            Self::Timeout { .. } => ErrorKind::Timeout,
            Self::Network { .. } => ErrorKind::Network,
            Self::BadResponse { .. } => ErrorKind::BadResponse,
        }
    }
}

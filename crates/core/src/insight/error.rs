//! Errors of the insight pipeline, written for the user: what went wrong and what to do.

use crate::{ErrorKind, Kinded};
use std::fmt;
use std::sync::Arc;

/// Why an insight could not be written. `Clone` so that every caller sharing one upstream
/// request (single-flight) receives the same failure.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InsightError {
    /// No API key is configured; checked before any request.
    #[error("No OpenAI API key is set. Add one in Settings, or as OPENAI_API_KEY in a .env file, then try again. (For a local server such as Ollama, any non-empty value works.)")]
    NoApiKey,
    /// The server rejected the key (401).
    #[error("The AI server rejected the API key. Check the OpenAI API key in Settings (or OPENAI_API_KEY in .env).")]
    BadApiKey,
    /// The account has no quota left (429 `insufficient_quota`); waiting will not help.
    #[error("The OpenAI account has run out of quota. Check its plan and billing, or use another key or server in Settings.")]
    QuotaExceeded,
    /// The server refused this key access (403): a permission, project or region restriction.
    #[error("The AI server refused access with this API key (HTTP 403): the key may not be allowed to use this model, or the service is not offered where you are. Check the API key and model in Settings.")]
    Forbidden,
    /// The configured model does not exist on the server (404 / `model_not_found`).
    #[error("The AI server does not offer the model \"{model}\". Pick another model in Settings.")]
    ModelNotFound {
        /// The model that was asked for.
        model: String,
    },
    /// The server has no chat-completions endpoint at the configured address (404 without a
    /// model error), typically a base URL missing its `/v1`.
    #[error("The AI server has no chat endpoint at the configured address. Check the base URL in Settings (for example https://api.openai.com/v1 or http://127.0.0.1:11434/v1).")]
    EndpointNotFound,
    /// Still rate limited (429) after the bounded retries.
    #[error("The AI server is rate limiting requests; try again in {}.", wait_hint(*retry_after))]
    RateLimited {
        /// Seconds the server asked to wait, when it said.
        retry_after: Option<u64>,
    },
    /// The server kept failing (5xx) after the bounded retries.
    #[error("The AI server had a problem (HTTP {status}); try again in a minute.")]
    Server {
        /// The last status received.
        status: u16,
    },
    /// The server refused the request (400 and other 4xx); its explanation, cleaned and shortened.
    #[error(
        "The AI server refused the request: {message}. Check the model and base URL in Settings."
    )]
    BadRequest {
        /// The server's own message, with anything key-like removed.
        message: String,
    },
    /// No answer in time, or the stream stalled.
    #[error(
        "The AI server took too long to answer; try again, or pick a faster model in Settings."
    )]
    Timeout {
        /// What timed out (logged, never shown).
        #[source]
        cause: Cause,
    },
    /// The server could not be reached.
    #[error("Could not reach the AI server. Check your internet connection and the base URL in Settings.")]
    Network {
        /// The transport's account of it (logged, never shown).
        #[source]
        cause: Cause,
    },
    /// The answer was not what an OpenAI-compatible server sends.
    #[error("The AI server sent an answer that could not be read ({reason}). Check the base URL in Settings, then try again.")]
    BadResponse {
        /// What was wrong with it.
        reason: String,
    },
    /// The stream ended before the model finished.
    #[error("The answer was cut off before it was complete; try again.")]
    StreamCut,
    /// The model answered with no text.
    #[error("The model returned an empty answer; try again, or pick another model in Settings.")]
    Empty,
}

impl InsightError {
    /// A timeout, with what timed out for the log.
    pub(crate) fn timeout(cause: impl Into<Cause>) -> Self {
        Self::Timeout {
            cause: cause.into(),
        }
    }
}

/// The underlying failure of a timeout or a network error, kept for the log at the Tauri
/// boundary. Shared (`Arc`) because one failure reaches every caller of a single-flight request;
/// errors compare by what the user is told, so two causes are always equal.
#[derive(Clone, Debug)]
pub struct Cause(Arc<dyn std::error::Error + Send + Sync>);

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Cause {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl PartialEq for Cause {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Cause {}

impl From<reqwest::Error> for Cause {
    fn from(error: reqwest::Error) -> Self {
        Self(Arc::new(error))
    }
}

impl From<tokio::time::error::Elapsed> for Cause {
    fn from(error: tokio::time::error::Elapsed) -> Self {
        Self(Arc::new(error))
    }
}

impl From<&'static str> for Cause {
    fn from(what: &'static str) -> Self {
        Self(Arc::from(Box::<dyn std::error::Error + Send + Sync>::from(
            what,
        )))
    }
}

fn wait_hint(retry_after: Option<u64>) -> String {
    match retry_after {
        Some(secs) if secs <= 90 => format!("{secs} seconds"),
        Some(secs) => format!("{} minutes", secs.div_ceil(60)),
        None => "a minute".to_string(),
    }
}

impl Kinded for InsightError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::NoApiKey => ErrorKind::NoApiKey,
            Self::BadApiKey => ErrorKind::BadApiKey,
            Self::Forbidden => ErrorKind::Forbidden,
            Self::QuotaExceeded => ErrorKind::QuotaExceeded,
            Self::ModelNotFound { .. } => ErrorKind::ModelNotFound,
            Self::EndpointNotFound => ErrorKind::EndpointNotFound,
            Self::RateLimited { .. } => ErrorKind::RateLimited,
            Self::Server { .. } => ErrorKind::ServerError,
            Self::BadRequest { .. } => ErrorKind::BadRequest,
            Self::Timeout { .. } => ErrorKind::Timeout,
            Self::Network { .. } => ErrorKind::Network,
            Self::BadResponse { .. } => ErrorKind::BadResponse,
            Self::StreamCut => ErrorKind::StreamCut,
            Self::Empty => ErrorKind::Empty,
        }
    }
}

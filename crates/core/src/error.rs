//! The one list of error kinds every layer reports, and where the page shows each error.
//!
//! Each layer keeps its own `thiserror` enum with messages written for the user; they all name
//! their failures from [`ErrorKind`], which is exported to the page as a TypeScript union, so
//! the page never keeps a hand-written list of its own.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! error_kinds {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// A stable, machine-readable name for a failure (snake_case on the wire).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        pub enum ErrorKind {
            $($(#[$doc])* #[serde(rename = $name)] $variant,)*
        }

        impl ErrorKind {
            /// The wire name, e.g. `rate_limited`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }
        }
    };
}

error_kinds! {
    /// A Spotify ID was malformed; no request was made.
    InvalidId = "invalid_id",
    /// No Spotify sign-in.
    NotLoggedIn = "not_logged_in",
    /// Spotify rejected the tokens even after a refresh.
    Unauthorized = "unauthorized",
    /// The refresh token is dead (`invalid_grant`).
    SessionExpired = "session_expired",
    /// One resource (Spotify) or the model (AI server) is off limits.
    Forbidden = "forbidden",
    /// Spotify refuses every call of this app or account.
    AppForbidden = "app_forbidden",
    /// The item does not exist or is hidden.
    NotFound = "not_found",
    /// The request was refused as invalid.
    BadRequest = "bad_request",
    /// Too many requests (a short wait, or a ban of hours for Spotify).
    RateLimited = "rate_limited",
    /// Spotify kept failing with 5xx.
    Server = "server",
    /// The AI server kept failing with 5xx.
    ServerError = "server_error",
    /// No answer in time.
    Timeout = "timeout",
    /// The server could not be reached.
    Network = "network",
    /// The answer could not be read.
    BadResponse = "bad_response",
    /// No Spotify client ID is configured.
    NotConfigured = "not_configured",
    /// A configured URL is unusable.
    BadConfig = "bad_config",
    /// The loopback sign-in port could not be opened.
    Listener = "listener",
    /// The browser could not be started.
    Browser = "browser",
    /// The user refused access on Spotify's consent page.
    Denied = "denied",
    /// Spotify refused the sign-in with another error code.
    Authorize = "authorize",
    /// Spotify did not accept the authorization code.
    Exchange = "exchange",
    /// Spotify's sign-in service had a blip (5xx, 429); the session is kept.
    AccountsUnavailable = "accounts_unavailable",
    /// Spotify's sign-in service refused a refresh for another OAuth reason; the session is kept.
    Refused = "refused",
    /// The token file could not be written or deleted.
    Storage = "storage",
    /// No OpenAI API key is configured.
    NoApiKey = "no_api_key",
    /// The AI server rejected the key.
    BadApiKey = "bad_api_key",
    /// The AI account has no quota left.
    QuotaExceeded = "quota_exceeded",
    /// The AI server does not offer the configured model.
    ModelNotFound = "model_not_found",
    /// The AI server has no chat endpoint at the base URL.
    EndpointNotFound = "endpoint_not_found",
    /// The model's answer stopped before it was complete.
    StreamCut = "stream_cut",
    /// The model answered with no text.
    Empty = "empty",
    /// The insight cache folder or file could not be used.
    CacheIo = "cache_io",
    /// The insight cache cannot be written.
    CacheUnwritable = "cache_unwritable",
    /// The insight cache was written by a newer version.
    CacheNewerSchema = "cache_newer_schema",
    /// SQLite failed.
    CacheDatabase = "cache_database",
    /// A setting could not be used.
    Config = "config",
    /// The page's address could not be used (made by the page itself).
    BadRoute = "bad_route",
    /// A failure of the desktop shell (store, window, opener).
    App = "app",
    /// The sign-in predates a scope this feature needs: signing in again grants it.
    MissingScope = "missing_scope",
    /// Spotify allows this only to Premium accounts (playback control).
    PremiumRequired = "premium_required",
    /// No Spotify app is active to play on or control.
    NoActiveDevice = "no_active_device",
    /// The user cancelled a pending sign-in (or a new one took its place).
    Cancelled = "cancelled",
    /// The OS keyring (or the secrets file standing in for it) could not be used.
    SecretStore = "secret_store",
}

/// Where the page shows an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorScope {
    /// About what the user is looking at: a dismissible notice on this page.
    Page,
    /// About every page (a refused app, a rate-limit ban): a banner that stays across pages
    /// until Spotify answers again.
    App,
    /// The Spotify session is gone: back to the login screen, with the message.
    Session,
}

impl PartialEq<&str> for ErrorKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error the UI can show: a kind from the one list, where to show it, and its human message
/// (`Display`).
pub trait Kinded: std::error::Error {
    /// What failed, from the one list.
    fn kind(&self) -> ErrorKind;

    /// Where the page shows it; by default the session kinds go to the login screen.
    fn scope(&self) -> ErrorScope {
        match self.kind() {
            ErrorKind::NotLoggedIn | ErrorKind::Unauthorized | ErrorKind::SessionExpired => {
                ErrorScope::Session
            }
            _ => ErrorScope::Page,
        }
    }
}

/// An error as the page receives it: `{kind, scope, message}`. Messages come from the layers'
/// user-facing texts, which never hold tokens, keys or raw response bodies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
pub struct UiError {
    /// What failed.
    pub kind: ErrorKind,
    /// Where the page shows it.
    pub scope: ErrorScope,
    /// What went wrong and what to do, for the user.
    pub message: String,
}

impl UiError {
    /// A page-scoped error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            scope: ErrorScope::Page,
            message: message.into(),
        }
    }
}

impl<E: Kinded> From<&E> for UiError {
    fn from(error: &E) -> Self {
        Self {
            kind: error.kind(),
            scope: error.scope(),
            message: error.to_string(),
        }
    }
}

/// The whole cause chain of `error`, outermost first, for logs (each layer's `Display` is
/// already free of secrets, and so are the transport errors beneath them).
pub fn cause_chain(error: &dyn std::error::Error) -> String {
    let mut chain = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_serialise_as_their_wire_names() {
        for kind in [
            ErrorKind::RateLimited,
            ErrorKind::AppForbidden,
            ErrorKind::CacheNewerSchema,
        ] {
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::json!(kind.as_str())
            );
        }
        assert_eq!(ErrorKind::ServerError, "server_error");
    }
}

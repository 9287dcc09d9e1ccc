//! Sign-in and token failures, worded for the user.

use crate::{ErrorKind, Kinded};

/// Why signing in, refreshing or storing the Spotify session failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// No Spotify client ID is configured.
    #[error("No Spotify client ID is set; add the client ID of your Spotify app in Settings.")]
    NotConfigured,
    /// The configured accounts URL cannot be used.
    #[error("The Spotify accounts URL in Settings is not valid; fix or clear it.")]
    BadAccountsUrl,
    /// There are no tokens: the user has to sign in.
    #[error("You are not signed in to Spotify; please log in.")]
    NotLoggedIn,
    /// The loopback callback port could not be opened.
    #[error("Could not listen on 127.0.0.1:{port} for the Spotify sign-in ({reason}); close the program using that port or change SPOTIFY_REDIRECT_PORT.")]
    Listener {
        /// The callback port.
        port: u16,
        /// The operating system's reason.
        reason: String,
    },
    /// The system browser could not be started.
    #[error("Could not open your web browser to sign in ({0}); check your default browser and try again.")]
    Browser(String),
    /// The user refused access on Spotify's consent page.
    #[error(
        "Spotify sign-in was cancelled: access was not granted. Log in again and choose Agree."
    )]
    Denied,
    /// Spotify reported another error code on the callback.
    #[error("Spotify refused the sign-in ({0}); check the client ID and the redirect URI registered for your Spotify app.")]
    Authorize(String),
    /// No valid callback arrived in time.
    #[error("Spotify sign-in timed out; log in again and finish it in the browser.")]
    Timeout,
    /// Spotify did not accept the authorization code.
    #[error("Spotify did not accept the sign-in; please log in again.")]
    Exchange,
    /// The refresh token was rejected: the tokens have been deleted.
    #[error("Your Spotify session has ended; please log in again.")]
    SessionExpired,
    /// The accounts service could not be reached; the session is kept.
    #[error(
        "Could not reach Spotify's sign-in service; you are still signed in. Check your internet connection and try again."
    )]
    Network(#[source] Option<Box<dyn std::error::Error + Send + Sync>>),
    /// The accounts service answered 5xx or 429: a blip; the session is kept.
    #[error("Spotify's sign-in service is having trouble (HTTP {status}); you are still signed in. Try again in a moment.")]
    Unavailable {
        /// The HTTP status (5xx or 429).
        status: u16,
    },
    /// The accounts service refused a refresh for a reason other than a dead grant (for
    /// example `invalid_client`); the session is kept.
    #[error("Spotify's sign-in service refused to renew your session ({0}); check the client ID in Settings, then try again.")]
    Refused(String),
    /// The accounts service answered something unexpected.
    #[error("Spotify's sign-in service sent an unexpected answer; try again later.")]
    BadResponse,
    /// The token file could not be written or deleted.
    #[error("Could not save your Spotify sign-in in {path} ({reason}); check that the folder is writable.")]
    Storage {
        /// The token file.
        path: String,
        /// The operating system's reason.
        reason: String,
    },
    /// The keyring refused to keep, give or delete the tokens.
    #[error(transparent)]
    Vault(#[from] crate::vault::VaultError),
    /// The user cancelled the sign-in, or started another one in its place.
    #[error("Sign-in was cancelled; log in again when you are ready.")]
    Cancelled,
}

impl Kinded for AuthError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::NotConfigured => ErrorKind::NotConfigured,
            Self::BadAccountsUrl => ErrorKind::BadConfig,
            Self::NotLoggedIn => ErrorKind::NotLoggedIn,
            Self::Listener { .. } => ErrorKind::Listener,
            Self::Browser(_) => ErrorKind::Browser,
            Self::Denied => ErrorKind::Denied,
            Self::Authorize(_) => ErrorKind::Authorize,
            Self::Timeout => ErrorKind::Timeout,
            Self::Exchange => ErrorKind::Exchange,
            Self::SessionExpired => ErrorKind::SessionExpired,
            Self::Network(_) => ErrorKind::Network,
            Self::Unavailable { .. } => ErrorKind::AccountsUnavailable,
            Self::Refused(_) => ErrorKind::Refused,
            Self::BadResponse => ErrorKind::BadResponse,
            Self::Storage { .. } => ErrorKind::Storage,
            Self::Vault(e) => e.kind(),
            Self::Cancelled => ErrorKind::Cancelled,
        }
    }
}

//! Web API failures, worded for the user, carrying Spotify's own reason where it gave one.

use crate::auth::AuthError;
use crate::{ErrorKind, ErrorScope, Kinded};
use std::time::Duration;

/// Longest reason from Spotify repeated to the user; real ones are a sentence.
const MAX_REASON_CHARS: usize = 200;

/// Why a Spotify Web API call failed.
#[derive(Debug, thiserror::Error)]
pub enum SpotifyError {
    /// A Spotify ID was malformed; no request was made.
    #[error("That is not a valid Spotify {what} ID: {reason}. Copy the ID from a Spotify link.")]
    InvalidId {
        /// What the ID should name (`track`, `playlist`, ...).
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// No tokens: the user has to sign in.
    #[error("You are not signed in to Spotify; please log in.")]
    NotLoggedIn,
    /// Spotify rejected the tokens even after a refresh; the session was ended.
    #[error("Spotify no longer accepts this sign-in; please log in again.")]
    Unauthorized,
    /// 403 on one resource while the rest of the API answers: this item is off limits.
    #[error(
        "Spotify refused access to this{}. Go back and pick another.",
        said(reason)
    )]
    Forbidden {
        /// Spotify's own message, cleaned for display, when it gave one.
        reason: Option<String>,
    },
    /// 403 on every call, `GET /me` included: the account or the app itself is refused.
    #[error("Spotify refuses every request from Spotify Plus{}. In Development Mode the Spotify app's owner must add your account under User Management in the Spotify developer dashboard (at most 5 users), and the owner needs Spotify Premium. Then try again.", said(reason))]
    AppForbidden {
        /// Spotify's own message, cleaned for display, when it gave one.
        reason: Option<String>,
    },
    /// 404: the item does not exist (or is not visible to this app).
    #[error("Spotify could not find this{}; it may have been removed or made private. Go back and pick another.", said(reason))]
    NotFound {
        /// Spotify's own message, cleaned for display, when it gave one.
        reason: Option<String>,
    },
    /// 400: Spotify considered the request invalid.
    #[error(
        "Spotify rejected the request as invalid{}; go back and try again.",
        said(reason)
    )]
    BadRequest {
        /// Spotify's own message, cleaned for display, when it gave one.
        reason: Option<String>,
    },
    /// 429 after the allowed retries, or a ban longer than anyone should wait; `retry_in` is
    /// how long Spotify asked us to stay away, when it said, and `quota` whether Spotify named
    /// the developer account's Development Mode quota (`QUOTA_EXCEEDED`) as the reason.
    #[error("{}", rate_limited(*retry_in, *quota))]
    RateLimited {
        /// How long Spotify asked us to stay away, when it said.
        retry_in: Option<Duration>,
        /// Whether Spotify named the developer quota (`QUOTA_EXCEEDED`).
        quota: bool,
    },
    /// 5xx after the allowed retries.
    #[error("Spotify is having trouble right now (HTTP {status}); try again in a few minutes.")]
    Server {
        /// The last HTTP status.
        status: u16,
    },
    /// No answer within the request timeout.
    #[error("Spotify did not answer in time; check your connection and try again.")]
    Timeout {
        /// The transport's account of it (logged, never shown).
        #[source]
        source: reqwest::Error,
    },
    /// Spotify could not be reached at all.
    #[error("Could not reach Spotify; check your internet connection and try again.")]
    Network {
        /// The transport's account of it (logged, never shown).
        #[source]
        source: reqwest::Error,
    },
    /// The answer was not the JSON we expected.
    #[error("Spotify sent an answer Spotify Plus could not read; try again later.")]
    BadResponse,
    /// Getting a token failed (sign-in service problem).
    #[error(transparent)]
    Auth(AuthError),
    /// The sign-in predates a scope this needs (Spotify: "Insufficient client scope").
    #[error(
        "Spotify Plus was signed in before it could {what}. Log out and sign in again to allow it."
    )]
    MissingScope {
        /// The feature that needs the scope.
        what: &'static str,
    },
    /// Playback control is for Premium accounts only (Spotify: `PREMIUM_REQUIRED`).
    #[error("Spotify lets apps control playback only for Premium accounts. Use the Spotify app to play, pause or skip.")]
    PremiumRequired,
    /// No Spotify app is active to play on (Spotify: `NO_ACTIVE_DEVICE`).
    #[error("No Spotify app is active right now. Open Spotify on this computer or your phone, play something there, then try again.")]
    NoActiveDevice,
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
    fn kind(&self) -> ErrorKind {
        match self {
            Self::InvalidId { .. } => ErrorKind::InvalidId,
            Self::NotLoggedIn => ErrorKind::NotLoggedIn,
            Self::Unauthorized => ErrorKind::Unauthorized,
            Self::Forbidden { .. } => ErrorKind::Forbidden,
            Self::AppForbidden { .. } => ErrorKind::AppForbidden,
            Self::NotFound { .. } => ErrorKind::NotFound,
            Self::BadRequest { .. } => ErrorKind::BadRequest,
            Self::RateLimited { .. } => ErrorKind::RateLimited,
            Self::Server { .. } => ErrorKind::Server,
            Self::Timeout { .. } => ErrorKind::Timeout,
            Self::Network { .. } => ErrorKind::Network,
            Self::BadResponse => ErrorKind::BadResponse,
            Self::Auth(error) => error.kind(),
            Self::MissingScope { .. } => ErrorKind::MissingScope,
            Self::PremiumRequired => ErrorKind::PremiumRequired,
            Self::NoActiveDevice => ErrorKind::NoActiveDevice,
        }
    }

    fn scope(&self) -> ErrorScope {
        match self {
            // A ban or a refused app concerns every page, not the one that met it.
            Self::RateLimited { .. } | Self::AppForbidden { .. } => ErrorScope::App,
            Self::NotLoggedIn | Self::Unauthorized => ErrorScope::Session,
            Self::Auth(error) => error.scope(),
            _ => ErrorScope::Page,
        }
    }
}

/// Spotify's message for a token without the endpoint's scope.
const INSUFFICIENT_SCOPE: &str = "Insufficient client scope";

impl SpotifyError {
    /// Spotify's 403 "Insufficient client scope" as the missing scope for `what` (a sign-in from
    /// before the feature); anything else as it was.
    pub(crate) fn or_missing_scope(self, what: &'static str) -> Self {
        match &self {
            Self::Forbidden {
                reason: Some(reason),
            } if reason.contains(INSUFFICIENT_SCOPE) => Self::MissingScope { what },
            _ => self,
        }
    }
}

/// Spotify's reason as it may be shown: control characters dropped, whitespace collapsed,
/// length capped. `None` when nothing readable is left. The UI inserts it as text only.
pub(crate) fn clean_reason(raw: &str) -> Option<String> {
    let words: Vec<&str> = raw
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect();
    let text = words.join(" ");
    if text.is_empty() {
        return None;
    }
    let mut chars = text.chars();
    let capped: String = chars.by_ref().take(MAX_REASON_CHARS).collect();
    Some(if chars.next().is_some() {
        format!("{capped}…")
    } else {
        capped
    })
}

fn said(reason: &Option<String>) -> String {
    match reason {
        Some(reason) => format!(" (Spotify says: “{reason}”)"),
        None => String::new(),
    }
}

fn rate_limited(retry_in: Option<Duration>, quota: bool) -> String {
    let why = if quota {
        "the Development Mode quota of your Spotify developer account is used up (QUOTA_EXCEEDED; all your client IDs share it)"
    } else {
        "its rate limit for the app is used up"
    };
    match retry_in {
        Some(wait) if wait >= Duration::from_secs(60) => format!(
            "Spotify has paused this app's requests for about {} ({why}). Spotify Plus will not call Spotify until then; try again after that. Saved insights still work.",
            human_duration(wait)
        ),
        _ if quota => format!("Spotify is refusing requests: {why}; try again later."),
        _ => "Spotify is rate limiting requests; try again in a minute.".to_string(),
    }
}

/// "3 hours", "1 hour 20 minutes", "5 minutes": rounded up to whole minutes.
pub(crate) fn human_duration(wait: Duration) -> String {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    let (hours, minutes) = (minutes / 60, minutes % 60);
    let unit = |n: u64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    match (hours, minutes) {
        (0, m) => unit(m, "minute"),
        (h, 0) => unit(h, "hour"),
        (h, m) => format!("{} {}", unit(h, "hour"), unit(m, "minute")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_cleaned_and_capped() {
        assert_eq!(
            clean_reason("Check settings\u{0}\u{1b}[31m on\n the\tdashboard").as_deref(),
            Some("Check settings [31m on the dashboard")
        );
        assert_eq!(clean_reason(" \u{7}\n "), None);
        let long = clean_reason(&"x".repeat(5000)).unwrap();
        assert_eq!(long.chars().count(), MAX_REASON_CHARS + 1);
        assert!(long.ends_with('…'));
    }

    #[test]
    fn bans_are_said_in_hours_or_minutes() {
        assert_eq!(human_duration(Duration::from_secs(86_400)), "24 hours");
        assert_eq!(
            human_duration(Duration::from_secs(4_800)),
            "1 hour 20 minutes"
        );
        assert_eq!(human_duration(Duration::from_secs(61)), "2 minutes");
        let message = SpotifyError::RateLimited {
            retry_in: Some(Duration::from_secs(7_200)),
            quota: false,
        }
        .to_string();
        assert!(message.contains("about 2 hours"), "{message}");
        let quota = SpotifyError::RateLimited {
            retry_in: Some(Duration::from_secs(86_400)),
            quota: true,
        }
        .to_string();
        assert!(
            quota.contains("about 24 hours") && quota.contains("QUOTA_EXCEEDED"),
            "{quota}"
        );
    }
}

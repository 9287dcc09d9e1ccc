//! The one error type commands return: `{ "kind": ..., "message": ... }` for the UI.

use serde::Serialize;
use spotify_plus_core::Kinded;

/// An error as the UI receives it. Messages come from the core's user-facing texts, which
/// never contain tokens, keys or raw response bodies.
#[derive(Debug, Clone, Serialize)]
pub struct CommandError {
    kind: String,
    message: String,
}

impl CommandError {
    /// An error of the shell itself (store, window, opener), with a message for the user.
    pub fn app(message: impl Into<String>) -> Self {
        Self {
            kind: "app".into(),
            message: message.into(),
        }
    }
}

impl<E: Kinded> From<E> for CommandError {
    fn from(error: E) -> Self {
        Self {
            kind: error.kind().to_string(),
            message: error.to_string(),
        }
    }
}

/// What every command returns.
pub type CommandResult<T> = Result<T, CommandError>;

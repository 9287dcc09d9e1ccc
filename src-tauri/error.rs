//! The one error type commands return: the core's [`UiError`] (`{kind, scope, message}`), with
//! the whole cause chain logged where it leaves Rust.

use serde::Serialize;
use spotify_plus_core::error::cause_chain;
use spotify_plus_core::{ErrorKind, Kinded, UiError};

/// An error on its way to the page; serialises exactly as [`UiError`].
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct CommandError(UiError);

impl CommandError {
    /// An error of the shell itself (store, window, opener), with a message for the user.
    pub fn app(message: impl Into<String>) -> Self {
        Self(UiError::new(ErrorKind::App, message))
    }

    /// The error as the page receives it (for an event's payload).
    pub fn into_ui(self) -> UiError {
        self.0
    }
}

impl<E: Kinded> From<E> for CommandError {
    fn from(error: E) -> Self {
        // Every layer's text is free of secrets, and so are the transport errors beneath it.
        tracing::warn!(kind = %error.kind(), "{}", cause_chain(&error));
        Self(UiError::from(&error))
    }
}

/// What every command returns.
pub type CommandResult<T> = Result<T, CommandError>;

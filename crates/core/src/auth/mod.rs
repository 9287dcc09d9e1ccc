//! Spotify sign-in: OAuth 2.0 Authorization Code with PKCE through a loopback redirect, tokens
//! in the OS keyring (or a 0600 file), and a [`Session`] that refreshes tokens by itself.

mod callback;
mod error;
mod pending;
mod session;
mod tokens;

pub use error::AuthError;
pub use session::{AuthSettings, Session, SCOPES};
pub(crate) use tokens::now_unix;
pub use tokens::{TokenStore, Tokens, SIGN_IN_LIFETIME};

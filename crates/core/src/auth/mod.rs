//! Spotify sign-in: OAuth 2.0 Authorization Code with PKCE through a loopback redirect, a 0600
//! token file, and a [`Session`] that refreshes tokens by itself.

mod callback;
mod error;
mod session;
mod tokens;

pub use error::AuthError;
pub use session::{AuthSettings, Session, SCOPES};
pub use tokens::{TokenStore, Tokens};

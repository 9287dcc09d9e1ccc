//! What Settings says about secrets and sign-in: the store in use, a sign-in waiting, and its
//! cancel.

use super::Services;
use crate::vault::{StoreKind, Vault};

impl Services {
    /// Where the tokens and keys are kept.
    pub fn secret_store(&self) -> StoreKind {
        match &self.session {
            Some(session) => session.store_kind(),
            None => Vault::probe(self.config.secret_store),
        }
    }

    /// When the Spotify sign-in ends (six months after it), if known.
    pub fn sign_in_expires_at(&self) -> Option<u64> {
        self.session.as_ref()?.sign_in_expires_at()
    }

    /// Whether a sign-in waits for the browser.
    pub fn login_pending(&self) -> bool {
        self.session.as_ref().is_some_and(|s| s.login_pending())
    }

    /// Cancels the sign-in waiting for the browser; false when none was.
    pub fn cancel_login(&self) -> bool {
        self.session.as_ref().is_some_and(|s| s.cancel_login())
    }
}

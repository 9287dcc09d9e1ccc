//! Platforms without a credential store the `keyring` crate supports: the files only.

use super::{Entry, VaultError};
use crate::secret::Secret;
use std::path::Path;

/// Never constructed: no keyring on this platform.
#[derive(Clone, Debug)]
pub(super) enum Keyring {}

impl Keyring {
    pub(super) fn reachable(_data_dir: &Path) -> Option<Keyring> {
        None
    }

    pub(super) fn get(&self, _entry: Entry) -> Result<Option<Secret>, VaultError> {
        match *self {}
    }

    pub(super) fn set(&self, _entry: Entry, _value: &Secret) -> Result<(), VaultError> {
        match *self {}
    }

    pub(super) fn delete(&self, _entry: Entry) -> Result<(), VaultError> {
        match *self {}
    }
}

//! First start with a vault: plain copies left by older versions (or by a session without a
//! keyring) move in, and the plain copies are removed once the vault holds them.

use super::file::SecretsFile;
use super::{BoundKey, Entry, StoreKind, Vault, VaultError, SECRETS_FILE, TOKENS_FILE};
use crate::auth::TokenStore;
use crate::config::SavedSettings;
use crate::secret::Secret;

/// With the keyring in use: moves `tokens.json` and `secrets.json` into it and deletes them.
/// A file whose contents could not be moved is left in place and tried again next start.
pub(super) fn plain_files_into(vault: &Vault) {
    debug_assert_eq!(vault.kind(), StoreKind::Keyring);
    let token_file = TokenStore::new(vault.data_dir().join(TOKENS_FILE));
    if let Some(mut tokens) = token_file.load() {
        // The plain file may have been copied (a backup, a sync): its access token is marked
        // spent, so the first call buys a new one rather than go on with a copied one.
        tokens.expires_at = 0;
        match TokenStore::open(vault).save(&tokens) {
            Ok(()) => match token_file.delete() {
                Ok(()) => tracing::info!("moved the Spotify tokens into the keyring"),
                Err(error) => tracing::warn!(%error, "could not delete the plain token file"),
            },
            Err(error) => {
                tracing::warn!(%error, "could not move the Spotify tokens into the keyring")
            }
        }
    }
    let secrets = SecretsFile::new(vault.data_dir().join(SECRETS_FILE));
    for entry in [Entry::OpenAiApiKey, Entry::ClientSecret] {
        let Some(value) = secrets.get(entry) else {
            continue;
        };
        let moved = vault
            .set(entry, &value)
            .and_then(|()| secrets.set(entry, None));
        if let Err(error) = moved {
            tracing::warn!(%error, entry = entry.name(), "could not move a secret into the keyring");
        }
    }
}

/// Moves the plain secrets an older settings store held into `vault` (unless the vault already
/// has that entry), the key bound to the origin it was used with. Returns whether `saved`
/// changed, so the caller rewrites the store without them.
pub fn adopt_plain_settings(vault: &Vault, saved: &mut SavedSettings) -> Result<bool, VaultError> {
    let mut changed = false;
    let plain: [(Entry, Option<Secret>); 2] = [
        (Entry::OpenAiApiKey, saved.openai_api_key.take()),
        (Entry::ClientSecret, saved.client_secret.take()),
    ];
    for (entry, value) in plain {
        let Some(value) = value else { continue };
        changed = true;
        if vault.get(entry)?.is_some() {
            continue;
        }
        if entry == Entry::OpenAiApiKey {
            // The plain key and its server came from the same file: they belong together.
            vault.put_key(Some(&BoundKey {
                key: value,
                origin: saved.key_origin(),
            }))?;
        } else {
            vault.set(entry, &value)?;
        }
    }
    Ok(changed)
}

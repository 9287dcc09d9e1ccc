//! Settings: read (secrets only as "is set"), save, and the models a server offers.

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use spotify_plus_core::config::SavedSettings;
use tauri::{AppHandle, State};

/// Settings as the page sees them: secrets are never sent, only whether one is saved.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    client_id: Option<String>,
    has_client_secret: bool,
    has_openai_key: bool,
    openai_base_url: String,
    openai_model: String,
    redirect_uri: String,
    data_dir: String,
}

/// What the settings form sends; blank secrets keep the saved ones.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SettingsInput {
    client_id: String,
    client_secret: String,
    openai_api_key: String,
    clear_openai_api_key: bool,
    openai_base_url: String,
    openai_model: String,
}

/// The effective settings, for the form.
#[tauri::command]
pub fn settings_get(state: State<'_, AppState>) -> SettingsView {
    let config = state.services().config().clone();
    SettingsView {
        redirect_uri: config.redirect_uri(),
        client_id: config.client_id,
        has_client_secret: config.client_secret.is_some(),
        has_openai_key: config.openai_api_key.is_some(),
        openai_base_url: config.openai_base_url.to_string(),
        openai_model: config.openai_model,
        data_dir: state.data_dir().display().to_string(),
    }
}

/// Validates and saves settings, then restarts the services with them.
#[tauri::command]
pub fn settings_save(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: SettingsInput,
) -> CommandResult<()> {
    let previous = state.saved(&app);
    let keep = |new: String, old: Option<String>| {
        let new = new.trim().to_string();
        if new.is_empty() {
            old
        } else {
            Some(new)
        }
    };
    let saved = SavedSettings {
        client_id: keep(settings.client_id, None),
        client_secret: keep(settings.client_secret, previous.client_secret),
        openai_api_key: if settings.clear_openai_api_key {
            None
        } else {
            keep(settings.openai_api_key, previous.openai_api_key)
        },
        openai_base_url: keep(settings.openai_base_url, None),
        openai_model: keep(settings.openai_model, None),
    };
    saved.validate()?;
    state
        .save(&app, &saved)
        .map_err(|e| CommandError::app(format!("Settings could not be saved: {e}")))
}

/// Model names offered by the configured server's `GET /models`.
#[tauri::command]
pub async fn list_models(state: State<'_, AppState>) -> CommandResult<Vec<String>> {
    Ok(state.services().list_models().await?)
}

//! Settings: read (secrets only as "is set"), save, and the models a server offers.

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use spotify_plus_core::app::ModelStatus;
use spotify_plus_core::config::{BackgroundInsights, SavedSettings};
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
    /// No model is configured: `openai_model` is the fallback until one is picked.
    openai_model_unset: bool,
    background_insights: BackgroundInsights,
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
    /// Absent from older forms: keeps the saved choice.
    #[serde(default)]
    background_insights: Option<BackgroundInsights>,
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
        openai_model_unset: config.openai_model_unset,
        background_insights: config.background_insights,
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
        background_insights: settings
            .background_insights
            .or(previous.background_insights),
    };
    saved.validate()?;
    state
        .save(&app, &saved)
        .map_err(|e| CommandError::app(format!("Settings could not be saved: {e}")))?;
    // Saved without a model (e.g. the first key just entered): pick one from the server.
    tauri::async_runtime::spawn(crate::state::choose_model(app));
    Ok(())
}

/// Switches to another model in one click (the one Settings suggests) and saves it.
#[tauri::command]
pub fn settings_set_model(
    app: AppHandle,
    state: State<'_, AppState>,
    model: String,
) -> CommandResult<()> {
    let mut saved = state.saved(&app);
    saved.openai_model = Some(model.trim().to_string());
    saved.validate()?;
    state
        .save(&app, &saved)
        .map_err(|e| CommandError::app(format!("Settings could not be saved: {e}")))
}

/// The model in use, its shutdown date and a suggested replacement, with every model the
/// server offers; `refresh` reads `/models` again.
#[tauri::command]
pub async fn model_status(
    state: State<'_, AppState>,
    refresh: Option<bool>,
) -> CommandResult<ModelStatus> {
    Ok(state
        .services()
        .model_status(refresh.unwrap_or(false))
        .await?)
}

/// Model names offered by the configured server's `GET /models`.
#[tauri::command]
pub async fn list_models(state: State<'_, AppState>) -> CommandResult<Vec<String>> {
    Ok(state.services().list_models().await?)
}

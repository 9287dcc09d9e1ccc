//! Settings: read (secrets only as "is set"), save, and the models a server offers.

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;
use spotify_plus_core::app::ModelStatus;
use spotify_plus_core::settings::{SettingsForm, SettingsView};
use tauri::{AppHandle, State};

/// The effective settings, for the form.
#[tauri::command]
pub fn settings_get(state: State<'_, AppState>) -> SettingsView {
    let services = state.services();
    SettingsView::new(
        services.config(),
        state.data_dir(),
        services.secret_store(),
        services.login_pending(),
    )
}

/// Validates and saves settings, then restarts the services with them.
#[tauri::command]
pub fn settings_save(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: SettingsForm,
) -> CommandResult<()> {
    let saved = settings.apply_to(&state.saved(&app))?;
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

//! Settings: read (secrets only as "is set"), save, and the models a server offers.

use crate::error::CommandResult;
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
    .with_dotenv(services.from_dotenv().cloned())
    .with_sign_in_expiry(services.sign_in_expires_at())
}

/// Validates and saves settings, then rebuilds the services with them (off the main thread:
/// the keyring may take its time).
#[tauri::command]
pub async fn settings_save(
    app: AppHandle,
    state: State<'_, AppState>,
    settings: SettingsForm,
) -> CommandResult<()> {
    state
        .core()
        .run(move |core| core.save_form(settings))
        .await?;
    state.poll_now.notify_one();
    // Saved without a model (e.g. the first key just entered): pick one from the server.
    tauri::async_runtime::spawn(crate::state::choose_model(app));
    Ok(())
}

/// Switches to another model in one click (the one Settings suggests) and saves it.
#[tauri::command]
pub async fn settings_set_model(state: State<'_, AppState>, model: String) -> CommandResult<()> {
    state.core().run(move |core| core.set_model(&model)).await?;
    Ok(())
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

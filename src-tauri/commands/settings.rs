//! Settings: read (secrets only as "is set"), save, and the models a server offers.

use crate::error::CommandResult;
use crate::state::{services, AppState};
use spotify_plus_core::app::ModelStatus;
use spotify_plus_core::settings::{SettingsForm, SettingsView};
use tauri::{AppHandle, Manager};

/// The effective settings, for the form.
pub async fn settings_get(app: AppHandle) -> CommandResult<SettingsView> {
    let services = services(&app);
    Ok(SettingsView::new(
        services.config(),
        app.state::<AppState>().data_dir(),
        services.secret_store(),
        services.login_pending(),
    )
    .with_dotenv(services.from_dotenv().cloned())
    .with_sign_in_expiry(services.sign_in_expires_at()))
}

/// Validates and saves settings, then rebuilds the services with them (off the main thread:
/// the keyring may take its time).
pub async fn settings_save(app: AppHandle, settings: SettingsForm) -> CommandResult<()> {
    let state = app.state::<AppState>();
    state
        .core()
        .run(move |core| core.save_form(settings))
        .await?;
    state.poll_now.notify_one();
    // Saved without a model (e.g. the first key just entered): pick one from the server.
    tauri::async_runtime::spawn(crate::state::choose_model(app.clone()));
    Ok(())
}

/// Switches to another model in one click (the one Settings suggests) and saves it.
pub async fn settings_set_model(app: AppHandle, model: String) -> CommandResult<()> {
    let core = app.state::<AppState>().core().clone();
    core.run(move |core| core.set_model(&model)).await?;
    Ok(())
}

/// The model in use, its shutdown date and a suggested replacement, with every model the
/// server offers; `refresh` reads `/models` again.
pub async fn model_status(app: AppHandle, refresh: bool) -> CommandResult<ModelStatus> {
    Ok(services(&app).model_status(refresh).await?)
}

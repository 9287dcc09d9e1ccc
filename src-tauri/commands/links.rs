//! Opening links outside the app: only those the core's `checked_link` admits.

use crate::error::{CommandError, CommandResult};
use spotify_plus_core::links::checked_link;
use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

/// Opens a Spotify item (in the Spotify app or on the web) or a source of an insight with the
/// system's handler; any other URL is refused before the system sees it.
pub async fn open_link(app: AppHandle, url: String) -> CommandResult<()> {
    let url = checked_link(&url)?;
    app.opener()
        .open_url(url.as_str(), None::<&str>)
        .map_err(|e| CommandError::app(format!("The link could not be opened: {e}")))
}

//! The main window's life. Closing it to the tray destroys it, and with it WebKit's web process,
//! which holds most of the app's memory; the core, the poller, the tray and the cache stay.
//! Opening it again builds it anew at the route it showed, where the page finds its data in the
//! core's caches.

use std::sync::Mutex;
use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindow, WebviewWindowBuilder};

/// The label of the app's one window (as in tauri.conf.json).
pub const MAIN: &str = "main";

/// Where and what the window was when it was last closed.
#[derive(Default)]
pub struct Remembered(Mutex<Option<Closed>>);

#[derive(Clone, Debug, PartialEq)]
struct Closed {
    /// The hash route, e.g. `/track/abc`.
    route: String,
    /// Logical position and inner size, so the window comes back where the user left it.
    geometry: Option<(f64, f64, f64, f64)>,
}

/// How [`show`] found the window.
#[derive(Debug, PartialEq, Eq)]
pub enum Shown {
    /// It was open: shown and focused, still on its own route.
    Existing,
    /// It was closed: built again.
    Created,
    /// It was closed and could not be built (logged).
    Failed,
}

/// Notes the route and geometry of a window about to be destroyed.
pub fn remember<R: Runtime>(window: &WebviewWindow<R>) {
    let route = window
        .url()
        .ok()
        .and_then(|url| url.fragment().map(str::to_string))
        .map(|fragment| route_of(&fragment))
        .unwrap_or_else(|| "/".to_string());
    let geometry = (|| {
        let scale = window.scale_factor().ok()?;
        let position = window.outer_position().ok()?.to_logical::<f64>(scale);
        let size = window.inner_size().ok()?.to_logical::<f64>(scale);
        Some((position.x, position.y, size.width, size.height))
    })();
    if let Some(remembered) = window.try_state::<Remembered>() {
        *remembered.0.lock().expect("window memory") = Some(Closed { route, geometry });
    }
}

/// Closes the window to the tray (the tray's Hide): remembers it, then destroys it.
pub fn close_to_tray<R: Runtime>(window: &WebviewWindow<R>) {
    remember(window);
    if let Err(error) = window.destroy() {
        tracing::warn!("could not close the window: {error}");
    }
}

/// Shows and focuses the window, building it again if it was closed: at `route` if given, else
/// where it was.
pub fn show<R: Runtime>(app: &AppHandle<R>, route: Option<&str>) -> Shown {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
        return Shown::Existing;
    }
    let closed = app
        .try_state::<Remembered>()
        .and_then(|r| r.0.lock().expect("window memory").clone());
    let route = route
        .map(str::to_string)
        .or_else(|| closed.as_ref().map(|c| c.route.clone()))
        .unwrap_or_else(|| "/".to_string());
    let geometry = closed.and_then(|c| c.geometry);
    match build(app, &route, geometry) {
        Ok(window) => {
            let _ = window.set_focus();
            Shown::Created
        }
        Err(error) => {
            tracing::warn!("could not open the window: {error}");
            Shown::Failed
        }
    }
}

/// Whether the window exists and is shown.
pub fn is_visible<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.get_webview_window(MAIN)
        .and_then(|w| w.is_visible().ok())
        .unwrap_or(false)
}

/// Builds the window from its tauri.conf.json entry, at `route`, where it was if known.
fn build<R: Runtime>(
    app: &AppHandle<R>,
    route: &str,
    geometry: Option<(f64, f64, f64, f64)>,
) -> tauri::Result<WebviewWindow<R>> {
    let mut config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .cloned()
        .unwrap_or_default();
    config.label = MAIN.to_string();
    config.url = WebviewUrl::App(format!("index.html#{}", route_of(route)).into());
    if let Some((x, y, width, height)) = geometry {
        // Centring would override the position the user left the window at.
        config.center = false;
        (config.x, config.y) = (Some(x), Some(y));
        (config.width, config.height) = (width, height);
    }
    WebviewWindowBuilder::from_config(app, &config)?.build()
}

/// A route the page can show: a path starting with `/`, else home. Only the app's own page is
/// ever loaded; the route only picks a view in it.
fn route_of(fragment: &str) -> String {
    if fragment.starts_with('/') && !fragment.contains(['#', ' ']) {
        fragment.to_string()
    } else {
        "/".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::route_of;

    #[test]
    fn routes_are_paths_of_the_page_else_home() {
        assert_eq!(route_of("/track/abc"), "/track/abc");
        assert_eq!(route_of("/playlist/x?offset=100"), "/playlist/x?offset=100");
        assert_eq!(route_of(""), "/");
        assert_eq!(route_of("javascript:alert(1)"), "/");
        assert_eq!(route_of("/a#b"), "/");
    }
}

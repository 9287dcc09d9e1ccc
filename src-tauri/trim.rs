//! Gives memory back once the window is closed to the tray, where the app spends most of its
//! life. Destroying the window ends WebKit's web process, but not all of what WebKit left:
//! - its network process stays (Tauri keeps the web context for the life of the app on Linux,
//!   tauri-apps/tauri#14626), serving nobody; it is ended, and WebKit starts a new one for the
//!   next window;
//! - the app's own process keeps the pages it touched of WebKit, GTK, Mesa (llvmpipe) and the
//!   app's code resident. Like Windows trimming the working set of a minimised program, the
//!   read-only file mappings are paged out (they are reread from the files when needed; what the
//!   poller and tray use comes back at once), and malloc returns its free pages.

use crate::window;
use spotify_plus_proc_tree::descendants;
use std::time::{Duration, Instant};
use tauri::{AppHandle, Manager, Runtime};

/// How long WebKit gets to end the web process of the closed window.
const WEB_PROCESS_GRACE: Duration = Duration::from_secs(10);
const STEP: Duration = Duration::from_millis(250);

/// Once the closed window's web process is gone: ends WebKit's idle network process and trims
/// the app's memory, unless the window was opened again meanwhile.
pub fn after_window_closed<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    let spawned = std::thread::Builder::new()
        .name("trim".into())
        .spawn(move || {
            let start = Instant::now();
            loop {
                std::thread::sleep(STEP);
                if app.get_webview_window(window::MAIN).is_some() {
                    return;
                }
                let children = descendants(std::process::id());
                // /proc abbreviates names to 15 bytes.
                let named = |prefix: &str| {
                    children
                        .iter()
                        .filter(|(_, name)| name.starts_with(prefix))
                        .map(|(pid, _)| *pid)
                        .collect::<Vec<_>>()
                };
                if !named("WebKitWebProces").is_empty() {
                    if start.elapsed() < WEB_PROCESS_GRACE {
                        continue;
                    }
                    // A page still lives: its network process is in use, so only trim.
                    tracing::debug!("web process still running; network process kept");
                } else if under_webdriver() {
                    // WebKit ends a WebDriver session with the network process it started in.
                    tracing::debug!("under WebDriver; network process kept");
                } else {
                    for pid in named("WebKitNetworkP") {
                        end(pid);
                    }
                }
                break;
            }
            trim();
        });
    if let Err(error) = spawned {
        tracing::warn!("no memory trim: {error}");
    }
}

/// Whether WebDriver drives the app (tauri-driver sets this, and Tauri then allows automation).
fn under_webdriver() -> bool {
    std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true")
}

#[cfg(unix)]
fn end(pid: u32) {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    // SAFETY: kill has no memory effects; the pid is our own WebKit child.
    if unsafe { libc::kill(pid, libc::SIGTERM) } == 0 {
        tracing::debug!(pid, "ended WebKit's idle network process");
    }
}

#[cfg(not(unix))]
fn end(_pid: u32) {}

#[cfg(target_os = "linux")]
fn trim() {
    #[cfg(target_env = "gnu")]
    // SAFETY: malloc_trim only releases free heap pages.
    unsafe {
        libc::malloc_trim(0);
    }
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
        return;
    };
    let mut bytes = 0usize;
    for (start, len) in maps.lines().filter_map(read_only_file_mapping) {
        // SAFETY: the range is a whole mapping of this process, read-only and backed by a file,
        // so paging it out loses nothing: a later access reads the page from the file again.
        if unsafe { libc::madvise(start as *mut libc::c_void, len, libc::MADV_PAGEOUT) } != 0 {
            // Kernels before 5.4 do not know MADV_PAGEOUT: nothing to do there.
            return;
        }
        bytes += len;
    }
    tracing::debug!(mb = bytes / (1 << 20), "paged out read-only file mappings");
}

#[cfg(not(target_os = "linux"))]
fn trim() {}

/// Start and length of a `/proc/self/maps` line mapping a file read-only (code, constants).
fn read_only_file_mapping(line: &str) -> Option<(usize, usize)> {
    let mut fields = line.split_whitespace();
    let range = fields.next()?;
    let perms = fields.next()?;
    let path = fields.nth(3)?;
    if perms.contains('w') || !path.starts_with('/') {
        return None;
    }
    let (start, end) = range.split_once('-')?;
    let start = usize::from_str_radix(start, 16).ok()?;
    let end = usize::from_str_radix(end, 16).ok()?;
    (end > start).then(|| (start, end - start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_read_only_file_mappings_are_paged_out() {
        assert_eq!(
            read_only_file_mapping("7f00-7f10 r-xp 00000000 fe:01 123 /usr/lib/libwebkit.so"),
            Some((0x7f00, 0x10))
        );
        for writable_or_anonymous in [
            "7f00-7f10 rw-p 00000000 fe:01 123 /usr/lib/libwebkit.so",
            "7f00-7f10 rw-p 00000000 00:00 0 [heap]",
            "7f00-7f10 r--p 00000000 00:00 0",
            "7f00-7f10 r-xp 00000000 00:00 0 [vdso]",
        ] {
            assert_eq!(read_only_file_mapping(writable_or_anonymous), None);
        }
    }
}

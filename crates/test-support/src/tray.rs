//! The app's tray menu, read and clicked over D-Bus as a desktop's tray host does.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The app's tray menu, clicked over D-Bus as a desktop's tray does: the tray icon exports its
/// menu as `com.canonical.dbusmenu` on the session bus (libayatana-appindicator), and a tray
/// host activates an item by sending it a `clicked` event. Uses `gdbus` (GLib's, which the
/// app's build dependencies bring).
pub struct TrayMenu {
    bus: String,
    dest: String,
    path: String,
}

const NOTIFICATION_ITEMS: &str = "/org/ayatana/NotificationItem";

impl TrayMenu {
    /// Waits until process `pid` exports its tray menu on the session bus at `bus`.
    pub fn find(bus: &str, pid: u32, wait: Duration) -> Self {
        let start = Instant::now();
        loop {
            if let Some(menu) = Self::try_find(bus, pid) {
                return menu;
            }
            assert!(
                start.elapsed() < wait,
                "process {pid} exported no tray menu on {bus}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn try_find(bus: &str, pid: u32) -> Option<Self> {
        let names = gdbus(
            bus,
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.ListNames",
            &[],
        )?;
        for name in quoted(&names).filter(|n| n.starts_with(':')) {
            let owner = gdbus(
                bus,
                "org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.GetConnectionUnixProcessID",
                &[&format!("'{name}'")],
            );
            // `(uint32 1234,)`
            let owner: Option<u32> = owner.as_deref().and_then(|o| {
                o.trim_start_matches("(uint32 ")
                    .split(',')
                    .next()?
                    .parse()
                    .ok()
            });
            if owner != Some(pid) {
                continue;
            }
            // The app has several connections (GTK's, the single-instance plugin's): the one
            // with a notification item below this path is the tray's.
            let xml = Command::new("gdbus")
                .args(["introspect", "--address", bus, "--dest", name])
                .args(["--object-path", NOTIFICATION_ITEMS, "--xml"])
                .output()
                .ok()?;
            let xml = String::from_utf8_lossy(&xml.stdout);
            if let Some(item) = xml
                .split("<node name=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
            {
                return Some(Self {
                    bus: bus.to_string(),
                    dest: name.to_string(),
                    path: format!("{NOTIFICATION_ITEMS}/{item}/Menu"),
                });
            }
        }
        None
    }

    /// Clicks the menu item labelled `label`; panics if there is none.
    pub fn click(&self, label: &str) {
        let id = self
            .item_id(label)
            .unwrap_or_else(|| panic!("no tray menu item {label:?}"));
        let clicked = gdbus(
            &self.bus,
            &self.dest,
            &self.path,
            "com.canonical.dbusmenu.Event",
            &["--", &id.to_string(), "clicked", "<int32 0>", "0"],
        );
        assert!(
            clicked.is_some(),
            "the tray menu refused the click on {label:?}"
        );
    }

    /// The menu's id for the item labelled `label`, from its layout:
    /// `... <(6, {'label': <'Show/Hide window'>}, @av [])> ...`.
    fn item_id(&self, label: &str) -> Option<i32> {
        let layout = gdbus(
            &self.bus,
            &self.dest,
            &self.path,
            "com.canonical.dbusmenu.GetLayout",
            &["--", "0", "-1", "['label']"],
        )?;
        let (before, _) = layout.split_once(&format!("{{'label': <'{label}'>}}"))?;
        before
            .rsplit_once('(')?
            .1
            .trim_end_matches([',', ' '])
            .parse()
            .ok()
    }
}

/// `gdbus call` on the bus at `bus`; its output, or `None` if the call failed.
fn gdbus(bus: &str, dest: &str, path: &str, method: &str, args: &[&str]) -> Option<String> {
    let out = Command::new("gdbus")
        .args([
            "call",
            "--address",
            bus,
            "--dest",
            dest,
            "--object-path",
            path,
        ])
        .args(["--method", method])
        .args(args)
        .stderr(Stdio::null())
        .output()
        .expect("gdbus (package libglib2.0-bin) runs");
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The single-quoted strings in gdbus output.
fn quoted(text: &str) -> impl Iterator<Item = &str> {
    text.split('\'').skip(1).step_by(2)
}

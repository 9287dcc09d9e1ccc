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

/// A desktop's tray host in miniature: owns `org.kde.StatusNotifierWatcher` on a private bus,
/// records the items that register (as libayatana-appindicator does when a watcher exists), and
/// reads an item's menu through its `Menu` property and `com.canonical.dbusmenu.GetLayout`.
pub struct TrayHost {
    conn: zbus::blocking::Connection,
    items: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>,
}

struct Watcher {
    items: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    /// `service` is a bus name or, as appindicator sends it, an object path of the sender.
    fn register_status_notifier_item(
        &self,
        service: &str,
        #[zbus(header)] header: zbus::message::Header<'_>,
    ) {
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        let item = if service.starts_with('/') {
            (sender, service.to_string())
        } else {
            (service.to_string(), "/StatusNotifierItem".to_string())
        };
        self.items.lock().expect("items").push(item);
    }

    fn register_status_notifier_host(&self, _service: &str) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        let items = self.items.lock().expect("items");
        items
            .iter()
            .map(|(name, path)| format!("{name}{path}"))
            .collect()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

/// One entry of a tray menu as a host shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MenuEntry {
    /// The dbusmenu id (for clicks).
    pub id: i32,
    /// The label as a host draws it: `_` access-key marks gone, `__` read as `_`.
    pub label: String,
    /// Whether it can be clicked.
    pub enabled: bool,
}

impl TrayHost {
    /// Starts the watcher on the bus at `address`; start it before the app.
    pub fn start(address: &str) -> Self {
        let items = std::sync::Arc::default();
        let conn = zbus::blocking::connection::Builder::address(address)
            .and_then(|b| b.name("org.kde.StatusNotifierWatcher"))
            .and_then(|b| {
                b.serve_at(
                    "/StatusNotifierWatcher",
                    Watcher {
                        items: std::sync::Arc::clone(&items),
                    },
                )
            })
            .and_then(|b| b.build())
            .expect("a StatusNotifierWatcher on the private bus");
        Self { conn, items }
    }

    /// Waits until an item registers; its (bus name, object path).
    pub fn item(&self, wait: Duration) -> (String, String) {
        let start = Instant::now();
        loop {
            if let Some(item) = self.items.lock().expect("items").first().cloned() {
                return item;
            }
            assert!(start.elapsed() < wait, "no tray item registered");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The item's menu, top level, as a host reads it.
    pub fn menu(&self, wait: Duration) -> Vec<MenuEntry> {
        let (name, path) = self.item(wait);
        let item = zbus::blocking::Proxy::new(
            &self.conn,
            name.as_str(),
            path.as_str(),
            "org.kde.StatusNotifierItem",
        )
        .expect("item proxy");
        let menu: zbus::zvariant::OwnedObjectPath = item.get_property("Menu").expect("Menu");
        let menu = self.menu_proxy(&name, menu.as_str());
        type Node = (
            i32,
            std::collections::HashMap<String, zbus::zvariant::OwnedValue>,
            Vec<zbus::zvariant::OwnedValue>,
        );
        let (_revision, (_, _, children)): (u32, Node) = menu
            .call("GetLayout", &(0i32, -1i32, Vec::<String>::new()))
            .expect("GetLayout");
        children
            .into_iter()
            .filter_map(|child| {
                let (id, props, _): Node = child.try_into().ok()?;
                let text = |key: &str| {
                    props
                        .get(key)
                        .and_then(|v| String::try_from(v.try_clone().ok()?).ok())
                };
                if text("type").as_deref() == Some("separator") {
                    return None;
                }
                let enabled = props
                    .get("enabled")
                    .and_then(|v| bool::try_from(&**v).ok())
                    .unwrap_or(true);
                Some(MenuEntry {
                    id,
                    label: host_label(&text("label").unwrap_or_default()),
                    enabled,
                })
            })
            .collect()
    }

    /// Clicks the entry labelled `label` (as a host draws it), as a host does.
    pub fn click(&self, label: &str, wait: Duration) {
        let entry = self
            .menu(wait)
            .into_iter()
            .find(|e| e.label == label)
            .unwrap_or_else(|| panic!("no tray menu entry {label:?}"));
        let (name, _) = self.item(wait);
        let (_, path) = self.items.lock().expect("items")[0].clone();
        let item = zbus::blocking::Proxy::new(
            &self.conn,
            name.as_str(),
            path.as_str(),
            "org.kde.StatusNotifierItem",
        )
        .expect("item proxy");
        let menu: zbus::zvariant::OwnedObjectPath = item.get_property("Menu").expect("Menu");
        let data = zbus::zvariant::Value::from(0i32);
        self.menu_proxy(&name, menu.as_str())
            .call::<_, _, ()>("Event", &(entry.id, "clicked", data, 0u32))
            .expect("the menu took the click");
    }

    fn menu_proxy(&self, name: &str, path: &str) -> zbus::blocking::Proxy<'static> {
        zbus::blocking::Proxy::new(
            &self.conn,
            name.to_string(),
            path.to_string(),
            "com.canonical.dbusmenu",
        )
        .expect("menu proxy")
    }
}

/// A dbusmenu label as drawn: `_` marks the next character as the access key and is not
/// shown; `__` is one underscore.
pub fn host_label(raw: &str) -> String {
    let mut shown = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '_' {
            if chars.peek() == Some(&'_') {
                chars.next();
                shown.push('_');
            }
            continue;
        }
        shown.push(c);
    }
    shown
}

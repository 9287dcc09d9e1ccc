//! The real app in a real window, for end-to-end tests and benchmarks: children ended together
//! with their whole process group (the app spawns WebKit processes), a private Xvfb display, and
//! WebDriver sessions through tauri-driver.

use fantoccini::{Client, ClientBuilder};
use std::net::TcpListener;
use std::ops::Range;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child started in its own process group; the whole group is ended on drop.
pub struct Group(Child);

impl Group {
    /// Spawns `command` as the leader of a new process group.
    pub fn spawn(command: &mut Command) -> Self {
        let child = command
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {command:?}: {e}"));
        Group(child)
    }

    /// The leader's process id.
    pub fn pid(&self) -> u32 {
        self.0.id()
    }

    /// The leader itself, e.g. to read its piped output or see whether it exited.
    pub fn child(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let pgid = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &pgid]).status();
        std::thread::sleep(Duration::from_millis(200));
        let _ = Command::new("kill").args(["-KILL", "--", &pgid]).status();
        let _ = self.0.wait();
    }
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A private X display (Xvfb), ended on drop.
pub struct Display {
    _xvfb: Group,
    name: String,
}

impl Display {
    /// Starts Xvfb (1280x1024) on the first display number in `numbers` that is not taken.
    pub fn start(numbers: Range<u32>, wait: Duration) -> Self {
        let start = Instant::now();
        for number in numbers {
            if Path::new(&format!("/tmp/.X{number}-lock")).exists() {
                continue;
            }
            let name = format!(":{number}");
            // -noreset: by default Xvfb resets when its last client leaves, and a program
            // started during the reset cannot open the display.
            let mut xvfb = Group::spawn(
                Command::new("Xvfb")
                    .args([&name, "-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
                    .arg("-noreset")
                    .stdout(Stdio::null())
                    .stderr(Stdio::null()),
            );
            let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
            // A socket left by a killed Xvfb exists before this one listens, and another run
            // may have taken the number a moment ago (this Xvfb then exits): the display is
            // ours once it accepts a connection while our Xvfb runs.
            loop {
                if xvfb.child().try_wait().ok().flatten().is_some() {
                    break; // taken: try the next number
                }
                if std::os::unix::net::UnixStream::connect(&socket).is_ok() {
                    return Self { _xvfb: xvfb, name };
                }
                assert!(start.elapsed() < wait, "Xvfb did not start on {name}");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        panic!("no free X display number")
    }

    /// The `DISPLAY` value, e.g. `:100`.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// A private D-Bus session bus (the app's single-instance plugin and tray menu talk over it);
/// ended on drop.
pub struct SessionBus {
    _daemon: Group,
    /// The bus address for `DBUS_SESSION_BUS_ADDRESS`.
    pub address: String,
}

impl SessionBus {
    /// Starts `dbus-daemon --session` in its own process group and reads its address.
    pub fn start() -> SessionBus {
        use std::io::BufRead;
        let mut daemon = Group::spawn(
            Command::new("dbus-daemon")
                .args(["--session", "--nofork", "--print-address=1"])
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
        );
        let stdout = daemon.child().stdout.take().expect("dbus-daemon stdout");
        let mut address = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut address)
            .expect("dbus-daemon prints its address");
        let address = address.trim().to_string();
        assert!(address.starts_with("unix:"), "bus address {address:?}");
        SessionBus {
            _daemon: daemon,
            address,
        }
    }
}

/// Starts tauri-driver (after `configure` set its environment, which the app inherits) and a
/// WebDriver session, which launches `app`. The driver group holds the app and its WebKit
/// processes.
pub async fn start_session(
    app: &Path,
    configure: impl FnOnce(&mut Command),
    wait: Duration,
) -> (Group, Client) {
    let port = free_port();
    let mut command = Command::new("tauri-driver");
    command.args([
        "--port",
        &port.to_string(),
        "--native-port",
        &free_port().to_string(),
    ]);
    configure(&mut command);
    let driver = Group::spawn(&mut command);
    let capabilities = serde_json::json!({
        "browserName": "wry",
        "tauri:options": { "application": app },
    });
    let capabilities = capabilities.as_object().expect("an object").clone();
    let start = Instant::now();
    loop {
        match ClientBuilder::native()
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return (driver, client),
            Err(e) => {
                assert!(start.elapsed() < wait, "no WebDriver session: {e}");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    }
}

/// Top-level X windows on `display` titled `title` and mapped, as a window manager sees them.
pub fn windows_titled(display: &str, title: &str) -> Vec<u64> {
    with_display(display, |xlib, dpy| unsafe { titled(xlib, dpy, title) })
}

/// Asks every mapped window titled `title` to close as a window manager's close button does
/// (a `WM_DELETE_WINDOW` message; Xvfb has no window manager to send it); returns how many.
pub fn close_window(display: &str, title: &str) -> usize {
    use x11_dl::xlib;
    with_display(display, |x, dpy| unsafe {
        let windows = titled(x, dpy, title);
        let protocols = (x.XInternAtom)(dpy, c"WM_PROTOCOLS".as_ptr(), xlib::False);
        let delete = (x.XInternAtom)(dpy, c"WM_DELETE_WINDOW".as_ptr(), xlib::False);
        for &window in &windows {
            let mut message: xlib::XClientMessageEvent = std::mem::zeroed();
            message.type_ = xlib::ClientMessage;
            message.window = window;
            message.message_type = protocols;
            message.format = 32;
            message.data.set_long(0, delete as std::os::raw::c_long);
            message
                .data
                .set_long(1, xlib::CurrentTime as std::os::raw::c_long);
            let mut event = xlib::XEvent::from(message);
            (x.XSendEvent)(dpy, window, xlib::False, xlib::NoEventMask, &mut event);
        }
        (x.XFlush)(dpy);
        windows.len()
    })
}

fn with_display<T>(
    display: &str,
    f: impl FnOnce(&x11_dl::xlib::Xlib, *mut x11_dl::xlib::Display) -> T,
) -> T {
    let xlib = x11_dl::xlib::Xlib::open().expect("libX11 (the app needs it too)");
    let name = std::ffi::CString::new(display).expect("a display name");
    // SAFETY: the connection is used by this thread only and closed before returning.
    unsafe {
        let dpy = (xlib.XOpenDisplay)(name.as_ptr());
        assert!(!dpy.is_null(), "cannot open X display {display}");
        let out = f(&xlib, dpy);
        (xlib.XCloseDisplay)(dpy);
        out
    }
}

/// # Safety
/// `dpy` is an open connection.
unsafe fn titled(x: &x11_dl::xlib::Xlib, dpy: *mut x11_dl::xlib::Display, title: &str) -> Vec<u64> {
    use x11_dl::xlib;
    let root = (x.XDefaultRootWindow)(dpy);
    let (mut root_out, mut parent, mut children, mut count) = (0, 0, std::ptr::null_mut(), 0);
    if (x.XQueryTree)(
        dpy,
        root,
        &mut root_out,
        &mut parent,
        &mut children,
        &mut count,
    ) == 0
        || children.is_null()
    {
        return Vec::new();
    }
    let mut found = Vec::new();
    for &window in std::slice::from_raw_parts(children, count as usize) {
        let mut attributes: xlib::XWindowAttributes = std::mem::zeroed();
        if (x.XGetWindowAttributes)(dpy, window, &mut attributes) == 0
            || attributes.map_state != xlib::IsViewable
        {
            continue;
        }
        let mut name = std::ptr::null_mut();
        if (x.XFetchName)(dpy, window, &mut name) != 0 && !name.is_null() {
            if std::ffi::CStr::from_ptr(name).to_string_lossy() == title {
                found.push(window);
            }
            (x.XFree)(name.cast());
        }
    }
    (x.XFree)(children.cast());
    found
}

/// One process and its memory, as /proc reports it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ProcessMemory {
    /// Process id.
    pub pid: u32,
    /// Its name as /proc abbreviates it (15 bytes, e.g. `WebKitWebProces`).
    pub name: String,
    /// Resident set (VmRSS): every page it maps that is in memory, shared or not.
    pub rss_kb: u64,
    /// Proportional set (smaps_rollup Pss): shared pages divided among the processes mapping them.
    pub pss_kb: u64,
    /// Private pages only (USS): what ending this process would give back.
    pub private_kb: u64,
}

/// Every process below `root` (children, their children, ...) with its name.
pub fn descendants(root: u32) -> Vec<(u32, String)> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // `pid (name) state ppid ...`; the name may hold spaces, so split at the last ')'.
        let Some((head, tail)) = stat.rsplit_once(')') else {
            continue;
        };
        let name = head.split_once('(').map_or("", |(_, n)| n).to_string();
        if let Some(ppid) = tail
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse::<u32>().ok())
        {
            all.push((pid, ppid, name));
        }
    }
    let mut found = Vec::new();
    let mut parents = vec![root];
    while let Some(parent) = parents.pop() {
        for (pid, ppid, name) in &all {
            if *ppid == parent {
                found.push((*pid, name.clone()));
                parents.push(*pid);
            }
        }
    }
    found
}

/// The first process below `root` whose /proc name is `name` (abbreviated to 15 bytes there).
pub fn find_below(root: u32, name: &str) -> Option<u32> {
    let short: String = name.chars().take(15).collect();
    descendants(root)
        .into_iter()
        .find(|(_, n)| *n == short)
        .map(|(pid, _)| pid)
}

/// `root` and every process below it, with their memory.
pub fn tree_memory(root: u32) -> Vec<ProcessMemory> {
    let name = std::fs::read_to_string(format!("/proc/{root}/comm")).unwrap_or_default();
    std::iter::once((root, name.trim().to_string()))
        .chain(descendants(root))
        .map(|(pid, name)| {
            let rollup = format!("/proc/{pid}/smaps_rollup");
            ProcessMemory {
                pid,
                name,
                rss_kb: field_kb(&format!("/proc/{pid}/status"), "VmRSS:"),
                pss_kb: field_kb(&rollup, "Pss:"),
                private_kb: field_kb(&rollup, "Private_Clean:")
                    + field_kb(&rollup, "Private_Dirty:"),
            }
        })
        .collect()
}

/// A `Name:   123 kB` line of a /proc file, in kB (0 when absent).
fn field_kb(path: &str, name: &str) -> u64 {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(name))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

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

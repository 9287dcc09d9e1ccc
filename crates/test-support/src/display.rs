//! A private X display and what a window manager would do on it (Xvfb has none).

use crate::process::Group;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
        // A window may vanish between listing and reading it (the app closing its window);
        // Xlib's default handler would end the whole process on that BadWindow. The calls
        // that fail report it through their own return values, which the callers check.
        (xlib.XSetErrorHandler)(Some(ignore_x_errors));
        let dpy = (xlib.XOpenDisplay)(name.as_ptr());
        assert!(!dpy.is_null(), "cannot open X display {display}");
        let out = f(&xlib, dpy);
        (xlib.XCloseDisplay)(dpy);
        out
    }
}

unsafe extern "C" fn ignore_x_errors(
    _: *mut x11_dl::xlib::Display,
    _: *mut x11_dl::xlib::XErrorEvent,
) -> std::os::raw::c_int {
    0
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

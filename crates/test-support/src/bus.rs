//! A private D-Bus session bus, so the app's tray, single-instance plugin and keyring talk to
//! nothing of the machine's.

use crate::process::Group;
use std::process::{Command, Stdio};

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

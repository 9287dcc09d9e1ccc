//! A private D-Bus session bus, so the app's tray, single-instance plugin and keyring talk to
//! nothing of the machine's.

use crate::process::Group;
use std::process::{Command, Stdio};

/// A session bus like the standard one, but without service directories (no activation).
const BUS_CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

/// A private D-Bus session bus (the app's single-instance plugin and tray menu talk over it);
/// ended on drop.
pub struct SessionBus {
    _daemon: Group,
    /// The bus address for `DBUS_SESSION_BUS_ADDRESS`.
    pub address: String,
}

impl SessionBus {
    /// Starts a session `dbus-daemon` in its own process group and reads its address. It starts
    /// no services on demand: the machine's Secret Service or portals must not appear on a test
    /// bus unless the test starts them (see `keyring`).
    pub fn start() -> SessionBus {
        use std::io::BufRead;
        let config =
            std::env::temp_dir().join(format!("spotify-plus-bus-{}.conf", std::process::id()));
        std::fs::write(&config, BUS_CONFIG).expect("bus configuration written");
        let mut daemon = Group::spawn(
            Command::new("dbus-daemon")
                .arg(format!("--config-file={}", config.display()))
                .args(["--nofork", "--print-address=1"])
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

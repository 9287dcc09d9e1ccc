//! A real Secret Service for tests: `gnome-keyring-daemon` on a private session bus, with its
//! keyrings in a temporary home, unlocked at start, and `secret-tool` to look at what it holds.

use crate::bus::SessionBus;
use crate::process::Group;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// The keyring's unlock password: a throwaway, it guards only test data.
const PASSWORD: &str = "spotify-plus-test";

/// A Secret Service on its own bus; everything ends on drop.
pub struct SecretService {
    daemon: Group,
    bus: SessionBus,
    home: TempDir,
}

impl SecretService {
    /// Starts a bus and `gnome-keyring-daemon --unlock --components=secrets` on it, and waits
    /// until `org.freedesktop.secrets` answers.
    pub fn start() -> SecretService {
        let bus = SessionBus::start();
        let home = tempfile::tempdir().expect("a home for the keyring");
        let runtime = home.path().join("run");
        std::fs::create_dir_all(&runtime).expect("runtime folder");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700));
        }
        let mut command = Command::new("gnome-keyring-daemon");
        command
            .args(["--unlock", "--components=secrets", "--foreground"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        environment(&mut command, &bus.address, home.path());
        let mut daemon = Group::spawn(&mut command);
        {
            use std::io::Write;
            // The password, then end of input: the daemon creates and unlocks "login".
            let mut stdin = daemon.child().stdin.take().expect("daemon stdin");
            stdin.write_all(PASSWORD.as_bytes()).expect("password sent");
        }
        let service = SecretService { daemon, bus, home };
        service.wait_until_ready();
        service
    }

    /// Stops the daemon (SIGSTOP), as a keyring that waits for an unlock prompt nobody has
    /// answered yet: calls to it hang until [`SecretService::thaw`].
    pub fn freeze(&self) {
        self.signal("STOP");
    }

    /// Lets a frozen daemon answer again (SIGCONT).
    pub fn thaw(&self) {
        self.signal("CONT");
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.daemon.pid().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{name} failed");
    }

    /// The bus address, for `DBUS_SESSION_BUS_ADDRESS`.
    pub fn bus_address(&self) -> &str {
        &self.bus.address
    }

    /// The environment a process needs to use this keyring.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("DBUS_SESSION_BUS_ADDRESS", self.bus.address.clone()),
            (
                "XDG_RUNTIME_DIR",
                self.home.path().join("run").display().to_string(),
            ),
        ]
    }

    /// The secret stored with these attributes (`secret-tool lookup`), if any.
    pub fn lookup(&self, attributes: &[(&str, &str)]) -> Option<String> {
        let mut command = Command::new("secret-tool");
        command.arg("lookup");
        for (k, v) in attributes {
            command.args([k, v]);
        }
        environment(&mut command, &self.bus.address, self.home.path());
        let output = command
            .stderr(Stdio::null())
            .output()
            .expect("secret-tool runs");
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// How many items carry these attributes (`secret-tool search --all`).
    pub fn count(&self, attributes: &[(&str, &str)]) -> usize {
        let mut command = Command::new("secret-tool");
        command.args(["search", "--all"]);
        for (k, v) in attributes {
            command.args([k, v]);
        }
        environment(&mut command, &self.bus.address, self.home.path());
        let output = command.output().expect("secret-tool runs");
        let listing = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        listing.lines().filter(|l| l.starts_with('[')).count()
    }

    fn wait_until_ready(&self) {
        let start = Instant::now();
        // A write and delete round trip: the login collection exists and is unlocked.
        let probe = [
            ("service", "spotify-plus-test-probe"),
            ("username", "probe"),
        ];
        loop {
            let mut store = Command::new("secret-tool");
            store.args(["store", "--label=probe"]);
            for (k, v) in probe {
                store.args([k, v]);
            }
            environment(&mut store, &self.bus.address, self.home.path());
            let stored = store
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .and_then(|mut child| {
                    use std::io::Write;
                    child.stdin.take().expect("stdin").write_all(b"x")?;
                    child.wait()
                })
                .is_ok_and(|status| status.success());
            if stored && self.lookup(&probe).is_some() {
                let mut clear = Command::new("secret-tool");
                clear.arg("clear");
                for (k, v) in probe {
                    clear.args([k, v]);
                }
                environment(&mut clear, &self.bus.address, self.home.path());
                let _ = clear.status();
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "gnome-keyring-daemon did not serve org.freedesktop.secrets within 20 s (is gnome-keyring installed? scripts/setup.sh --test)"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn environment(command: &mut Command, bus: &str, home: &Path) {
    command
        .env("DBUS_SESSION_BUS_ADDRESS", bus)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_RUNTIME_DIR", home.join("run"));
}

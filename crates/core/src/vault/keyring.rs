//! The OS credential store through the `keyring` crate: one entry per secret under the app's
//! identifier, its user name naming the secret and the data folder it belongs to (so a test or
//! second profile with its own data folder never reads the everyday one's tokens).
//!
//! Every call runs on one keyring thread, in the order asked, and the caller waits for it with
//! a time bound: a Secret Service that waits for an unlock prompt nobody answers must not hang
//! the app, and a headless session must fall back to the files at once. The order matters: a
//! token write that overran its bound still runs, and a sign-out's delete asked after it must
//! run after it, or the write would bring the tokens back.

use super::{Entry, VaultError};
use crate::secret::Secret;
use std::path::Path;
use std::sync::{mpsc, Mutex, OnceLock};
use std::time::Duration;

/// The app's identifier (tauri.conf.json), the keyring service of every entry.
pub const SERVICE: &str = "app.spotifyplus.desktop";
/// How long start-up waits to learn whether a keyring answers.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);
/// How long one read, write or delete may take (an unlock prompt may be on screen).
const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// The keyring, known to answer.
#[derive(Clone, Debug)]
pub(super) struct Keyring {
    scope: String,
}

impl Keyring {
    /// The keyring for `data_dir` if one is there: it answers within [`PROBE_TIMEOUT`], or does
    /// not answer at all yet (locked); `None` when it answers that there is none (asked once per
    /// process).
    pub(super) fn reachable(data_dir: &Path) -> Option<Keyring> {
        static REACHABLE: OnceLock<bool> = OnceLock::new();
        let keyring = Keyring {
            scope: data_dir.display().to_string(),
        };
        let probe = keyring.clone();
        let answers = *REACHABLE.get_or_init(move || {
            if !platform::may_have_keyring() {
                return false;
            }
            let answered = bounded(PROBE_TIMEOUT, move || probe.read("probe"));
            match answered {
                Some(Ok(_)) => true,
                Some(Err(error)) => {
                    tracing::info!(%error, "no usable keyring; secrets go to files in the data folder");
                    false
                }
                None => {
                    // A Secret Service is there but slow: it may be waiting for the user to
                    // unlock it. Taking it for absent would read as signed out (and put new
                    // tokens in files); its calls are waited for instead, and the window says so.
                    tracing::info!("the keyring has not answered yet; waiting for it (it may be locked)");
                    true
                }
            }
        });
        answers.then_some(keyring)
    }

    pub(super) fn get(&self, entry: Entry) -> Result<Option<Secret>, VaultError> {
        let me = self.clone();
        let answer = bounded(CALL_TIMEOUT, move || me.read(entry.name()));
        self.outcome("read", entry, answer)
            .map(|value| value.and_then(Secret::new))
    }

    pub(super) fn set(&self, entry: Entry, value: &Secret) -> Result<(), VaultError> {
        let me = self.clone();
        let value = value.expose().to_string();
        let answer = bounded(CALL_TIMEOUT, move || {
            me.entry(entry.name())?.set_password(&value)
        });
        self.outcome("save", entry, answer)
    }

    pub(super) fn delete(&self, entry: Entry) -> Result<(), VaultError> {
        let me = self.clone();
        let answer = bounded(CALL_TIMEOUT, move || {
            match me.entry(entry.name())?.delete_credential() {
                Err(::keyring::Error::NoEntry) => Ok(()),
                other => other,
            }
        });
        self.outcome("delete", entry, answer)
    }

    fn entry(&self, name: &str) -> ::keyring::Result<::keyring::Entry> {
        ::keyring::Entry::new(SERVICE, &format!("{name}@{}", self.scope))
    }

    fn read(&self, name: &str) -> ::keyring::Result<Option<String>> {
        match self.entry(name)?.get_password() {
            Ok(value) => Ok(Some(value)),
            Err(::keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(error),
        }
    }

    fn outcome<T>(
        &self,
        action: &'static str,
        entry: Entry,
        answer: Option<::keyring::Result<T>>,
    ) -> Result<T, VaultError> {
        let reason = match answer {
            Some(Ok(value)) => return Ok(value),
            // The platform's own message (a D-Bus or OS error); the crate never puts the
            // secret in it.
            Some(Err(error)) => error.to_string(),
            None => format!("no answer within {} s", CALL_TIMEOUT.as_secs()),
        };
        Err(VaultError::Keyring {
            action,
            entry: entry.name(),
            reason,
        })
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// Runs `call` on the keyring thread after every call asked before it, and waits at most
/// `limit` for it. A call that overruns still runs, in its turn; the caller goes on without it.
fn bounded<T: Send + 'static>(
    limit: Duration,
    call: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    static WORKER: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    let worker = WORKER.get_or_init(|| {
        let (jobs, queue) = mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new()
            .name("keyring".into())
            .spawn(move || queue.into_iter().for_each(|job| job()));
        if let Err(error) = spawned {
            tracing::warn!(%error, "no keyring thread");
        }
        Mutex::new(jobs)
    });
    let (tx, rx) = mpsc::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(call());
    });
    worker
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .send(job)
        .ok()?;
    rx.recv_timeout(limit).ok()
}

#[cfg(target_os = "linux")]
mod platform {
    /// The Secret Service lives on the session bus: without one declared there is nothing to
    /// ask, and asking anyway would let libdbus try to autolaunch a bus.
    pub(super) fn may_have_keyring() -> bool {
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|a| !a.is_empty())
            || std::env::var_os("XDG_RUNTIME_DIR")
                .is_some_and(|dir| std::path::Path::new(&dir).join("bus").exists())
    }
}

#[cfg(any(target_os = "macos", windows))]
mod platform {
    /// Keychain and Credential Manager are part of every session.
    pub(super) fn may_have_keyring() -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_that_overruns_its_bound_is_abandoned() {
        assert_eq!(bounded(Duration::from_secs(5), || 7), Some(7));
        let slow = bounded(Duration::from_millis(20), || {
            std::thread::sleep(Duration::from_millis(500));
            7
        });
        assert_eq!(slow, None);
    }

    #[test]
    fn a_write_that_overran_its_bound_lands_before_a_delete_asked_after_it() {
        use std::sync::Arc;
        let entry = Arc::new(Mutex::new(None));
        let write = entry.clone();
        let late = bounded(Duration::from_millis(20), move || {
            std::thread::sleep(Duration::from_millis(300));
            *write.lock().unwrap() = Some("refresh-token");
        });
        assert_eq!(late, None, "the caller gave up on the write");
        let delete = entry.clone();
        let deleted = bounded(Duration::from_secs(5), move || {
            *delete.lock().unwrap() = None;
        });
        assert_eq!(deleted, Some(()));
        std::thread::sleep(Duration::from_millis(400));
        assert_eq!(
            *entry.lock().unwrap(),
            None,
            "the sign-out's delete ran last"
        );
    }
}

//! At most one sign-in waits per callback port. A second "Log in" (another click, the page
//! reloaded, the services restarted by a settings save) cancels the one waiting instead of
//! failing on a port that is still in use; "Cancel" ends it on purpose.
//!
//! The registry is process-wide because the port is: sessions come and go with the settings,
//! but an attempt of an old session still holds the listener.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// Waiting attempts: gate key, attempt id, and how to cancel it.
static WAITING: Mutex<Vec<(u64, u64, Arc<Notify>)>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The gate of a configured port; port 0 (a free port each time, in tests) gets a key of its
/// own per session, so such sessions never cancel each other.
pub(super) fn gate_key(port: u16) -> u64 {
    if port == 0 {
        u64::from(u16::MAX) + NEXT_ID.fetch_add(1, Ordering::Relaxed)
    } else {
        u64::from(port)
    }
}

/// One waiting sign-in; leaves the registry when dropped.
pub(super) struct Attempt {
    id: u64,
    cancel: Arc<Notify>,
}

/// Starts an attempt on `key`, cancelling any other attempt waiting there.
pub(super) fn begin(key: u64) -> Attempt {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let cancel = Arc::new(Notify::new());
    let mut waiting = lock();
    waiting.retain(|(k, _, other)| {
        if *k == key {
            other.notify_one();
        }
        *k != key
    });
    waiting.push((key, id, cancel.clone()));
    Attempt { id, cancel }
}

/// Cancels the attempt waiting on `key`; false when there was none.
pub(super) fn cancel(key: u64) -> bool {
    let mut waiting = lock();
    let before = waiting.len();
    waiting.retain(|(k, _, attempt)| {
        if *k == key {
            attempt.notify_one();
        }
        *k != key
    });
    waiting.len() != before
}

/// Whether an attempt waits on `key`.
pub(super) fn is_waiting(key: u64) -> bool {
    lock().iter().any(|(k, _, _)| *k == key)
}

impl Attempt {
    /// Resolves when the attempt is cancelled (a permit is kept, so an early cancel counts).
    pub(super) async fn cancelled(&self) {
        self.cancel.notified().await;
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        lock().retain(|(_, id, _)| *id != self.id);
    }
}

fn lock() -> std::sync::MutexGuard<'static, Vec<(u64, u64, Arc<Notify>)>> {
    WAITING.lock().unwrap_or_else(|e| e.into_inner())
}

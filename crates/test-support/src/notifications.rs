//! A desktop's notification server in miniature: owns `org.freedesktop.Notifications` on a
//! private bus and records what the app asks it to show.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One notification as the app sent it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub summary: String,
    pub body: String,
}

struct Server {
    shown: Arc<Mutex<Vec<Shown>>>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        _app_name: &str,
        _replaces_id: u32,
        _app_icon: &str,
        summary: &str,
        body: &str,
        _actions: Vec<String>,
        _hints: std::collections::HashMap<String, zbus::zvariant::OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut shown = self.shown.lock().expect("notifications");
        shown.push(Shown {
            summary: summary.to_string(),
            body: body.to_string(),
        });
        shown.len() as u32
    }

    fn close_notification(&self, _id: u32) {}

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into(), "body-markup".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "test-notifications".into(),
            "spotify-plus".into(),
            "1".into(),
            "1.2".into(),
        )
    }
}

/// The running server; ends with the value.
pub struct NotificationServer {
    _conn: zbus::blocking::Connection,
    shown: Arc<Mutex<Vec<Shown>>>,
}

impl NotificationServer {
    /// Serves `org.freedesktop.Notifications` on the bus at `address`.
    pub fn start(address: &str) -> Self {
        let shown = Arc::default();
        let conn = zbus::blocking::connection::Builder::address(address)
            .and_then(|b| b.name("org.freedesktop.Notifications"))
            .and_then(|b| {
                b.serve_at(
                    "/org/freedesktop/Notifications",
                    Server {
                        shown: Arc::clone(&shown),
                    },
                )
            })
            .and_then(|b| b.build())
            .expect("a notification server on the private bus");
        Self { _conn: conn, shown }
    }

    /// Every notification shown so far.
    pub fn shown(&self) -> Vec<Shown> {
        self.shown.lock().expect("notifications").clone()
    }

    /// Waits until a notification whose summary is `summary` was shown.
    pub fn wait_for(&self, summary: &str, wait: Duration) -> Shown {
        let start = Instant::now();
        loop {
            if let Some(found) = self.shown().into_iter().find(|n| n.summary == summary) {
                return found;
            }
            assert!(
                start.elapsed() < wait,
                "no notification {summary:?}; shown: {:?}",
                self.shown()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

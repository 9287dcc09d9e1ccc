//! What the cells of both columns share: how a cell sets up the server, a URL where nothing
//! listens, and the check that a message is actionable and holds no secret.

use spotify_plus_fakes::faults::FaultKind;
use std::fmt::Debug;
use url::Url;

/// What a cell does to the server before the request under test.
#[derive(Clone, Debug)]
pub(super) enum Setup {
    /// A fault rule on the endpoint; `None` times means every request.
    Fault(FaultKind, Option<u32>),
    /// The server is gone: the request goes to a port nobody listens on.
    Refused,
    /// The model server answers with this text (LLM only).
    Reply(String),
    /// The server is healthy; the request itself is wrong (e.g. a retired model).
    Healthy,
}

pub(super) fn status(status: u16, retry_after: Option<u64>) -> FaultKind {
    FaultKind::Status {
        status,
        retry_after,
        body: None,
    }
}

pub(super) fn always(kind: FaultKind) -> Setup {
    Setup::Fault(kind, None)
}

/// A URL where nothing listens (a port that was free a moment ago).
pub(super) fn dead_url(path: &str) -> Url {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    Url::parse(&format!("http://127.0.0.1:{port}{path}")).unwrap()
}

/// A message the user can act on: specific, says what to do next, and leaks none of `secrets`.
pub(super) fn assert_actionable(
    cell: &str,
    error: &(impl std::fmt::Display + Debug),
    secrets: &[&str],
) {
    let message = error.to_string();
    let debug = format!("{error:?}");
    assert!(
        message.len() >= 40 && !message.eq_ignore_ascii_case("error"),
        "{cell}: message too vague: {message:?}"
    );
    let next_steps = [
        "try again",
        "Try again",
        "Settings",
        "log in",
        "Log in",
        "check",
        "Check",
        "go back",
        "Go back",
        "Pick",
        "update the app",
    ];
    assert!(
        next_steps.iter().any(|s| message.contains(s)),
        "{cell}: message does not say what to do next: {message:?}"
    );
    for secret in secrets {
        assert!(
            !message.contains(secret) && !debug.contains(secret),
            "{cell}: a secret leaked into {message:?} / {debug}"
        );
    }
}

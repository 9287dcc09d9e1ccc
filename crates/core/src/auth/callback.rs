//! The one-shot loopback HTTP server that receives Spotify's redirect to `/callback`.
//!
//! A response whose `state` does not match is answered 400 and ignored: the listener keeps
//! waiting for the genuine redirect until the login timeout, so a forged or stale callback can
//! never sign anyone in. Other paths (a browser's `/favicon.ico`) get 404 and are ignored too.

use super::AuthError;
use std::collections::VecDeque;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::{AbortHandle, JoinSet};
use url::Url;

/// A browser that opens a connection and sends nothing must not hold a task for long.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Request heads larger than this are not from Spotify's redirect.
const MAX_HEAD: usize = 16 * 1024;
/// Connections served at once: a browser opens two or three; beyond this the oldest is dropped,
/// so a flood of idle connections cannot use up the app's file handles or crowd out the
/// genuine redirect (always the newest).
const MAX_CONNECTIONS: usize = 16;
/// Pause after a failed `accept` (out of file handles): the loop must not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

const SIGNED_IN: &str = "Signed in to Spotify Plus — you can close this tab.";
const CANCELLED: &str =
    "Sign-in was not completed. You can close this tab and return to Spotify Plus.";
const WRONG_STATE: &str = "This sign-in response does not belong to the sign-in Spotify Plus started; start again from the app.";
const NOT_FOUND: &str = "Not found.";
const BAD_REQUEST: &str = "Bad request.";

/// Serves connections until one carries a callback with the expected `state`, then returns its
/// authorization code (or the error Spotify reported). Connection tasks end when this returns.
pub(crate) async fn wait_for_code(
    listener: &TcpListener,
    state: &str,
) -> Result<String, AuthError> {
    let (tx, mut rx) = mpsc::channel(1);
    let mut connections = JoinSet::new();
    let mut open: VecDeque<AbortHandle> = VecDeque::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    open.retain(|task| !task.is_finished());
                    if open.len() >= MAX_CONNECTIONS {
                        if let Some(oldest) = open.pop_front() {
                            oldest.abort();
                        }
                    }
                    open.push_back(connections.spawn(serve(stream, state.to_owned(), tx.clone())));
                    while connections.try_join_next().is_some() {}
                }
                Err(error) => {
                    tracing::warn!(%error, "sign-in listener could not accept a connection");
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            },
            Some(outcome) = rx.recv() => return outcome,
        }
    }
}

/// What one request means for the sign-in.
enum Callback {
    Code(String),
    Error(String),
    WrongState,
    Malformed,
    OtherPath,
}

fn classify(target: &str, expected_state: &str) -> Callback {
    // The request target is origin-form (`/callback?..`); give it a base to parse it.
    let Ok(url) = Url::parse(&format!("http://127.0.0.1{target}")) else {
        return Callback::Malformed;
    };
    if url.path() != "/callback" {
        return Callback::OtherPath;
    }
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    if param("state").as_deref() != Some(expected_state) {
        return Callback::WrongState;
    }
    match (param("code"), param("error")) {
        (_, Some(error)) => Callback::Error(error),
        (Some(code), None) if !code.is_empty() => Callback::Code(code),
        _ => Callback::Malformed,
    }
}

async fn serve(
    mut stream: TcpStream,
    state: String,
    done: mpsc::Sender<Result<String, AuthError>>,
) {
    let Ok(Some(target)) = tokio::time::timeout(READ_TIMEOUT, read_target(&mut stream)).await
    else {
        let _ = respond(&mut stream, 400, BAD_REQUEST).await;
        return;
    };
    let (status, page, outcome) = match classify(&target, &state) {
        Callback::Code(code) => (200, SIGNED_IN, Some(Ok(code))),
        Callback::Error(error) if error == "access_denied" => {
            (200, CANCELLED, Some(Err(AuthError::Denied)))
        }
        Callback::Error(error) => (
            200,
            CANCELLED,
            Some(Err(AuthError::Authorize(sanitize(&error)))),
        ),
        Callback::WrongState => (400, WRONG_STATE, None),
        Callback::Malformed => (400, CANCELLED, None),
        Callback::OtherPath => (404, NOT_FOUND, None),
    };
    // Answer the browser before reporting, so the page arrives before the listener closes.
    let _ = respond(&mut stream, status, page).await;
    if let Some(outcome) = outcome {
        let _ = done.send(outcome).await;
    }
}

/// Keeps an error code from the query printable and short, since it ends up in a message.
fn sanitize(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(64)
        .collect()
}

/// Reads the request head and returns the target of a `GET` request line.
async fn read_target(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 || head.len() + n > MAX_HEAD {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let line = std::str::from_utf8(&head).ok()?.lines().next()?;
    let mut parts = line.split(' ');
    match (parts.next(), parts.next()) {
        (Some("GET"), Some(target)) if target.starts_with('/') => Some(target.to_string()),
        _ => None,
    }
}

async fn respond(stream: &mut TcpStream, status: u16, message: &str) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        _ => "Not Found",
    };
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Spotify Plus</title></head>\
         <body style=\"font-family:sans-serif;text-align:center;margin-top:4em\">\
         <p>{message}</p></body></html>"
    );
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n\
         Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_requests() {
        let ok = |t| matches!(classify(t, "s1"), Callback::Code(c) if c == "abc");
        assert!(ok("/callback?code=abc&state=s1"));
        assert!(matches!(
            classify("/callback?code=abc&state=s2", "s1"),
            Callback::WrongState
        ));
        assert!(matches!(
            classify("/callback?code=abc", "s1"),
            Callback::WrongState
        ));
        assert!(matches!(
            classify("/favicon.ico", "s1"),
            Callback::OtherPath
        ));
        assert!(matches!(
            classify("/callback?state=s1", "s1"),
            Callback::Malformed
        ));
        assert!(
            matches!(classify("/callback?error=access_denied&state=s1", "s1"), Callback::Error(e) if e == "access_denied")
        );
        assert_eq!(sanitize("bad<script>"), "badscript");
    }
}

//! Fake LRCLIB (lrclib.net, synced and plain lyrics) on a loopback port: the routes, matching,
//! normalisation, search and exact answers of the real server (`fixtures/lrclib/REFERENCE.md`,
//! proven against the recorded transcript `fixtures/lrclib/observations.txt`), plus what the
//! live service adds in front of it (Cloudflare's 403 without a `User-Agent`, `lyricsfile`).
//! It holds lyrics for the sample library ([`data`]), with latency, fault injection and a log.
//!
//! Search runs a model of the server's SQLite FTS5 query (`search.rs`), checked against FTS5
//! itself (`fixtures/lrclib/fts5-oracle.tsv`).
//!
//! Deviations from the real service: `POST /api/request-challenge` and `/api/flag` are not
//! served (404) and `/api/publish` refuses every token (the fake issues no challenges); a
//! missed `/api/get` queues nothing (the real one queues it for a background lookup that the
//! public server never performs, §4); several validation messages always come in one order
//! (the server's varies, §3); the live service's later changes (`/get` preferring synced
//! lyrics, §4) are not modelled, the public source is.

pub mod data;
mod routes;
pub mod rules;
mod search;
mod store;

pub use search::LIMIT as SEARCH_LIMIT;

use crate::facts::Hit;
use crate::faults::{inject, Faults};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use store::Store;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use url::Url;

/// How to start [`FakeLrclib`].
#[derive(Clone, Debug, Default)]
pub struct FakeLrclibOptions {
    /// Delay of every answer.
    pub latency: Duration,
}

impl FakeLrclibOptions {
    /// The latency of lrclib.net from a home connection in Europe: 150 ms.
    pub fn realistic() -> Self {
        Self {
            latency: Duration::from_millis(150),
        }
    }
}

/// One track as the fake stores it, with its latest lyrics (the API only ever shows the latest
/// revision, REFERENCE.md §2).
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// `trackName` (and `name`), as published.
    pub track_name: String,
    /// `artistName`.
    pub artist_name: String,
    /// `albumName`.
    pub album_name: String,
    /// `duration` in seconds.
    pub duration: f64,
    /// `instrumental`; the real server then has both lyrics null (§6).
    pub instrumental: bool,
    /// `plainLyrics`.
    pub plain_lyrics: Option<String>,
    /// `syncedLyrics` (LRC text).
    pub synced_lyrics: Option<String>,
}

/// What the server and its controlling test share.
pub(crate) struct Shared {
    store: Mutex<Store>,
    /// The database cannot be reached: the server's `UnknownError` 500 (§3).
    database_down: AtomicBool,
    latency: Mutex<Duration>,
    log: Mutex<Vec<Hit>>,
    faults: Faults,
}

impl Shared {
    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The server's `state.pool.get()?`: `Err` (→ 500 `UnknownError`) while the database is down.
    fn database(&self) -> Result<MutexGuard<'_, Store>, routes::ApiError> {
        if self.database_down() {
            return Err(routes::ApiError::Unknown);
        }
        Ok(self.store())
    }

    fn database_down(&self) -> bool {
        self.database_down.load(Ordering::SeqCst)
    }

    fn latency(&self) -> MutexGuard<'_, Duration> {
        self.latency.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn log(&self) -> MutexGuard<'_, Vec<Hit>> {
        self.log.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running fake LRCLIB; the server stops when it is dropped.
pub struct FakeLrclib {
    addr: SocketAddr,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

impl FakeLrclib {
    /// Starts the server on a free loopback port, holding the sample library's lyrics
    /// ([`data::sample_records`], ids 1, 2, ... in that order).
    pub async fn start(options: FakeLrclibOptions) -> std::io::Result<Self> {
        let fake = Self::start_empty(options).await?;
        for record in data::sample_records() {
            fake.insert(record);
        }
        Ok(fake)
    }

    /// Starts the server with no records at all.
    pub async fn start_empty(options: FakeLrclibOptions) -> std::io::Result<Self> {
        let shared = Arc::new(Shared {
            store: Mutex::new(Store::default()),
            database_down: AtomicBool::new(false),
            latency: Mutex::new(options.latency),
            log: Mutex::new(Vec::new()),
            faults: Faults::default(),
        });
        // Outermost last: log -> Cloudflare's User-Agent rule -> faults -> latency -> CORS
        // (the server's own layer) -> routes.
        let app = routes::router(shared.clone())
            .layer(from_fn(cors))
            .layer(from_fn_with_state(shared.clone(), delay))
            .layer(from_fn_with_state(shared.faults.clone(), inject))
            .layer(from_fn(require_user_agent))
            .layer(from_fn_with_state(shared.clone(), log));
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let server = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                tracing::error!(%error, "fake LRCLIB server stopped");
            }
        });
        Ok(Self {
            addr,
            shared,
            server,
        })
    }

    /// `LRCLIB_BASE_URL`: `http://127.0.0.1:PORT` (serialised with the root path, `.../`; the
    /// API is under `/api`).
    pub fn base_url(&self) -> Url {
        Url::parse(&format!("http://{}", self.addr)).expect("a valid URL")
    }

    /// The setting that points the app at this fake.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![("LRCLIB_BASE_URL", self.base_url().to_string())]
    }

    /// Adds a track with the next id and returns the id. Searches already answered stay cached
    /// as they were for 24 h, as on the real server (see [`Self::clear_search_cache`]).
    pub fn insert(&self, record: Record) -> i64 {
        self.shared.store().insert(record)
    }

    /// Forgets the searches cached so far (the real server keeps them up to 24 h).
    pub fn clear_search_cache(&self) {
        self.shared.store().clear_cache();
    }

    /// Makes the server's database unreachable (or reachable again): `/api/get` and
    /// `/api/get/{id}` answer the server's 500 `UnknownError` JSON once their parameters are
    /// valid, and `/api/search` does for every search it has not cached (§3, §5).
    pub fn set_database_down(&self, down: bool) {
        self.shared.database_down.store(down, Ordering::SeqCst);
    }

    /// Every request so far, oldest first, with the status answered (403s and faults too).
    /// `user_agent` is the `User-Agent` header (what Cloudflare checks); the server's own log
    /// would prefer `Lrclib-Client`, then `X-User-Agent` (§8).
    pub fn log(&self) -> Vec<Hit> {
        self.shared.log().clone()
    }

    /// Fault rules (e.g. a 503 for `/api/get`, a hang, a cut body).
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }

    /// Changes the latency from now on.
    pub fn set_latency(&self, latency: Duration) {
        *self.shared.latency() = latency;
    }
}

impl Drop for FakeLrclib {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Logs every request with the status it got.
async fn log(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let at = Instant::now();
    let path = req.uri().to_string();
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let response = next.run(req).await;
    shared.log().push(Hit {
        at,
        path,
        status: response.status().as_u16(),
        user_agent,
    });
    response
}

/// The page Cloudflare answers in front of lrclib.net to a request without a `User-Agent`.
pub const NO_USER_AGENT_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<title>Attention Required! | Cloudflare</title>\n<meta charset=\"UTF-8\" />\n</head>\n<body>\n<div id=\"cf-wrapper\">\n<h1>Sorry, you have been blocked</h1>\n<h2>You are unable to access lrclib.net</h2>\n<p>This website is using a security service to protect itself from online attacks.</p>\n</div>\n</body>\n</html>\n";

/// Live infrastructure (REFERENCE.md §3, §8): Cloudflare refuses a request without a
/// `User-Agent` (or with an empty one) with a 403 HTML page, before the server sees it; being
/// Cloudflare's page, it has no CORS header.
async fn require_user_agent(req: Request, next: Next) -> Response {
    let has_agent = req
        .headers()
        .get(header::USER_AGENT)
        .is_some_and(|v| !v.as_bytes().trim_ascii().is_empty());
    if has_agent {
        return next.run(req).await;
    }
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/html; charset=UTF-8")],
        NO_USER_AGENT_PAGE,
    )
        .into_response()
}

async fn delay(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let latency = *shared.latency();
    tokio::time::sleep(latency).await;
    next.run(req).await
}

/// The server's CORS layer (`lib.rs:164-173`, §8, observed in the transcript):
/// `access-control-allow-origin: *` on every answer; any `OPTIONS` is a preflight answered 200
/// with an empty body, the allowed methods and headers, and (axum 0.7 adds it for a route) the
/// route's `allow`.
async fn cors(req: Request, next: Next) -> Response {
    let any = HeaderValue::from_static("*");
    if req.method() == Method::OPTIONS {
        let mut response = StatusCode::OK.into_response();
        let headers = response.headers_mut();
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, any.clone());
        headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, any);
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("content-type,x-user-agent,lrclib-client"),
        );
        if let Some(allow) = routes::allowed_methods(req.uri().path()) {
            headers.insert(header::ALLOW, HeaderValue::from_static(allow));
        }
        return response;
    }
    let mut response = next.run(req).await;
    response
        .headers_mut()
        .insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, any);
    response
}

#[cfg(test)]
mod tests;

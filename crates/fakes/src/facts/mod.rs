//! Fake open music data: MusicBrainz, Wikidata and Wikipedia, each on its own loopback port
//! (they are three hosts in real life), knowing the sample library ([`data`]), with latency,
//! fault injection, MusicBrainz's one-request-per-second rule and a log of every request. They
//! accept and refuse what the real services do (`fixtures/open-music/REFERENCE.md`).

pub mod data;
pub mod inc;
mod musicbrainz;
mod wiki;

pub use wiki::MAX_IDS as WIKIDATA_MAX_IDS;

use crate::faults::{inject, Faults};
use axum::extract::{Request, State};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::Response;
use axum::Router;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use url::Url;

/// How to start [`FakeFacts`].
#[derive(Clone, Debug)]
pub struct FakeFactsOptions {
    /// Delay of every MusicBrainz answer.
    pub musicbrainz_latency: Duration,
    /// Up to this much more for some MusicBrainz answers (the same for the same request), as
    /// relation-heavy lookups take longer.
    pub musicbrainz_jitter: Duration,
    /// Delay of every Wikidata answer.
    pub wikidata_latency: Duration,
    /// Delay of every Wikipedia answer.
    pub wikipedia_latency: Duration,
    /// A MusicBrainz request arriving sooner than this after the last one accepted gets 503
    /// (the real rule is one per second; the margin absorbs scheduling jitter).
    pub musicbrainz_min_gap: Duration,
}

impl Default for FakeFactsOptions {
    fn default() -> Self {
        Self {
            musicbrainz_latency: Duration::ZERO,
            musicbrainz_jitter: Duration::ZERO,
            wikidata_latency: Duration::ZERO,
            wikipedia_latency: Duration::ZERO,
            musicbrainz_min_gap: Duration::from_millis(900),
        }
    }
}

impl FakeFactsOptions {
    /// Latencies like the real services' from a home connection in Europe: MusicBrainz
    /// 200-300 ms, Wikidata 120 ms, Wikipedia 80 ms.
    pub fn realistic() -> Self {
        Self {
            musicbrainz_latency: Duration::from_millis(200),
            musicbrainz_jitter: Duration::from_millis(100),
            wikidata_latency: Duration::from_millis(120),
            wikipedia_latency: Duration::from_millis(80),
            ..Self::default()
        }
    }
}

/// One request as a fake saw it.
#[derive(Clone, Debug)]
pub struct Hit {
    /// When it arrived.
    pub at: Instant,
    /// Path and query.
    pub path: String,
    /// The status answered.
    pub status: u16,
    /// Its `User-Agent`.
    pub user_agent: String,
}

/// One fake service's knobs and log.
pub(crate) struct Service {
    state: Mutex<ServiceState>,
    faults: Faults,
}

pub(crate) struct ServiceState {
    latency: Duration,
    jitter: Duration,
    min_gap: Duration,
    last_accepted: Option<Instant>,
    log: Vec<Hit>,
    /// Requests the real service would refuse for their `inc` (MusicBrainz).
    refused: Vec<String>,
}

impl Service {
    fn new(latency: Duration, jitter: Duration, min_gap: Duration) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(ServiceState {
                latency,
                jitter,
                min_gap,
                last_accepted: None,
                log: Vec::new(),
                refused: Vec::new(),
            }),
            faults: Faults::default(),
        })
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, ServiceState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn record(&self, hit: Hit) {
        self.state().log.push(hit);
    }
}

/// Logs requests (Wikidata, Wikipedia) and applies the latency.
async fn log_and_delay(State(service): State<Arc<Service>>, req: Request, next: Next) -> Response {
    let at = Instant::now();
    let path = req.uri().to_string();
    let user_agent = req
        .headers()
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let latency = service.state().latency;
    tokio::time::sleep(latency).await;
    let response = next.run(req).await;
    service.record(Hit {
        at,
        path,
        status: response.status().as_u16(),
        user_agent,
    });
    response
}

async fn delay(State(service): State<Arc<Service>>, req: Request, next: Next) -> Response {
    let (latency, jitter) = {
        let state = service.state();
        (state.latency, state.jitter)
    };
    // A fixed share of the jitter per request (FNV-1a of its path): repeatable runs.
    let hash = req
        .uri()
        .to_string()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
    tokio::time::sleep(latency + jitter.mul_f64((hash % 1000) as f64 / 1000.0)).await;
    next.run(req).await
}

/// A running fake: three servers; they stop when it is dropped.
pub struct FakeFacts {
    musicbrainz: (SocketAddr, Arc<Service>),
    wikidata: (SocketAddr, Arc<Service>),
    wikipedia: (SocketAddr, Arc<Service>),
    servers: Vec<JoinHandle<()>>,
}

async fn serve(router: Router) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            tracing::error!(%error, "fake facts server stopped");
        }
    });
    Ok((addr, server))
}

impl FakeFacts {
    /// Starts the three servers on free loopback ports.
    pub async fn start(options: FakeFactsOptions) -> std::io::Result<Self> {
        let mb = Service::new(
            options.musicbrainz_latency,
            options.musicbrainz_jitter,
            options.musicbrainz_min_gap,
        );
        let wd = Service::new(options.wikidata_latency, Duration::ZERO, Duration::ZERO);
        let wp = Service::new(options.wikipedia_latency, Duration::ZERO, Duration::ZERO);
        // Outermost last: police (rate rule, log) -> faults -> latency -> handler.
        let mb_router = musicbrainz::router(mb.clone())
            .layer(from_fn_with_state(mb.clone(), delay))
            .layer(from_fn_with_state(mb.faults.clone(), inject))
            .layer(from_fn_with_state(mb.clone(), musicbrainz::police));
        let wd_router = wiki::wikidata(wd.clone())
            .layer(from_fn_with_state(wd.faults.clone(), inject))
            .layer(from_fn_with_state(wd.clone(), log_and_delay));
        let wp_router = wiki::wikipedia(wp.clone())
            .layer(from_fn_with_state(wp.faults.clone(), inject))
            .layer(from_fn_with_state(wp.clone(), log_and_delay));
        let (mb_addr, a) = serve(mb_router).await?;
        let (wd_addr, b) = serve(wd_router).await?;
        let (wp_addr, c) = serve(wp_router).await?;
        Ok(Self {
            musicbrainz: (mb_addr, mb),
            wikidata: (wd_addr, wd),
            wikipedia: (wp_addr, wp),
            servers: vec![a, b, c],
        })
    }

    /// `MUSICBRAINZ_BASE_URL`: `http://127.0.0.1:PORT`.
    pub fn musicbrainz_base_url(&self) -> Url {
        Url::parse(&format!("http://{}", self.musicbrainz.0)).expect("a valid URL")
    }

    /// `WIKIDATA_BASE_URL`: `http://127.0.0.1:PORT`.
    pub fn wikidata_base_url(&self) -> Url {
        Url::parse(&format!("http://{}", self.wikidata.0)).expect("a valid URL")
    }

    /// `WIKIPEDIA_BASE_URL`, with `{lang}` where the language goes: `http://127.0.0.1:PORT/{lang}`.
    pub fn wikipedia_base_url(&self) -> String {
        format!("http://{}/{{lang}}", self.wikipedia.0)
    }

    /// The three settings that point the app at these fakes.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "MUSICBRAINZ_BASE_URL",
                self.musicbrainz_base_url().to_string(),
            ),
            ("WIKIDATA_BASE_URL", self.wikidata_base_url().to_string()),
            ("WIKIPEDIA_BASE_URL", self.wikipedia_base_url()),
        ]
    }

    /// Fault rules of the MusicBrainz fake (e.g. a 503 for `/ws/2/isrc/`).
    pub fn musicbrainz_faults(&self) -> &Faults {
        &self.musicbrainz.1.faults
    }

    /// Fault rules of the Wikidata fake.
    pub fn wikidata_faults(&self) -> &Faults {
        &self.wikidata.1.faults
    }

    /// Fault rules of the Wikipedia fake.
    pub fn wikipedia_faults(&self) -> &Faults {
        &self.wikipedia.1.faults
    }

    /// Every MusicBrainz request so far, oldest first.
    pub fn musicbrainz_log(&self) -> Vec<Hit> {
        self.musicbrainz.1.state().log.clone()
    }

    /// Every Wikidata request so far.
    pub fn wikidata_log(&self) -> Vec<Hit> {
        self.wikidata.1.state().log.clone()
    }

    /// Every Wikipedia request so far.
    pub fn wikipedia_log(&self) -> Vec<Hit> {
        self.wikipedia.1.state().log.clone()
    }

    /// Requests to any of the three so far.
    pub fn total_requests(&self) -> usize {
        self.musicbrainz_log().len() + self.wikidata_log().len() + self.wikipedia_log().len()
    }

    /// Changes MusicBrainz's latency from now on.
    pub fn set_musicbrainz_latency(&self, latency: Duration) {
        self.musicbrainz.1.state().latency = latency;
    }

    /// Changes Wikipedia's latency from now on.
    pub fn set_wikipedia_latency(&self, latency: Duration) {
        self.wikipedia.1.state().latency = latency;
    }
}

impl Drop for FakeFacts {
    /// Stops the servers; and fails the test, benchmark or demo that used them if the client
    /// sent a request the real MusicBrainz refuses for its `inc` (every user of the fakes is a
    /// conformance check).
    fn drop(&mut self) {
        for server in &self.servers {
            server.abort();
        }
        let refused = std::mem::take(&mut self.musicbrainz.1.state().refused);
        if !refused.is_empty() && !std::thread::panicking() {
            panic!(
                "the client sent requests the real MusicBrainz refuses:\n{}",
                refused.join("\n")
            );
        }
    }
}

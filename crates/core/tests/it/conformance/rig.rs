//! The set-up of one run (`Rig`) and running every endpoint through it, one call at a time.

use super::calls::{CallRecord, Outcome};
use super::prism::start_prism;
use super::recorder::Recorder;
use super::{endpoints, playlist_id, RUNS};
use crate::spotify_common::{fake, http, signed_in, token_path};
use futures_util::FutureExt;
use spotify_plus_core::spotify::{RetryPolicy, SpotifyClient};
use spotify_plus_fakes::spotify::FakeSpotify;
use spotify_plus_test_support::process::Group;
use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::time::Duration;
use url::Url;

/// A fake accounts server for the session's tokens, Prism behind the recording proxy, and the
/// real client pointed at the proxy.
pub(super) struct Rig {
    client: SpotifyClient,
    proxy: Recorder,
    proxy_url: Url,
    _prism: Group,
    _fake: FakeSpotify,
    _dir: tempfile::TempDir,
}

impl Rig {
    /// Starts Prism on `description` (logging to a temp file named after `run`) and the rest.
    pub(super) async fn start(description: &Path, run: &str) -> Rig {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join(format!("prism-{run}.log"));
        let (prism, prism_url) = start_prism(description, &log).await;
        let (proxy, proxy_url) = Recorder::start(prism_url).await;
        // Only the accounts half of the fake is used: it issued the session's tokens. Prism
        // checks that a bearer token is sent, not which.
        let fake = fake().await;
        let session = signed_in(&fake, &token_path(&dir));
        let client = SpotifyClient::new(http(), proxy_url.clone(), session).with_policy(policy());
        Rig {
            client,
            proxy,
            proxy_url,
            _prism: prism,
            _fake: fake,
            _dir: dir,
        }
    }

    /// Runs every endpoint `RUNS` times, one call at a time so exchanges map to calls.
    pub(super) async fn run_all(&self) -> Vec<CallRecord> {
        let mut calls = Vec::new();
        for endpoint in endpoints() {
            for _ in 0..RUNS {
                let first = self.proxy.len();
                // A panic in the client is caught and reported as a finding, with what Prism sent.
                let call = AssertUnwindSafe((endpoint.call)(self.client.clone()));
                let outcome = match call.catch_unwind().await {
                    Ok(Ok(())) => Outcome::Parsed,
                    Ok(Err(error)) => Outcome::Failed(error),
                    Err(payload) => Outcome::Panicked(panic_message(payload)),
                };
                calls.push(CallRecord {
                    endpoint: endpoint.name,
                    outcome,
                    exchanges: self.proxy.since(first),
                });
            }
        }
        calls
    }

    /// Guards against a vacuous pass: a request that breaks the description (limit above 50)
    /// must come back with a violation through the same proxy, or the header check above
    /// proves nothing (say, if a Prism release renamed the header).
    pub(super) async fn assert_violations_are_seen(&self) {
        let first = self.proxy.len();
        let url = self
            .proxy_url
            .join(&format!("playlists/{}/items?limit=500", playlist_id()))
            .unwrap();
        http()
            .get(url)
            .bearer_auth("probe")
            .send()
            .await
            .expect("the probe request is answered");
        let probe = self.proxy.since(first);
        assert!(
            probe
                .iter()
                .any(|e| e.violations.as_deref().is_some_and(|v| v.contains("limit"))),
            "Prism did not report limit=500 as a violation: {probe:?}"
        );
    }
}

/// Short waits: Prism answers at once, and the tests run against the clock.
fn policy() -> RetryPolicy {
    RetryPolicy {
        request_timeout: Duration::from_secs(10),
        max_retries: 0,
        ..crate::spotify_common::fast_policy()
    }
}

fn panic_message(payload: Box<dyn Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "(no message)".into())
}

//! Warm track page: a second visit, served from the track memo and the insight cache.

use crate::cold::{MODEL_FIRST_TOKEN, MODEL_TOTAL, SPOTIFY_LATENCY};
use crate::rig::{open_track_page, track_ids, Rig};
use crate::stats::Samples;
use std::time::Instant;

/// Revisits in the same session and after a restart, with the network calls they made.
pub struct Warm {
    /// Core time of a revisit while the app keeps running.
    pub core_ms: Samples,
    pub model_calls: usize,
    pub spotify_calls: usize,
    /// Core time of a visit after a restart: the memo is gone, the cache file remains.
    pub restart_ms: Samples,
    pub restart_model_calls: usize,
    pub restart_spotify_calls: usize,
    pub visits: usize,
}

/// Visits `tracks` tracks once (cold), then `repeats` more times each, and once after a restart.
pub async fn run(tracks: usize, repeats: usize) -> Warm {
    let rig = Rig::start(SPOTIFY_LATENCY, MODEL_FIRST_TOKEN, MODEL_TOTAL).await;
    let fresh = rig.fresh();
    let ids: Vec<&str> = track_ids().into_iter().take(tracks).collect();
    for id in &ids {
        open_track_page(&fresh.services, id).await;
    }
    let (model0, spotify0) = (rig.openai.chat_calls(), rig.spotify.api_requests(""));
    let mut core_ms = Samples::default();
    for _ in 0..repeats {
        for id in &ids {
            let start = Instant::now();
            open_track_page(&fresh.services, id).await;
            core_ms.push_ms(start.elapsed());
        }
    }
    let (model1, spotify1) = (rig.openai.chat_calls(), rig.spotify.api_requests(""));

    let restarted = rig.services_in(fresh.dir.path());
    let mut restart_ms = Samples::default();
    for id in &ids {
        let start = Instant::now();
        open_track_page(&restarted, id).await;
        restart_ms.push_ms(start.elapsed());
    }
    Warm {
        core_ms,
        model_calls: model1 - model0,
        spotify_calls: spotify1 - spotify0,
        restart_ms,
        restart_model_calls: rig.openai.chat_calls() - model1,
        restart_spotify_calls: rig.spotify.api_requests("") - spotify1,
        visits: tracks * repeats,
    }
}

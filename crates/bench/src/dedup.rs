//! Dedup: many concurrent page requests over few tracks must cost one model call per insight.

use crate::rig::{open_track_page, track_ids, Rig};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What the burst cost.
pub struct Dedup {
    pub requests: usize,
    pub distinct_tracks: usize,
    pub model_calls: usize,
    pub spotify_calls: usize,
    pub peak_concurrent_model_calls: usize,
    pub wall_ms: f64,
}

/// `requests` track-page requests over `distinct` tracks, shuffled, from `tasks` tasks.
pub async fn run(requests: usize, distinct: usize, tasks: usize) -> Dedup {
    // Quick answers: this measures how many calls are made, not how long they take.
    let rig = Rig::start(
        Duration::from_millis(50),
        Duration::from_millis(10),
        Duration::from_millis(50),
    )
    .await;
    let fresh = rig.fresh();
    let ids: Vec<&'static str> = track_ids().into_iter().take(distinct).collect();
    let mut order: Vec<&'static str> = ids.iter().cycle().take(requests).copied().collect();
    // Seeded, so every run requests the same sequence, with repeats close together.
    order.shuffle(&mut rand::rngs::StdRng::seed_from_u64(5));
    let order = Arc::new(order);
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let workers: Vec<_> = (0..tasks)
        .map(|_| {
            let (order, next, services) = (order.clone(), next.clone(), fresh.services.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(id) = order.get(i) else { break };
                    open_track_page(&services, id).await;
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.expect("a request task");
    }
    Dedup {
        requests,
        distinct_tracks: ids.len(),
        model_calls: rig.openai.chat_calls(),
        spotify_calls: rig.spotify.api_requests(""),
        peak_concurrent_model_calls: rig.openai.max_concurrent_chats(),
        wall_ms: start.elapsed().as_secs_f64() * 1e3,
    }
}

//! First words: from the moment the fake model hands over its first text to the moment that
//! text reaches the sink the page's command channel is fed from.

use crate::rig::{open_track_page, track_ids, Rig};
use crate::stats::Samples;
use std::time::{Duration, Instant};

const SPOTIFY_LATENCY: Duration = Duration::from_millis(50);
/// First text after 300 ms, the rest over the following second.
const FIRST_TOKEN: Duration = Duration::from_millis(300);
const TOTAL: Duration = Duration::from_millis(1300);

/// Overhead of both insights of `runs` cold page visits, in milliseconds.
pub async fn run(runs: usize) -> Samples {
    let rig = Rig::start(SPOTIFY_LATENCY, FIRST_TOKEN, TOTAL).await;
    let mut overhead = Samples::default();
    for id in track_ids().iter().cycle().take(runs) {
        let fresh = rig.fresh();
        let before = rig.openai.first_tokens_sent().len();
        let (track, artists) = open_track_page(&fresh.services, id).await;
        for sent in &rig.openai.first_tokens_sent()[before..] {
            // The two replies run concurrently; the prompt says which one this was.
            let seen = if sent
                .user_message
                .starts_with("Tell me something interesting about the track ")
            {
                &track
            } else {
                &artists
            };
            let received: Instant = seen.first_delta.expect("streamed text reached the sink");
            overhead.push_ms(received.saturating_duration_since(sent.sent_at));
        }
    }
    overhead
}

//! Cold track page: this app (track, then both insights concurrently, streamed) against the
//! original design (track, then the track insight, then the artists insight, no streaming).

use crate::rig::{open_track_page, track_ids, Rig, API_KEY, MODEL};
use crate::stats::Samples;
use serde_json::{json, Value};
use spotify_plus_core::insight::{Subject, SYSTEM_PROMPT};
use spotify_plus_core::spotify::TrackId;
use spotify_plus_fakes::facts::FakeFactsOptions;
use std::time::{Duration, Instant};

/// Every Web API call of the fake Spotify takes this long.
pub const SPOTIFY_LATENCY: Duration = Duration::from_millis(50);
/// Each model call: first text after this...
pub const MODEL_FIRST_TOKEN: Duration = Duration::from_millis(300);
/// ...and complete this long after the request (a non-streaming answer arrives whole then).
pub const MODEL_TOTAL: Duration = Duration::from_millis(800);

/// Time until both insights are complete, per design.
pub struct Cold {
    /// This app as it ships: grounding on.
    pub app: Samples,
    /// This app with grounding off.
    pub ungrounded: Samples,
    pub baseline: Samples,
}

/// The floor no design can beat: one Spotify call for the track, then one model call
/// (both insights need the track's names; two model calls can at best overlap fully).
pub fn physical_limit_ms() -> f64 {
    (SPOTIFY_LATENCY + MODEL_TOTAL).as_secs_f64() * 1e3
}

/// The floor of a grounded page: the track, then the first MusicBrainz answer (its lowest
/// latency), the song's Wikidata item and sitelinks, its Wikipedia summary, then the model.
pub fn grounded_limit_ms() -> f64 {
    let facts = FakeFactsOptions::realistic();
    (SPOTIFY_LATENCY
        + facts.musicbrainz_latency
        + facts.wikidata_latency * 2
        + facts.wikipedia_latency
        + MODEL_TOTAL)
        .as_secs_f64()
        * 1e3
}

/// `runs` page visits per design, alternating, each on a track never seen before.
pub async fn run(runs: usize) -> Cold {
    let rig = Rig::start(SPOTIFY_LATENCY, MODEL_FIRST_TOKEN, MODEL_TOTAL).await;
    let ids = track_ids();
    let mut cold = Cold {
        app: Samples::default(),
        ungrounded: Samples::default(),
        baseline: Samples::default(),
    };
    for id in ids.iter().cycle().take(runs) {
        // A new data folder per visit: empty cache, empty track memo, new connections.
        let fresh = rig.fresh();
        let start = Instant::now();
        open_track_page(&fresh.services, id).await;
        cold.app.push_ms(start.elapsed());

        let http = reqwest::Client::new();
        let token = rig.spotify.issue_tokens().access_token;
        let start = Instant::now();
        original_track_page(&http, &rig, &token, id).await;
        cold.baseline.push_ms(start.elapsed());

        let fresh = rig.fresh_ungrounded();
        let start = Instant::now();
        open_track_page(&fresh.services, id).await;
        cold.ungrounded.push_ms(start.elapsed());
    }
    cold
}

/// What the original app did for a track page: fetch the track, then ask for the track
/// insight and wait for the whole answer, then the same for the artists insight.
async fn original_track_page(http: &reqwest::Client, rig: &Rig, token: &str, id: &str) {
    let url = format!("{}/tracks/{id}", rig.spotify.api_base_url());
    let track: Value = http
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .expect("track")
        .json()
        .await
        .expect("track JSON");
    let (track_subject, artists_subject) = subjects(id, &track);
    for subject in [track_subject, artists_subject] {
        let answer: Value = http
            .post(format!("{}/chat/completions", rig.openai.base_url()))
            .bearer_auth(API_KEY)
            .json(&json!({
                "model": MODEL,
                "stream": false,
                "messages": [
                    { "role": "system", "content": SYSTEM_PROMPT },
                    { "role": "user", "content": subject.user_message() },
                ],
            }))
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .expect("chat completion")
            .json()
            .await
            .expect("chat JSON");
        assert!(answer["choices"][0]["message"]["content"].is_string());
    }
}

/// The same two prompts the app sends, from the track's JSON.
fn subjects(id: &str, track: &Value) -> (Subject, Subject) {
    let id: TrackId = id.parse().expect("a track id");
    let artists: Vec<String> = track["artists"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["name"].as_str().map(str::to_string))
        .collect();
    let album = &track["album"];
    let year = album["release_date"]
        .as_str()
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse().ok());
    (
        Subject::Track {
            id: id.clone(),
            title: track["name"].as_str().unwrap_or_default().to_string(),
            artists: artists.clone(),
            album: album["name"].as_str().map(str::to_string),
            year,
        },
        Subject::TrackArtists {
            track_id: id,
            artists,
        },
    )
}

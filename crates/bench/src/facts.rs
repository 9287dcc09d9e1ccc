//! The facts phase of a cold track page: MusicBrainz, Wikidata and Wikipedia on the fakes with
//! the real services' rules and latencies (MusicBrainz 200-300 ms and one request a second,
//! Wikidata 120 ms, Wikipedia 80 ms), both insights' facts gathered at once within the app's
//! budget, as the app does before it asks the model: how long until both cards can be written,
//! and how often both have facts.

use crate::rig::track_ids;
use crate::stats::Samples;
use spotify_plus_core::cache::Cache;
use spotify_plus_core::facts::{FactsConfig, FactsService, GroundingStatus, Lookup, Played};
use spotify_plus_fakes::facts::{data, FakeFacts, FakeFactsOptions};
use spotify_plus_fakes::spotify::library::library;
use std::time::Instant;

/// The facts phase per visit, and how many visits found facts for both cards.
pub struct FactsCold {
    pub ms: Samples,
    /// Visits whose two cards both had facts.
    pub grounded_both: usize,
    /// Visits to a track whose recording MusicBrainz has (the sample library leaves every
    /// fourth ISRC out, as many real ones are missing).
    pub known: usize,
    /// Of those, the visits whose two cards both had facts.
    pub known_grounded_both: usize,
    pub runs: usize,
}

/// `runs` visits, each to a track never seen before, with an empty facts cache.
pub async fn run(runs: usize) -> FactsCold {
    let mut out = FactsCold {
        ms: Samples::default(),
        grounded_both: 0,
        known: 0,
        known_grounded_both: 0,
        runs,
    };
    for id in track_ids().into_iter().take(runs) {
        // New servers per visit: a new MusicBrainz host, so no turn is inherited from the last.
        let fakes = FakeFacts::start(FakeFactsOptions::realistic())
            .await
            .expect("fake open music data");
        let config = FactsConfig {
            musicbrainz_base_url: fakes.musicbrainz_base_url(),
            wikidata_base_url: fakes.wikidata_base_url(),
            wikipedia_base_url: fakes.wikipedia_base_url(),
            ..FactsConfig::default()
        };
        let service = FactsService::new(Cache::in_memory().expect("SQLite"), &config);
        let (track, artists, known) = lookups(id);
        let start = Instant::now();
        let deadline = tokio::time::Instant::now() + service.budget();
        let (a, b) = tokio::join!(
            service.gather(&track, deadline),
            service.gather(&artists, deadline)
        );
        out.ms.push_ms(start.elapsed());
        let both = a.status == GroundingStatus::Grounded && b.status == GroundingStatus::Grounded;
        out.grounded_both += usize::from(both);
        out.known += usize::from(known);
        out.known_grounded_both += usize::from(known && both);
    }
    out
}

/// What a page of library track `id` asks facts for, and whether MusicBrainz has its recording.
fn lookups(id: &str) -> (Lookup, Lookup, bool) {
    let lib = library();
    let index = lib
        .tracks
        .iter()
        .position(|t| t.id == id)
        .expect("a library track");
    let track = &lib.tracks[index];
    let played = Some(Played {
        isrc: data::isrc(index),
        duration_ms: track.duration_ms,
        artists: track.artists.len(),
    });
    let artists = track
        .artists
        .iter()
        .map(|&a| {
            let artist = &lib.artists[a];
            (
                artist.id.parse().expect("an artist ID"),
                artist.name.clone(),
            )
        })
        .collect();
    (
        Lookup::Track {
            id: track.id.parse().expect("a track ID"),
            recording: played.clone(),
        },
        Lookup::Artists {
            artists,
            recording: played,
        },
        data::knows_recording(index),
    )
}

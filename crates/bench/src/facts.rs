//! The facts phase of a cold track page: MusicBrainz, Wikidata and Wikipedia on the fakes with
//! real-world latency and MusicBrainz's one-request-per-second rule, both insights' facts
//! gathered at once as the app does, without the budget that caps them in the app (so the
//! figure says how long complete facts take, and how often the budget cuts them short).

use crate::rig::track_ids;
use crate::stats::Samples;
use spotify_plus_core::cache::Cache;
use spotify_plus_core::facts::{FactsConfig, FactsService, GroundingStatus, Lookup};
use spotify_plus_fakes::facts::{data, FakeFacts, FakeFactsOptions};
use spotify_plus_fakes::spotify::library::library;
use std::time::{Duration, Instant};

/// The facts phase per visit, and how many visits found facts for both cards.
pub struct FactsCold {
    pub ms: Samples,
    pub grounded_both: usize,
    pub runs: usize,
}

/// `runs` visits, each to a track never seen before, with an empty facts cache.
pub async fn run(runs: usize) -> FactsCold {
    let mut out = FactsCold {
        ms: Samples::default(),
        grounded_both: 0,
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
        let (track, artists) = lookups(id);
        let start = Instant::now();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        let (a, b) = tokio::join!(
            service.gather(&track, deadline),
            service.gather(&artists, deadline)
        );
        out.ms.push_ms(start.elapsed());
        if a.status == GroundingStatus::Grounded && b.status == GroundingStatus::Grounded {
            out.grounded_both += 1;
        }
    }
    out
}

/// What a page of library track `id` asks facts for.
fn lookups(id: &str) -> (Lookup, Lookup) {
    let lib = library();
    let index = lib
        .tracks
        .iter()
        .position(|t| t.id == id)
        .expect("a library track");
    let track = &lib.tracks[index];
    let isrc = Some(data::isrc(index));
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
            isrc: isrc.clone(),
        },
        Lookup::Artists { artists, isrc },
    )
}

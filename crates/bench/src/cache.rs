//! Cache scale: lookups in a cache file holding many insights.

use crate::stats::Samples;
use rand::{Rng, SeedableRng};
use spotify_plus_core::cache::Cache;
use spotify_plus_core::insight::{Insight, InsightKind};
use std::path::Path;
use std::time::Instant;

const KINDS: [InsightKind; 3] = [
    InsightKind::Track,
    InsightKind::TrackArtists,
    InsightKind::Artist,
];

/// Filling and reading the cache.
pub struct CacheScale {
    pub insights: usize,
    pub insert_s: f64,
    pub lookup_us: Samples,
    pub miss_us: Samples,
    pub file_bytes: u64,
}

/// Stores `insights` insights one by one (as the app does), then times `lookups` random hits
/// and as many misses.
pub fn run(insights: usize, lookups: usize) -> CacheScale {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("insights.sqlite3");
    let cache = Cache::open(&path).expect("cache opens").cache;
    let start = Instant::now();
    for i in 0..insights {
        cache.put(&insight(i)).expect("insight stored");
    }
    let insert_s = start.elapsed().as_secs_f64();

    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let (mut lookup_us, mut miss_us) = (Samples::default(), Samples::default());
    for _ in 0..lookups {
        let i = rng.random_range(0..insights);
        let (kind, key) = subject(i);
        let start = Instant::now();
        let hit = cache.get(kind, &key).expect("lookup");
        lookup_us.push(start.elapsed().as_secs_f64() * 1e6);
        assert!(hit.is_some(), "stored insight {i} found");

        let (kind, key) = subject(insights + i);
        let start = Instant::now();
        let miss = cache.get(kind, &key).expect("lookup");
        miss_us.push(start.elapsed().as_secs_f64() * 1e6);
        assert!(miss.is_none());
    }
    CacheScale {
        insights,
        insert_s,
        lookup_us,
        miss_us,
        file_bytes: size(&path) + size(&dir.path().join("insights.sqlite3-wal")),
    }
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// The i-th subject: kinds in turn, each with a 22-character Spotify-like id.
fn subject(i: usize) -> (InsightKind, String) {
    (KINDS[i % 3], format!("4trk{i:018}"))
}

/// A realistic insight: about 600 characters, different for each subject.
fn insight(i: usize) -> Insight {
    let (kind, key) = subject(i);
    Insight {
        kind,
        key,
        text: format!(
            "Subject number {i} grew out of a long line of musicians trading ideas across genres \
             and decades. Critics at the time noticed how it blended familiar sounds with \
             something new, and the recording sessions became the stuff of legend.\n\nListen \
             closely and you can hear those influences in every bar: the rhythm section leans \
             on older forms while the melody looks ahead. That is why it still finds new \
             listeners today, and why other artists keep returning to it ({i})."
        ),
        model: "gpt-4o-mini".into(),
        created_at: 1_790_000_000 + i as i64,
        cached: false,
        grounding: Default::default(),
    }
}

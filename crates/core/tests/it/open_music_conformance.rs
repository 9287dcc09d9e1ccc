//! Conformance of the open-music clients with the services' real rules
//! (`crates/fakes/fixtures/open-music/REFERENCE.md`), as the Prism test is for Spotify: every
//! page kind the app grounds (a track with one artist, with a mix listed first, with several
//! artists, with an artist named in another script; an artist page; an album page), its
//! background turns included, and every request checked against the reference's rules: the
//! `inc` table (`musicbrainz-inc.json`, the one table, which the fake also enforces on every
//! test), ISRC shape, `fmt=json`, the User-Agent, URL lookups of at most 100 resources,
//! `wbgetentities` of at most 50 IDs asking for sitelinks only, and no whole entity. The real
//! recorded bodies are parsed by the client's unit tests (`facts/recorded_tests.rs`).

use crate::facts::{open_track, recorder, World};
use spotify_plus_core::config::SavedSettings;
use spotify_plus_fakes::facts::inc::rules;
use spotify_plus_fakes::facts::{data, FakeFactsOptions, WIKIDATA_MAX_IDS};
use spotify_plus_fakes::spotify::library::{
    self, all_track_ids, MULTI_ARTIST_TRACK_ID, PLAIN_TRACK_ID,
};
use url::Url;

/// What the reference says is wrong with a MusicBrainz request, if anything.
fn musicbrainz_problems(target: &str, agent: &str) -> Vec<String> {
    let url = Url::parse(&format!("http://musicbrainz.test{target}")).unwrap();
    let mut problems = Vec::new();
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if get("fmt") != Some("json") {
        problems.push("no fmt=json".into());
    }
    let segments: Vec<&str> = url.path_segments().unwrap().collect();
    let resource = match segments.as_slice() {
        ["ws", "2", "isrc", code] => {
            let b = code.as_bytes();
            let valid = b.len() == 12
                && b[..2].iter().all(u8::is_ascii_uppercase)
                && b[2..5]
                    .iter()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                && b[5..].iter().all(u8::is_ascii_digit);
            if !valid {
                problems.push(format!(
                    "ISRC {code} is not ^[A-Z]{{2}}[A-Z0-9]{{3}}[0-9]{{7}}$"
                ));
            }
            "isrc"
        }
        ["ws", "2", "artist"] => "artist-browse",
        ["ws", "2", "url"] => {
            let n = query.iter().filter(|(k, _)| k == "resource").count();
            if !(1..=100).contains(&n) {
                problems.push(format!("{n} resources in one URL lookup"));
            }
            "url"
        }
        ["ws", "2", kind, _] => kind,
        other => {
            problems.push(format!("unknown resource {other:?}"));
            return problems;
        }
    };
    let mut inc: Vec<String> = get("inc")
        .map(|i| i.split(['+', ' ']).map(str::to_string).collect())
        .unwrap_or_default();
    if resource != "artist-browse" {
        inc.extend(
            ["status", "type"]
                .into_iter()
                .filter(|f| get(f).is_some())
                .map(str::to_string),
        );
    }
    problems.extend(rules().refusal(resource, &inc));
    if !(agent.contains('/') && agent.contains("( ") && agent.contains("http")) {
        problems.push(format!("User-Agent {agent:?} names no contact"));
    }
    problems
}

/// What the reference says is wrong with a Wikidata request, if anything.
fn wikidata_problems(target: &str) -> Vec<String> {
    let url = Url::parse(&format!("http://wikidata.test{target}")).unwrap();
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let mut problems = Vec::new();
    if url.path().contains("Special:EntityData") {
        problems.push("the whole entity (hundreds of kilobytes) for a few sitelinks".into());
    }
    match get("action") {
        Some("wbgetentities") => {
            let ids = get("ids").unwrap_or_default().split('|').count();
            if ids > WIKIDATA_MAX_IDS {
                problems.push(format!("{ids} ids in one wbgetentities"));
            }
            if get("props") != Some("sitelinks") || get("sitefilter").is_none() {
                problems.push("wbgetentities without props=sitelinks and a sitefilter".into());
            }
        }
        Some("query") => {
            let search = get("srsearch").unwrap_or_default();
            if get("list") != Some("search") || !search.starts_with("haswbstatement:") {
                problems.push(format!("an unexpected query {search:?}"));
            }
        }
        other => problems.push(format!("action {other:?}")),
    }
    if get("format") != Some("json") {
        problems.push("no format=json".into());
    }
    problems
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_of_every_grounded_page_keeps_the_services_rules() {
    let world = World::start(FakeFactsOptions::default()).await;
    let app = world.app(&SavedSettings::default());
    let lib = library::library();
    let mixed = (6..library::TRACK_COUNT)
        .find(|&i| data::has_mix(i))
        .unwrap();
    let script = data::ORIGINAL_SCRIPT[0].0;
    for id in [
        PLAIN_TRACK_ID,
        MULTI_ARTIST_TRACK_ID,
        all_track_ids()[mixed],
        all_track_ids()[script],
    ] {
        open_track(&app, id).await;
    }
    let (_, sink) = recorder();
    app.artist_insight(&lib.artists[3].id.parse().unwrap(), false, sink)
        .await
        .unwrap();
    let (_, sink) = recorder();
    app.album_insight(&lib.albums[5].id.parse().unwrap(), false, sink)
        .await
        .unwrap();
    world.settled().await;

    let mut problems = Vec::new();
    let mb = world.facts.musicbrainz_log();
    for hit in &mb {
        for p in musicbrainz_problems(&hit.path, &hit.user_agent) {
            problems.push(format!("MusicBrainz {}: {p}", hit.path));
        }
        if hit.status != 200 && hit.status != 404 {
            problems.push(format!("MusicBrainz {} answered {}", hit.path, hit.status));
        }
    }
    for hit in world.facts.wikidata_log() {
        for p in wikidata_problems(&hit.path) {
            problems.push(format!("Wikidata {}: {p}", hit.path));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Every kind of request was exercised.
    for kind in [
        "/ws/2/isrc/",
        "/ws/2/artist?recording=",
        "/ws/2/recording/",
        "/ws/2/url?",
        "/ws/2/artist/",
    ] {
        assert!(
            mb.iter().any(|h| h.path.starts_with(kind)),
            "no {kind} request: {mb:#?}"
        );
    }
}

#[test]
fn the_checks_catch_what_the_real_service_refuses() {
    // Today's request before this change: refused by the real ISRC resource.
    let before = "/ws/2/isrc/QZFK10000000?inc=artist-credits%2Breleases%2Brelease-groups%2Bartist-rels%2Bwork-rels%2Bwork-level-rels%2Burl-rels&fmt=json";
    let agent = "SpotifyPlus/0.1.0 ( https://example.org )";
    let problems = musicbrainz_problems(before, agent);
    assert_eq!(
        problems,
        ["release-groups is not a valid inc parameter for the isrc resource."]
    );
    assert!(!musicbrainz_problems("/ws/2/isrc/qzfk10000000?fmt=json", agent).is_empty());
    assert!(
        !musicbrainz_problems("/ws/2/artist?recording=x&inc=releases&fmt=json", agent).is_empty()
    );
    assert!(!musicbrainz_problems("/ws/2/isrc/QZFK10000000?fmt=json", "reqwest/0.12").is_empty());
    assert!(!wikidata_problems("/wiki/Special:EntityData/Q1.json").is_empty());
    let many = (0..51)
        .map(|n| format!("Q{n}"))
        .collect::<Vec<_>>()
        .join("%7C");
    assert!(!wikidata_problems(&format!(
        "/w/api.php?action=wbgetentities&ids={many}&props=sitelinks&sitefilter=enwiki&format=json"
    ))
    .is_empty());
}

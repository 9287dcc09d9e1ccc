//! The request plan on the services' real rules: one MusicBrainz turn before both cards are
//! written together, the playing recording chosen among several, artists matched across
//! scripts, former members with their years, and what later turns bring offered for a rewrite.

use super::{open_track, recorder, World};
use spotify_plus_core::config::SavedSettings;
use spotify_plus_core::facts::GroundingStatus;
use spotify_plus_core::insight::{InsightEvent, InsightKind};
use spotify_plus_fakes::facts::{data, FakeFactsOptions};
use spotify_plus_fakes::faults::Fault;
use spotify_plus_fakes::spotify::library::{self, all_track_ids, PLAIN_TRACK_ID};
use std::time::Duration;

fn realistic() -> FakeFactsOptions {
    FakeFactsOptions {
        musicbrainz_latency: Duration::from_millis(200),
        wikidata_latency: Duration::from_millis(120),
        wikipedia_latency: Duration::from_millis(80),
        ..FakeFactsOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cold_page_writes_both_cards_together_after_one_musicbrainz_turn_and_offers_what_came_later(
) {
    let world = World::start(realistic()).await;
    let app = world.app(&SavedSettings::default());
    let (track_events, on_track) = recorder();
    let (artist_events, on_artists) = recorder();
    let (a, b) = app
        .track_insights(&PLAIN_TRACK_ID.parse().unwrap(), None, on_track, on_artists)
        .await
        .unwrap();
    a.unwrap();
    b.unwrap();
    // Both model calls started at once (their first words left within 0.1 s of each other).
    let firsts = world.openai.first_tokens_sent();
    assert_eq!(firsts.len(), 2);
    let apart = if firsts[0].sent_at > firsts[1].sent_at {
        firsts[0].sent_at - firsts[1].sent_at
    } else {
        firsts[1].sent_at - firsts[0].sent_at
    };
    assert!(apart < Duration::from_millis(100), "{apart:?} apart");
    // Before them, MusicBrainz was asked once: the ISRC, with values it accepts.
    let mb = world.facts.musicbrainz_log();
    let before: Vec<_> = mb.iter().filter(|h| h.at < firsts[0].sent_at).collect();
    assert_eq!(before.len(), 1, "{mb:#?}");
    assert!(
        before[0].path.starts_with(&format!(
            "/ws/2/isrc/{}?inc=artist-credits%2Baliases%2Bartist-rels%2Bwork-rels",
            data::isrc(0)
        )),
        "{}",
        before[0].path
    );
    // Later turns: every credited artist in one browse, then the recording's details.
    world.settled().await;
    let mb = world.facts.musicbrainz_log();
    let paths: Vec<&str> = mb.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(paths.len(), 3, "{paths:#?}");
    assert!(
        paths[1].starts_with("/ws/2/artist?recording="),
        "{paths:#?}"
    );
    assert!(paths[2].starts_with("/ws/2/recording/"), "{paths:#?}");
    assert!(paths[2].contains("status=official"), "{paths:#?}");
    assert!(mb.iter().all(|h| h.status == 200), "{mb:#?}");
    // The whole entity is never downloaded: sitelinks come from wbgetentities.
    let wd = world.facts.wikidata_log();
    assert!(
        wd.iter().all(|h| !h.path.contains("Special:EntityData")),
        "{wd:#?}"
    );
    assert!(wd
        .iter()
        .any(|h| h.path.contains("action=wbgetentities") && h.path.contains("props=sitelinks")));
    // What came later is offered, once per card, with no model call.
    let better = |events: &std::sync::Mutex<Vec<InsightEvent>>| {
        events.lock().unwrap().iter().find_map(|e| match e {
            InsightEvent::BetterFacts { facts, .. } => Some(*facts),
            _ => None,
        })
    };
    let written = |events: &std::sync::Mutex<Vec<InsightEvent>>| {
        events.lock().unwrap().iter().find_map(|e| match e {
            InsightEvent::Done { insight } => Some(insight.grounding.facts),
            _ => None,
        })
    };
    let (t, t_written) = (better(&track_events), written(&track_events).unwrap());
    assert!(t.is_some_and(|n| n > t_written), "{t:?} vs {t_written}");
    let (r, r_written) = (better(&artist_events), written(&artist_events).unwrap());
    assert!(r.is_some_and(|n| n > r_written), "{r:?} vs {r_written}");
    assert_eq!(world.openai.chat_calls(), 2);
    // Taking the offer rewrites with them, from the cache.
    let asked = world.facts.total_requests();
    let (_, sink) = recorder();
    app.track_insight(&PLAIN_TRACK_ID.parse().unwrap(), InsightKind::Track, sink)
        .await
        .unwrap();
    let prompt = world.last_prompt("Tell me something interesting about the track");
    assert!(
        prompt.contains("appears on: \"Quiet Avenue (1960)\""),
        "{prompt}"
    );
    assert!(
        !prompt.contains("Live at the Roxy"),
        "bootlegs are not releases to cite"
    );
    assert!(
        prompt.contains("(the song) was composed by: \"Ada Quill\""),
        "{prompt}"
    );
    assert_eq!(world.facts.total_requests(), asked);
}

/// The library track whose ISRC also names a mix (listed first), by one artist.
fn mixed_track() -> usize {
    let lib = library::library();
    (0..library::TRACK_COUNT)
        .find(|&i| data::has_mix(i) && lib.tracks[i].artists.len() == 1 && i > 5)
        .unwrap()
}

#[tokio::test]
async fn the_playing_recording_is_chosen_by_length_not_the_first_listed() {
    let world = World::start(FakeFactsOptions::default()).await;
    let app = world.app(&SavedSettings::default());
    let index = mixed_track();
    let (track, _) = open_track(&app, all_track_ids()[index]).await;
    assert_eq!(track.grounding.status, GroundingStatus::Grounded);
    assert_eq!(
        track.grounding.sources[0].url,
        format!(
            "https://musicbrainz.org/recording/{}",
            data::mbid(data::RECORDING, index)
        )
    );
    let prompt = world.prompt("Tell me something interesting about the track");
    let (_, producer) = data::producer(index);
    let (_, mixer) = data::mix_producer(index);
    assert!(
        prompt.contains(&format!("was produced by: \"{producer}\"")),
        "{prompt}"
    );
    assert!(!prompt.contains(mixer), "{prompt}");
}

#[tokio::test]
async fn an_artist_named_in_its_own_script_is_matched_and_its_former_member_marked() {
    let world = World::start(FakeFactsOptions::default()).await;
    let app = world.app(&SavedSettings::default());
    // Kaito Mori: MusicBrainz's 森海斗, a group whose third member left.
    let (index, mb_name, _) = data::ORIGINAL_SCRIPT[0];
    let track_id = all_track_ids()[index];
    let (_, artists) = open_track(&app, track_id).await;
    assert_eq!(artists.grounding.status, GroundingStatus::Grounded);
    let first = world.prompt("Tell me something interesting about the artist \"Kaito Mori\"");
    assert!(
        first.contains(&format!("\"{mb_name}\" is an artist of type: \"Group\"")),
        "{first}"
    );
    // Rewritten once the browse is back: matched by its Spotify link, with its memberships.
    world.settled().await;
    let (_, sink) = recorder();
    app.track_insight(&track_id.parse().unwrap(), InsightKind::TrackArtists, sink)
        .await
        .unwrap();
    let prompt = world.last_prompt("Tell me something interesting about the artist \"Kaito Mori\"");
    let members = data::members(index);
    let year = data::begin_year(index);
    assert!(
        prompt.contains(&format!(
            "has members: \"{} (since {year})\", \"{} (since {year})\"",
            members[0].name, members[1].name
        )),
        "{prompt}"
    );
    assert!(
        prompt.contains(&format!(
            "has former members: \"{} ({year}-{})\"",
            members[2].name,
            year + 8
        )),
        "{prompt}"
    );
    assert!(
        prompt.contains("is also known as: \"Kaito Mori\""),
        "{prompt}"
    );
    assert!(prompt.contains("plays the genres:"), "{prompt}");
    assert!(
        !prompt.contains("seen live"),
        "free tags are not facts: {prompt}"
    );
}

#[tokio::test]
async fn a_refused_code_is_remembered_as_not_found_and_a_wikimedia_429_is_respected() {
    let world = World::start(FakeFactsOptions::default()).await;
    world.facts.musicbrainz_faults().push(Fault::status(
        "/ws/2/isrc/",
        400,
        None,
        Some("{\"error\": \"Invalid isrc.\"}"),
    ));
    world
        .facts
        .wikidata_faults()
        .push(Fault::status("/w/api.php", 429, Some(30), None));
    let app = world.app(&SavedSettings::default());
    let (track, artists) = open_track(&app, PLAIN_TRACK_ID).await;
    assert_eq!(track.grounding.status, GroundingStatus::NotFound);
    assert_eq!(artists.grounding.status, GroundingStatus::Unavailable);
    let wikidata_asked = world.facts.wikidata_log().len();
    assert_eq!(wikidata_asked, 1, "paused after the 429");
    // Rewriting asks neither again: the 400 is "not found" for a day, the 429 pause holds.
    world.facts.musicbrainz_faults().clear();
    let (_, sink) = recorder();
    app.track_insight(&PLAIN_TRACK_ID.parse().unwrap(), InsightKind::Track, sink)
        .await
        .unwrap();
    let isrc_asks = world
        .facts
        .musicbrainz_log()
        .iter()
        .filter(|h| h.path.contains("/ws/2/isrc/"))
        .count();
    assert_eq!(isrc_asks, 1);
    let (_, sink) = recorder();
    app.track_insight(
        &PLAIN_TRACK_ID.parse().unwrap(),
        InsightKind::TrackArtists,
        sink,
    )
    .await
    .unwrap();
    assert_eq!(world.facts.wikidata_log().len(), wikidata_asked);
}

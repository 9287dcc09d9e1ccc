//! The client's readers against real answers of the real services, recorded by other clients
//! (`crates/fakes/fixtures/open-music/recorded`, licences in its README): they parse, and
//! yield the facts a user would be told.

use super::mb_wire::{Artist, Recording, UrlAnswer};
use super::wiki::{Entities, Summary};

macro_rules! recorded {
    ($file:literal) => {
        include_str!(concat!(
            "../../../fakes/fixtures/open-music/recorded/",
            $file
        ))
    };
}

fn facts(sheet: &super::FactSheet) -> Vec<String> {
    sheet
        .facts
        .iter()
        .map(|f| format!("{} {}: {}", f.about, f.label, f.values.join(" | ")))
        .collect()
}

#[test]
fn a_real_recording_names_its_credits_in_their_own_script_and_its_official_releases() {
    let recording: Recording = serde_json::from_str(recorded!("mb-recording-lookup.json")).unwrap();
    assert_eq!(recording.length, Some(230_240));
    // Spotify's "LAST ANGEL" by Kumi Koda feat. TVXQ! runs 3:50: the right length scores best.
    assert!(recording.mismatch(230_000, 2) < recording.mismatch(260_000, 2));
    assert!(recording.mismatch(230_000, 2) < recording.mismatch(230_000, 1));
    let facts_of = recording.into_facts().expect("a valid MBID");
    let shown = facts(&facts_of.sheet);
    assert!(
        shown.contains(&"LAST ANGEL is a recording credited to: 倖田來未 | 東方神起".to_string()),
        "{shown:#?}"
    );
    assert!(shown.contains(&"LAST ANGEL was first released: 2007-11-07".to_string()));
    assert_eq!(facts_of.recording, "b9ad642e-b012-41c7-b72a-42cf4911f9ff");
    assert_eq!(facts_of.credits.len(), 2);
    assert_eq!(
        facts_of.credits[0].names[..2],
        ["倖田來未".to_string(), "Koda, Kumi".to_string()]
    );
    assert_eq!(
        facts_of.sheet.sources[0].url,
        "https://musicbrainz.org/recording/b9ad642e-b012-41c7-b72a-42cf4911f9ff"
    );

    let again: Recording = serde_json::from_str(recorded!("mb-recording-lookup.json")).unwrap();
    let details = facts(&again.into_details().sheet);
    assert_eq!(
        details,
        ["LAST ANGEL appears on: LAST ANGEL (2007-11-07) | Kingdom (2008-01-30) | Kingdom (2008-01-31)"]
    );
}

#[test]
fn a_hostile_genre_count_cannot_panic() {
    let artist: Artist = serde_json::from_value(serde_json::json!({
        "id": "5b11f4ce-a62d-471e-81fc-a69a8278c7da", "name": "Nirvana",
        "genres": [
            {"name": "grunge", "count": i64::MIN},
            {"name": "rock", "count": i64::MAX},
            {"name": "punk"}
        ]
    }))
    .unwrap();
    let shown = facts(&artist.into_facts().unwrap().sheet);
    assert!(
        shown.contains(&"Nirvana plays the genres: rock | punk | grunge".to_string()),
        "{shown:#?}"
    );
}

#[test]
fn real_artists_give_their_years_area_aliases_and_curated_genres_only() {
    let nirvana: Artist = serde_json::from_str(recorded!("mb-artist-lookup-1.json")).unwrap();
    let nirvana = nirvana.into_facts().expect("a valid MBID");
    let shown = facts(&nirvana.sheet);
    for expected in [
        "Nirvana is an artist of type: Group",
        "Nirvana is described as: 1980s~1990s US grunge band",
        "Nirvana is from: United States",
        "Nirvana was formed: 1987",
        "Nirvana was dissolved: 1994-04-05",
        "Nirvana is also known as: Nirvana | Nirvana US | ニルヴァーナ",
    ] {
        assert!(
            shown.contains(&expected.to_string()),
            "{expected}: {shown:#?}"
        );
    }
    assert!(nirvana.names.contains(&"ニルヴァーナ".to_string()));

    let rick: Artist = serde_json::from_str(recorded!("mb-artist-lookup-2.json")).unwrap();
    let shown = facts(&rick.into_facts().unwrap().sheet);
    assert!(
        shown.contains(&"Rick Astley was born: 1966-02-06".to_string()),
        "{shown:#?}"
    );
    assert!(shown
        .contains(&"Rick Astley plays the genres: blue-eyed soul | dance-pop | pop".to_string()));
    // Its free tags ("adult contemporary", ...) are folksonomy, not facts.
    assert!(
        !shown.iter().any(|f| f.contains("adult contemporary")),
        "{shown:#?}"
    );
}

#[test]
fn a_real_url_lookup_reads() {
    let url: UrlAnswer = serde_json::from_str(recorded!("mb-url-lookup.json")).unwrap();
    assert_eq!(url.resource, "https://www.arvopart.ee/");
    assert_eq!(url.artist_id(), None, "asked without artist-rels");
}

#[test]
fn real_wikipedia_summaries_become_one_fact_with_the_public_page() {
    let fermat: Summary = serde_json::from_str(recorded!("summary_fermat_android.json")).unwrap();
    let sheet = fermat
        .into_sheet("en", "Fermat's Last Theorem")
        .expect("an article");
    assert_eq!(
        sheet.sources[0].url,
        "https://en.wikipedia.org/wiki/Fermat's_Last_Theorem"
    );
    assert!(sheet.facts[0].values[0].starts_with("In number theory, Fermat's Last Theorem states"));
    let moscow: Summary = serde_json::from_str(recorded!("summary_moscow_android.json")).unwrap();
    assert_eq!(
        moscow.into_sheet("en", "Moscow").unwrap().sources[0].title,
        "Moscow"
    );
    // The 404 problem body is not a summary of anything.
    let missing: Summary = serde_json::from_str(recorded!("summary_404_problem.json")).unwrap();
    assert!(missing.into_sheet("en", "Nope").is_none());
}

#[test]
fn a_real_missing_wikidata_entity_has_no_pages() {
    let answer: Entities = serde_json::from_str(recorded!("wbgetentities_missing.json")).unwrap();
    let pages = answer.pages(&["de", "en"]);
    assert_eq!(pages.get("Q10908976"), Some(&Vec::new()));
}

//! Grounded insights in the real window: source chips under a track's insights that open the
//! right pages, and the label of an insight written without facts.

use crate::harness::{App, Options, SERIAL};
use fantoccini::Locator;
use spotify_plus_fakes::spotify::library::*;
use std::time::Duration;

/// The `data-url`s of the source chips in one card.
async fn chips(app: &App, card: &str) -> Vec<String> {
    let js = format!(
        "return [...document.querySelectorAll('[data-testid=\"{card}\"] [data-testid=\"source-link\"]')].map(e => e.textContent + ' ' + e.dataset.url);"
    );
    let value = app.client.execute(&js, vec![]).await.unwrap();
    serde_json::from_value(value).unwrap()
}

/// Clicks the chip of `card` that opens `url`, as a user would.
async fn click_chip(app: &App, card: &str, url: &str) {
    let css = format!("[data-testid=\"{card}\"] [data-testid=\"source-link\"][data-url=\"{url}\"]");
    let chip = app.client.find(Locator::Css(&css)).await.expect("the chip");
    app.click_element(chip, "the chip").await;
}

/// The sources line of a card: its grounding status and text.
async fn sources_line(app: &App, card: &str) -> (String, String) {
    let js = format!(
        "const el = document.querySelector('[data-testid=\"{card}\"] [data-testid=\"insight-sources\"]'); return el ? [el.dataset.grounding, el.textContent] : null;"
    );
    let value = app.wait_for(&format!("the sources of {card}"), &js).await;
    serde_json::from_value(value).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_track_page_shows_source_chips_that_open_the_right_pages() {
    let _serial = SERIAL.lock().await;
    let app = App::start("grounded", Options::default()).await;
    app.sign_in().await;
    app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
    app.wait_state("track-insight", "done").await;
    app.wait_state("artists-insight", "done").await;
    app.wait_text("track-insight", "checked against open music data")
        .await;
    let recording = "https://musicbrainz.org/recording/00000000-5ec0-4000-8000-000000000000";
    let song = "https://en.wikipedia.org/wiki/Midnight_Avenue_(song)";
    assert_eq!(
        chips(&app, "track-insight").await,
        [
            format!("MusicBrainz {recording}"),
            format!("Wikipedia {song}")
        ]
    );
    let (status, text) = sources_line(&app, "artists-insight").await;
    assert_eq!(status, "grounded", "{text}");
    assert!(text.starts_with("Checked against"), "{text}");
    app.screenshot("track-page").await;
    click_chip(&app, "track-insight", recording).await;
    app.wait_opened(recording).await;
    click_chip(&app, "track-insight", song).await;
    app.wait_opened(song).await;
    click_chip(
        &app,
        "artists-insight",
        "https://en.wikipedia.org/wiki/The_Velvet_Lanterns",
    )
    .await;
    app.wait_opened("https://en.wikipedia.org/wiki/The_Velvet_Lanterns")
        .await;
    // Every MusicBrainz request kept the one-per-second rule and named its contact.
    let log = app.facts.musicbrainz_log();
    assert!(log.iter().all(|h| h.status == 200), "{log:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_insight_without_facts_says_it_is_from_the_models_memory() {
    let _serial = SERIAL.lock().await;
    let app = App::start("ungrounded", Options::default()).await;
    app.sign_in().await;
    // MusicBrainz does not know this recording's ISRC.
    let unknown = all_track_ids()[7];
    app.go(&format!("#/track/{unknown}")).await;
    app.wait_state("track-insight", "done").await;
    let (status, text) = sources_line(&app, "track-insight").await;
    assert_eq!(status, "notFound");
    assert!(
        text.starts_with("From the model's memory, not checked"),
        "{text}"
    );
    assert!(chips(&app, "track-insight").await.is_empty());
    app.wait_state("artists-insight", "done").await;
    app.screenshot("track-page").await;
    // MusicBrainz slower than the budget: the model is asked without facts, and the card says so.
    app.facts.set_musicbrainz_latency(Duration::from_secs(4));
    let slow = all_track_ids()[10];
    app.go(&format!("#/track/{slow}")).await;
    app.wait_state("track-insight", "done").await;
    let (status, text) = sources_line(&app, "track-insight").await;
    assert_eq!(status, "late", "{text}");
    assert!(text.contains("not back in time"), "{text}");
}

/// The user message of the latest model request that begins with `start`.
fn last_prompt(app: &App, start: &str) -> String {
    app.openai
        .first_tokens_sent()
        .into_iter()
        .map(|f| f.user_message)
        .rfind(|m| m.starts_with(start))
        .unwrap_or_else(|| panic!("a prompt starting {start:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cold_page_is_grounded_on_the_right_recording_and_offers_the_later_facts() {
    let _serial = SERIAL.lock().await;
    let app = App::start("grounded-plan", Options::default()).await;
    app.sign_in().await;
    // Track 5: its ISRC lists a Dolby Atmos mix first; its second artist is a band whose
    // third member left.
    let index = 5;
    assert!(spotify_plus_fakes::facts::data::has_mix(index));
    let lib = library();
    let track = &lib.tracks[index];
    app.go(&format!("#/track/{}", track.id)).await;
    app.wait_state("track-insight", "done").await;
    app.wait_state("artists-insight", "done").await;
    let (status, _) = sources_line(&app, "track-insight").await;
    assert_eq!(status, "grounded");
    let (status, _) = sources_line(&app, "artists-insight").await;
    assert_eq!(status, "grounded");
    assert!(!chips(&app, "artists-insight").await.is_empty());
    let (_, producer) = spotify_plus_fakes::facts::data::producer(index);
    let (_, mixer) = spotify_plus_fakes::facts::data::mix_producer(index);
    let prompt = last_prompt(&app, "Tell me something interesting about the track");
    assert!(
        prompt.contains(&format!("was produced by: \"{producer}\"")),
        "{prompt}"
    );
    assert!(!prompt.contains(mixer), "{prompt}");
    // The band's memberships come with a later MusicBrainz turn: offered, then rewritten.
    app.wait_text("artists-insight", "More facts have come from")
        .await;
    app.screenshot("better-facts-offer").await;
    let calls = app.openai.chat_calls();
    let button = app
        .client
        .find(Locator::Css(
            "[data-testid=\"artists-insight\"] [data-testid=\"rewrite-with-facts\"]",
        ))
        .await
        .expect("the offer");
    // Below the track's card: scrolled to first, as a user would.
    app.click_element(button, "the offer").await;
    app.wait_state("artists-insight", "done").await;
    assert_eq!(
        app.openai.chat_calls(),
        calls + 1,
        "one rewrite, on request"
    );
    let band = &lib.artists[track.artists[1]].name;
    let prompt = last_prompt(&app, "Tell me something interesting about the artists");
    let members = spotify_plus_fakes::facts::data::members(track.artists[1]);
    assert!(
        prompt.contains(&format!("has former members: \"{}", members[2].name)),
        "{band}: {prompt}"
    );
    assert!(
        !prompt.contains(&format!("has members: \"{}\"", members[2].name)),
        "{prompt}"
    );
    app.screenshot("better-facts-rewritten").await;
}

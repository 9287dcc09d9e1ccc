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
    let arg = vec![serde_json::to_value(&chip).unwrap()];
    app.client
        .execute(
            "arguments[0].scrollIntoView({block: 'center'}); return null;",
            arg,
        )
        .await
        .unwrap();
    // WebKitGTK scrolls asynchronously: let it settle before the click.
    tokio::time::sleep(Duration::from_millis(400)).await;
    chip.click().await.expect("click the chip");
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

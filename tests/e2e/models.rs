//! Models as they are today, in the real window: a retiring model's date in Settings with a
//! one-click switch, the notice on insight cards, the "thinking" state of a slow first token,
//! and a retired model leading to the model choice.

use crate::harness::{App, Options, SERIAL};
use spotify_plus_fakes::openai::StreamQuirk;
use spotify_plus_fakes::spotify::library::*;
use std::time::Duration;

/// JS returning the model field's value in Settings once it is no longer `old`.
fn model_field_changed_from(old: &str) -> String {
    format!(
        "const v = document.getElementById('openai-model')?.value; return v && v !== {} ? v : null;",
        serde_json::json!(old)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retiring_model_shows_its_date_and_one_click_switches_to_one_without() {
    let _serial = SERIAL.lock().await;
    let app = App::start(
        "models-warning",
        Options {
            env: vec![("OPENAI_MODEL", "gpt-5-mini".into())],
            ..Default::default()
        },
    )
    .await;
    app.sign_in().await;

    // Insight cards say so too.
    app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
    app.wait_state("track-insight", "done").await;
    app.wait_text("model-notice", "2026-12-11").await;
    app.wait_text("model-notice", "gpt-5-mini").await;
    app.screenshot("track-model-notice").await;

    app.go("#/settings").await;
    let warning = app.find("model-warning").await;
    app.wait_text("model-warning", "gpt-5-mini").await;
    let date = app.find("model-shutdown-date").await.text().await.unwrap();
    assert_eq!(date, "2026-12-11", "the date exactly as /models gave it");
    // The list of what the server offers shows each model's date.
    let items = app.find_all("model-item").await;
    let mut listed = Vec::new();
    for item in items {
        listed.push(item.text().await.unwrap());
    }
    assert!(
        listed
            .iter()
            .any(|t| t.contains("gpt-5-mini") && t.contains("2026-12-11")),
        "{listed:?}"
    );
    assert!(
        listed
            .iter()
            .any(|t| t.contains("llama3.2") && t.contains("no shutdown date")),
        "{listed:?}"
    );
    assert!(warning.is_displayed().await.unwrap());
    app.screenshot("settings-model-warning").await;
    app.client
        .execute(
            "document.querySelector('[data-testid=\"model-list\"]').open = true;
             document.getElementById('model-choice').scrollIntoView({ block: 'start' });
             return null;",
            vec![],
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.screenshot("settings-model-list").await;

    app.click("model-switch").await;
    app.wait_for(
        "the warning to go",
        "return !document.querySelector('[data-testid=\"model-warning\"]');",
    )
    .await;
    let value = app
        .wait_for(
            "the model field to change",
            &model_field_changed_from("gpt-5-mini"),
        )
        .await;
    assert_eq!(value, "gpt-5.1-mini");
    app.wait_text("notice", "Now using gpt-5.1-mini").await;
    let store = std::fs::read_to_string(app.data_dir.path().join("settings.json")).unwrap();
    let store: serde_json::Value = serde_json::from_str(&store).unwrap();
    assert_eq!(store["settings"]["openaiModel"], "gpt-5.1-mini", "{store}");

    // New insights use it, and the cards no longer warn.
    app.go(&format!("#/track/{MULTI_ARTIST_TRACK_ID}")).await;
    app.wait_state("track-insight", "done").await;
    assert_eq!(
        app.openai.last_chat_request().unwrap()["model"],
        "gpt-5.1-mini"
    );
    assert!(app.find_all("model-notice").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_first_token_shows_thinking_with_seconds_until_text_arrives() {
    let _serial = SERIAL.lock().await;
    let app = App::start("models-thinking", Options::default()).await;
    app.sign_in().await;
    app.openai
        .set_latency(Duration::from_millis(3500), Duration::from_millis(4500));

    app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
    app.find("track-insight").await;
    // Record every state the card goes through, and whether it had text by then.
    app.client
        .execute(
            "const card = document.querySelector('[data-testid=\"track-insight\"]');
             window.__states = [[card.dataset.state, card.querySelector('.insight-text').textContent.length]];
             new MutationObserver(() => window.__states.push([card.dataset.state,
               card.querySelector('.insight-text').textContent.length]))
               .observe(card, { attributes: true, attributeFilter: ['data-state'] });
             return null;",
            vec![],
        )
        .await
        .unwrap();
    app.wait_for(
        "two seconds of thinking",
        "const s = document.querySelector('[data-testid=\"track-insight\"] [data-testid=\"thinking-seconds\"]');
         return !!s && Number(s.textContent) >= 2;",
    )
    .await;
    app.wait_text("track-insight", "Thinking").await;
    app.screenshot("track-thinking").await;
    app.wait_state("track-insight", "done").await;
    let states = app
        .client
        .execute("return window.__states;", vec![])
        .await
        .unwrap();
    let states: Vec<(String, u64)> = serde_json::from_value(states).unwrap();
    let names: Vec<&str> = states.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(names, ["loading", "streaming", "done"], "{states:?}");
    assert_eq!(states[0].1, 0, "no text while loading");
    assert!(states[1].1 > 0, "streaming begins with text: {states:?}");
    assert!(app.find_all("thinking").await.is_empty());

    // An answer stopped at the length limit is shown, marked as cut short.
    app.openai.set_latency(Duration::ZERO, Duration::ZERO);
    app.openai.set_quirks(vec![StreamQuirk::FinishLength]);
    app.click("regenerate").await;
    app.wait_state("track-insight", "done").await;
    app.wait_text("track-insight", "Cut short").await;
    app.screenshot("track-cut-short").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_model_set_the_app_picks_a_current_one_saves_it_and_says_which() {
    let _serial = SERIAL.lock().await;
    let app = App::start(
        "models-pick",
        Options {
            // Empty means unset (the harness otherwise names a model).
            env: vec![("OPENAI_MODEL", String::new())],
            ..Default::default()
        },
    )
    .await;
    app.find("login").await;
    app.wait_text("notice", "gpt-5.1-mini").await;
    let store = app.data_dir.path().join("settings.json");
    let store: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(store).unwrap()).unwrap();
    assert_eq!(store["settings"]["openaiModel"], "gpt-5.1-mini", "{store}");
    assert_eq!(app.openai.models_calls(), 1);
    app.sign_in().await;
    app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
    app.wait_state("track-insight", "done").await;
    assert_eq!(
        app.openai.last_chat_request().unwrap()["model"],
        "gpt-5.1-mini"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retired_model_names_itself_and_leads_to_the_model_choice() {
    let _serial = SERIAL.lock().await;
    let app = App::start(
        "models-retired",
        Options {
            env: vec![("OPENAI_MODEL", "gpt-3.5-turbo".into())],
            ..Default::default()
        },
    )
    .await;
    app.sign_in().await;
    app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
    app.wait_state("track-insight", "error").await;
    app.wait_text("track-insight", "\"gpt-3.5-turbo\"").await;
    app.click("choose-model").await;
    app.wait_text("model-missing", "gpt-3.5-turbo").await;
    app.click("model-switch").await;
    app.wait_for(
        "the model field to change",
        &model_field_changed_from("gpt-3.5-turbo"),
    )
    .await;
    app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
    app.wait_state("track-insight", "done").await;
}

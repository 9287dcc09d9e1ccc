//! What the settings decide, through the app's services against the fakes: a default model
//! that does not die, shutdown dates in sight, a retired model, and the privacy switch of the
//! background fetch.

use crate::insight_support::*;
use spotify_plus_core::app::Services;
use spotify_plus_core::config::{Config, SavedSettings};
use spotify_plus_core::insight::models::{FALLBACK_MODEL, PREFERRED_MODELS};
use spotify_plus_core::Kinded;
use spotify_plus_fakes::faults::{Fault, FaultKind};
use spotify_plus_fakes::openai::FakeOpenAi;
use spotify_plus_fakes::spotify::library::PLAIN_TRACK_ID;
use spotify_plus_fakes::spotify::FakeSpotify;
use std::path::Path;

/// Models design.md section 5 (2026-11-25) lists with a shutdown date.
const DYING: &[&str] = &[
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "o3",
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1",
    "gpt-4.1-mini",
];

/// The app's services on `dir`, signed in to `spotify`, with the OpenAI settings given (`None`
/// leaves the model unset) and `saved` as the settings store holds them.
fn app(
    spotify: &FakeSpotify,
    openai: &FakeOpenAi,
    dir: &Path,
    model: Option<&str>,
    saved: SavedSettings,
) -> Services {
    crate::spotify_common::signed_in(spotify, &dir.join("tokens.json"));
    let env = |key: &str| match key {
        "CLIENT_ID" => Some("lifecycle-client".to_string()),
        "OPENAI_API_KEY" => Some(KEY.to_string()),
        "OPENAI_BASE_URL" => Some(openai.base_url().to_string()),
        "OPENAI_MODEL" => model.map(str::to_string),
        "SPOTIFY_API_BASE_URL" => Some(spotify.api_base_url().to_string()),
        "SPOTIFY_ACCOUNTS_BASE_URL" => Some(spotify.accounts_base_url().to_string()),
        _ => None,
    };
    Services::start(Config::resolve(&saved, env, None), dir)
}

// 1. No dying default.

#[test]
fn the_built_in_fallback_has_no_announced_shutdown() {
    assert!(!DYING.contains(&FALLBACK_MODEL), "{FALLBACK_MODEL}");
    assert!(PREFERRED_MODELS.iter().all(|m| !DYING.contains(m)));
    let unset = Config::resolve(&SavedSettings::default(), |_| None, None).config;
    assert_eq!(unset.openai_model, FALLBACK_MODEL);
    assert!(unset.openai_model_unset);
}

#[tokio::test]
async fn with_no_model_set_the_app_reads_models_once_and_picks_one_without_a_date() {
    let spotify = crate::spotify_common::fake().await;
    let openai = fake().await;
    // The first preference is offered but retiring; the next one is not.
    openai.set_models(&[
        ("gpt-5-mini", Some("2026-12-11")),
        (PREFERRED_MODELS[0], Some("2027-02-01")),
        (PREFERRED_MODELS[1], None),
        ("llama3.2", None),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let services = app(
        &spotify,
        &openai,
        dir.path(),
        None,
        SavedSettings::default(),
    );
    assert_eq!(services.status().model, FALLBACK_MODEL);

    let choice = services.choose_model().await.expect("a model is picked");
    assert_eq!(choice.model, PREFERRED_MODELS[1]);
    assert!(choice.save, "a model from the list is saved");
    assert!(
        choice.notice.contains(PREFERRED_MODELS[1]),
        "{}",
        choice.notice
    );
    assert!(choice.notice.contains("Settings"), "{}", choice.notice);
    // Once: Settings and the cards reuse the same answer.
    services.model_status(false).await.unwrap();
    assert_eq!(openai.models_calls(), 1);

    // Saved through the settings store, the next start uses it for insights.
    let saved = SavedSettings {
        openai_model: Some(choice.model.clone()),
        ..Default::default()
    };
    let services = app(&spotify, &openai, dir.path(), None, saved);
    assert!(
        services.choose_model().await.is_none(),
        "nothing left to pick"
    );
    let (track, _) = services
        .track_insights(&PLAIN_TRACK_ID.parse().unwrap(), None, |_| {}, |_| {})
        .await
        .unwrap();
    track.unwrap();
    assert_eq!(
        openai.last_chat_request().unwrap()["model"],
        PREFERRED_MODELS[1]
    );
}

#[tokio::test]
async fn a_configured_model_is_kept_and_an_unreadable_list_falls_back_for_this_run_only() {
    let spotify = crate::spotify_common::fake().await;
    let openai = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let configured = app(
        &spotify,
        &openai,
        dir.path(),
        Some("llama3.2"),
        Default::default(),
    );
    assert!(configured.choose_model().await.is_none());
    assert_eq!(
        openai.models_calls(),
        0,
        "no list is read for a configured model"
    );

    openai.faults().push(Fault {
        path_contains: "/models".into(),
        kind: FaultKind::Status {
            status: 503,
            retry_after: None,
            body: None,
        },
        times: None,
    });
    let unset = app(&spotify, &openai, dir.path(), None, Default::default());
    let choice = unset.choose_model().await.unwrap();
    assert_eq!(choice.model, FALLBACK_MODEL);
    assert!(
        !choice.save,
        "the fallback is not saved: the list is asked again next start"
    );
    assert!(choice.notice.contains(FALLBACK_MODEL), "{}", choice.notice);
}

// 2. Shutdown dates in sight.

#[tokio::test]
async fn the_model_in_use_shows_its_shutdown_date_and_a_replacement_without_one() {
    let spotify = crate::spotify_common::fake().await;
    let openai = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let services = app(
        &spotify,
        &openai,
        dir.path(),
        Some("gpt-5-mini"),
        Default::default(),
    );
    let status = services.model_status(false).await.unwrap();
    assert_eq!(status.model, "gpt-5-mini");
    assert_eq!(status.shutdown_date.as_deref(), Some("2026-12-11"));
    let suggestion = status.suggestion.expect("a replacement");
    let offered = status.models.iter().find(|m| m.id == suggestion).unwrap();
    assert_eq!(offered.shutdown_date, None, "the replacement has no date");
    assert!(status
        .models
        .iter()
        .any(|m| m.id == "llama3.2" && m.shutdown_date.is_none()));

    // A model without a date: nothing to warn about.
    let fine = app(
        &spotify,
        &openai,
        dir.path(),
        Some(&suggestion),
        Default::default(),
    );
    let status = fine.model_status(false).await.unwrap();
    assert_eq!((status.shutdown_date, status.suggestion), (None, None));
}

#[tokio::test]
async fn a_retired_model_names_itself_and_the_way_out() {
    let spotify = crate::spotify_common::fake().await;
    let openai = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let services = app(
        &spotify,
        &openai,
        dir.path(),
        Some("gpt-3.5-turbo"),
        Default::default(),
    );
    let (track, _) = services
        .track_insights(&PLAIN_TRACK_ID.parse().unwrap(), None, |_| {}, |_| {})
        .await
        .unwrap();
    let error = track.unwrap_err();
    assert_eq!(error.kind(), "model_not_found");
    let message = error.to_string();
    assert!(
        message.contains("\"gpt-3.5-turbo\"") && message.contains("Settings"),
        "{message}"
    );
    // Settings can offer a model the server does have.
    let status = services.model_status(false).await.unwrap();
    assert!(status.suggestion.is_some());
}

// 6. Privacy and cost switch.

#[tokio::test]
async fn the_background_fetch_follows_the_saved_setting() {
    let spotify = crate::spotify_common::fake().await;
    let openai = fake().await;
    // Each case on a fresh data folder, so nothing comes from an earlier case's cache.
    let background = |setting: Option<&str>| {
        let mut json = serde_json::json!({});
        if let Some(setting) = setting {
            json["backgroundInsights"] = setting.into();
        }
        // As the settings store holds it.
        serde_json::from_value::<SavedSettings>(json).unwrap()
    };
    let cases = [
        (None, false, false),
        (None, true, true),
        (Some("never"), true, false),
        (Some("always"), false, true),
        (Some("whileVisible"), false, false),
    ];
    for (setting, visible, fetches) in cases {
        let dir = tempfile::tempdir().unwrap();
        openai.reset_counters();
        let services = app(
            &spotify,
            &openai,
            dir.path(),
            Some(MODEL),
            background(setting),
        );
        let result = services
            .background_track_insights(&PLAIN_TRACK_ID.parse().unwrap(), visible)
            .await
            .unwrap();
        assert_eq!(result.is_some(), fetches, "{setting:?}, visible: {visible}");
        let calls = if fetches { 2 } else { 0 };
        assert_eq!(
            openai.chat_calls(),
            calls,
            "{setting:?}, visible: {visible}"
        );
    }
}

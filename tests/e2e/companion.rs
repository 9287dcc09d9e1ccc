//! The listening companion in the real window: the now page follows the fake's player by
//! itself (a track ends, the next one and its insights appear), its controls reach the player
//! with the right requests, and "Play" starts a playlist's track at its position.

use crate::harness::{App, Options, SERIAL, THEMES};
use serde_json::{json, Value};
use spotify_plus_fakes::spotify::library::{self, Item, BIG_PLAYLIST_ID, TEN_ITEM_PLAYLIST_ID};
use spotify_plus_fakes::spotify::{PlayerRequest, Queued};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

/// The playlist's track at `index`: (id, name).
fn playlist_track(playlist: &str, index: usize) -> (String, String) {
    let lib = library::library();
    match lib.playlist(playlist).unwrap().items[index] {
        Item::Track(i) => (lib.tracks[i].id.clone(), lib.tracks[i].name.clone()),
        ref other => panic!("item {index} is {other:?}"),
    }
}

/// Waits until the fake's player has received `expected` as its latest command.
async fn until_request(app: &App, expected: PlayerRequest) {
    app.wait_player(&format!("{expected:?}"), WAIT, |seen| {
        seen.last() == Some(&expected)
    })
    .await;
}

/// Waits until some error notice on the page says `needle`.
async fn until_error(app: &App, needle: &str) {
    let js = format!(
        "return [...document.querySelectorAll('[data-testid=\"error\"]')].some(e => e.textContent.includes({}));",
        json!(needle)
    );
    app.wait_for(&format!("an error saying {needle:?}"), &js)
        .await;
}

fn request(method: &str, path: &str, body: Value) -> PlayerRequest {
    PlayerRequest {
        method: method.into(),
        path: path.into(),
        body,
    }
}

/// The text of the insight card `testid`.
fn insight_js(testid: &str) -> String {
    format!("return document.querySelector('[data-testid=\"{testid}\"] .insight-text')?.textContent ?? '';")
}

/// The now page's position in ms, as its progress bar shows it.
async fn position(app: &App) -> u64 {
    let value = app
        .client
        .execute(
            "return Number(document.querySelector('[data-testid=\"now-progress\"]').dataset.positionMs);",
            vec![],
        )
        .await
        .unwrap();
    value.as_u64().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_now_page_switches_tracks_by_itself_and_streams_the_new_insights() {
    let _serial = SERIAL.lock().await;
    let app = App::start("now", Options::default()).await;
    app.sign_in().await;
    app.spotify.set_sample_length(Some(Duration::from_secs(8)));
    app.spotify
        .play_context(&format!("spotify:playlist:{TEN_ITEM_PLAYLIST_ID}"), 0);

    // Home's card leads to the now page.
    app.click("open-now").await;
    app.find("now-title").await;
    // Whichever track it shows now, the next one follows by itself.
    let titles: Vec<String> = (0..4)
        .map(|i| playlist_track(TEN_ITEM_PLAYLIST_ID, i).1)
        .collect();
    let shown = app
        .wait_for(
            "a title of the playlist",
            &format!(
                "const t = document.querySelector('[data-testid=\"now-title\"]')?.textContent ?? ''; return {}.findIndex(n => t.includes(n)) + 1;",
                json!(titles)
            ),
        )
        .await
        .as_u64()
        .unwrap() as usize
        - 1;
    assert!(shown < 3, "the page started late: it shows item {shown}");
    let (first, second) = (titles[shown].clone(), titles[shown + 1].clone());
    app.wait_state("track-insight", "done").await;
    app.wait_state("artists-insight", "done").await;
    let first_insight = app
        .client
        .execute(&insight_js("track-insight"), vec![])
        .await
        .unwrap();
    assert!(
        first_insight.as_str().unwrap().contains(first.as_str()),
        "{first_insight}"
    );

    // The bar runs between polls: no call to Spotify is needed to move it.
    let calls = app.spotify.api_requests("currently-playing");
    let before = position(&app).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let after = position(&app).await;
    if app.spotify.api_requests("currently-playing") == calls {
        assert!(after > before, "the bar stood still: {before} -> {after}");
    }
    app.screenshot("first").await;

    // The track ends in the fake by itself; the page follows with the next one and its
    // insights, streamed anew (not the first track's text left in place).
    app.wait_text("now-title", &second).await;
    app.wait_for(
        "the second track's insight",
        &format!(
            "const t = document.querySelector('[data-testid=\"track-insight\"]'); return t && t.dataset.state === 'done' && t.textContent.includes({});",
            json!(second)
        ),
    )
    .await;
    app.wait_state("artists-insight", "done").await;
    app.screenshot("second").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_control_reaches_the_player_with_the_right_request() {
    let _serial = SERIAL.lock().await;
    let app = App::start("controls", Options::default()).await;
    app.sign_in().await;
    app.spotify
        .play_context(&format!("spotify:playlist:{TEN_ITEM_PLAYLIST_ID}"), 0);
    app.go("#/now").await;
    let (_, first) = playlist_track(TEN_ITEM_PLAYLIST_ID, 0);
    let (_, second) = playlist_track(TEN_ITEM_PLAYLIST_ID, 1);
    app.wait_text("now-title", &first).await;
    // The toggle says what a press does: "Pause" while playing, "Play" while paused.
    let pressed =
        "(document.querySelector('[data-testid=\"control-toggle\"]').getAttribute('aria-label') === 'Pause' ? 'true' : 'false')";
    app.wait_for(
        "the toggle to show playing",
        &format!("return {pressed} === 'true';"),
    )
    .await;

    app.click("control-toggle").await;
    until_request(&app, request("PUT", "/v1/me/player/pause", Value::Null)).await;
    app.wait_for(
        "the toggle to show paused",
        &format!("return {pressed} === 'false';"),
    )
    .await;
    app.click("control-toggle").await;
    until_request(&app, request("PUT", "/v1/me/player/play", Value::Null)).await;
    app.click("control-next").await;
    until_request(&app, request("POST", "/v1/me/player/next", Value::Null)).await;
    app.wait_text("now-title", &second).await;
    app.click("control-prev").await;
    until_request(&app, request("POST", "/v1/me/player/previous", Value::Null)).await;
    app.wait_text("now-title", &first).await;

    // A Free account and a missing device are told apart, in words a user can act on.
    app.spotify.set_premium(false);
    app.click("control-next").await;
    until_error(&app, "Premium").await;
    app.spotify.set_premium(true);
    app.spotify.set_active_device(false);
    app.click("control-next").await;
    until_error(&app, "No Spotify app is active").await;
    app.screenshot("errors").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_old_sign_in_is_asked_to_sign_in_again_for_the_controls() {
    let _serial = SERIAL.lock().await;
    let app = App::start("old-scopes", Options::default()).await;
    app.spotify.grant_old_scopes(true);
    app.sign_in().await;
    app.spotify
        .play_context(&format!("spotify:playlist:{TEN_ITEM_PLAYLIST_ID}"), 0);
    app.go("#/now").await;
    app.wait_text("controls-notice", "Sign in again").await;
    let disabled = app
        .client
        .execute(
            "return document.querySelector('[data-testid=\"control-next\"]').disabled;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(disabled, json!(true));
    app.screenshot("notice").await;
    // Signing in again grants the scope and the controls work.
    app.spotify.grant_old_scopes(false);
    // Signing in again replaces the old sign-in without signing out (the keys stay).
    app.click("sign-in-again").await;
    app.find("now-playing").await;
    app.go("#/now").await;
    app.find("now-title").await;
    app.wait_for(
        "the controls to be enabled",
        "return !document.querySelector('[data-testid=\"controls-notice\"]') && !document.querySelector('[data-testid=\"control-next\"]').disabled;",
    )
    .await;
    app.click("control-next").await;
    until_request(&app, request("POST", "/v1/me/player/next", Value::Null)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn play_starts_a_playlist_track_at_its_position_or_opens_the_app_without_a_device() {
    let _serial = SERIAL.lock().await;
    let app = App::start("play", Options::default()).await;
    app.sign_in().await;
    // The third row of the playlist's second page: position 12.
    let position = 12;
    let (id, name) = playlist_track(BIG_PLAYLIST_ID, position);
    app.go(&format!("#/playlist/{BIG_PLAYLIST_ID}?offset=10"))
        .await;
    app.wait_for(
        "the row of the track",
        &format!(
            "return [...document.querySelectorAll('[data-testid=\"track-item\"]')].some(e => e.textContent.includes({}));",
            json!(name)
        ),
    )
    .await;
    let button = format!(
        "document.querySelectorAll('[data-testid=\"track-item\"]')[{}].querySelector('[data-testid=\"play-app\"]')",
        position - 10
    );
    app.client
        .execute(&format!("{button}.click(); return null;"), vec![])
        .await
        .unwrap();
    until_request(
        &app,
        request(
            "PUT",
            "/v1/me/player/play",
            json!({
                "context_uri": format!("spotify:playlist:{BIG_PLAYLIST_ID}"),
                "offset": { "position": position },
            }),
        ),
    )
    .await;
    assert_eq!(
        app.spotify.playing_now(),
        Some((Queued::Track(id.clone()), true))
    );
    assert!(
        app.opened().iter().all(|u| !u.starts_with("spotify:")),
        "{:?}",
        app.opened()
    );

    // With no Spotify app active, Play opens the track in the app as before.
    app.spotify.set_active_device(false);
    app.client
        .execute(&format!("{button}.click(); return null;"), vec![])
        .await
        .unwrap();
    app.wait_opened(&format!("spotify:track:{id}")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_now_page_in_light_and_dark() {
    let _serial = SERIAL.lock().await;
    for (theme, gtk_theme) in THEMES {
        let app = App::start(
            &format!("now-{theme}"),
            Options {
                env: vec![("GTK_THEME", gtk_theme.to_string())],
                ..Default::default()
            },
        )
        .await;
        app.sign_in().await;
        app.spotify
            .play_context(&format!("spotify:playlist:{TEN_ITEM_PLAYLIST_ID}"), 1);
        app.go("#/now").await;
        let (_, title) = playlist_track(TEN_ITEM_PLAYLIST_ID, 1);
        app.wait_text("now-title", &title).await;
        let applied = app
            .client
            .execute("return document.documentElement.dataset.bsTheme;", vec![])
            .await
            .unwrap();
        assert_eq!(applied, json!(theme));
        app.wait_state("track-insight", "done").await;
        app.wait_state("artists-insight", "done").await;
        app.screenshot("page").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn episodes_and_ads_are_shown_as_such_without_insights() {
    use spotify_plus_fakes::spotify::NowPlayingState;
    let _serial = SERIAL.lock().await;
    let app = App::start("now-episode", Options::default()).await;
    app.spotify.set_now_playing(NowPlayingState::Episode);
    app.sign_in().await;
    app.go("#/now").await;
    app.wait_text("now-kind", "Podcast").await;
    app.wait_text("now-title", library::library().episode.name)
        .await;
    assert!(app.find_all("track-insight").await.is_empty());
    app.screenshot("episode").await;
    app.spotify.set_now_playing(NowPlayingState::Ad);
    // The next poll (at most the window's slow interval) shows the ad.
    app.wait_text("now-kind", "Ad").await;
    assert!(app.find_all("track-insight").await.is_empty());
    assert_eq!(app.openai.chat_calls(), 0, "no insight is asked for");
}

//! The tray as a desktop reads it: a StatusNotifierWatcher on a private bus receives the app's
//! item, reads its menu through `GetLayout` and draws the labels as a host does. A name with
//! `&` reads as written (the menu library takes a lone `&` for an access key), and the menu's
//! play/pause, next and "Open now playing" work.

use crate::harness::{App, Options, SessionBus, SERIAL};
use spotify_plus_fakes::spotify::library;
use spotify_plus_fakes::spotify::PlayerRequest;
use spotify_plus_test_support::tray::TrayHost;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(20);

/// Waits until the host's menu has an entry satisfying `wanted`; returns its label.
async fn until_entry(host: &TrayHost, what: &str, wanted: impl Fn(&str, bool) -> bool) -> String {
    let start = Instant::now();
    loop {
        let menu = host.menu(WAIT);
        if let Some(entry) = menu.iter().find(|e| wanted(&e.label, e.enabled)) {
            return entry.label.clone();
        }
        assert!(
            start.elapsed() < WAIT,
            "no {what} in the tray menu: {menu:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn until_command(app: &App, method: &str, path: &str) {
    let wanted = PlayerRequest {
        method: method.into(),
        path: path.into(),
        body: serde_json::Value::Null,
    };
    app.wait_player(&format!("{method} {path}"), WAIT, |seen| {
        seen.last() == Some(&wanted)
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tray_menu_reads_as_written_and_controls_playback() {
    let _serial = SERIAL.lock().await;
    let bus = SessionBus::start();
    let host = TrayHost::start(&bus.address);
    let app = App::start(
        "tray-menu",
        Options {
            env: vec![("DBUS_SESSION_BUS_ADDRESS", bus.address.clone())],
            ..Default::default()
        },
    )
    .await;
    // A track by an artist with an ampersand in the name.
    let lib = library::library();
    let artist = lib
        .artists
        .iter()
        .position(|a| a.name.contains(" & "))
        .expect("an artist with '&'");
    let track = lib
        .tracks
        .iter()
        .find(|t| t.artists.contains(&artist))
        .expect("a track by them");
    let artists: Vec<&str> = track
        .artists
        .iter()
        .map(|&i| lib.artists[i].name.as_str())
        .collect();
    app.spotify
        .play_context(&format!("spotify:artist:{}", lib.artists[artist].id), 0);
    app.sign_in().await;

    let expected = format!("♪ {} — {}", track.name, artists.join(", "));
    until_entry(&host, "the playing track", |label, _| label == expected).await;
    // The insight's first sentence names the artists too, ampersand and all.
    let insight = until_entry(&host, "the insight", |label, _| {
        label.starts_with("Here is something interesting")
    })
    .await;
    assert!(
        insight.contains(&lib.artists[artist].name) || insight.ends_with('…'),
        "{insight}"
    );

    until_entry(&host, "an enabled Pause", |label, enabled| {
        label == "Pause" && enabled
    })
    .await;
    host.click("Pause", WAIT);
    until_command(&app, "PUT", "/v1/me/player/pause").await;
    until_entry(&host, "Play once paused", |label, _| label == "Play").await;
    host.click("Play", WAIT);
    until_command(&app, "PUT", "/v1/me/player/play").await;
    until_entry(&host, "Pause once playing", |label, _| label == "Pause").await;
    host.click("Next", WAIT);
    until_command(&app, "POST", "/v1/me/player/next").await;

    host.click("Open now playing", WAIT);
    app.wait_for("the now page", "return location.hash === '#/now';")
        .await;
    app.find("now-title").await;
}

//! Track-change notifications, opt-in: a notification server on a private bus records what the
//! app shows. Off by default; once switched on in Settings, the next track brings one with its
//! title, its artists and the first sentence of its insight.

use crate::harness::{App, Options, SessionBus, SERIAL};
use spotify_plus_fakes::spotify::library::{self, Item, TEN_ITEM_PLAYLIST_ID};
use spotify_plus_fakes::spotify::Queued;
use spotify_plus_test_support::notifications::NotificationServer;
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_track_change_notifies_with_the_insight_once_switched_on() {
    let _serial = SERIAL.lock().await;
    let bus = SessionBus::start();
    let server = NotificationServer::start(&bus.address);
    let app = App::start(
        "notify",
        Options {
            env: vec![("DBUS_SESSION_BUS_ADDRESS", bus.address.clone())],
            ..Default::default()
        },
    )
    .await;
    app.sign_in().await;
    app.spotify
        .play_context(&format!("spotify:playlist:{TEN_ITEM_PLAYLIST_ID}"), 0);
    app.go("#/now").await;
    app.find("now-title").await;
    // The home view and the now page have seen a track: off by default, nothing was shown.
    app.wait_state("track-insight", "done").await;
    assert_eq!(server.shown(), vec![]);

    app.go("#/settings").await;
    app.click("track-notifications").await;
    app.click("settings-save").await;
    let store = app.data_dir.path().join("settings.json");
    let start = Instant::now();
    let saved = || -> Option<bool> {
        let text = std::fs::read_to_string(&store).ok()?;
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        json["settings"]["trackNotifications"].as_bool()
    };
    while saved() != Some(true) {
        assert!(start.elapsed() < WAIT, "the setting was not saved");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.spotify.set_sample_length(Some(Duration::from_secs(1)));

    // The next track (whichever the fake reaches first after the switch) is announced.
    let lib = library::library();
    let start = Instant::now();
    let shown = loop {
        if let Some(shown) = server.shown().into_iter().next() {
            break shown;
        }
        assert!(start.elapsed() < WAIT, "no notification was shown");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let track = lib
        .playlist(TEN_ITEM_PLAYLIST_ID)
        .unwrap()
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Track(i) => Some(&lib.tracks[*i]),
            _ => None,
        })
        .find(|t| t.name == shown.summary)
        .unwrap_or_else(|| panic!("{shown:?} names no track of the playlist"));
    let artists: Vec<&str> = track
        .artists
        .iter()
        .map(|&i| lib.artists[i].name.as_str())
        .collect();
    let mut lines = shown.body.lines();
    // The body is markup to a notification server: names arrive escaped, to be shown as text.
    let escaped = artists
        .join(", ")
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    assert_eq!(lines.next(), Some(escaped.as_str()), "{shown:?}");
    let sentence = lines.next().unwrap_or_default();
    assert!(
        sentence.starts_with("Here is something interesting about the track"),
        "{shown:?}"
    );
    assert!(sentence.ends_with('.'), "one sentence: {sentence:?}");
    assert!(matches!(
        app.spotify.playing_now(),
        Some((Queued::Track(_), _))
    ));
}

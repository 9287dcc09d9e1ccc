//! Finding anything in the real window: the navigation bar's search box, results leading to an
//! album page whose insight streams in and is saved, the album's tracks 10 a page, the heart
//! on track pages reaching Spotify's library endpoints, and hostile names shown as text.

use crate::harness::{App, Options, SERIAL};
use spotify_plus_fakes::spotify::discography::*;
use spotify_plus_fakes::spotify::library::*;

/// WebDriver's Enter key.
const ENTER: &str = "\u{E007}";

/// Types `query` into the navigation bar's search box and presses Enter.
async fn search_for(app: &App, query: &str) {
    let input = app.find("search-input").await;
    input.clear().await.unwrap();
    input.send_keys(&format!("{query}{ENTER}")).await.unwrap();
}

/// `(kind, text, href)` of every search result on the page.
async fn results(app: &App) -> Vec<(String, String, String)> {
    let js = "return [...document.querySelectorAll('[data-testid=\"search-result\"]')].map(a => [a.dataset.kind, a.textContent, a.getAttribute('href')]);";
    serde_json::from_value(app.client.execute(js, vec![]).await.unwrap()).unwrap()
}

/// Records every `data-state` an insight card takes from now on (the view is rebuilt on
/// navigation, so the observer watches the view's subtree).
async fn record_states(app: &App) {
    app.client
        .execute(
            "window.__states = []; new MutationObserver((ms) => ms.forEach((m) => { const t = m.target; if (t.dataset && t.dataset.testid && m.attributeName === 'data-state') window.__states.push(t.dataset.testid + ':' + t.dataset.state); })).observe(document.getElementById('view'), { subtree: true, attributes: true, attributeFilter: ['data-state'] }); return null;",
            vec![],
        )
        .await
        .unwrap();
}

/// Waits until the browser has painted twice since now, so a screenshot shows the latest state.
async fn painted(app: &App) {
    app.client
        .execute("window.__painted = false; requestAnimationFrame(() => requestAnimationFrame(() => { window.__painted = true; })); return null;", vec![])
        .await
        .unwrap();
    app.wait_for("a painted frame", "return window.__painted === true;")
        .await;
}

async fn states(app: &App) -> Vec<String> {
    serde_json::from_value(
        app.client
            .execute("return window.__states;", vec![])
            .await
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_leads_to_an_album_page_whose_insight_streams_and_is_saved() {
    let _serial = SERIAL.lock().await;
    let app = App::start("find-album", Options::default()).await;
    app.sign_in().await;

    search_for(&app, VELVET_QUERY).await;
    app.wait_for(
        "search results",
        "return location.hash === '#/search?q=velvet' && document.querySelectorAll('[data-testid=\"search-result\"]').length > 0;",
    )
    .await;
    assert_eq!(
        app.spotify
            .api_requests("/v1/search?q=velvet&type=track%2Cartist%2Calbum&limit=10&offset=0"),
        1
    );
    let found = results(&app).await;
    let of = |kind: &str| found.iter().filter(|(k, ..)| k == kind).count();
    assert_eq!(
        (of("track"), of("artist"), of("album")),
        (10, 1, 3),
        "{found:?}"
    );
    let album_href = format!("#/album/{LONG_ALBUM_ID}");
    let (_, name, _) = found
        .iter()
        .find(|(_, _, href)| *href == album_href)
        .expect("the album is found");
    assert_eq!(name, "Quiet Avenue");
    assert!(found.iter().any(|(kind, name, href)| kind == "artist"
        && name == "The Velvet Lanterns"
        && *href == format!("#/artist/{ARTIST_WITH_IMAGE_ID}")));
    app.wait_text("page-info", "Page 1 of 2").await;
    app.wait_for(
        "the covers in view",
        "return [...document.querySelectorAll('#view img')].filter((i) => i.getBoundingClientRect().top < innerHeight).every((i) => i.complete && i.naturalWidth > 0);",
    )
    .await;
    painted(&app).await;
    app.screenshot("search-results").await;

    // The album result opens the album page; its insight streams in, then is done.
    record_states(&app).await;
    let calls = app.openai.chat_calls();
    app.client
        .execute(
            "document.querySelector(`[data-testid=\"search-result\"][href=\"${arguments[0]}\"]`).click(); return null;",
            vec![serde_json::json!(album_href)],
        )
        .await
        .unwrap();
    app.wait_text("album-title", "Quiet Avenue").await;
    app.wait_state("album-insight", "done").await;
    let insight = app.find("album-insight").await.text().await.unwrap();
    assert!(insight.contains("the album \"Quiet Avenue\""), "{insight}");
    assert!(
        states(&app)
            .await
            .contains(&"album-insight:streaming".to_string()),
        "{:?}",
        states(&app).await
    );
    assert_eq!(app.openai.chat_calls(), calls + 1);
    assert_eq!(app.find_all("track-item").await.len(), 10);
    app.wait_text("page-info", "Page 1 of 2").await;
    app.screenshot("album").await;

    // The next page of tracks; the insight comes from the cache, with no model call.
    app.click("page-next").await;
    app.wait_text("page-info", "Page 2 of 2").await;
    app.wait_for(
        "the last 4 tracks",
        "return location.hash.endsWith('?offset=10') && document.querySelectorAll('[data-testid=\"track-item\"]').length === 4;",
    )
    .await;
    app.wait_state("album-insight", "done").await;
    app.wait_text("album-insight", "Saved").await;
    assert_eq!(app.openai.chat_calls(), calls + 1);

    // Regenerate asks the model again for the album, not for a track.
    app.click("regenerate").await;
    app.wait_state("album-insight", "done").await;
    assert_eq!(app.openai.chat_calls(), calls + 2);
    let last = app.openai.last_chat_request().expect("a chat request");
    let user = last["messages"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["role"] == "user"))
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default();
    assert!(
        user.starts_with("Tell me something interesting about the album \"Quiet Avenue\""),
        "{last}"
    );

    // The album's own play buttons open it in Spotify (no Spotify app is active: the app button
    // opens the URI; with one active it plays there, see companion.rs).
    app.spotify.set_active_device(false);
    let header_button = |testid: &str| {
        // The header's buttons come before the tracks' in the page.
        format!("document.querySelector('[data-testid=\"{testid}\"]').click(); return null;")
    };
    for (testid, url) in [
        (
            "play-web",
            format!("https://open.spotify.com/album/{LONG_ALBUM_ID}"),
        ),
        ("play-app", format!("spotify:album:{LONG_ALBUM_ID}")),
    ] {
        app.client
            .execute(&header_button(testid), vec![])
            .await
            .unwrap();
        app.wait_opened(&url).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_heart_saves_and_removes_the_track_and_its_album_opens() {
    let _serial = SERIAL.lock().await;
    let app = App::start("find-heart", Options::default()).await;
    app.sign_in().await;
    let uri = format!("spotify:track:{PLAIN_TRACK_ID}");
    let pressed = |value: &'static str| {
        format!(
            "const b = document.querySelector('[data-testid=\"like\"]'); return !!b && !b.disabled && b.getAttribute('aria-pressed') === '{value}';"
        )
    };

    app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
    app.wait_for("the heart, not pressed", &pressed("false"))
        .await;
    app.click("like").await;
    app.wait_for("the heart, pressed", &pressed("true")).await;
    assert_eq!(app.spotify.saved_uris(), std::slice::from_ref(&uri));
    painted(&app).await;
    app.screenshot("liked").await;
    app.click("like").await;
    app.wait_for("the heart, not pressed again", &pressed("false"))
        .await;
    assert!(app.spotify.saved_uris().is_empty());
    let sent: Vec<(String, Vec<String>)> = app
        .spotify
        .library_requests()
        .into_iter()
        .map(|r| (r.method, r.uris))
        .collect();
    assert_eq!(
        sent,
        [
            ("GET".to_string(), vec![uri.clone()]),
            ("PUT".to_string(), vec![uri.clone()]),
            ("DELETE".to_string(), vec![uri.clone()]),
        ]
    );

    // Saved in another Spotify app: the heart shows it on the next visit.
    app.spotify
        .save_uris(&[&format!("spotify:track:{MULTI_ARTIST_TRACK_ID}")]);
    app.go(&format!("#/track/{MULTI_ARTIST_TRACK_ID}")).await;
    app.wait_for("the heart of a song saved elsewhere", &pressed("true"))
        .await;

    // The track's album name leads to the album page.
    app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
    app.click("album-link").await;
    app.wait_text("album-title", "Quiet Avenue").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_from_before_the_heart_is_asked_to_sign_in_again() {
    let _serial = SERIAL.lock().await;
    let app = App::start("find-old-sign-in", Options::default()).await;
    app.spotify.grant_old_scopes(true);
    app.sign_in().await;
    app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
    app.wait_for(
        "a notice saying to sign in again",
        "return [...document.querySelectorAll('[data-testid=\"error\"]')].some(e => e.textContent.includes('sign in again'));",
    )
    .await;
    app.wait_for(
        "a disabled heart",
        "const b = document.querySelector('[data-testid=\"like\"]'); return !!b && b.disabled && b.title.includes('sign in again');",
    )
    .await;
    assert!(
        app.spotify.library_requests().is_empty(),
        "asked nothing of Spotify"
    );
    app.screenshot("old-sign-in").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_names_in_search_results_show_as_text() {
    let _serial = SERIAL.lock().await;
    let app = App::start("find-hostile", Options::default()).await;
    app.sign_in().await;
    search_for(&app, HOSTILE_ARTIST_NAME).await;
    app.find("search-result").await;
    let found = results(&app).await;
    let names: Vec<&str> = found.iter().map(|(_, name, _)| name.as_str()).collect();
    assert!(names.contains(&HOSTILE_ARTIST_NAME), "{names:?}");
    assert!(names.contains(&HOSTILE_TRACK_NAME), "{names:?}");
    let injected = app
        .client
        .execute(
            "return document.querySelectorAll('#view img[src=\"x\"], #view script, #view b').length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        injected,
        serde_json::json!(0),
        "no markup from names or the query"
    );
    app.wait_text("search-query", HOSTILE_ARTIST_NAME).await;
    app.screenshot("hostile-search").await;
}

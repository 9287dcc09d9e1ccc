//! Issue 21: WCAG 2.2 AA, checked by axe-core (the npm package) inside the real window, on
//! every view and state in the light and the dark theme. Every run writes
//! `target/a11y/report.json` (view, theme, rule, impact, nodes), so a failure says where.

use crate::harness::{App, Options, SERIAL, THEMES};
use spotify_plus_fakes::spotify::library::*;
use spotify_plus_fakes::spotify::NowPlayingState;
use std::path::PathBuf;

/// Whether the lyrics card highlights a line (the page has painted the lyrics).
const LINE_HIGHLIGHTED: &str =
    "return !!document.querySelector('[data-testid=\"lyrics-line\"][aria-current=\"true\"]');";

/// How long a key press may take to reach the fake player.
const KEY_ACTION: std::time::Duration = std::time::Duration::from_secs(10);

/// The rule tags of WCAG 2.0, 2.1 and 2.2, levels A and AA.
const TAGS: [&str; 6] = [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Injects axe-core into the page (once) and runs it; returns its violations.
async fn violations(app: &App) -> Vec<serde_json::Value> {
    // Bootstrap's buttons fade their colours for 0.15 s when a state changes: axe must see the
    // colours they settle on, not one on the way.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let axe = std::fs::read_to_string(repo().join("node_modules/axe-core/axe.min.js"))
        .expect("axe-core is installed by npm ci (scripts/setup.sh)");
    // The page's CSP forbids eval; the WebDriver script itself may run axe's source.
    let loaded = app
        .client
        .execute("return !!window.axe;", vec![])
        .await
        .expect("page answers");
    if loaded != serde_json::json!(true) {
        app.client
            .execute(&format!("{axe}\nreturn null;"), vec![])
            .await
            .expect("axe loaded");
    }
    let result = app
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] }).then((r) => done(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })) })))).catch((e) => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));",
            vec![serde_json::json!(TAGS)],
        )
        .await
        .expect("axe ran");
    result.as_array().cloned().unwrap_or_default()
}

/// The focused element's ring, or why it is not one a user can see: a solid outline of at least
/// 2 px whose colour has 3:1 contrast with the background behind it (WCAG 1.4.11).
const FOCUS_RING: &str = r#"
const el = document.activeElement;
if (!el || el === document.body) return 'nothing has focus';
const cs = getComputedStyle(el);
const what = `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 30)}"`;
if (cs.outlineStyle === 'none' || parseFloat(cs.outlineWidth) < 2) return `${what}: no 2 px outline (${cs.outlineStyle} ${cs.outlineWidth})`;
const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
const lum = ([r, g, b]) => {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
};
let bg = el.parentElement;
while (bg && (rgb(getComputedStyle(bg).backgroundColor)[3] === 0 || getComputedStyle(bg).backgroundColor === 'transparent')) bg = bg.parentElement;
const back = rgb(getComputedStyle(bg || document.body).backgroundColor);
const [a, b] = [lum(rgb(cs.outlineColor)), lum(back)].sort((x, y) => y - x);
const ratio = (a + 0.05) / (b + 0.05);
return ratio >= 3 ? null : `${what}: outline contrast ${ratio.toFixed(2)} < 3`;
"#;

/// Tabs through the first `count` stops of the page and checks each one's ring.
async fn focus_rings(app: &App, count: usize) -> Vec<String> {
    let mut problems = Vec::new();
    for _ in 0..count {
        app.client
            .active_element()
            .await
            .expect("an element to type into")
            .send_keys("\u{E004}")
            .await
            .expect("Tab");
        let found = app.client.execute(FOCUS_RING, vec![]).await.unwrap();
        if let Some(problem) = found.as_str() {
            problems.push(problem.to_string());
        }
    }
    problems
}

/// A view reached by `route`, ready when `ready` (a data-testid) is on the page.
struct View {
    name: &'static str,
    route: String,
    ready: &'static str,
}

fn views() -> Vec<View> {
    let v = |name, route: String, ready| View { name, route, ready };
    vec![
        v("home", "#/".into(), "now-playing"),
        v("playlists", "#/playlists".into(), "playlist-item"),
        v(
            "playlist (own)",
            format!("#/playlist/{BIG_PLAYLIST_ID}"),
            "page-info",
        ),
        v(
            "playlist (followed)",
            format!("#/playlist/{FOLLOWED_PLAYLIST_ID}"),
            "items-unavailable",
        ),
        v(
            "track (done)",
            format!("#/track/{MULTI_ARTIST_TRACK_ID}"),
            "track-title",
        ),
        v(
            "artist",
            format!("#/artist/{ARTIST_WITH_IMAGE_ID}"),
            "artist-name",
        ),
        v("search (results)", "#/search?q=a".into(), "search-result"),
        v(
            "search (none)",
            "#/search?q=zzzzqqqq".into(),
            "search-empty",
        ),
        v("now (playing)", "#/now".into(), "now-title"),
        v("settings", "#/settings".into(), "settings-save"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_view_passes_axe_in_both_themes() {
    let _serial = SERIAL.lock().await;
    let mut report = Vec::new();
    let mut rings = Vec::new();
    for (theme, gtk_theme) in THEMES {
        let env = vec![("GTK_THEME", gtk_theme.to_string())];
        // Before any sign-in: the setup screen, then the login screen.
        let setup = App::start(
            &format!("a11y-setup-{theme}"),
            Options {
                configured: false,
                env: env.clone(),
                ..Default::default()
            },
        )
        .await;
        setup.find("setup").await;
        report.push((("setup", theme), violations(&setup).await));
        drop(setup);
        let app = App::start(
            &format!("a11y-{theme}"),
            Options {
                env,
                ..Default::default()
            },
        )
        .await;
        app.spotify
            .set_now_playing(NowPlayingState::Track(PLAIN_TRACK_ID.to_string()));
        app.find("login").await;
        report.push((("login", theme), violations(&app).await));
        app.sign_in().await;
        for view in views() {
            app.go(&view.route).await;
            app.find(view.ready).await;
            if view.name.starts_with("track") {
                app.wait_state("track-insight", "done").await;
                app.wait_state("artists-insight", "done").await;
            }
            if view.name.starts_with("track") || view.name.starts_with("now") {
                app.wait_state("lyrics", "done").await;
            }
            report.push(((view.name, theme), violations(&app).await));
            if view.name == "track (done)" {
                rings.extend(
                    focus_rings(&app, 12)
                        .await
                        .into_iter()
                        .map(|p| format!("{theme}: {p}")),
                );
            }
            if matches!(view.name, "home" | "track (done)" | "settings") {
                app.screenshot(view.name.split(' ').next().unwrap_or("view"))
                    .await;
            }
        }
    }
    let rows: Vec<serde_json::Value> = report
        .iter()
        .flat_map(|((view, theme), found)| {
            found.iter().map(move |v| {
                serde_json::json!({
                    "view": view, "theme": theme, "rule": v["id"], "impact": v["impact"],
                    "help": v["help"], "nodes": v["nodes"],
                })
            })
        })
        .collect();
    let dir = repo().join("target/a11y");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("report.json"),
        serde_json::to_string_pretty(&rows).unwrap(),
    )
    .unwrap();
    let per_view: Vec<String> = report
        .iter()
        .map(|((view, theme), found)| format!("{view} ({theme}): {}", found.len()))
        .collect();
    println!("axe violations per view:\n{}", per_view.join("\n"));
    assert!(
        rows.is_empty(),
        "{} violations (target/a11y/report.json):\n{}",
        rows.len(),
        per_view.join("\n")
    );
    assert!(rings.is_empty(), "focus rings:\n{}", rings.join("\n"));
}

/// Presses Tab until the focused element matches `selector` (at most 60 presses), so the walk
/// follows the page's own tab order.
async fn tab_to(app: &App, selector: &str) {
    let js = format!(
        "const el = document.activeElement; return !!el && el.matches({});",
        serde_json::json!(selector)
    );
    for _ in 0..60 {
        if app.client.execute(&js, vec![]).await.unwrap() == serde_json::json!(true) {
            return;
        }
        press(app, "\u{E004}").await;
    }
    panic!("Tab never reached {selector}");
}

/// Sends one key to the focused element.
async fn press(app: &App, key: &str) {
    app.client
        .active_element()
        .await
        .expect("something has focus")
        .send_keys(key)
        .await
        .expect("key sent");
}

/// The accessible name a control gives by attribute, and whether its glyphs are hidden.
async fn named(app: &App, testid: &str) -> String {
    let js = format!(
        "const el = document.querySelector('[data-testid=\"{testid}\"]'); return el ? el.getAttribute('aria-label') : null;"
    );
    app.client
        .execute(&js, vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_main_flow_works_with_the_keyboard_alone() {
    let _serial = SERIAL.lock().await;
    let app = App::start("keyboard", Options::default()).await;
    app.spotify
        .play_context(&format!("spotify:playlist:{TEN_ITEM_PLAYLIST_ID}"), 0);
    app.sign_in().await;
    app.find("playlist-item").await;
    // Home -> a playlist.
    tab_to(
        &app,
        &format!("a[href=\"#/playlist/{TEN_ITEM_PLAYLIST_ID}\"]"),
    )
    .await;
    press(&app, "\u{E007}").await;
    app.find("page-info").await;
    // The new page's heading has focus; then -> its first track.
    let focused = app
        .client
        .execute("return document.activeElement.tagName;", vec![])
        .await
        .unwrap();
    assert_eq!(
        focused,
        serde_json::json!("H1"),
        "focus moves to the new page"
    );
    tab_to(&app, "[data-testid=\"track-item\"] a[href^=\"#/track/\"]").await;
    press(&app, "\u{E007}").await;
    app.find("track-title").await;
    // Play it in the Spotify app: the button says what it plays, and Enter plays it.
    let track_name = app
        .client
        .execute(
            "return document.querySelector('[data-testid=\"track-title\"]').textContent;",
            vec![],
        )
        .await
        .unwrap();
    let play_name = named(&app, "play-app").await;
    assert_eq!(
        play_name,
        format!("Play {} in the Spotify app", track_name.as_str().unwrap())
    );
    let before = app.spotify.player_requests().len();
    tab_to(&app, "[data-testid=\"play-app\"]").await;
    press(&app, "\u{E007}").await;
    app.wait_player("Enter's play", KEY_ACTION, |seen| seen.len() > before)
        .await;
    // -> home (the bar's link), -> the now page ("Follow along").
    tab_to(&app, "nav a[href=\"#/\"].nav-link").await;
    press(&app, "\u{E007}").await;
    app.find("now-playing").await;
    tab_to(&app, "[data-testid=\"open-now\"]").await;
    press(&app, "\u{E007}").await;
    app.find("now-title").await;
    assert_eq!(named(&app, "control-next").await, "Next track");
    assert_eq!(named(&app, "control-prev").await, "Previous track");
    app.wait_for(
        "the position said as time",
        "const p = document.querySelector('[data-testid=\"now-progress\"]'); return / of \\d+:\\d\\d$/.test(p.getAttribute('aria-valuetext') || '');",
    )
    .await;
    app.wait_for(
        "the new track announced",
        "return document.querySelector('[data-testid=\"now-announce\"]').textContent.startsWith('Now playing: ');",
    )
    .await;
    // Space on "Next track" skips.
    let before = app.spotify.player_requests().len();
    tab_to(&app, "[data-testid=\"control-next\"]").await;
    press(&app, " ").await;
    app.wait_player("Space's skip", KEY_ACTION, |seen| {
        seen[before..].iter().any(|r| r.path.ends_with("/next"))
    })
    .await;
    // Log out opens a question that Escape closes.
    tab_to(&app, "#logout").await;
    press(&app, "\u{E007}").await;
    app.wait_for(
        "the dialog",
        "return document.getElementById('logout-dialog').open;",
    )
    .await;
    press(&app, "\u{E00C}").await;
    app.wait_for(
        "the dialog closed",
        "return !document.getElementById('logout-dialog').open;",
    )
    .await;
    app.screenshot("walked").await;
}

/// The states between and around the views: insights thinking and failed (under a model with a
/// shutdown date), the lyrics with a line explained and translated and when LRCLIB fails, the
/// now page playing with lyrics, paused, without a device (and the error notice that says so),
/// with an episode and with nothing playing, Settings with the model warning, the app-wide
/// banner, the log-out question.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_state_passes_axe_in_both_themes() {
    use spotify_plus_fakes::faults::{Fault, FaultKind};
    let _serial = SERIAL.lock().await;
    let mut failures = Vec::new();
    for (theme, gtk_theme) in THEMES {
        let app = App::start(
            &format!("a11y-states-{theme}"),
            Options {
                env: vec![
                    ("GTK_THEME", gtk_theme.to_string()),
                    ("OPENAI_MODEL", "gpt-5-mini".into()),
                ],
                ..Default::default()
            },
        )
        .await;
        app.sign_in().await;
        let mut check = async |state: &str| {
            let found = violations(&app).await;
            if !found.is_empty() {
                failures.push(format!("{state} ({theme}): {found:#?}"));
            }
        };
        app.openai.faults().push(Fault {
            path_contains: "/chat/completions".into(),
            kind: FaultKind::Hang,
            times: None,
        });
        app.go(&format!("#/track/{PLAIN_TRACK_ID}")).await;
        app.wait_state("track-insight", "loading").await;
        check("track (thinking)").await;
        app.openai.faults().clear();
        app.openai
            .faults()
            .push(Fault::status("/chat/completions", 500, None, None));
        app.go(&format!("#/track/{TRACK_WITHOUT_ALBUM_IMAGE_ID}"))
            .await;
        app.wait_state("track-insight", "error").await;
        check("track (failed)").await;
        app.openai.faults().clear();
        app.go(&format!("#/track/{MULTI_ARTIST_TRACK_ID}")).await;
        app.wait_state("lyrics", "done").await;
        app.client
            .execute(
                "document.querySelectorAll('[data-testid=\"lyrics-line\"] .lyric-text')[1].click(); return null;",
                vec![],
            )
            .await
            .unwrap();
        app.click("lyrics-explain").await;
        app.wait_state("lyric-explanation", "done").await;
        app.click("lyrics-translate").await;
        app.wait_for(
            "the translation",
            "return document.querySelector('[data-testid=\"lyrics\"]').dataset.version === 'translate';",
        )
        .await;
        check("track (a lyric line explained, lyrics translated)").await;
        app.lrclib
            .faults()
            .push(Fault::status("/api/", 503, None, None));
        app.go(&format!("#/track/{HOSTILE_TRACK_ID}")).await;
        app.wait_state("lyrics", "error").await;
        check("track (lyrics failed)").await;
        app.lrclib.faults().clear();
        app.spotify.set_now_playing(NowPlayingState::Episode);
        app.go("#/now").await;
        app.find("now-title").await;
        check("now (episode)").await;
        app.spotify.set_now_playing(NowPlayingState::Nothing);
        app.go("#/").await;
        app.go("#/now").await;
        app.find("now-nothing").await;
        check("now (nothing playing)").await;
        app.spotify
            .play_context(&format!("spotify:playlist:{BIG_PLAYLIST_ID}"), 0);
        app.go("#/now").await;
        app.wait_state("lyrics", "done").await;
        app.wait_for("a highlighted line", LINE_HIGHLIGHTED).await;
        check("now (playing, lyrics following)").await;
        if theme == "light" {
            app.screenshot("now-lyrics").await;
        }
        app.click("control-toggle").await;
        app.wait_text("now-state", "Paused").await;
        check("now (paused)").await;
        app.spotify.set_active_device(false);
        app.click("control-toggle").await;
        app.find("error").await;
        check("now (no device, error notice)").await;
        app.spotify.set_active_device(true);
        app.go("#/settings").await;
        app.find("model-warning").await;
        check("settings (model warning)").await;
        if theme == "dark" {
            app.go("#/now").await;
            app.wait_state("lyrics", "done").await;
            app.wait_for("a highlighted line", LINE_HIGHLIGHTED).await;
            app.screenshot("now-lyrics").await;
        }
        app.spotify
            .faults()
            .push(Fault::status("/v1/me/playlists", 429, Some(86_400), None));
        app.go("#/playlists").await;
        app.wait_for(
            "the ban's banner",
            "return document.getElementById('banner').textContent.includes('paused');",
        )
        .await;
        check("banner (rate limited)").await;
        app.spotify.faults().clear();
        app.click("logout").await;
        app.wait_for(
            "the log-out question",
            "return document.getElementById('logout-dialog').open;",
        )
        .await;
        check("log-out question").await;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Doubles the text (the root font size, which every Bootstrap size follows, as a browser's
/// text zoom does) and reports what is lost (the test puts the size back) (the test puts the size back): the page scrolling sideways, or text cut off by a
/// box that hides its overflow (visually-hidden text and deliberate ellipses aside).
const AT_200_PERCENT: &str = r#"
const done = arguments[arguments.length - 1];
document.documentElement.style.fontSize = '200%';
requestAnimationFrame(() => requestAnimationFrame(() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > innerWidth + 1) problems.push(`the page scrolls sideways (${root.scrollWidth} px in ${innerWidth})`);
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('.visually-hidden, .visually-hidden-focusable, [hidden], dialog:not([open])')) continue;
    const cs = getComputedStyle(el);
    if (!el.textContent.trim() || cs.display === 'none') continue;
    const hides = (o) => o === 'hidden' || o === 'clip';
    const name = `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''}.${[...el.classList].join('.')}`;
    if (hides(cs.overflowX) && cs.textOverflow !== 'ellipsis' && el.scrollWidth > el.clientWidth + 1) problems.push(`${name} cuts text sideways`);
    if (hides(cs.overflowY) && !cs.webkitLineClamp?.match(/^\d/) && el.scrollHeight > el.clientHeight + 1) problems.push(`${name} cuts text below`);
  }
  done(problems);
}));
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_at_200_percent_loses_nothing() {
    let _serial = SERIAL.lock().await;
    let app = App::start("a11y-zoom", Options::default()).await;
    app.spotify
        .set_now_playing(NowPlayingState::Track(PLAIN_TRACK_ID.to_string()));
    app.sign_in().await;
    let mut lost = Vec::new();
    for view in views() {
        app.go(&view.route).await;
        app.find(view.ready).await;
        if view.name.starts_with("track") || view.name.starts_with("now") {
            app.wait_state("lyrics", "done").await;
        }
        let found = app
            .client
            .execute_async(AT_200_PERCENT, vec![])
            .await
            .expect("the check ran");
        for problem in found.as_array().into_iter().flatten() {
            lost.push(format!(
                "{}: {}",
                view.name,
                problem.as_str().unwrap_or_default()
            ));
        }
        if matches!(view.name, "home" | "track (done)" | "now (playing)") {
            app.screenshot(view.name.split(' ').next().unwrap_or("view"))
                .await;
        }
        app.client
            .execute(
                "document.documentElement.style.fontSize = ''; return null;",
                vec![],
            )
            .await
            .expect("text back to 100 %");
    }
    assert!(lost.is_empty(), "text at 200 %:\n{}", lost.join("\n"));
}

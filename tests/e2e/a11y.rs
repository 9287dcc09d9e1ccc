//! Issue 21: WCAG 2.2 AA, checked by axe-core (the npm package) inside the real window, on
//! every view and state in the light and the dark theme. Every run writes
//! `target/a11y/report.json` (view, theme, rule, impact, nodes), so a failure says where.

use crate::harness::{App, Options, SERIAL};
use spotify_plus_fakes::spotify::library::*;
use spotify_plus_fakes::spotify::NowPlayingState;
use std::path::PathBuf;

/// The rule tags of WCAG 2.0, 2.1 and 2.2, levels A and AA.
const TAGS: [&str; 6] = [
    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Injects axe-core into the page (once) and runs it; returns its violations.
async fn violations(app: &App) -> Vec<serde_json::Value> {
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
    for (theme, gtk_theme) in [("light", "Adwaita"), ("dark", "Adwaita:dark")] {
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
            report.push(((view.name, theme), violations(&app).await));
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
}

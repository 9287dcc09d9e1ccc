//! `spotify-plus-bench`: what users feel (a new track page, a second visit, memory), measured on
//! the fakes with injected latency, against the original design and the physical limit.
//! Prints a table and writes `target/bench/summary.json` and `details.json`.

mod app_memory;
mod args;
mod cache;
mod cold;
mod companion;
mod dedup;
mod facts;
mod first_words;
mod lyrics;
mod report;
mod rig;
mod stats;
mod tray;
mod warm;

use args::{parse_args, FULL, SMOKE};
use report::Row;
use serde_json::{json, Map, Value};

fn round(v: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (v * f).round() / f
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    let sizes = if args.smoke { &SMOKE } else { &FULL };
    let progress = |what: &str| eprintln!("bench: {what}");

    progress("cold track page, this app and the original design");
    let cold = cold::run(sizes.cold_runs).await;
    progress("facts phase of a cold track page (MusicBrainz, Wikidata, Wikipedia)");
    let facts_cold = facts::run(sizes.cold_runs.max(20)).await;
    let lyrics_cold = lyrics::cold(sizes.cold_runs.max(20)).await;
    progress("first words");
    let first = first_words::run(sizes.cold_runs).await;
    progress("warm track page");
    let warm = warm::run(sizes.warm_tracks, sizes.warm_repeats).await;
    progress("1000 requests over 100 tracks from 8 tasks");
    let dedup = dedup::run(1000, 100, 8).await;
    progress("cache scale");
    let cache =
        tokio::task::spawn_blocking(move || cache::run(sizes.cache_insights, sizes.cache_lookups))
            .await
            .expect("cache benchmark");
    let app = if args.skip_app {
        None
    } else {
        progress("the real app under Xvfb");
        Some(app_memory::run(&args.app, sizes.startups, sizes.visits).await)
    };
    let tray = if args.skip_app {
        None
    } else {
        progress("a bare Tauri window, the app's home view, the app in the tray, reopening");
        Some(tray::run(&args.app, &args.bare, sizes.tray_runs, &sizes.tray).await)
    };
    let listening = if args.skip_app {
        None
    } else {
        progress("the now page following track ends; Spotify calls while playing and in the tray");
        Some(companion::run(&args.app, &sizes.companion).await)
    };

    let (a, b) = (cold.app.summary(), cold.baseline.summary());
    let limit = cold::physical_limit_ms();
    let cold_ratio = a.p50 / b.p50;
    let first_s = first.summary();
    let warm_s = warm.core_ms.summary();
    let restart_s = warm.restart_ms.summary();
    let lookup = cache.lookup_us.summary();
    let miss = cache.miss_us.summary();
    let expected_calls = 2 * dedup.distinct_tracks;
    let facts_s = facts_cold.ms.summary();
    let lyrics_s = lyrics_cold.ms.summary();
    let u = cold.ungrounded.summary();
    let ungrounded_ratio = u.p50 / b.p50;
    let grounded_limit = cold::grounded_limit_ms();
    let share = |both: usize, of: usize| {
        if of == 0 {
            0.0
        } else {
            both as f64 / of as f64
        }
    };
    let both_share = share(facts_cold.known_grounded_both, facts_cold.known);
    let both_share_all = share(facts_cold.grounded_both, facts_cold.runs);

    let mut rows = vec![
        Row::spread("cold page, this app (ms)", a.p50, a.p95, "", None),
        Row::spread("cold page, original design (ms)", b.p50, b.p95, "", None),
        Row::single(
            "cold page, physical limit, grounded (ms)",
            grounded_limit,
            "",
            None,
        ),
        Row::single(
            "cold page, physical limit, ungrounded (ms)",
            limit,
            "",
            None,
        ),
        Row::spread(
            "cold_ratio (this app, grounded / original)",
            cold_ratio,
            a.p95 / b.p95,
            "<= 0.90",
            Some(cold_ratio <= 0.90),
        ),
        Row::spread("cold page, grounding off (ms)", u.p50, u.p95, "", None),
        Row::spread(
            "cold_ratio_ungrounded (grounding off / original)",
            ungrounded_ratio,
            u.p95 / b.p95,
            "<= 0.55",
            Some(ungrounded_ratio <= 0.55),
        ),
        Row::spread(
            "facts_cold_ms (both cards' facts, 1 MusicBrainz req/s)",
            facts_s.p50,
            facts_s.p95,
            "<= 700",
            Some(facts_s.p50 <= 700.0),
        ),
        Row::single(
            &format!(
                "grounded_both_share ({} of {} pages MusicBrainz knows)",
                facts_cold.known_grounded_both, facts_cold.known
            ),
            both_share,
            ">= 0.9",
            Some(both_share >= 0.9),
        ),
        Row::single(
            &format!("  over all {} pages", facts_cold.runs),
            both_share_all,
            "reported",
            None,
        ),
        Row::spread(
            &format!(
                "lyrics_cold_ms (LRCLIB 150 ms, {} of {} found)",
                lyrics_cold.found, lyrics_cold.runs
            ),
            lyrics_s.p50,
            lyrics_s.p95,
            "reported",
            None,
        ),
        Row::single(
            &format!(
                "  LRCLIB requests again (cold: {})",
                lyrics_cold.cold_requests
            ),
            lyrics_cold.warm_requests as f64,
            "0",
            Some(lyrics_cold.warm_requests == 0),
        ),
        Row::spread(
            "this app over the limit (ms)",
            a.p50 - limit,
            a.p95 - limit,
            "",
            None,
        ),
        Row::spread(
            "first_token_overhead_ms",
            first_s.p50,
            first_s.p95,
            "<= 150",
            Some(first_s.p50 <= 150.0),
        ),
        Row::spread(
            "warm page, core (ms)",
            warm_s.p50,
            warm_s.p95,
            "<= 5",
            Some(warm_s.p50 <= 5.0),
        ),
        Row::single(
            &format!("warm page, model calls ({} visits)", warm.visits),
            warm.model_calls as f64,
            "0",
            Some(warm.model_calls == 0),
        ),
        Row::single(
            &format!("warm page, Spotify calls ({} visits)", warm.visits),
            warm.spotify_calls as f64,
            "reported",
            None,
        ),
        Row::spread(
            "page after a restart, core (ms)",
            restart_s.p50,
            restart_s.p95,
            "",
            None,
        ),
        Row::single(
            &format!("  model calls ({} visits)", restart_s.n),
            warm.restart_model_calls as f64,
            "0",
            Some(warm.restart_model_calls == 0),
        ),
        Row::single(
            &format!("  Spotify calls ({} visits)", restart_s.n),
            warm.restart_spotify_calls as f64,
            "reported",
            None,
        ),
        Row::single(
            "model_calls_1000_over_100",
            dedup.model_calls as f64,
            &format!("= {expected_calls}"),
            Some(dedup.model_calls == expected_calls),
        ),
        Row::single(
            "  Spotify calls in that burst",
            dedup.spotify_calls as f64,
            "",
            None,
        ),
        Row::spread(
            &format!("cache lookup, {} insights (us)", cache.insights),
            lookup.p50,
            lookup.p95,
            &format!("p99 {:.0} < 1000", lookup.p99),
            Some(lookup.p99 < 1000.0),
        ),
        Row::spread("cache miss (us)", miss.p50, miss.p95, "", None),
        Row::single(
            "cache file (MB)",
            cache.file_bytes as f64 / 1e6,
            "reported",
            None,
        ),
    ];
    if let Some(app) = &app {
        let (rss, pss) = (app.idle_rss_mb.summary(), app.idle_pss_mb.summary());
        let window = app.startup_to_window_ms.summary();
        let ui = app.startup_to_ui_ms.summary();
        rows.extend([
            Row::spread(
                "idle_rss_mb (app + WebKit, RSS sum)",
                rss.p50,
                rss.p95,
                "< 200",
                Some(rss.p50 < 200.0),
            ),
            Row::spread("  same, PSS sum (MB)", pss.p50, pss.p95, "", None),
            Row::spread(
                "startup_to_window_ms",
                window.p50,
                window.p95,
                "reported",
                None,
            ),
            Row::spread(
                "  session to home view, WebDriver (ms)",
                ui.p50,
                ui.p95,
                "",
                None,
            ),
        ]);
    }
    if let Some(tray) = &tray {
        rows.extend(tray::rows(tray));
    }
    if let Some(listening) = &listening {
        let lag = listening.lyrics_line_lag_ms.summary();
        rows.push(Row::spread(
            "lyrics_line_lag_ms (highlight vs player)",
            lag.p50,
            lag.p95,
            "<= 150",
            Some(lag.p50 <= 150.0),
        ));
    }
    let table = report::table(&rows);
    println!("{table}");

    let app_value = |f: fn(&app_memory::AppFigures) -> f64| {
        app.as_ref()
            .map_or(Value::Null, |app| json!(round(f(app), 1)))
    };
    let mut summary = Map::new();
    summary.insert("cold_ratio".into(), json!(round(cold_ratio, 3)));
    summary.insert(
        "cold_ratio_ungrounded".into(),
        json!(round(ungrounded_ratio, 3)),
    );
    summary.insert("facts_cold_ms".into(), json!(round(facts_s.p50, 1)));
    summary.insert("lyrics_cold_ms".into(), json!(round(lyrics_s.p50, 1)));
    summary.insert("grounded_both_share".into(), json!(round(both_share, 3)));
    summary.insert(
        "grounded_cold_limit_ms".into(),
        json!(round(grounded_limit, 1)),
    );
    summary.insert(
        "first_token_overhead_ms".into(),
        json!(round(first_s.p50, 2)),
    );
    summary.insert("warm_core_ms_p50".into(), json!(round(warm_s.p50, 3)));
    summary.insert("warm_model_calls".into(), json!(warm.model_calls));
    summary.insert("model_calls_1000_over_100".into(), json!(dedup.model_calls));
    summary.insert("cache_lookup_us_p99".into(), json!(round(lookup.p99, 1)));
    summary.insert(
        "idle_rss_mb".into(),
        app_value(|a| a.idle_rss_mb.summary().p50),
    );
    summary.insert(
        "startup_to_window_ms".into(),
        app_value(|a| a.startup_to_window_ms.summary().p50),
    );
    let tray_value = |f: &dyn Fn(&tray::TrayFigures) -> f64, places| {
        tray.as_ref()
            .map_or(Value::Null, |t| json!(round(f(t), places)))
    };
    summary.insert(
        "window_pss_ratio".into(),
        tray_value(&tray::window_pss_ratio, 3),
    );
    summary.insert(
        "tray_idle_pss_mb".into(),
        tray_value(&|t| t.tray.pss_mb.summary().p50, 1),
    );
    summary.insert(
        "reopen_to_view_ms".into(),
        tray_value(&|t| t.reopen_to_view_ms.summary().p50, 1),
    );
    let listening_value = |f: &dyn Fn(&companion::CompanionFigures) -> f64| {
        listening
            .as_ref()
            .map_or(Value::Null, |c| json!(round(f(c), 1)))
    };
    summary.insert(
        "track_change_latency_ms".into(),
        listening_value(&|c| c.track_change_ms.summary().p50),
    );
    summary.insert(
        "lyrics_line_lag_ms".into(),
        listening_value(&|c| c.lyrics_line_lag_ms.summary().p50),
    );
    summary.insert(
        "spotify_calls_per_min_playing".into(),
        listening_value(&|c| c.calls_per_min_playing),
    );
    summary.insert(
        "spotify_calls_per_min_tray".into(),
        listening_value(&|c| c.calls_per_min_tray),
    );
    let details = json!({
        "mode": if args.smoke { "smoke" } else { "full" },
        "machine": report::machine(),
        "app_binary": if app.is_some() { json!(args.app) } else { Value::Null },
        "bare_window_binary": if tray.is_some() { json!(args.bare) } else { Value::Null },
        "cold": {
            "spotify_latency_ms": cold::SPOTIFY_LATENCY.as_millis(),
            "model_first_token_ms": cold::MODEL_FIRST_TOKEN.as_millis(),
            "model_total_ms": cold::MODEL_TOTAL.as_millis(),
            "app_ms": a, "original_ms": b, "ungrounded_ms": u, "physical_limit_ms": limit,
            "grounded_physical_limit_ms": grounded_limit,
            "grounding": "on: fake MusicBrainz/Wikidata/Wikipedia with the real rules and latencies",
        },
        "facts_cold": {
            "ms": facts_s, "runs": facts_cold.runs,
            "both_cards_grounded": facts_cold.grounded_both,
            "known_to_musicbrainz": facts_cold.known,
            "known_both_cards_grounded": facts_cold.known_grounded_both,
            "budget_ms": spotify_plus_core::facts::config::DEFAULT_BUDGET.as_millis(),
        },
        "lyrics_cold": {
            "ms": lyrics_s, "runs": lyrics_cold.runs, "found": lyrics_cold.found,
            "cold_requests": lyrics_cold.cold_requests,
            "warm_requests": lyrics_cold.warm_requests,
        },
        "first_token_overhead_ms": first_s,
        "warm": {
            "core_ms": warm_s, "visits": warm.visits,
            "model_calls": warm.model_calls, "spotify_calls": warm.spotify_calls,
            "after_restart_ms": restart_s,
            "after_restart_model_calls": warm.restart_model_calls,
            "after_restart_spotify_calls": warm.restart_spotify_calls,
        },
        "dedup": {
            "requests": dedup.requests, "distinct_tracks": dedup.distinct_tracks, "tasks": 8,
            "model_calls": dedup.model_calls, "expected_model_calls": expected_calls,
            "spotify_calls": dedup.spotify_calls,
            "peak_concurrent_model_calls": dedup.peak_concurrent_model_calls,
            "wall_ms": round(dedup.wall_ms, 1),
        },
        "cache": {
            "insights": cache.insights, "insert_s": round(cache.insert_s, 2),
            "lookup_us": lookup, "miss_us": miss, "file_bytes": cache.file_bytes,
        },
        "app": app.as_ref().map(|app| json!({
            "startup_to_window_ms": app.startup_to_window_ms.summary(),
            "startup_to_ui_ms_webdriver": app.startup_to_ui_ms.summary(),
            "idle_rss_mb": app.idle_rss_mb.summary(),
            "idle_pss_mb": app.idle_pss_mb.summary(),
            "processes": app.processes,
        })),
        "tray": tray.as_ref().map(|t| {
            let phase = |p: &tray::Phase| json!({
                "rss_mb": p.rss_mb.summary(), "pss_mb": p.pss_mb.summary(),
                "processes": p.processes,
            });
            json!({
                "runs": t.tray.pss_mb.summary().n,
                "bare_window": phase(&t.bare),
                "home_view": phase(&t.home),
                "tray_idle": phase(&t.tray),
                "window_pss_ratio": round(tray::window_pss_ratio(t), 3),
                "window_rss_ratio": round(t.home.rss_mb.summary().p50 / t.bare.rss_mb.summary().p50, 3),
                "reopen_to_window_ms": t.reopen_to_window_ms.summary(),
                "reopen_to_view_ms_webdriver": t.reopen_to_view_ms.summary(),
                "reopen_model_calls": t.reopen_model_calls,
            })
        }),
        "companion": listening.as_ref().map(|c| json!({
            "track_change_latency_ms": c.track_change_ms.summary(),
            "lyrics_line_lag_ms": c.lyrics_line_lag_ms.summary(),
            "sample_length_ms": sizes.companion.sample.as_millis(),
            "counted_for_s": sizes.companion.count_for.as_secs(),
            "spotify_calls_per_min_playing": round(c.calls_per_min_playing, 2),
            "spotify_calls_per_min_tray": round(c.calls_per_min_tray, 2),
        })),
        "table": table,
    });
    report::write(&args.out, summary, details).expect("target/bench written");
    eprintln!(
        "bench: wrote {}/summary.json and details.json",
        args.out.display()
    );
}

//! The printed table and the two JSON files.

use serde_json::{json, Map, Value};
use std::path::Path;

/// One line of the table.
pub struct Row {
    pub metric: String,
    pub median: f64,
    pub p95: Option<f64>,
    pub target: String,
    /// `None`: reported for context, no target.
    pub met: Option<bool>,
}

impl Row {
    /// A line with a median and a p95.
    pub fn spread(metric: &str, median: f64, p95: f64, target: &str, met: Option<bool>) -> Self {
        Self {
            metric: metric.into(),
            median,
            p95: Some(p95),
            target: target.into(),
            met,
        }
    }

    /// A line with one figure (a count or a size).
    pub fn single(metric: &str, value: f64, target: &str, met: Option<bool>) -> Self {
        Self {
            metric: metric.into(),
            median: value,
            p95: None,
            target: target.into(),
            met,
        }
    }
}

fn figure(v: f64) -> String {
    if v.fract() == 0.0 || v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

/// The table as Markdown, so it can be pasted into the README as printed.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::from("| metric | median | p95 | target | met |\n|---|--:|--:|---|---|\n");
    for row in rows {
        let met = match row.met {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "",
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            row.metric,
            figure(row.median),
            row.p95.map(figure).unwrap_or_default(),
            row.target,
            met
        ));
    }
    out
}

/// The machine the figures were measured on.
pub fn machine() -> Value {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpu = read("/proc/cpuinfo")
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_default();
    let mem_kb: u64 = read("/proc/meminfo")
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    json!({
        "cpus": std::thread::available_parallelism().map_or(0, |n| n.get()),
        "cpu_model": cpu,
        "memory_gb": (mem_kb as f64 / 1024.0 / 1024.0 * 10.0).round() / 10.0,
        "kernel": read("/proc/sys/kernel/osrelease").trim(),
        "bench_build": if cfg!(debug_assertions) { "debug" } else { "release" },
    })
}

/// Writes `summary.json` (exactly the keys) and `details.json` into `dir`.
pub fn write(dir: &Path, summary: Map<String, Value>, details: Value) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let pretty = |v: &Value| serde_json::to_string_pretty(v).expect("JSON") + "\n";
    std::fs::write(dir.join("summary.json"), pretty(&Value::Object(summary)))?;
    std::fs::write(dir.join("details.json"), pretty(&details))
}

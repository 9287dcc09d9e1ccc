//! How each call of the client ended, with the exchanges it made, and the reports made of
//! them: the problems found and a per-endpoint summary.

use super::recorder::Exchange;
use super::RUNS;
use spotify_plus_core::spotify::SpotifyError;
use spotify_plus_core::Kinded;
use std::collections::BTreeMap;

/// How one call of the client ended.
pub(super) enum Outcome {
    Parsed,
    Failed(SpotifyError),
    Panicked(String),
}

/// One call: which endpoint, how it ended, and the HTTP exchanges it made.
pub(super) struct CallRecord {
    pub(super) endpoint: &'static str,
    pub(super) outcome: Outcome,
    pub(super) exchanges: Vec<Exchange>,
}

impl CallRecord {
    /// A failure message with what Prism sent, so a random failure can be reproduced by hand.
    pub(super) fn describe(&self, outcome: &Outcome) -> String {
        let what = match outcome {
            Outcome::Parsed => "parsed".to_string(),
            Outcome::Failed(error) => format!("failed with {}: {error}", error.kind()),
            Outcome::Panicked(message) => format!("PANICKED: {message}"),
        };
        let exchanges: Vec<String> = self.exchanges.iter().map(Exchange::describe).collect();
        format!(
            "{} {what}\n{}",
            self.endpoint,
            if exchanges.is_empty() {
                "  (no request reached Prism)".to_string()
            } else {
                exchanges.join("\n")
            }
        )
    }
}

/// Violations Prism reported, answers that were not 2xx, and calls that never reached Prism.
pub(super) fn request_problems(calls: &[CallRecord]) -> Vec<String> {
    let mut problems = Vec::new();
    for call in calls {
        let bad = call
            .exchanges
            .iter()
            .any(|e| e.violations.is_some() || !(200..300).contains(&e.status));
        if bad || call.exchanges.is_empty() {
            problems.push(format!("request problem: {}", call.describe(&call.outcome)));
        }
    }
    problems.dedup();
    problems
}

/// The first problems in full (with Prism's answer, to reproduce by hand), then a count.
pub(super) fn first_few(problems: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = problems[..problems.len().min(SHOWN)].join("\n\n");
    if problems.len() > SHOWN {
        text.push_str(&format!("\n\n... and {} more", problems.len() - SHOWN));
    }
    text
}

/// Per endpoint: how many calls parsed, and how the others ended.
pub(super) fn summary(run: &str, calls: &[CallRecord]) -> String {
    let mut table: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    for call in calls {
        let how = match &call.outcome {
            Outcome::Parsed => "parsed".to_string(),
            Outcome::Failed(error) => error.kind().to_string(),
            Outcome::Panicked(_) => "PANIC".to_string(),
        };
        *table
            .entry(call.endpoint)
            .or_default()
            .entry(how)
            .or_default() += 1;
    }
    let mut lines = vec![format!("conformance, {run} ({RUNS} calls each):")];
    for (endpoint, outcomes) in table {
        let outcomes: Vec<String> = outcomes.iter().map(|(k, n)| format!("{k} {n}")).collect();
        lines.push(format!("  {endpoint:<20} {}", outcomes.join(", ")));
    }
    lines.join("\n")
}

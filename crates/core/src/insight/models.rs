//! Which model to use: what a server offers (`GET /models`, with shutdown dates), the short
//! list the app prefers when nobody chose one, and a replacement for a model that is retiring.
//!
//! Model names change every few months, so nothing here is trusted over what the server says:
//! the lists only order what `/models` offers; a model with a shutdown date is never picked.

use serde::Serialize;
use ts_rs::TS;

/// Models preferred when none is configured, best first: small, cheap and current ones, then
/// their larger siblings. Where it came from: the product's design card, section 5, as of 2026-11-25,
/// which lists gpt-5, gpt-5-mini, gpt-5-nano and o3 as shut down on 2026-12-11 and gpt-4o,
/// gpt-4o-mini, gpt-4.1 and gpt-4.1-mini on 2027-01-14, and warns that write-ups disagree on
/// their replacements' names. So this list names the later families, is only ever matched
/// against `/models`, and a match with a `shutdown_date` is skipped; review it when OpenAI
/// announces the next retirements.
pub const PREFERRED_MODELS: &[&str] = &["gpt-5.2-mini", "gpt-5.1-mini", "gpt-5.2", "gpt-5.1"];

/// The model used when none is configured and `/models` cannot be read (no key yet, offline).
/// gpt-5.1 is a model OpenAI has actually served (since November 2025) and has no announced
/// shutdown in design.md section 5 (2026-11-25), unlike every gpt-5, o3, gpt-4o and gpt-4.1
/// model; the mini names above are preferred when offered, but are not certain to exist, and
/// a fallback that does not exist would fail every request.
pub const FALLBACK_MODEL: &str = "gpt-5.1";

/// Longest model id or date taken from a server; real ones are far shorter.
const MAX_FIELD_CHARS: usize = 100;

/// One model a server offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ModelInfo {
    /// Its name, as sent in requests.
    pub id: String,
    /// When the provider turns it off, exactly as the server wrote it (`YYYY-MM-DD`), if ever.
    pub shutdown_date: Option<String>,
}

impl ModelInfo {
    /// A model from a `/models` entry; `None` for an id that is empty, huge or has control
    /// characters. A date that is not plain text is dropped rather than shown.
    pub fn from_wire(id: &str, shutdown_date: Option<&str>) -> Option<Self> {
        let sane = |s: &str| {
            !s.trim().is_empty() && s.len() <= MAX_FIELD_CHARS && !s.chars().any(char::is_control)
        };
        sane(id).then(|| Self {
            id: id.to_string(),
            shutdown_date: shutdown_date.filter(|d| sane(d)).map(str::to_string),
        })
    }
}

/// The model picked for a user who did not choose one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelChoice {
    /// The model to use.
    pub model: String,
    /// Whether to save it as the user's setting (`false`: only for this run, ask again later).
    pub save: bool,
    /// What to tell the user about it.
    pub notice: String,
}

/// The model to suggest from what a server offers, skipping `current` and anything with a
/// shutdown date: the first of [`PREFERRED_MODELS`] offered, else (for servers other than
/// OpenAI, whose lists hold only chat models they run locally) the first dated-free one.
pub fn suggest(offered: &[ModelInfo], current: Option<&str>, openai: bool) -> Option<String> {
    let usable = |m: &&ModelInfo| m.shutdown_date.is_none() && Some(m.id.as_str()) != current;
    PREFERRED_MODELS
        .iter()
        .find_map(|name| offered.iter().filter(usable).find(|m| m.id == *name))
        .or_else(|| (!openai).then(|| offered.iter().find(usable)).flatten())
        .map(|m| m.id.clone())
}

/// The model to use when none is configured, from what `/models` answered (`None` when it
/// could not be read). A pick from the list is saved; the fallback is used for this run only,
/// so the list is asked again next time.
pub fn choose(offered: Option<&[ModelInfo]>, openai: bool) -> ModelChoice {
    match offered.map(|list| suggest(list, None, openai)) {
        Some(Some(model)) => ModelChoice {
            notice: format!(
                "No model was set, so Spotify Plus picked \"{model}\" from the models your AI server offers (one with no announced shutdown date). You can change it in Settings."
            ),
            model,
            save: true,
        },
        Some(None) => ModelChoice {
            model: FALLBACK_MODEL.to_string(),
            save: false,
            notice: format!(
                "No model was set, and none of the models your AI server offers is one Spotify Plus knows to be current, so it uses \"{FALLBACK_MODEL}\". Pick a model in Settings."
            ),
        },
        None => ModelChoice {
            model: FALLBACK_MODEL.to_string(),
            save: false,
            notice: format!(
                "No model was set and the AI server's model list could not be read, so Spotify Plus uses \"{FALLBACK_MODEL}\" for now. You can pick a model in Settings."
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(id: &str, date: Option<&str>) -> ModelInfo {
        ModelInfo::from_wire(id, date).unwrap()
    }

    #[test]
    fn the_fallback_is_not_a_model_with_an_announced_shutdown() {
        // The lists of design.md section 5 (2026-11-25).
        let dying = [
            "gpt-5",
            "gpt-5-mini",
            "gpt-5-nano",
            "o3",
            "gpt-4o",
            "gpt-4o-mini",
            "gpt-4.1",
            "gpt-4.1-mini",
        ];
        assert!(!dying.contains(&FALLBACK_MODEL));
        assert!(PREFERRED_MODELS.iter().all(|p| !dying.contains(p)));
        assert!(PREFERRED_MODELS.contains(&FALLBACK_MODEL));
    }

    #[test]
    fn a_preferred_model_with_a_date_is_skipped() {
        let offered = [
            m("gpt-5.2-mini", Some("2027-03-01")),
            m("gpt-5.1", None),
            m("gpt-5.1-mini", None),
        ];
        assert_eq!(
            suggest(&offered, None, true).as_deref(),
            Some("gpt-5.1-mini")
        );
        assert_eq!(
            suggest(&offered, Some("gpt-5.1-mini"), true).as_deref(),
            Some("gpt-5.1")
        );
    }

    #[test]
    fn other_servers_fall_back_to_any_model_without_a_date() {
        let offered = [m("old", Some("2026-01-01")), m("llama3.2", None)];
        assert_eq!(suggest(&offered, None, false).as_deref(), Some("llama3.2"));
        assert_eq!(suggest(&offered, None, true), None);
        let choice = choose(Some(&offered), true);
        assert_eq!(
            (choice.model.as_str(), choice.save),
            (FALLBACK_MODEL, false)
        );
    }

    #[test]
    fn hostile_entries_are_dropped() {
        assert_eq!(ModelInfo::from_wire("", None), None);
        assert_eq!(ModelInfo::from_wire("a\nb", None), None);
        assert_eq!(
            ModelInfo::from_wire("ok", Some("2026\u{7}"))
                .unwrap()
                .shutdown_date,
            None
        );
    }
}

//! Settings of grounding: whether it is on, the language of insights, and where the three open
//! sources are (design.md section 3: MUSICBRAINZ_BASE_URL, WIKIDATA_BASE_URL, WIKIPEDIA_BASE_URL).

use crate::config::{parse_secure_url, ConfigError};
use std::time::Duration;
use url::Url;

/// Default MusicBrainz web service root.
pub const DEFAULT_MUSICBRAINZ_BASE_URL: &str = "https://musicbrainz.org";
/// Default Wikidata root.
pub const DEFAULT_WIKIDATA_BASE_URL: &str = "https://www.wikidata.org";
/// Default Wikipedia root; `{lang}` stands for the language code.
pub const DEFAULT_WIKIPEDIA_BASE_URL: &str = "https://{lang}.wikipedia.org";
/// How long an insight waits for its facts before the model is asked without them.
pub const DEFAULT_BUDGET: Duration = Duration::from_millis(1500);

/// Languages offered for insights: code and English name (the name goes into the prompt).
pub const LANGUAGES: [(&str, &str); 16] = [
    ("en", "English"),
    ("de", "German"),
    ("fr", "French"),
    ("es", "Spanish"),
    ("it", "Italian"),
    ("pt", "Portuguese"),
    ("nl", "Dutch"),
    ("sv", "Swedish"),
    ("no", "Norwegian"),
    ("da", "Danish"),
    ("fi", "Finnish"),
    ("pl", "Polish"),
    ("cs", "Czech"),
    ("tr", "Turkish"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
];

/// The English name of a language code, if it is one of [`LANGUAGES`].
pub fn language_name(code: &str) -> Option<&'static str> {
    LANGUAGES.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// Grounding settings as resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactsConfig {
    /// Whether insights are grounded in facts (on unless switched off).
    pub enabled: bool,
    /// Language code of insights and of the Wikipedia pages read.
    pub language: String,
    /// Whether `language` is the system's (no language was chosen).
    pub language_is_system: bool,
    /// MusicBrainz web service root.
    pub musicbrainz_base_url: Url,
    /// Wikidata root.
    pub wikidata_base_url: Url,
    /// Wikipedia root with `{lang}` where the language code goes.
    pub wikipedia_base_url: String,
    /// How long an insight waits for facts.
    pub budget: Duration,
}

impl Default for FactsConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            language: "en".into(),
            language_is_system: true,
            musicbrainz_base_url: Url::parse(DEFAULT_MUSICBRAINZ_BASE_URL).expect("valid"),
            wikidata_base_url: Url::parse(DEFAULT_WIKIDATA_BASE_URL).expect("valid"),
            wikipedia_base_url: DEFAULT_WIKIPEDIA_BASE_URL.into(),
            budget: DEFAULT_BUDGET,
        }
    }
}

impl FactsConfig {
    /// Resolves from the saved choices and `lookup` (environment, then `.env`); unusable values
    /// are reported in `problems` and replaced by defaults.
    pub fn resolve(
        grounding: Option<bool>,
        language: Option<&str>,
        lookup: impl Fn(&str) -> Option<String>,
        problems: &mut Vec<ConfigError>,
    ) -> Self {
        let defaults = Self::default();
        let mut url = |key: &'static str, default: Url| match lookup(key) {
            None => default,
            // Their text goes into the prompt: plain http only to this computer.
            Some(v) => match parse_secure_url(key, v.trim()) {
                Ok(url) => url,
                Err(e) => {
                    problems.push(e);
                    default
                }
            },
        };
        let musicbrainz_base_url = url("MUSICBRAINZ_BASE_URL", defaults.musicbrainz_base_url);
        let wikidata_base_url = url("WIKIDATA_BASE_URL", defaults.wikidata_base_url);
        let wikipedia_base_url = match lookup("WIKIPEDIA_BASE_URL") {
            None => defaults.wikipedia_base_url,
            Some(v) => {
                match parse_secure_url("WIKIPEDIA_BASE_URL", v.replace("{lang}", "en").trim()) {
                    Ok(_) if v.contains("{lang}") => v.trim_end_matches('/').to_string(),
                    Ok(_) => {
                        problems.push(ConfigError::InvalidUrl {
                            setting: "WIKIPEDIA_BASE_URL",
                            reason: "it must contain {lang} where the language code goes".into(),
                        });
                        defaults.wikipedia_base_url
                    }
                    Err(e) => {
                        problems.push(e);
                        defaults.wikipedia_base_url
                    }
                }
            }
        };
        let chosen = language
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .and_then(|l| language_name(l).map(|_| l.to_string()));
        Self {
            enabled: grounding.unwrap_or(true),
            language_is_system: chosen.is_none(),
            language: chosen.unwrap_or_else(|| system_language(&lookup)),
            musicbrainz_base_url,
            wikidata_base_url,
            wikipedia_base_url,
            budget: defaults.budget,
        }
    }

    /// The Wikipedia root for one language.
    pub fn wikipedia_url(&self, lang: &str) -> String {
        self.wikipedia_base_url.replace("{lang}", lang)
    }
}

/// The system's language from the POSIX locale variables (`LC_ALL`, `LC_MESSAGES`, `LANG`),
/// when it is one the app offers; English otherwise (also for `C` and `POSIX`).
pub fn system_language(lookup: impl Fn(&str) -> Option<String>) -> String {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|key| lookup(key))
        .find(|v| !v.trim().is_empty())
        .map(|v| {
            v.split(['_', '.', '@', '-'])
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase()
        })
        .filter(|code| language_name(code).is_some())
        .unwrap_or_else(|| "en".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::env_of as env;

    #[test]
    fn defaults_are_the_public_services_and_the_system_language() {
        let mut problems = Vec::new();
        let c = FactsConfig::resolve(None, None, env(&[("LANG", "de_DE.UTF-8")]), &mut problems);
        assert!(problems.is_empty());
        assert!(c.enabled);
        assert_eq!((c.language.as_str(), c.language_is_system), ("de", true));
        assert_eq!(c.musicbrainz_base_url.as_str(), "https://musicbrainz.org/");
        assert_eq!(c.wikipedia_url("fr"), "https://fr.wikipedia.org");
        assert_eq!(system_language(env(&[("LANG", "C.UTF-8")])), "en");
        assert_eq!(system_language(env(&[("LC_ALL", "xx_YY")])), "en");
    }

    #[test]
    fn saved_choices_and_bad_urls() {
        let mut problems = Vec::new();
        let c = FactsConfig::resolve(
            Some(false),
            Some("fr"),
            env(&[
                ("MUSICBRAINZ_BASE_URL", "ftp://x"),
                ("WIKIPEDIA_BASE_URL", "http://127.0.0.1:9/wiki"),
            ]),
            &mut problems,
        );
        assert!(!c.enabled);
        assert_eq!((c.language.as_str(), c.language_is_system), ("fr", false));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(c.wikipedia_base_url, DEFAULT_WIKIPEDIA_BASE_URL);
        let ok = FactsConfig::resolve(
            None,
            Some("klingon"),
            env(&[("WIKIPEDIA_BASE_URL", "http://127.0.0.1:9/{lang}/")]),
            &mut problems,
        );
        assert_eq!(ok.wikipedia_url("de"), "http://127.0.0.1:9/de");
        assert!(ok.language_is_system);
        // Facts feed the prompt: plain http only on this computer.
        let mut problems = Vec::new();
        let plain = FactsConfig::resolve(
            None,
            None,
            env(&[
                ("MUSICBRAINZ_BASE_URL", "http://musicbrainz.example"),
                ("WIKIDATA_BASE_URL", "http://wikidata.example"),
                ("WIKIPEDIA_BASE_URL", "http://{lang}.wikipedia.example"),
            ]),
            &mut problems,
        );
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert_eq!(
            plain.musicbrainz_base_url.as_str(),
            "https://musicbrainz.org/"
        );
        assert_eq!(
            plain.wikidata_base_url.as_str(),
            "https://www.wikidata.org/"
        );
    }
}

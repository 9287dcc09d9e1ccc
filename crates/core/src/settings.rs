//! The Settings screen's two messages: what it shows (secrets only as "is set") and what it
//! sends back, merged into the saved settings by one rule kept here.

use crate::config::{origin_of, BackgroundInsights, Config, ConfigError, DotenvUse, SavedSettings};
use crate::secret::{blank_is_none, Secret};
use crate::vault::StoreKind;
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

/// Settings as the page sees them: secrets are never sent, only whether one is saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    /// Spotify app client ID.
    pub client_id: Option<String>,
    /// Whether a client secret is saved.
    pub has_client_secret: bool,
    /// Whether an OpenAI API key is saved.
    pub has_openai_key: bool,
    /// The origin the key in use is sent to (it goes nowhere else).
    pub openai_key_origin: Option<String>,
    /// Where the tokens and keys are kept.
    pub secret_store: StoreKind,
    /// Whether a sign-in waits for the browser (Settings offers to cancel it).
    pub sign_in_pending: bool,
    /// Root of the OpenAI-compatible API.
    pub openai_base_url: String,
    /// Chat model in use.
    pub openai_model: String,
    /// No model is configured: `openai_model` is the fallback until one is picked.
    pub openai_model_unset: bool,
    /// When insights for the playing track are fetched in the background.
    pub background_insights: BackgroundInsights,
    /// The redirect URI to register with Spotify.
    pub redirect_uri: String,
    /// Where the cache, tokens and settings live.
    pub data_dir: String,
    /// Whether insights are grounded in MusicBrainz and Wikipedia facts.
    pub grounding: bool,
    /// The chosen language of insights; `None` follows the system.
    pub insight_language: Option<String>,
    /// The system's language (used when none is chosen).
    pub system_language: String,
    /// The languages offered: code and English name.
    pub languages: Vec<(String, String)>,
    /// A desktop notification on each track change.
    pub track_notifications: bool,
    /// The settings a `.env` file supplied (read from the folder the app started in).
    pub from_dotenv: Option<DotenvUse>,
    /// When the Spotify sign-in ends (six months after it), seconds since the Unix epoch.
    #[ts(type = "number | null")]
    pub sign_in_expires_at: Option<u64>,
}

impl SettingsView {
    /// The view of `config`, whose data lives in `data_dir` and whose secrets in `secret_store`.
    pub fn new(
        config: &Config,
        data_dir: &Path,
        secret_store: StoreKind,
        sign_in_pending: bool,
    ) -> Self {
        Self {
            client_id: config.client_id.clone(),
            has_client_secret: config.client_secret.is_some(),
            has_openai_key: config.openai_api_key.is_some(),
            openai_key_origin: config
                .openai_api_key
                .as_ref()
                .map(|_| origin_of(&config.openai_base_url)),
            secret_store,
            sign_in_pending,
            openai_base_url: config.openai_base_url.to_string(),
            openai_model: config.openai_model.clone(),
            openai_model_unset: config.openai_model_unset,
            background_insights: config.background_insights,
            redirect_uri: config.redirect_uri(),
            data_dir: data_dir.display().to_string(),
            grounding: config.facts.enabled,
            track_notifications: config.track_notifications,
            insight_language: (!config.facts.language_is_system)
                .then(|| config.facts.language.clone()),
            system_language: crate::facts::config::system_language(|k| std::env::var(k).ok()),
            languages: crate::facts::LANGUAGES
                .iter()
                .map(|(code, name)| (code.to_string(), name.to_string()))
                .collect(),
            from_dotenv: None,
            sign_in_expires_at: None,
        }
    }

    /// The view naming the settings `from_dotenv` supplied.
    pub fn with_dotenv(mut self, from_dotenv: Option<DotenvUse>) -> Self {
        self.from_dotenv = from_dotenv;
        self
    }

    /// The view saying when the Spotify sign-in ends.
    pub fn with_sign_in_expiry(mut self, expires_at: Option<u64>) -> Self {
        self.sign_in_expires_at = expires_at;
        self
    }
}

/// What the settings form sends; its secrets are redacting types from the moment they arrive.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsForm {
    /// Spotify app client ID; blank clears it.
    pub client_id: String,
    /// Blank keeps the saved secret.
    #[serde(deserialize_with = "blank_is_none")]
    #[ts(type = "string")]
    pub client_secret: Option<Secret>,
    /// Blank keeps the saved key (see `clear_openai_api_key`), if the base URL keeps its origin.
    #[serde(deserialize_with = "blank_is_none")]
    #[ts(type = "string")]
    pub openai_api_key: Option<Secret>,
    /// Removes the saved key.
    pub clear_openai_api_key: bool,
    /// Blank uses the default.
    pub openai_base_url: String,
    /// Blank lets the app pick one.
    pub openai_model: String,
    /// Absent from older forms: keeps the saved choice.
    #[serde(default)]
    #[ts(optional)]
    pub background_insights: Option<BackgroundInsights>,
    /// Grounding on or off; absent keeps the saved choice.
    #[serde(default)]
    #[ts(optional)]
    pub grounding: Option<bool>,
    /// Language code of insights, blank for the system's; absent keeps the saved choice.
    #[serde(default)]
    #[ts(optional)]
    pub insight_language: Option<String>,
    /// Notifications on track changes; absent keeps the saved choice.
    #[serde(default)]
    #[ts(optional)]
    pub track_notifications: Option<bool>,
}

impl SettingsForm {
    /// The settings to save: what was typed, except that a blank secret keeps the saved one
    /// (the form never shows secrets, so blank means "unchanged"); checked before saving.
    ///
    /// The key is bound to the base URL's origin: a blank key with a base URL on another origin
    /// is refused (the saved key must not follow it), unless the new server is on this computer,
    /// where the saved key is dropped instead (a local server needs none).
    pub fn apply_to(self, previous: &SavedSettings) -> Result<SavedSettings, ConfigError> {
        let typed = |value: String| Some(value.trim().to_string()).filter(|v| !v.is_empty());
        let mut saved = SavedSettings {
            client_id: typed(self.client_id),
            client_secret: self
                .client_secret
                .or_else(|| previous.client_secret.clone()),
            openai_api_key: None,
            openai_key_origin: None,
            openai_base_url: typed(self.openai_base_url),
            openai_model: typed(self.openai_model),
            background_insights: self.background_insights.or(previous.background_insights),
            grounding: self.grounding.or(previous.grounding),
            track_notifications: self.track_notifications.or(previous.track_notifications),
            insight_language: match self.insight_language {
                Some(language) => typed(language),
                None => previous.insight_language.clone(),
            },
        };
        saved.validate()?;
        let server = saved.base_url_or_default();
        let key = match (self.clear_openai_api_key, self.openai_api_key) {
            (true, _) => None,
            (false, Some(typed)) => Some(typed),
            (false, None) => match &previous.openai_api_key {
                Some(key) if previous.key_origin() == origin_of(&server) => Some(key.clone()),
                Some(_) if crate::config::is_loopback(&server) => None,
                Some(_) => {
                    return Err(ConfigError::KeyNeeded {
                        key_origin: previous.key_origin(),
                        server: origin_of(&server),
                    })
                }
                None => None,
            },
        };
        saved.openai_key_origin = key.as_ref().map(|_| origin_of(&server));
        saved.openai_api_key = key;
        Ok(saved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SettingsForm {
        SettingsForm {
            client_id: " client ".into(),
            client_secret: None,
            openai_api_key: None,
            clear_openai_api_key: false,
            openai_base_url: String::new(),
            openai_model: "gpt-5.1".into(),
            background_insights: None,
            grounding: None,
            insight_language: None,
            track_notifications: None,
        }
    }

    fn previous() -> SavedSettings {
        SavedSettings {
            client_id: Some("old-client".into()),
            client_secret: Secret::new("old-secret"),
            openai_api_key: Secret::new("sk-old"),
            openai_base_url: Some("http://127.0.0.1:11434/v1".into()),
            openai_model: Some("old-model".into()),
            background_insights: Some(BackgroundInsights::Never),
            ..SavedSettings::default()
        }
    }

    #[test]
    fn blank_secrets_keep_the_saved_ones_and_other_blanks_clear() {
        let same_server = SettingsForm {
            openai_base_url: "http://127.0.0.1:11434/other".into(),
            ..form()
        };
        let saved = same_server.apply_to(&previous()).unwrap();
        assert_eq!(saved.client_id.as_deref(), Some("client"));
        assert_eq!(saved.client_secret, Secret::new("old-secret"));
        assert_eq!(saved.openai_api_key, Secret::new("sk-old"));
        assert_eq!(
            saved.openai_key_origin.as_deref(),
            Some("http://127.0.0.1:11434")
        );
        assert_eq!(saved.openai_model.as_deref(), Some("gpt-5.1"));
        assert_eq!(saved.background_insights, Some(BackgroundInsights::Never));
        let mut blank = form();
        blank.clear_openai_api_key = true;
        let saved = blank.apply_to(&previous()).unwrap();
        assert_eq!(saved.openai_base_url, None, "blank base URL: the default");
    }

    #[test]
    fn a_new_origin_asks_for_its_own_key_and_a_local_one_needs_none() {
        // From the local server to OpenAI with the key field blank: the local key stays behind.
        let error = form().apply_to(&previous()).unwrap_err();
        assert_eq!(
            error,
            ConfigError::KeyNeeded {
                key_origin: "http://127.0.0.1:11434".into(),
                server: "https://api.openai.com".into()
            }
        );
        let with_key = SettingsForm {
            openai_api_key: Secret::new("sk-openai"),
            ..form()
        }
        .apply_to(&previous())
        .unwrap();
        assert_eq!(
            with_key.openai_key_origin.as_deref(),
            Some("https://api.openai.com")
        );
        // From OpenAI to a local server: the OpenAI key is dropped, not sent there.
        let local = SettingsForm {
            openai_base_url: "http://localhost:8080/v1".into(),
            ..form()
        }
        .apply_to(&with_key)
        .unwrap();
        assert_eq!(
            (local.openai_api_key, local.openai_key_origin),
            (None, None)
        );
    }

    #[test]
    fn typed_secrets_replace_and_clear_removes_the_key() {
        let saved = SettingsForm {
            client_secret: Secret::new(" new-secret "),
            openai_api_key: Secret::new("sk-new"),
            ..form()
        }
        .apply_to(&previous())
        .unwrap();
        assert_eq!(saved.client_secret, Secret::new("new-secret"));
        assert_eq!(saved.openai_api_key, Secret::new("sk-new"));
        let cleared = SettingsForm {
            openai_api_key: Secret::new("sk-typed-but-cleared"),
            clear_openai_api_key: true,
            ..form()
        }
        .apply_to(&previous())
        .unwrap();
        assert_eq!(cleared.openai_api_key, None);
    }

    #[test]
    fn a_bad_value_is_refused_with_its_name() {
        let error = SettingsForm {
            openai_base_url: "not a url".into(),
            ..form()
        }
        .apply_to(&previous())
        .err()
        .unwrap();
        assert!(error.to_string().contains("OPENAI_BASE_URL"), "{error}");
    }
}

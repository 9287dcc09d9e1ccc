//! What the Settings screen saves, and the one rule for the OpenAI key it holds: the key goes
//! only to the origin it was given for.

use super::endpoints::{origin_of, parse_secure_url};
use super::{non_empty, ConfigError, DEFAULT_OPENAI_BASE_URL};
use crate::secret::{blank_is_none, Secret};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

/// When the app asks the model about the playing track on its own (for the tray, and so its page
/// opens at once). That sends what the user listens to to the model server and costs money, so
/// by default only while the window is open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum BackgroundInsights {
    /// Also while the window is hidden (tray only).
    Always,
    /// Only while the window is visible.
    #[default]
    WhileVisible,
    /// Never: insights are only written for pages the user opens.
    Never,
}

impl BackgroundInsights {
    /// Whether a background fetch may run now.
    pub fn allows(self, window_visible: bool) -> bool {
        match self {
            Self::Always => true,
            Self::WhileVisible => window_visible,
            Self::Never => false,
        }
    }
}

/// A saved value the app no longer knows (a newer or hand-edited store) reads as unset, so the
/// other settings still load.
fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).ok())
}

/// What the user typed in the Settings screen. The secrets live in the vault: they are read
/// from an older store (to be moved) but never written to it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedSettings {
    /// Spotify app client ID.
    pub client_id: Option<String>,
    /// Optional Spotify client secret (PKCE works without it); kept in the vault.
    #[serde(default, deserialize_with = "blank_is_none", skip_serializing)]
    pub client_secret: Option<Secret>,
    /// Key for the chat-completions server; kept in the vault.
    #[serde(default, deserialize_with = "blank_is_none", skip_serializing)]
    pub openai_api_key: Option<Secret>,
    /// The origin the key was given for (`https://api.openai.com`); it is sent nowhere else.
    /// Kept with the key in the vault; read from an older settings file to bind its key.
    #[serde(default, skip_serializing)]
    pub openai_key_origin: Option<String>,
    /// Root of an OpenAI-compatible API.
    pub openai_base_url: Option<String>,
    /// Chat model name.
    pub openai_model: Option<String>,
    /// When insights for the playing track are fetched in the background.
    #[serde(default, deserialize_with = "lenient")]
    pub background_insights: Option<BackgroundInsights>,
    /// Whether insights are grounded in MusicBrainz and Wikipedia facts (unset: on).
    #[serde(default)]
    pub grounding: Option<bool>,
    /// Language code of insights (unset: the system's).
    #[serde(default)]
    pub insight_language: Option<String>,
    /// A desktop notification on each track change (unset: off).
    #[serde(default)]
    pub track_notifications: Option<bool>,
}

impl SavedSettings {
    /// Checks what a user is about to save; the error names the first bad setting.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(url) = non_empty(&self.openai_base_url) {
            parse_secure_url("OPENAI_BASE_URL", &url)?;
        }
        if self
            .openai_model
            .as_deref()
            .is_some_and(|m| m.trim().is_empty())
        {
            return Err(ConfigError::Empty {
                setting: "OPENAI_MODEL",
            });
        }
        Ok(())
    }

    /// The origin the saved key belongs to: the one recorded with it, else (a key saved before
    /// keys were bound) the saved base URL's, else the default server's.
    pub fn key_origin(&self) -> String {
        self.openai_key_origin
            .clone()
            .unwrap_or_else(|| origin_of(&self.base_url_or_default()))
    }

    /// The saved base URL if it is usable, else the default.
    pub fn base_url_or_default(&self) -> Url {
        non_empty(&self.openai_base_url)
            .and_then(|u| parse_secure_url("OPENAI_BASE_URL", &u).ok())
            .unwrap_or_else(|| Url::parse(DEFAULT_OPENAI_BASE_URL).expect("default URL is valid"))
    }
}

/// The key for `server`: the saved one, else the environment's (with the origin it was given
/// for), whichever was given for `server`'s origin. A key given elsewhere is not used, and a
/// problem says why (an environment variable, `.env` or Settings moved the server).
pub(super) fn bound_key(
    saved: &SavedSettings,
    env_key: Option<(Secret, String)>,
    server: &Url,
    problems: &mut Vec<ConfigError>,
) -> Option<Secret> {
    let server = origin_of(server);
    let saved_key = saved
        .openai_api_key
        .clone()
        .map(|key| (key, saved.key_origin()));
    let mut refused = None;
    for (key, key_origin) in saved_key.into_iter().chain(env_key) {
        if key_origin == server {
            return Some(key);
        }
        refused.get_or_insert(key_origin);
    }
    if let Some(key_origin) = refused {
        problems.push(ConfigError::KeyForOtherServer { key_origin, server });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::Config;
    use super::*;

    fn with_key(origin: Option<&str>, base: Option<&str>) -> SavedSettings {
        SavedSettings {
            openai_api_key: Secret::new("sk-bound"),
            openai_key_origin: origin.map(str::to_string),
            openai_base_url: base.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn a_saved_key_goes_only_to_its_origin() {
        let saved = with_key(Some("https://api.openai.com"), None);
        let home = Config::resolve(&saved, |_| None, None);
        assert_eq!(home.config.openai_api_key, Secret::new("sk-bound"));
        assert!(home.problems.is_empty());
        // A stray environment variable moves the server: the key stays home, and says so.
        let moved = Config::resolve(
            &saved,
            |k| (k == "OPENAI_BASE_URL").then(|| "https://collector.example/v1".into()),
            None,
        );
        assert_eq!(moved.config.openai_api_key, None);
        assert_eq!(
            moved.problems,
            vec![ConfigError::KeyForOtherServer {
                key_origin: "https://api.openai.com".into(),
                server: "https://collector.example".into()
            }]
        );
        // A key from the same environment is that environment's own choice.
        let own = Config::resolve(
            &saved,
            |k| match k {
                "OPENAI_BASE_URL" => Some("https://collector.example/v1".into()),
                "OPENAI_API_KEY" => Some("sk-env".into()),
                _ => None,
            },
            None,
        );
        assert_eq!(own.config.openai_api_key, Secret::new("sk-env"));
        // The environment's key does not follow a server saved in Settings either.
        let elsewhere = SavedSettings {
            openai_base_url: Some("https://other.example/v1".into()),
            ..Default::default()
        };
        let withheld = Config::resolve(
            &elsewhere,
            |k| (k == "OPENAI_API_KEY").then(|| "sk-env".into()),
            None,
        );
        assert_eq!(withheld.config.openai_api_key, None);
        assert_eq!(withheld.problems.len(), 1);
    }

    #[test]
    fn a_key_saved_before_binding_belongs_to_the_saved_server() {
        let local = with_key(None, Some("http://127.0.0.1:11434/v1"));
        assert_eq!(local.key_origin(), "http://127.0.0.1:11434");
        assert_eq!(with_key(None, None).key_origin(), "https://api.openai.com");
    }

    #[test]
    fn saving_rejects_a_bad_url_plain_http_elsewhere_and_an_empty_model() {
        let bad = SavedSettings {
            openai_base_url: Some("localhost:11434".into()),
            ..Default::default()
        };
        assert!(matches!(
            bad.validate(),
            Err(ConfigError::InvalidUrl {
                setting: "OPENAI_BASE_URL",
                ..
            })
        ));
        let remote_http = SavedSettings {
            openai_base_url: Some("http://llm.example:8080/v1".into()),
            ..Default::default()
        };
        assert_eq!(
            remote_http.validate(),
            Err(ConfigError::Insecure {
                setting: "OPENAI_BASE_URL"
            })
        );
        let empty_model = SavedSettings {
            openai_model: Some("  ".into()),
            ..Default::default()
        };
        assert!(empty_model.validate().is_err());
        let ollama = SavedSettings {
            openai_base_url: Some("http://127.0.0.1:11434/v1".into()),
            ..Default::default()
        };
        assert!(ollama.validate().is_ok());
    }

    #[test]
    fn secrets_are_read_from_an_old_store_but_never_written() {
        let old: SavedSettings = serde_json::from_value(serde_json::json!({
            "clientId": "abc", "clientSecret": "cs-plain", "openaiApiKey": "", "openaiModel": "m"
        }))
        .unwrap();
        assert_eq!(old.client_secret, Secret::new("cs-plain"));
        assert_eq!(old.openai_api_key, None, "blank reads as unset");
        let written = serde_json::to_string(&old).unwrap();
        assert!(
            !written.contains("cs-plain") && !written.contains("clientSecret"),
            "{written}"
        );
    }
}

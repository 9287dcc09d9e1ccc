//! Settings of design.md section 3, resolved from saved settings, then the environment, then `.env`.

mod endpoints;
mod saved;

pub(crate) use endpoints::parse_secure_url;
pub use endpoints::{is_loopback, origin_of, SPOTIFY_ALLOWED};
pub use saved::{BackgroundInsights, SavedSettings};

use crate::secret::Secret;
use crate::vault::StoreChoice;
use crate::{ErrorKind, Kinded};
use endpoints::parse_spotify_url;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use url::Url;

/// Chat model used while none is configured and the server's `/models` has not been read; the
/// app then picks one from that list (see [`crate::insight::models`], which keeps the lists and
/// their source). Always changeable in Settings or `OPENAI_MODEL`.
pub const DEFAULT_OPENAI_MODEL: &str = crate::insight::models::FALLBACK_MODEL;
/// Default OpenAI-compatible API root.
pub const DEFAULT_OPENAI_BASE_URL: &str = "https://api.openai.com/v1";
/// Default Spotify Web API root.
pub const DEFAULT_SPOTIFY_API_BASE_URL: &str = "https://api.spotify.com/v1";
/// Default Spotify accounts root.
pub const DEFAULT_SPOTIFY_ACCOUNTS_BASE_URL: &str = "https://accounts.spotify.com";
/// Default loopback port of the sign-in callback; the redirect URI registered with Spotify uses it.
pub const DEFAULT_REDIRECT_PORT: u16 = 8898;

/// A setting that could not be used, named as the user writes it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A URL setting that does not parse or is not http(s).
    #[error("{setting} is not a valid http(s) URL ({reason}); fix it in Settings or in .env")]
    InvalidUrl {
        setting: &'static str,
        reason: String,
    },
    /// A port outside 1..=65535.
    #[error("{setting} must be a port number from 1 to 65535; fix it in Settings or in .env")]
    InvalidPort { setting: &'static str },
    /// A `.env` line that is not `KEY=value`.
    #[error("line {line} of .env is not KEY=value and was skipped; fix or remove it")]
    EnvFileLine { line: usize },
    /// The `.env` file exists but could not be read at all.
    #[error(
        ".env could not be read ({reason}) and was ignored; check that it is a readable text file"
    )]
    EnvFileUnreadable { reason: String },
    /// A required setting that is empty.
    #[error("{setting} must not be empty; enter a value in Settings, or leave the field out to use the default")]
    Empty { setting: &'static str },
    /// A plain-http URL for a server that is not on this computer: the key would cross the
    /// network readable.
    #[error("{setting} may use http:// only for a server on this computer (127.0.0.1, [::1] or localhost); use https:// for any other server")]
    Insecure { setting: &'static str },
    /// An endpoint that would send Spotify credentials somewhere other than Spotify.
    #[error("{setting} may only point at {allowed}; the value was refused and the default is used. Fix or remove it in .env or the environment")]
    NotAllowed {
        setting: &'static str,
        allowed: &'static str,
    },
    /// The key was given for another server than the one now configured.
    #[error("The OpenAI key was given for {key_origin}, so it is not sent to {server}. Enter the key for {server} in Settings (a server on this computer may need none).")]
    KeyForOtherServer { key_origin: String, server: String },
    /// A base URL on another origin than the saved key's, with no new key typed.
    #[error("OPENAI_BASE_URL now points at {server}, but the saved key was given for {key_origin}: enter the key for {server}, or tick \"Remove the saved key\".")]
    KeyNeeded { key_origin: String, server: String },
    /// An unknown value of SPOTIFY_PLUS_SECRET_STORE.
    #[error("SPOTIFY_PLUS_SECRET_STORE must be auto, keyring or file; auto is used")]
    InvalidStore,
}

impl Kinded for ConfigError {
    fn kind(&self) -> ErrorKind {
        ErrorKind::Config
    }
}

/// The settings the app runs with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Spotify app client ID; `None` means the setup screen is shown.
    pub client_id: Option<String>,
    /// Optional Spotify client secret.
    pub client_secret: Option<Secret>,
    /// Key for the chat-completions server; `None` means insights explain how to add one.
    pub openai_api_key: Option<Secret>,
    /// Root of the OpenAI-compatible API.
    pub openai_base_url: Url,
    /// Chat model name.
    pub openai_model: String,
    /// No model is configured anywhere: `openai_model` is the fallback until one is picked from
    /// the server's `/models`.
    pub openai_model_unset: bool,
    /// When insights for the playing track are fetched in the background.
    pub background_insights: BackgroundInsights,
    /// Grounding in facts: on or off, the language, and where the open sources are.
    pub facts: crate::facts::FactsConfig,
    /// A desktop notification on each track change (opt-in).
    pub track_notifications: bool,
    /// Spotify Web API root.
    pub spotify_api_base_url: Url,
    /// Spotify accounts root.
    pub spotify_accounts_base_url: Url,
    /// Loopback port of the sign-in callback.
    pub redirect_port: u16,
    /// Folder for the cache, tokens and store; `None` means the OS app-data folder.
    pub data_dir: Option<PathBuf>,
    /// Where secrets are kept (`SPOTIFY_PLUS_SECRET_STORE`).
    pub secret_store: StoreChoice,
}

/// A resolved configuration plus the settings that were skipped because they were unusable.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The configuration, with defaults where a value was missing or unusable.
    pub config: Config,
    /// Every value that was ignored, so the UI can say which setting to fix.
    pub problems: Vec<ConfigError>,
}

impl Config {
    /// Resolves settings: `saved` first, then `env`, then the `.env` file at `dotenv` if it exists.
    pub fn resolve(
        saved: &SavedSettings,
        env: impl Fn(&str) -> Option<String>,
        dotenv: Option<&Path>,
    ) -> Loaded {
        let mut problems = Vec::new();
        let file = dotenv
            .filter(|p| p.is_file())
            .map(|p| read_dotenv(p, &mut problems))
            .unwrap_or_default();
        let lookup = |saved: &Option<String>, key: &str| {
            non_empty(saved)
                .or_else(|| env(key).filter(|v| !v.trim().is_empty()))
                .or_else(|| file.get(key).filter(|v| !v.trim().is_empty()).cloned())
                .map(|v| v.trim().to_string())
        };
        type Parse = fn(&'static str, &str) -> Result<Url, ConfigError>;
        let mut url = |saved: &Option<String>, key: &'static str, default: &str, parse: Parse| {
            lookup(saved, key)
                .and_then(|v| parse(key, &v).map_err(|e| problems.push(e)).ok())
                .unwrap_or_else(|| Url::parse(default).expect("default URLs are valid"))
        };
        let openai_base_url = url(
            &saved.openai_base_url,
            "OPENAI_BASE_URL",
            DEFAULT_OPENAI_BASE_URL,
            parse_secure_url,
        );
        let spotify_api_base_url = url(
            &None,
            "SPOTIFY_API_BASE_URL",
            DEFAULT_SPOTIFY_API_BASE_URL,
            parse_spotify_url,
        );
        let spotify_accounts_base_url = url(
            &None,
            "SPOTIFY_ACCOUNTS_BASE_URL",
            DEFAULT_SPOTIFY_ACCOUNTS_BASE_URL,
            parse_spotify_url,
        );
        // A key from the environment or `.env` was given for that source's server.
        let env_key = lookup(&None, "OPENAI_API_KEY")
            .and_then(Secret::new)
            .map(|key| {
                let given_for = lookup(&None, "OPENAI_BASE_URL")
                    .and_then(|u| parse_secure_url("OPENAI_BASE_URL", &u).ok())
                    .unwrap_or_else(|| Url::parse(DEFAULT_OPENAI_BASE_URL).expect("valid"));
                (key, origin_of(&given_for))
            });
        let openai_api_key = saved::bound_key(saved, env_key, &openai_base_url, &mut problems);
        let secret_store = match lookup(&None, "SPOTIFY_PLUS_SECRET_STORE") {
            None => StoreChoice::Auto,
            Some(v) => StoreChoice::parse(&v).unwrap_or_else(|| {
                problems.push(ConfigError::InvalidStore);
                StoreChoice::Auto
            }),
        };
        let redirect_port = match lookup(&None, "SPOTIFY_REDIRECT_PORT") {
            None => DEFAULT_REDIRECT_PORT,
            Some(v) => match v.parse::<u16>() {
                Ok(port) if port > 0 => port,
                _ => {
                    problems.push(ConfigError::InvalidPort {
                        setting: "SPOTIFY_REDIRECT_PORT",
                    });
                    DEFAULT_REDIRECT_PORT
                }
            },
        };
        let model = lookup(&saved.openai_model, "OPENAI_MODEL");
        let facts = crate::facts::FactsConfig::resolve(
            saved.grounding,
            saved.insight_language.as_deref(),
            |key| lookup(&None, key),
            &mut problems,
        );
        let config = Config {
            facts,
            client_id: lookup(&saved.client_id, "CLIENT_ID"),
            client_secret: saved
                .client_secret
                .clone()
                .or_else(|| lookup(&None, "CLIENT_SECRET").and_then(Secret::new)),
            openai_api_key,
            openai_base_url,
            openai_model_unset: model.is_none(),
            openai_model: model.unwrap_or_else(|| DEFAULT_OPENAI_MODEL.to_string()),
            background_insights: saved.background_insights.unwrap_or_default(),
            track_notifications: saved.track_notifications.unwrap_or(false),
            spotify_api_base_url,
            spotify_accounts_base_url,
            redirect_port,
            data_dir: lookup(&None, "SPOTIFY_PLUS_DATA_DIR").map(PathBuf::from),
            secret_store,
        };
        Loaded { config, problems }
    }

    /// The redirect URI to register in the Spotify developer dashboard.
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}/callback", self.redirect_port)
    }
}

pub(crate) fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// Reads `KEY=value` lines; garbage lines are reported and skipped rather than ending the file.
fn read_dotenv(path: &Path, problems: &mut Vec<ConfigError>) -> HashMap<String, String> {
    let text = match std::fs::read(path) {
        // Invalid UTF-8 spoils only the lines it is on, not the whole file.
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(error) => {
            problems.push(ConfigError::EnvFileUnreadable {
                reason: error.to_string(),
            });
            return HashMap::new();
        }
    };
    let mut values = HashMap::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match dotenvy::from_read_iter(trimmed.as_bytes()).next() {
            Some(Ok((key, value))) => {
                values.insert(key, value);
            }
            _ => problems.push(ConfigError::EnvFileLine { line: index + 1 }),
        }
    }
    values
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// An environment holding just `pairs`, for the settings resolvers.
    pub(crate) fn env_of(
        pairs: &'static [(&'static str, &'static str)],
    ) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn defaults_when_nothing_is_set() {
        let loaded = Config::resolve(&SavedSettings::default(), |_| None, None);
        let c = loaded.config;
        assert!(loaded.problems.is_empty());
        assert!(c.client_id.is_none());
        assert!(c.openai_api_key.is_none());
        assert_eq!(c.openai_base_url.as_str(), "https://api.openai.com/v1");
        assert_eq!(
            c.spotify_api_base_url.as_str(),
            "https://api.spotify.com/v1"
        );
        assert_eq!(c.redirect_uri(), "http://127.0.0.1:8898/callback");
        assert_eq!(c.openai_model, DEFAULT_OPENAI_MODEL);
        assert!(c.openai_model_unset);
        assert_eq!(c.background_insights, BackgroundInsights::WhileVisible);
    }

    #[test]
    fn background_insights_are_saved_and_an_unknown_value_loses_nothing_else() {
        let saved: SavedSettings = serde_json::from_value(serde_json::json!({
            "clientId": "abc", "backgroundInsights": "never"
        }))
        .unwrap();
        assert_eq!(saved.background_insights, Some(BackgroundInsights::Never));
        let odd: SavedSettings = serde_json::from_value(serde_json::json!({
            "clientId": "abc", "backgroundInsights": "sometimes"
        }))
        .unwrap();
        assert_eq!(
            (odd.client_id.as_deref(), odd.background_insights),
            (Some("abc"), None)
        );
        assert!(!BackgroundInsights::WhileVisible.allows(false));
        assert!(BackgroundInsights::WhileVisible.allows(true));
        assert!(BackgroundInsights::Always.allows(false));
        assert!(!BackgroundInsights::Never.allows(true));
    }

    #[test]
    fn saved_beats_environment_beats_dotenv() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".env");
        let mut f = std::fs::File::create(&path).unwrap();
        writeln!(f, "# comment\nCLIENT_ID=from-file\nOPENAI_MODEL=file-model\nthis is garbage\nOPENAI_API_KEY=\"sk-file\"").unwrap();
        let saved = SavedSettings {
            client_id: Some("from-store".into()),
            ..Default::default()
        };
        let env = env_of(&[("CLIENT_ID", "from-env"), ("OPENAI_MODEL", "env-model")]);
        let loaded = Config::resolve(&saved, env, Some(&path));
        assert_eq!(loaded.config.client_id.as_deref(), Some("from-store"));
        assert_eq!(loaded.config.openai_model, "env-model");
        assert_eq!(
            loaded.config.openai_api_key.as_ref().map(Secret::expose),
            Some("sk-file")
        );
        assert_eq!(loaded.problems, vec![ConfigError::EnvFileLine { line: 4 }]);
    }

    #[test]
    fn invalid_values_are_named_and_fall_back() {
        let env = env_of(&[
            ("OPENAI_BASE_URL", "not a url"),
            ("SPOTIFY_API_BASE_URL", "ftp://example.com"),
            ("SPOTIFY_REDIRECT_PORT", "70000"),
        ]);
        let loaded = Config::resolve(&SavedSettings::default(), env, None);
        let messages: Vec<String> = loaded.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].starts_with("OPENAI_BASE_URL"));
        assert!(messages[1].starts_with("SPOTIFY_API_BASE_URL"));
        assert!(messages[2].starts_with("SPOTIFY_REDIRECT_PORT"));
        assert_eq!(loaded.config.redirect_port, DEFAULT_REDIRECT_PORT);
        assert_eq!(
            loaded.config.openai_base_url.as_str(),
            DEFAULT_OPENAI_BASE_URL
        );
    }
}

//! Settings of design.md section 3, resolved from saved settings, then the environment, then `.env`.

mod endpoints;
mod file;
mod saved;

pub(crate) use endpoints::parse_secure_url;
pub use endpoints::{is_loopback, origin_of, SPOTIFY_ALLOWED};
pub use file::{SettingsFile, SettingsFileError, SETTINGS_FILE};
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
/// Default LRCLIB root (lyrics).
pub const DEFAULT_LRCLIB_BASE_URL: &str = "https://lrclib.net";
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
        /// The setting's name, e.g. `OPENAI_BASE_URL`.
        setting: &'static str,
        /// Why it is not a usable URL.
        reason: String,
    },
    /// A port outside 1..=65535.
    #[error("{setting} must be a port number from 1 to 65535; fix it in Settings or in .env")]
    InvalidPort {
        /// The setting's name.
        setting: &'static str,
    },
    /// A `.env` line that is not `KEY=value`.
    #[error("line {line} of .env is not KEY=value and was skipped; fix or remove it")]
    EnvFileLine {
        /// The line's number, from 1.
        line: usize,
    },
    /// The `.env` file exists but could not be read at all.
    #[error(
        ".env could not be read ({reason}) and was ignored; check that it is a readable text file"
    )]
    EnvFileUnreadable {
        /// The operating system's reason.
        reason: String,
    },
    /// A required setting that is empty.
    #[error("{setting} must not be empty; enter a value in Settings, or leave the field out to use the default")]
    Empty {
        /// The setting's name.
        setting: &'static str,
    },
    /// A plain-http URL for a server that is not on this computer: the key would cross the
    /// network readable.
    #[error("{setting} may use http:// only for a server on this computer (127.0.0.1, [::1] or localhost); use https:// for any other server")]
    Insecure {
        /// The setting's name.
        setting: &'static str,
    },
    /// An endpoint that would send Spotify credentials somewhere other than Spotify.
    #[error("{setting} may only point at {allowed}; the value was refused and the default is used. Fix or remove it in .env or the environment")]
    NotAllowed {
        /// The setting's name.
        setting: &'static str,
        /// What it may point at.
        allowed: &'static str,
    },
    /// The key was given for another server than the one now configured.
    #[error("The OpenAI key was given for {key_origin}, so it is not sent to {server}. Enter the key for {server} in Settings (a server on this computer may need none).")]
    KeyForOtherServer {
        /// The origin the key was given for.
        key_origin: String,
        /// The origin configured now.
        server: String,
    },
    /// A base URL on another origin than the saved key's, with no new key typed.
    #[error("OPENAI_BASE_URL now points at {server}, but the saved key was given for {key_origin}: enter the key for {server}, or tick \"Remove the saved key\".")]
    KeyNeeded {
        /// The origin the saved key was given for.
        key_origin: String,
        /// The origin the form names.
        server: String,
    },
    /// A setting `.env` may not make (it moves the secrets).
    #[error("{setting} can be set in the environment only, not in .env (a .env file is read from whatever folder the app starts in); it was ignored")]
    EnvironmentOnly {
        /// The setting's name.
        setting: &'static str,
    },
    /// A plain-http server named in `.env` for a setting whose answers are trusted.
    #[error("{setting} in .env must use https://; a server on this computer can be named in the environment instead. The default is used")]
    HttpsFromDotenv {
        /// The setting's name.
        setting: &'static str,
    },
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
    /// LRCLIB root (lyrics; they go into prompts, so https or this computer only).
    pub lrclib_base_url: Url,
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
    /// The settings a `.env` file supplied, if any did.
    pub from_dotenv: Option<DotenvUse>,
}

/// Which settings came from which `.env` file: Settings names them, since a `.env` is read
/// from whatever folder the app starts in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DotenvUse {
    /// The file.
    pub path: String,
    /// The names of the settings it supplied, e.g. `SPOTIFY_REDIRECT_PORT`.
    pub settings: Vec<String>,
}

/// Settings a `.env` file may not set: they decide where the secrets are kept, and a `.env`
/// is whatever file lies in the folder the app starts in (from the desktop, the home folder).
const ENVIRONMENT_ONLY: [&str; 2] = ["SPOTIFY_PLUS_SECRET_STORE", "SPOTIFY_PLUS_DATA_DIR"];
/// Servers whose answers are trusted (tokens, facts for the prompt): from `.env` only over
/// https. A loopback port can be opened by any user of the computer, so a plain-http server on
/// this computer is accepted from the environment only.
const HTTPS_FROM_DOTENV: [&str; 6] = [
    "SPOTIFY_API_BASE_URL",
    "LRCLIB_BASE_URL",
    "SPOTIFY_ACCOUNTS_BASE_URL",
    "MUSICBRAINZ_BASE_URL",
    "WIKIDATA_BASE_URL",
    "WIKIPEDIA_BASE_URL",
];

/// Where a setting's value came from, after Settings: the process environment or `.env`.
struct Sources<'a, E> {
    env: E,
    file: HashMap<String, String>,
    /// Settings taken from `.env`, so Settings can say so.
    used_file: std::cell::RefCell<Vec<&'static str>>,
    problems: &'a std::cell::RefCell<Vec<ConfigError>>,
}

impl<E: Fn(&str) -> Option<String>> Sources<'_, E> {
    fn env(&self, key: &str) -> Option<String> {
        (self.env)(key)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    fn file(&self, key: &'static str) -> Option<String> {
        let value = self
            .file
            .get(key)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())?;
        if ENVIRONMENT_ONLY.contains(&key) {
            self.problems
                .borrow_mut()
                .push(ConfigError::EnvironmentOnly { setting: key });
            return None;
        }
        if HTTPS_FROM_DOTENV.contains(&key) && !value.to_ascii_lowercase().starts_with("https://") {
            self.problems
                .borrow_mut()
                .push(ConfigError::HttpsFromDotenv { setting: key });
            return None;
        }
        self.used_file.borrow_mut().push(key);
        Some(value)
    }

    /// The environment's value, else `.env`'s.
    fn get(&self, key: &'static str) -> Option<String> {
        self.env(key).or_else(|| self.file(key))
    }

    /// The OpenAI key of one source with the origin it was given for: that same source's base
    /// URL, else the default server. A key never pairs with another source's server.
    fn key_with_origin(&self, from_file: bool) -> Option<(Secret, String)> {
        let (key, base) = if from_file {
            let key = self.file.get("OPENAI_API_KEY").cloned();
            (key, self.file.get("OPENAI_BASE_URL").cloned())
        } else {
            (self.env("OPENAI_API_KEY"), self.env("OPENAI_BASE_URL"))
        };
        let key = Secret::new(key?.trim())?;
        let given_for = base
            .and_then(|u| parse_secure_url("OPENAI_BASE_URL", u.trim()).ok())
            .unwrap_or_else(|| Url::parse(DEFAULT_OPENAI_BASE_URL).expect("valid"));
        if from_file {
            self.used_file.borrow_mut().push("OPENAI_API_KEY");
        }
        Some((key, origin_of(&given_for)))
    }
}

impl Config {
    /// Resolves settings: `saved` first, then `env`, then the `.env` file at `dotenv` if it
    /// exists, within what `.env` may set (see [`ENVIRONMENT_ONLY`], [`HTTPS_FROM_DOTENV`]).
    pub fn resolve(
        saved: &SavedSettings,
        env: impl Fn(&str) -> Option<String>,
        dotenv: Option<&Path>,
    ) -> Loaded {
        let problems = std::cell::RefCell::new(Vec::new());
        let file = dotenv
            .filter(|p| p.is_file())
            .map(|p| read_dotenv(p, &mut problems.borrow_mut()))
            .unwrap_or_default();
        let sources = Sources {
            env,
            file,
            used_file: Default::default(),
            problems: &problems,
        };
        let lookup = |saved: &Option<String>, key: &'static str| {
            non_empty(saved).or_else(|| sources.get(key))
        };
        type Parse = fn(&'static str, &str) -> Result<Url, ConfigError>;
        let url = |saved: &Option<String>, key: &'static str, default: &str, parse: Parse| {
            lookup(saved, key)
                .and_then(|v| {
                    parse(key, &v)
                        .map_err(|e| problems.borrow_mut().push(e))
                        .ok()
                })
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
        let lrclib_base_url = url(
            &None,
            "LRCLIB_BASE_URL",
            DEFAULT_LRCLIB_BASE_URL,
            parse_secure_url,
        );
        let env_key = sources
            .key_with_origin(false)
            .or_else(|| sources.key_with_origin(true));
        let openai_api_key =
            saved::bound_key(saved, env_key, &openai_base_url, &mut problems.borrow_mut());
        let secret_store = match lookup(&None, "SPOTIFY_PLUS_SECRET_STORE") {
            None => StoreChoice::Auto,
            Some(v) => StoreChoice::parse(&v).unwrap_or_else(|| {
                problems.borrow_mut().push(ConfigError::InvalidStore);
                StoreChoice::Auto
            }),
        };
        let redirect_port = match lookup(&None, "SPOTIFY_REDIRECT_PORT") {
            None => DEFAULT_REDIRECT_PORT,
            Some(v) => match v.parse::<u16>() {
                Ok(port) if port > 0 => port,
                _ => {
                    problems.borrow_mut().push(ConfigError::InvalidPort {
                        setting: "SPOTIFY_REDIRECT_PORT",
                    });
                    DEFAULT_REDIRECT_PORT
                }
            },
        };
        let model = lookup(&saved.openai_model, "OPENAI_MODEL");
        let facts = {
            let mut facts_problems = Vec::new();
            let facts = crate::facts::FactsConfig::resolve(
                saved.grounding,
                saved.insight_language.as_deref(),
                |key| {
                    // The facts' keys are the constants of `facts::config`; unknown ones are
                    // read from the environment only.
                    match HTTPS_FROM_DOTENV.iter().find(|k| **k == key) {
                        Some(known) => sources.get(known),
                        None => sources.env(key),
                    }
                },
                &mut facts_problems,
            );
            problems.borrow_mut().extend(facts_problems);
            facts
        };
        let client_secret = saved.client_secret.clone().or_else(|| {
            sources
                .env("CLIENT_SECRET")
                .or_else(|| sources.file("CLIENT_SECRET"))
                .and_then(Secret::new)
        });
        let config = Config {
            facts,
            client_id: lookup(&saved.client_id, "CLIENT_ID"),
            client_secret,
            openai_api_key,
            openai_base_url,
            openai_model_unset: model.is_none(),
            openai_model: model.unwrap_or_else(|| DEFAULT_OPENAI_MODEL.to_string()),
            background_insights: saved.background_insights.unwrap_or_default(),
            track_notifications: saved.track_notifications.unwrap_or(false),
            spotify_api_base_url,
            spotify_accounts_base_url,
            lrclib_base_url,
            redirect_port,
            data_dir: lookup(&None, "SPOTIFY_PLUS_DATA_DIR").map(PathBuf::from),
            secret_store,
        };
        let mut from_dotenv = sources.used_file.into_inner();
        from_dotenv.sort_unstable();
        from_dotenv.dedup();
        Loaded {
            config,
            problems: problems.into_inner(),
            from_dotenv: dotenv
                .filter(|_| !from_dotenv.is_empty())
                .map(|path| DotenvUse {
                    path: path.display().to_string(),
                    settings: from_dotenv.iter().map(|s| s.to_string()).collect(),
                }),
        }
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

    fn dotenv(dir: &tempfile::TempDir, text: &str) -> PathBuf {
        let path = dir.path().join(".env");
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_key_pairs_only_with_the_server_from_its_own_place() {
        let dir = tempfile::tempdir().unwrap();
        // The shell exported a key for OpenAI; a `.env` in the start folder names another server.
        let path = dotenv(&dir, "OPENAI_BASE_URL=https://collector.example/v1\n");
        let env = env_of(&[("OPENAI_API_KEY", "sk-from-shell")]);
        let loaded = Config::resolve(&SavedSettings::default(), env, Some(&path));
        assert_eq!(
            loaded.config.openai_base_url.as_str(),
            "https://collector.example/v1"
        );
        assert_eq!(
            loaded.config.openai_api_key, None,
            "the shell's key stays home"
        );
        assert_eq!(
            loaded.problems,
            vec![ConfigError::KeyForOtherServer {
                key_origin: "https://api.openai.com".into(),
                server: "https://collector.example".into()
            }]
        );
        // A key and its server from the same `.env` belong together.
        let both = dotenv(
            &dir,
            "OPENAI_BASE_URL=http://127.0.0.1:11434/v1\nOPENAI_API_KEY=sk-local\n",
        );
        let loaded = Config::resolve(&SavedSettings::default(), |_| None, Some(&both));
        assert_eq!(loaded.config.openai_api_key, Secret::new("sk-local"));
    }

    #[test]
    fn dotenv_cannot_move_the_secrets_or_name_plain_http_sources() {
        let dir = tempfile::tempdir().unwrap();
        let path = dotenv(
            &dir,
            "SPOTIFY_PLUS_SECRET_STORE=file\nSPOTIFY_PLUS_DATA_DIR=/tmp/elsewhere\n\
             MUSICBRAINZ_BASE_URL=http://127.0.0.1:9/\n\
             SPOTIFY_ACCOUNTS_BASE_URL=http://localhost:9\n\
             WIKIDATA_BASE_URL=https://wikidata.example\n",
        );
        let loaded = Config::resolve(&SavedSettings::default(), |_| None, Some(&path));
        let c = &loaded.config;
        assert_eq!(c.secret_store, StoreChoice::Auto);
        assert_eq!(c.data_dir, None);
        assert_eq!(
            c.facts.musicbrainz_base_url.as_str(),
            "https://musicbrainz.org/"
        );
        assert_eq!(
            c.spotify_accounts_base_url.as_str(),
            "https://accounts.spotify.com/"
        );
        assert_eq!(
            c.facts.wikidata_base_url.as_str(),
            "https://wikidata.example/"
        );
        assert_eq!(
            loaded.problems,
            vec![
                ConfigError::HttpsFromDotenv {
                    setting: "SPOTIFY_ACCOUNTS_BASE_URL"
                },
                ConfigError::EnvironmentOnly {
                    setting: "SPOTIFY_PLUS_SECRET_STORE"
                },
                ConfigError::HttpsFromDotenv {
                    setting: "MUSICBRAINZ_BASE_URL"
                },
                ConfigError::EnvironmentOnly {
                    setting: "SPOTIFY_PLUS_DATA_DIR"
                },
            ]
        );
        // The environment still may: it is the user's own choice for this process.
        let env = env_of(&[
            ("SPOTIFY_PLUS_SECRET_STORE", "file"),
            ("MUSICBRAINZ_BASE_URL", "http://127.0.0.1:9/"),
        ]);
        let loaded = Config::resolve(&SavedSettings::default(), env, Some(&path));
        assert_eq!(loaded.config.secret_store, StoreChoice::File);
        assert_eq!(
            loaded.config.facts.musicbrainz_base_url.as_str(),
            "http://127.0.0.1:9/"
        );
    }

    #[test]
    fn settings_from_dotenv_are_named_for_the_settings_screen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dotenv(&dir, "SPOTIFY_REDIRECT_PORT=9911\nCLIENT_ID=abc\n");
        let loaded = Config::resolve(&SavedSettings::default(), |_| None, Some(&path));
        assert_eq!(loaded.config.redirect_port, 9911);
        assert_eq!(
            loaded.from_dotenv,
            Some(DotenvUse {
                path: path.display().to_string(),
                settings: vec!["CLIENT_ID".into(), "SPOTIFY_REDIRECT_PORT".into()],
            })
        );
        let none = Config::resolve(&SavedSettings::default(), |_| None, None);
        assert_eq!(none.from_dotenv, None);
    }
}

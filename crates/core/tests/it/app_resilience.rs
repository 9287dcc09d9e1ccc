//! The app facade when the disk or the user misbehaves: damaged, newer, read-only and missing
//! data folders, and bad IDs, offsets, settings and `.env` lines. Each case gives a clear
//! message and a working app.

use crate::spotify_common::*;
use spotify_plus_core::app::AppError;
use spotify_plus_core::app::Services;
use spotify_plus_core::cache::Cache;
use spotify_plus_core::config::{Config, ConfigError, SavedSettings};
use spotify_plus_core::spotify::{ArtistId, PlaylistId, PlaylistItems, TrackId};
use spotify_plus_core::Kinded;
use spotify_plus_fakes::openai::{FakeOpenAi, FakeOpenAiOptions};
use spotify_plus_fakes::spotify::library::*;
use spotify_plus_fakes::spotify::FakeSpotify;
use std::path::{Path, PathBuf};

pub(crate) struct Fakes {
    pub spotify: FakeSpotify,
    pub openai: FakeOpenAi,
}

pub(crate) async fn fakes() -> Fakes {
    Fakes {
        spotify: fake().await,
        openai: FakeOpenAi::start(FakeOpenAiOptions::default())
            .await
            .unwrap(),
    }
}

fn env_for(f: &Fakes, key: &str) -> Option<String> {
    Some(match key {
        "CLIENT_ID" => "resilience-client".into(),
        "OPENAI_API_KEY" => "sk-test".into(),
        "OPENAI_BASE_URL" => f.openai.base_url().to_string(),
        "OPENAI_MODEL" => "gpt-4o-mini".into(),
        "SPOTIFY_API_BASE_URL" => f.spotify.api_base_url().to_string(),
        "SPOTIFY_ACCOUNTS_BASE_URL" => f.spotify.accounts_base_url().to_string(),
        _ => return None,
    })
}

/// The app on `dir`, signed in with tokens saved there first (when `dir` is writable).
pub(crate) fn start(f: &Fakes, dir: &Path, sign_in: bool) -> Services {
    if sign_in {
        signed_in(&f.spotify, &dir.join("tokens.json"));
    }
    let loaded = Config::resolve(&SavedSettings::default(), |k| env_for(f, k), None);
    Services::start(loaded, dir)
}

/// Both insights of a track page; panics with the error if either fails.
pub(crate) async fn insights_work(app: &Services, track: &str) {
    let (a, b) = app
        .track_insights(&track.parse().unwrap(), None, |_| {}, |_| {})
        .await
        .expect("the track loads");
    a.expect("track insight");
    b.expect("artists insight");
}

pub(crate) fn cache_path(dir: &Path) -> PathBuf {
    dir.join("insights.sqlite3")
}

#[tokio::test]
async fn a_corrupt_cache_file_is_set_aside_with_a_notice() {
    let f = fakes().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        cache_path(dir.path()),
        b"this is not SQLite, just garbage\0\x01\x02",
    )
    .unwrap();
    let app = start(&f, dir.path(), true);
    let notices = app.status().notices;
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0].contains("damaged") && notices[0].contains(".corrupt-"),
        "{notices:?}"
    );
    insights_work(&app, PLAIN_TRACK_ID).await;
    // Saved in the fresh file.
    let reopened = Cache::open(&cache_path(dir.path())).unwrap().cache;
    assert_eq!(reopened.count().unwrap(), 2);
}

#[tokio::test]
async fn a_cache_from_a_newer_version_is_left_alone_with_a_notice() {
    let f = fakes().await;
    let dir = tempfile::tempdir().unwrap();
    let conn = rusqlite_free_newer_file(&cache_path(dir.path()));
    let app = start(&f, dir.path(), true);
    let notices = app.status().notices;
    assert!(
        notices.len() == 1
            && notices[0].contains("newer version")
            && notices[0].contains("not saved"),
        "{notices:?}"
    );
    insights_work(&app, PLAIN_TRACK_ID).await;
    assert_eq!(
        std::fs::read(cache_path(dir.path())).unwrap(),
        conn,
        "file untouched"
    );
}

/// Writes a cache file whose schema version is beyond this build's, returns its bytes.
fn rusqlite_free_newer_file(path: &Path) -> Vec<u8> {
    {
        let opened = Cache::open(path).unwrap();
        drop(opened);
    }
    // Bump PRAGMA user_version (a big-endian u32 at byte 60 of the SQLite header).
    let mut bytes = std::fs::read(path).unwrap();
    bytes[60..64].copy_from_slice(&99u32.to_be_bytes());
    std::fs::write(path, &bytes).unwrap();
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    bytes
}

#[tokio::test]
async fn a_missing_data_folder_is_created() {
    let f = fakes().await;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("not/yet/there");
    let app = start(&f, &dir, false);
    let status = app.status();
    assert_eq!((status.state, status.notices.len()), ("login", 0));
    assert!(cache_path(&dir).exists());
    // And a data folder that cannot exist (a file is in the way) is a notice, not a crash.
    let blocked = root.path().join("file");
    std::fs::write(&blocked, b"x").unwrap();
    let app = start(&f, &blocked.join("data"), false);
    let notices = app.status().notices;
    assert!(
        notices.len() == 1
            && notices[0].contains("writable")
            && notices[0].contains("SPOTIFY_PLUS_DATA_DIR"),
        "{notices:?}"
    );
}

/// Hand-edited IDs never reach Spotify and say what is wrong.
pub const BAD_IDS: [&str; 12] = [
    "",
    "not-an-id",
    "abc",
    "4trk00000000000000000",
    "4trk0000000000000000000",
    "4trk00000000000000000?",
    "../../me/playlists",
    "4trk0000000000000000%2",
    "<script>alert(1)</scri",
    "4trk00000000000000000é",
    "4trk000000000000000 00",
    "javascript:alert(1)",
];

#[tokio::test]
async fn bad_ids_are_refused_before_any_request() {
    // IDs are typed at the seam: the page's strings become IDs when the command's arguments
    // are read, so a bad one never reaches the services, let alone Spotify.
    fn refused<T: serde::de::DeserializeOwned + std::fmt::Debug>(id: &str, what: &str) {
        let error = serde_json::from_value::<T>(serde_json::json!(id)).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains(&format!("{what} ID")) && message.contains("Spotify link"),
            "{id:?}: {message}"
        );
    }
    for id in BAD_IDS {
        refused::<TrackId>(id, "track");
        refused::<ArtistId>(id, "artist");
        refused::<PlaylistId>(id, "playlist");
        let error = AppError::from(id.parse::<TrackId>().unwrap_err());
        assert_eq!(error.kind(), "invalid_id", "{id:?}");
    }
}

#[tokio::test]
async fn huge_offsets_give_an_empty_last_page() {
    let f = fakes().await;
    let dir = tempfile::tempdir().unwrap();
    let app = start(&f, dir.path(), true);
    for offset in [99_999_999, u32::MAX] {
        let page = app.playlists(offset).await.unwrap();
        assert!(page.items.is_empty());
        assert_eq!(page.page, page.pages);
        let page = app
            .playlist(&BIG_PLAYLIST_ID.parse().unwrap(), offset)
            .await
            .unwrap();
        let PlaylistItems::Listed { page } = page.items else {
            panic!("the user's own playlist lists its items");
        };
        assert!(page.items.is_empty());
        assert_eq!(page.page, page.pages);
    }
}

/// Settings a user might type: each is refused with the setting's name, nothing is saved.
pub const BAD_URLS: [&str; 9] = [
    "not a url",
    "localhost:11434",
    "ftp://example.com/v1",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "http://",
    "data:text/html,<b>x</b>",
    "http:// spaces .com",
    "//no-scheme.example",
];

#[test]
fn bad_settings_are_refused_with_the_setting_named() {
    for url in BAD_URLS {
        let settings = SavedSettings {
            openai_base_url: Some(url.into()),
            ..Default::default()
        };
        let error = settings.validate().unwrap_err();
        assert!(
            matches!(
                error,
                ConfigError::InvalidUrl {
                    setting: "OPENAI_BASE_URL",
                    ..
                }
            ),
            "{url}: {error:?}"
        );
        assert!(error.to_string().contains("fix it in Settings"), "{error}");
        // The same value from the environment falls back to the default, with a problem listed.
        let loaded = Config::resolve(
            &SavedSettings::default(),
            |k| (k == "SPOTIFY_API_BASE_URL").then(|| url.to_string()),
            None,
        );
        assert_eq!(loaded.problems.len(), 1, "{url}");
        assert_eq!(
            loaded.config.spotify_api_base_url.as_str(),
            "https://api.spotify.com/v1"
        );
    }
    for model in ["", "   ", "\t"] {
        let settings = SavedSettings {
            openai_model: Some(model.into()),
            ..Default::default()
        };
        let error = settings.validate().unwrap_err();
        assert!(
            error.to_string().contains("OPENAI_MODEL must not be empty"),
            "{error}"
        );
    }
}

#[tokio::test]
async fn empty_keys_mean_not_set_with_a_message_saying_where_to_add_one() {
    let f = fakes().await;
    let dir = tempfile::tempdir().unwrap();
    signed_in(&f.spotify, &dir.path().join("tokens.json"));
    let saved = SavedSettings {
        openai_api_key: spotify_plus_core::secret::Secret::new("   "),
        client_id: Some("".into()),
        ..Default::default()
    };
    let loaded = Config::resolve(
        &saved,
        |k| match k {
            "OPENAI_API_KEY" => Some(" ".into()),
            other => env_for(&f, other),
        },
        None,
    );
    assert!(loaded.config.openai_api_key.is_none());
    assert_eq!(
        loaded.config.client_id.as_deref(),
        Some("resilience-client")
    );
    let app = Services::start(loaded, dir.path());
    assert!(!app.status().has_openai_key);
    let (track, _) = app
        .track_insights(&PLAIN_TRACK_ID.parse().unwrap(), None, |_| {}, |_| {})
        .await
        .unwrap();
    let error = track.unwrap_err();
    assert_eq!(error.kind(), "no_api_key");
    assert!(error.to_string().contains("Add one in Settings"), "{error}");
    assert_eq!(f.openai.chat_calls(), 0);
}

/// Garbage lines a `.env` may hold; each is skipped and reported by line number.
pub const GARBAGE_ENV_LINES: [&[u8]; 10] = [
    b"this is garbage",
    b"=no-key",
    b"KEY WITH SPACES=1",
    b"UNTERMINATED='abc",
    b"\xff\xfe\x00binary\x01",
    b"\x00",
    b"<<<<<<< HEAD",
    b"{\"json\": true}",
    b"OPENAI_MODEL=\"unterminated",
    b"]]]===[[[",
];

#[test]
fn a_dotenv_with_garbage_lines_keeps_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env");
    let mut body = b"# a comment\nCLIENT_ID=from-dotenv\n".to_vec();
    for line in GARBAGE_ENV_LINES {
        body.extend_from_slice(line);
        body.push(b'\n');
    }
    body.extend_from_slice(b"export OPENAI_MODEL=llama3.2\n");
    body.extend_from_slice(&vec![b'x'; 100_000]);
    body.extend_from_slice(b"\nSPOTIFY_REDIRECT_PORT=99999\n");
    std::fs::write(&path, body).unwrap();
    let loaded = Config::resolve(&SavedSettings::default(), |_| None, Some(&path));
    assert_eq!(loaded.config.client_id.as_deref(), Some("from-dotenv"));
    assert_eq!(loaded.config.openai_model, "llama3.2");
    assert_eq!(loaded.config.redirect_port, 8898);
    let messages: Vec<String> = loaded.problems.iter().map(ToString::to_string).collect();
    for line in 3..3 + GARBAGE_ENV_LINES.len() {
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with(&format!("line {line} of .env"))),
            "line {line} not reported: {messages:?}"
        );
    }
    assert!(messages
        .iter()
        .any(|m| m.starts_with("SPOTIFY_REDIRECT_PORT")));
    assert!(messages.iter().all(|m| m.contains("fix")), "{messages:?}");

    // A .env that cannot be read (a folder of that name) is one clear problem.
    let folder = dir.path().join("sub");
    std::fs::create_dir_all(folder.join(".env")).unwrap();
    let loaded = Config::resolve(
        &SavedSettings::default(),
        |_| None,
        Some(&folder.join(".env")),
    );
    assert!(
        loaded.problems.is_empty(),
        "not a file: ignored like a missing one"
    );
}

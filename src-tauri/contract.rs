//! The page's contract, declared once: every command the page may call (its arguments, its
//! channels and its answer) and every event the app sends it. From these two lists come the
//! handler Tauri registers, the typed `emit`, and the page's `ui/js/bindings/contract.js` (command
//! and event names and their types, written by the bindings test): renaming a command or an
//! argument here fails `tsc` until the page follows.
//!
//! Each command is implemented in `commands/` as `async fn(AppHandle, args...) ->
//! CommandResult<T>`; the wrapper generated here calls it with the declared types, so a declaration
//! that does not match its implementation does not compile.

use crate::commands::session::ShellStatus;
use crate::commands::{find, insights, library, links, pages, player, session, settings};
use spotify_plus_core::app::{ModelStatus, PagePart};
use spotify_plus_core::insight::{InsightEvent, InsightKind};
use spotify_plus_core::lyrics::versions::LyricsTask;
use spotify_plus_core::settings::{SettingsForm, SettingsView};
use spotify_plus_core::spotify::models::{Artist, PlaylistSummary, Track};
use spotify_plus_core::spotify::{
    AlbumId, AlbumPage, ArtistId, Page, PlayRequest, Playback, PlaylistId, PlaylistPage,
    SearchResults, TrackId,
};
use spotify_plus_core::UiError;
use tauri::{AppHandle, Emitter, Runtime};

/// An event the app sends the page: its name and what it carries.
pub trait Event {
    /// The name the page listens to.
    const NAME: &'static str;
    /// What it carries.
    type Payload: serde::Serialize;
}

/// Sends `payload` to the page as event `E`; a window that is gone misses nothing it needs.
pub fn emit<E: Event, R: Runtime>(app: &AppHandle<R>, payload: &E::Payload) {
    if let Err(error) = app.emit(E::NAME, payload) {
        tracing::debug!(event = E::NAME, %error, "event not delivered");
    }
}

/// Records a command the page called, one name per line, in the file `SPOTIFY_PLUS_IPC_LOG`
/// names (when set): how the end-to-end tests count the page's calls, and a trace when
/// debugging. Arguments are never written (they can hold a key).
fn trace(command: &'static str) {
    use std::io::Write;
    static LOG: std::sync::OnceLock<Option<std::sync::Mutex<std::fs::File>>> =
        std::sync::OnceLock::new();
    let log = LOG.get_or_init(|| {
        let path = std::env::var_os("SPOTIFY_PLUS_IPC_LOG")?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .ok()?;
        Some(std::sync::Mutex::new(file))
    });
    if let Some(file) = log {
        let mut file = file.lock().unwrap_or_else(|e| e.into_inner());
        let _ = writeln!(file, "{command}");
    }
}

/// One command as the page sees it, for the generated bindings.
#[cfg(test)]
pub struct CommandDecl {
    /// The name the page invokes.
    pub name: &'static str,
    /// Arguments: (Rust name, TypeScript type), channels included.
    pub args: Vec<(&'static str, String)>,
    /// The answer's TypeScript type.
    pub result: String,
    /// Whether a success means Spotify answered (the page then clears an app-wide banner).
    pub asks_spotify: bool,
    /// The TypeScript types it refers to, to import.
    pub uses: Vec<ts_rs::Dependency>,
}

/// One event as the page sees it, for the generated bindings.
#[cfg(test)]
pub struct EventDecl {
    /// The name the page listens to.
    pub name: &'static str,
    /// What it carries, as a TypeScript type.
    pub payload: String,
    /// The TypeScript types it refers to, to import.
    pub uses: Vec<ts_rs::Dependency>,
}

/// The TypeScript type of `T` and the exported types it needs (its own, its dependencies' and,
/// for a wrapper such as `Option<Playback>`, its parameters').
#[cfg(test)]
fn ts<T: ts_rs::TS + 'static>(cfg: &ts_rs::Config) -> (String, Vec<ts_rs::Dependency>) {
    struct Generics<'a>(&'a ts_rs::Config, Vec<ts_rs::Dependency>);
    impl ts_rs::TypeVisitor for Generics<'_> {
        fn visit<U: ts_rs::TS + 'static + ?Sized>(&mut self) {
            self.1.extend(ts_rs::Dependency::from_ty::<U>(self.0));
        }
    }
    let mut generics = Generics(cfg, T::dependencies(cfg));
    T::visit_generics(&mut generics);
    let mut uses = generics.1;
    uses.extend(ts_rs::Dependency::from_ty::<T>(cfg));
    (T::name(cfg), uses)
}

/// One argument for the bindings: its name and type, its imports added to `uses`.
#[cfg(test)]
fn arg(
    uses: &mut Vec<ts_rs::Dependency>,
    name: &'static str,
    (ty, needs): (String, Vec<ts_rs::Dependency>),
) -> (&'static str, String) {
    uses.extend(needs);
    (name, ty)
}

macro_rules! contract {
    (
        commands {
            $(
                $(#[doc = $doc:literal])*
                $name:ident ( $( $arg:ident : $argty:ty ),* )
                $( [ $( $chan:ident : $chanty:ty ),* ] )?
                -> $ret:ty = $module:ident :: $func:ident $( + $spotify:ident )? ;
            )*
        }
        events {
            $(
                $(#[doc = $edoc:literal])*
                $event:ident = $ename:literal : $payload:ty ;
            )*
        }
    ) => {
        /// The `#[tauri::command]` door of each command, calling its implementation.
        mod wire {
            use super::*;
            $(
                $(#[doc = $doc])*
                #[tauri::command]
                pub async fn $name(
                    app: AppHandle,
                    $( $arg: $argty, )*
                    $( $( $chan: tauri::ipc::Channel<$chanty>, )* )?
                ) -> crate::error::CommandResult<$ret> {
                    trace(stringify!($name));
                    $module::$func(app, $( $arg, )* $( $( $chan, )* )?).await
                }
            )*
        }

        /// Tauri's handler of every declared command.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![ $( wire::$name ),* ]
        }

        $(
            $(#[doc = $edoc])*
            pub struct $event;
            impl Event for $event {
                const NAME: &'static str = $ename;
                type Payload = $payload;
            }
        )*

        /// Every command, for the generated bindings.
        #[cfg(test)]
        pub fn commands(cfg: &ts_rs::Config) -> Vec<CommandDecl> {
            vec![ $( {
                let mut uses = Vec::new();
                let args: Vec<(&'static str, String)> = vec![
                    $( arg(&mut uses, stringify!($arg), ts::<$argty>(cfg)), )*
                    $( $( {
                        let (name, t) = arg(&mut uses, stringify!($chan), ts::<$chanty>(cfg));
                        (name, format!("TauriChannel<{t}>"))
                    }, )* )?
                ];
                let (result, u) = ts::<$ret>(cfg);
                uses.extend(u);
                CommandDecl {
                    name: stringify!($name),
                    args,
                    result,
                    asks_spotify: false $( || stringify!($spotify) == "spotify" )?,
                    uses,
                }
            } ),* ]
        }

        /// Every event, for the generated bindings.
        #[cfg(test)]
        pub fn events(cfg: &ts_rs::Config) -> Vec<EventDecl> {
            vec![ $( {
                let (payload, uses) = ts::<$payload>(cfg);
                EventDecl { name: $ename, payload, uses }
            } ),* ]
        }
    };
}

contract! {
    commands {
        /// Which screen to show, and what to say once.
        status() -> ShellStatus = session::status;
        /// Opens Spotify's consent page and waits for the sign-in.
        login() -> () = session::login;
        /// Signs out; with `clear_cache` the insights cache goes too.
        logout(clear_cache: bool) -> () = session::logout;
        /// Ends a sign-in that waits for the browser; false when none did.
        login_cancel() -> bool = session::login_cancel;
        /// Reads the saved sign-in again after the keyring did not answer.
        retry_keyring() -> bool = session::retry_keyring;
        /// One page of the user's playlists.
        playlists(offset: u32) -> Page<PlaylistSummary> = library::playlists + spotify;
        /// A playlist and one page of its items.
        playlist(id: PlaylistId, offset: u32) -> PlaylistPage = library::playlist + spotify;
        /// The track page in one call: the track, its heart, its lyrics, the model notice, both
        /// insights.
        track_page(id: TrackId) [on_part: PagePart<Track>] -> () = pages::track_page + spotify;
        /// The artist page in one call: the artist, the model notice, its insight.
        artist_page(id: ArtistId) [on_part: PagePart<Artist>] -> () = pages::artist_page + spotify;
        /// The album page in one call: the album and a page of its tracks, the model notice, its
        /// insight.
        album_page(id: AlbumId, offset: u32) [on_part: PagePart<AlbumPage>] -> () = pages::album_page + spotify;
        /// One of a track page's insights written again.
        regenerate_track_insight(id: TrackId, kind: InsightKind) [on_event: InsightEvent] -> () = insights::regenerate_track_insight;
        /// What one line of a track's lyrics means (`regenerate`: written again).
        explain_lyric_line(id: TrackId, line: u32, regenerate: bool) [on_event: InsightEvent] -> () = insights::explain_lyric_line + spotify;
        /// A track's lyrics translated or romanised, one entry per line; streamed as written.
        lyrics_version(id: TrackId, task: LyricsTask) [on_event: InsightEvent] -> Vec<Option<String>> = insights::lyrics_version + spotify;
        /// An artist's insight written again.
        regenerate_artist_insight(id: ArtistId) [on_event: InsightEvent] -> () = insights::regenerate_artist_insight;
        /// Songs, artists and albums found, one page of each.
        search(query: String, offset: u32) -> SearchResults = find::search + spotify;
        /// An album's insight written again.
        regenerate_album_insight(id: AlbumId) [on_event: InsightEvent] -> () = find::regenerate_album_insight;
        /// Saves or removes the track; the state Spotify now has.
        set_liked(id: TrackId, liked: bool) -> bool = find::set_liked + spotify;
        /// What plays now, with progress and context.
        playback() -> Option<Playback> = player::playback + spotify;
        /// Whether this sign-in may control playback.
        controls_allowed() -> bool = player::controls_allowed;
        /// Starts something on the active device.
        play(request: PlayRequest) -> () = player::play;
        /// Pauses.
        pause() -> () = player::pause;
        /// The next item.
        next() -> () = player::next;
        /// The previous item.
        previous() -> () = player::previous;
        /// The settings, for the form (secrets only as "is set").
        settings_get() -> SettingsView = settings::settings_get;
        /// Saves the settings form.
        settings_save(settings: SettingsForm) -> () = settings::settings_save;
        /// Switches to a model in one click.
        settings_set_model(model: String) -> () = settings::settings_set_model;
        /// The model in use, its shutdown date, and the server's models.
        model_status(refresh: bool) -> ModelStatus = settings::model_status;
        /// Opens a Spotify item or a source of an insight with the system.
        open_link(url: String) -> () = links::open_link;
    }
    events {
        /// What plays, after each poll (none when nothing does).
        PlaybackChanged = "playback": Option<Playback>;
        /// Signed in, out, or the settings were read: the page reloads its status; with an error
        /// when the session ended, saying why.
        SessionChanged = "session-changed": Option<UiError>;
        /// A problem of every page (a rate-limit ban, a refused app).
        SpotifyProblem = "spotify-error": UiError;
        /// A tray control failed.
        ControlFailed = "control-error": UiError;
        /// The tray's "Open now playing".
        OpenNow = "open-now": ();
    }
}

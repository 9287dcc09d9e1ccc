// @ts-check
// Generated from src-tauri/contract.rs by `UPDATE_BINDINGS=1 cargo test -p spotify-plus --lib bindings`; do not edit.

/** @typedef {import("./Album").Album} Album */
/** @typedef {import("./AlbumId").AlbumId} AlbumId */
/** @typedef {import("./AlbumPage").AlbumPage} AlbumPage */
/** @typedef {import("./Artist").Artist} Artist */
/** @typedef {import("./ArtistId").ArtistId} ArtistId */
/** @typedef {import("./BackgroundInsights").BackgroundInsights} BackgroundInsights */
/** @typedef {import("./DotenvUse").DotenvUse} DotenvUse */
/** @typedef {import("./ErrorKind").ErrorKind} ErrorKind */
/** @typedef {import("./ErrorScope").ErrorScope} ErrorScope */
/** @typedef {import("./Insight").Insight} Insight */
/** @typedef {import("./InsightEvent").InsightEvent} InsightEvent */
/** @typedef {import("./InsightKind").InsightKind} InsightKind */
/** @typedef {import("./Lyrics").Lyrics} Lyrics */
/** @typedef {import("./LyricsTask").LyricsTask} LyricsTask */
/** @typedef {import("./ModelInfo").ModelInfo} ModelInfo */
/** @typedef {import("./ModelStatus").ModelStatus} ModelStatus */
/** @typedef {import("./NowPlaying").NowPlaying} NowPlaying */
/** @template T @typedef {import("./Page").Page<T>} Page */
/** @template V @typedef {import("./PagePart").PagePart<V>} PagePart */
/** @typedef {import("./PlayRequest").PlayRequest} PlayRequest */
/** @typedef {import("./Playback").Playback} Playback */
/** @typedef {import("./PlaybackContext").PlaybackContext} PlaybackContext */
/** @typedef {import("./PlaylistId").PlaylistId} PlaylistId */
/** @typedef {import("./PlaylistItems").PlaylistItems} PlaylistItems */
/** @typedef {import("./PlaylistPage").PlaylistPage} PlaylistPage */
/** @typedef {import("./PlaylistSummary").PlaylistSummary} PlaylistSummary */
/** @typedef {import("./SearchResults").SearchResults} SearchResults */
/** @typedef {import("./SettingsForm").SettingsForm} SettingsForm */
/** @typedef {import("./SettingsView").SettingsView} SettingsView */
/** @typedef {import("./ShellStatus").ShellStatus} ShellStatus */
/** @typedef {import("./Source").Source} Source */
/** @typedef {import("./StoreKind").StoreKind} StoreKind */
/** @typedef {import("./Track").Track} Track */
/** @typedef {import("./TrackId").TrackId} TrackId */
/** @typedef {import("./UiError").UiError} UiError */

/**
 * Every command the page may call: its arguments (channels included) and its answer.
 * @typedef {{
 *   status: { args: {  }, result: ShellStatus },
 *   login: { args: {  }, result: null },
 *   logout: { args: { clearCache: boolean }, result: null },
 *   login_cancel: { args: {  }, result: boolean },
 *   retry_keyring: { args: {  }, result: boolean },
 *   playlists: { args: { offset: number }, result: Page<PlaylistSummary> },
 *   playlist: { args: { id: PlaylistId, offset: number }, result: PlaylistPage },
 *   track_page: { args: { id: TrackId, onPart: TauriChannel<PagePart<Track>> }, result: null },
 *   artist_page: { args: { id: ArtistId, onPart: TauriChannel<PagePart<Artist>> }, result: null },
 *   album_page: { args: { id: AlbumId, offset: number, onPart: TauriChannel<PagePart<AlbumPage>> }, result: null },
 *   regenerate_track_insight: { args: { id: TrackId, kind: InsightKind, onEvent: TauriChannel<InsightEvent> }, result: null },
 *   explain_lyric_line: { args: { id: TrackId, line: number, regenerate: boolean, onEvent: TauriChannel<InsightEvent> }, result: null },
 *   lyrics_version: { args: { id: TrackId, task: LyricsTask, onEvent: TauriChannel<InsightEvent> }, result: Array<string | null> },
 *   regenerate_artist_insight: { args: { id: ArtistId, onEvent: TauriChannel<InsightEvent> }, result: null },
 *   search: { args: { query: string, offset: number }, result: SearchResults },
 *   regenerate_album_insight: { args: { id: AlbumId, onEvent: TauriChannel<InsightEvent> }, result: null },
 *   set_liked: { args: { id: TrackId, liked: boolean }, result: boolean },
 *   playback: { args: {  }, result: Playback | null },
 *   controls_allowed: { args: {  }, result: boolean },
 *   play: { args: { request: PlayRequest }, result: null },
 *   pause: { args: {  }, result: null },
 *   next: { args: {  }, result: null },
 *   previous: { args: {  }, result: null },
 *   settings_get: { args: {  }, result: SettingsView },
 *   settings_save: { args: { settings: SettingsForm }, result: null },
 *   settings_set_model: { args: { model: string }, result: null },
 *   model_status: { args: { refresh: boolean }, result: ModelStatus },
 *   open_link: { args: { url: string }, result: null },
 * }} Commands
 */

/**
 * Every event the app sends the page, with what it carries.
 * @typedef {{
 *   "playback": Playback | null,
 *   "session-changed": UiError | null,
 *   "spotify-error": UiError,
 *   "control-error": UiError,
 *   "open-now": null,
 * }} Events
 */

/** The commands, by their name in the page. */
export const COMMAND = /** @type {const} */ ({
  status: "status",
  login: "login",
  logout: "logout",
  loginCancel: "login_cancel",
  retryKeyring: "retry_keyring",
  playlists: "playlists",
  playlist: "playlist",
  trackPage: "track_page",
  artistPage: "artist_page",
  albumPage: "album_page",
  regenerateTrackInsight: "regenerate_track_insight",
  explainLyricLine: "explain_lyric_line",
  lyricsVersion: "lyrics_version",
  regenerateArtistInsight: "regenerate_artist_insight",
  search: "search",
  regenerateAlbumInsight: "regenerate_album_insight",
  setLiked: "set_liked",
  playback: "playback",
  controlsAllowed: "controls_allowed",
  play: "play",
  pause: "pause",
  next: "next",
  previous: "previous",
  settingsGet: "settings_get",
  settingsSave: "settings_save",
  settingsSetModel: "settings_set_model",
  modelStatus: "model_status",
  openLink: "open_link",
});

/** The events, by their name in the page. */
export const EVENT = /** @type {const} */ ({
  playback: "playback",
  sessionChanged: "session-changed",
  spotifyError: "spotify-error",
  controlError: "control-error",
  openNow: "open-now",
});

/** Commands whose success means Spotify answered. @type {ReadonlySet<string>} */
export const ASKS_SPOTIFY = new Set([
  COMMAND.playlists,
  COMMAND.playlist,
  COMMAND.trackPage,
  COMMAND.artistPage,
  COMMAND.albumPage,
  COMMAND.explainLyricLine,
  COMMAND.lyricsVersion,
  COMMAND.search,
  COMMAND.setLiked,
  COMMAND.playback,
]);

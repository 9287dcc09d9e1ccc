// @ts-check
// Play buttons. "Spotify app" starts the item on the active Spotify device through the Web API
// (a track of a playlist in that playlist, at its position); with no device active, or when
// this sign-in or account may not control playback, it opens the `spotify:` URI in the app as
// before. "Spotify Web" opens the open.spotify.com page in the browser. The opener's capability
// scope allows exactly these forms and nothing else.
import { asAppError, COMMAND, invoke } from "./api.js";
import { h } from "./dom.js";
import { showError, showInfo } from "./notices.js";

const KINDS = new Set(["track", "playlist", "artist", "album"]);
const ID = /^[0-9A-Za-z]{22}$/;
/** Failures of playing through the Web API where the Spotify app itself can still play it. */
const OPEN_INSTEAD = new Set(["no_active_device", "premium_required", "missing_scope"]);

/**
 * The two URLs for a Spotify object, or null if the id is not a Spotify id.
 * @param {string} kind
 * @param {string} id
 */
export function spotifyUrls(kind, id) {
  if (!KINDS.has(kind) || !ID.test(id ?? "")) return null;
  return { app: `spotify:${kind}:${id}`, web: `https://open.spotify.com/${kind}/${id}` };
}

/**
 * What "Play" asks Spotify to start.
 * @param {string} kind
 * @param {string} id
 * @param {{ playlist: string, position: number } | undefined} inPlaylist
 * @returns {import("./bindings/PlayRequest").PlayRequest}
 */
export function playRequest(kind, id, inPlaylist) {
  switch (kind) {
    case "track":
      return { type: "track", id, playlist: inPlaylist?.playlist ?? null, position: inPlaylist?.position ?? null };
    case "playlist":
      return { type: "playlist", id };
    case "album":
      return { type: "album", id };
    default:
      return { type: "artist", id };
  }
}

/**
 * "Spotify app" and "Spotify Web" buttons for a track, playlist, album or artist.
 * `inPlaylist` starts a track within its playlist, at its 0-based position.
 * @param {string} kind
 * @param {string} id
 * @param {{ small?: boolean, label?: string, inPlaylist?: { playlist: string, position: number } }} [options]
 */
export function playButtons(kind, id, { small = false, label = "", inPlaylist } = {}) {
  const urls = spotifyUrls(kind, id);
  if (!urls) return null;
  const size = small ? " btn-sm" : "";
  const open = (/** @type {string} */ url) => invoke(COMMAND.openLink, { url }).catch((e) => showError(asAppError(e), { context: "Could not open Spotify" }));
  const playInApp = async () => {
    try {
      await invoke(COMMAND.play, { request: playRequest(kind, id, inPlaylist) });
      showInfo(`Playing ${label || kind} on Spotify.`);
    } catch (e) {
      const error = asAppError(e);
      if (OPEN_INSTEAD.has(error.kind)) await open(urls.app);
      else showError(error, { context: "Could not play" });
    }
  };
  // Screen readers hear what each button does, with the name of what it plays.
  const what = label || `this ${kind}`;
  return h("div", { class: "btn-group", role: "group", "aria-label": `Play ${label}`.trim() },
    h("button", { type: "button", class: `btn btn-success btn-play${size}`, testid: "play-app", title: "Play in the Spotify app",
      "aria-label": `Play ${what} in the Spotify app`, onClick: playInApp }, h("span", { "aria-hidden": "true" }, "▶ "), "Spotify app"),
    h("button", { type: "button", class: `btn btn-outline-success btn-play${size}`, testid: "play-web", title: "Open on Spotify Web",
      "aria-label": `Open ${what} on Spotify Web`, onClick: () => open(urls.web) }, "Spotify Web"));
}

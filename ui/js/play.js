// @ts-check
// Play buttons: open a Spotify URI in the app, or the open.spotify.com page in the browser.
// The opener's capability scope allows exactly these two forms and nothing else.
import { openUrl } from "./api.js";
import { h } from "./dom.js";
import { showError } from "./notices.js";

const KINDS = new Set(["track", "playlist", "artist"]);
const ID = /^[0-9A-Za-z]{22}$/;

/** The two URLs for a Spotify object, or null if the id is not a Spotify id. */
export function spotifyUrls(kind, id) {
  if (!KINDS.has(kind) || !ID.test(id ?? "")) return null;
  return { app: `spotify:${kind}:${id}`, web: `https://open.spotify.com/${kind}/${id}` };
}

/** "Spotify app" and "Spotify Web" buttons for a track, playlist or artist. */
export function playButtons(kind, id, { small = false, label = "" } = {}) {
  const urls = spotifyUrls(kind, id);
  if (!urls) return null;
  const size = small ? " btn-sm" : "";
  const open = (url) => () =>
    openUrl(url).catch((e) => showError(e, { context: "Could not open Spotify" }));
  return h("div", { class: "btn-group", role: "group", "aria-label": `Play ${label}`.trim() },
    h("button", { type: "button", class: `btn btn-success btn-play${size}`, testid: "play-app", title: "Open in the Spotify app", onClick: open(urls.app) }, "▶ Spotify app"),
    h("button", { type: "button", class: `btn btn-outline-success btn-play${size}`, testid: "play-web", title: "Open on Spotify Web", onClick: open(urls.web) }, "Spotify Web"));
}

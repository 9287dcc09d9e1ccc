// @ts-check
// Home: what is playing now (kept fresh by the app's poller, with a link to the now page) and
// the first playlists.
import * as api from "../api.js";
import { h, replace, cover, spinner } from "../dom.js";
import { playButtons } from "../play.js";
import { showError } from "../notices.js";
import { artistLinks } from "./common.js";
import { playlistRow } from "./playlists.js";

/** @typedef {import("../bindings/NowPlaying").NowPlaying} NowPlaying */
/** @typedef {import("../main.js").RouteContext} RouteContext */

/**
 * Renders a now-playing value (null, track, episode, ad, unknown) into `box`.
 * @param {HTMLElement} box
 * @param {NowPlaying | null} np
 */
export function renderNowPlaying(box, np) {
  if (!np) return replace(box, h("p", { class: "mb-0 text-secondary" }, "Nothing is playing on Spotify right now."));
  if (np.type === "track") {
    const t = np.track;
    return replace(box, h("div", { class: "d-flex gap-3 align-items-center" },
      cover(t.album?.images, { cls: "cover-sm", size: 64 }),
      h("div", { class: "flex-grow-1 min-w-0" },
        h("div", { class: "small text-secondary" }, np.isPlaying ? "Playing now" : "Paused"),
        h("a", { class: "fw-semibold d-block text-truncate", href: `#/track/${t.id}` }, t.name),
        h("div", { class: "small text-secondary text-truncate" }, artistLinks(t.artists))),
      playButtons("track", t.id, { small: true, label: t.name })));
  }
  if (np.type === "episode") {
    return replace(box, h("p", { class: "mb-0" }, h("span", { class: "badge text-bg-info me-2" }, "Podcast"), np.name,
      np.show ? h("span", { class: "text-secondary" }, ` · ${np.show}`) : null));
  }
  if (np.type === "ad") return replace(box, h("p", { class: "mb-0 text-secondary" }, "An advertisement is playing."));
  return replace(box, h("p", { class: "mb-0 text-secondary" }, "Something is playing that Spotify does not describe."));
}

/** The home view. @param {RouteContext} ctx */
export async function homeView(ctx) {
  const box = h("div", { class: "card-body" }, spinner());
  const nowPlaying = h("section", { class: "card now-playing-card mb-4", testid: "now-playing", "aria-label": "Now playing" },
    h("div", { class: "card-header d-flex justify-content-between align-items-baseline" },
      h("span", { class: "small text-uppercase text-secondary" }, "Now playing"),
      h("a", { href: "#/now", class: "small", testid: "open-now" }, "Follow along ›")), box);
  // What plays, with the now page's one playback event per poll.
  api.invoke(api.COMMAND.playback, {}).then((p) => renderNowPlaying(box, p?.now ?? null)).catch((e) => {
    replace(box, h("p", { class: "mb-0 text-secondary" }, "Could not check what is playing."));
    showError(api.asAppError(e), { context: "Now playing" });
  });
  ctx.onLeave(await api.listen(api.EVENT.playback, (p) => renderNowPlaying(box, p?.now ?? null)));

  const list = h("ul", { class: "list-group" }, spinner());
  api.invoke(api.COMMAND.playlists, { offset: 0 }).then((page) => {
    replace(list, page.items.length ? page.items.map(playlistRow) : h("li", { class: "list-group-item text-secondary" }, "You have no playlists yet."));
  }).catch((e) => {
    replace(list);
    showError(api.asAppError(e), { context: "Playlists" });
  });
  return h("div", {}, nowPlaying,
    h("div", { class: "d-flex justify-content-between align-items-baseline" },
      h("h2", { class: "h5" }, "Your playlists"), h("a", { href: "#/playlists" }, "All playlists ›")),
    list);
}

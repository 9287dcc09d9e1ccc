// @ts-check
// The user's playlists, 10 a page.
import * as api from "../api.js";
import { h, cover } from "../dom.js";
import { playButtons } from "../play.js";
import { pager } from "../pager.js";

/** @typedef {import("../bindings/PlaylistSummary").PlaylistSummary} PlaylistSummary */
/** @typedef {import("../main.js").RouteContext} RouteContext */

/** Spotify lists the songs only of owned and collaborative playlists: say so before the click. @param {PlaylistSummary} p */
function followedBadge(p) {
  if (!p.followed) return null;
  return h("span", {
    class: "badge rounded-pill bg-body-secondary text-body border ms-2 fw-normal",
    testid: "playlist-followed",
    title: "You follow this playlist. Spotify shows its songs to this app only for playlists you own or collaborate on; open it in Spotify to play it.",
  }, "Followed · songs in Spotify only");
}

/** One playlist row with its play buttons. @param {PlaylistSummary} p */
export function playlistRow(p) {
  return h("li", { class: "list-group-item d-flex align-items-center gap-3", testid: "playlist-item", "data-followed": p.followed ? "true" : "false" },
    cover(p.images, { cls: "cover-sm", size: 64 }),
    h("div", { class: "flex-grow-1 min-w-0" },
      h("a", { class: "fw-semibold d-block text-truncate", href: `#/playlist/${p.id}` }, p.name),
      h("div", { class: "small text-secondary text-truncate" },
        [p.owner ? `by ${p.owner}` : null, `${p.totalItems} items`].filter(Boolean).join(" · "),
        followedBadge(p))),
    playButtons("playlist", p.id, { small: true, label: p.name }));
}

/** The playlists view at `offset`. @param {RouteContext} ctx */
export async function playlistsView(ctx) {
  const page = await api.invoke(api.COMMAND.playlists, { offset: ctx.offset });
  return h("div", {},
    h("h1", { class: "h3 mb-3" }, "Your playlists"),
    page.items.length
      ? h("ul", { class: "list-group" }, page.items.map(playlistRow))
      : h("p", { class: "text-secondary" }, page.total ? "No playlists on this page." : "You have no playlists yet."),
    pager(page, (offset) => `#/playlists?offset=${offset}`));
}

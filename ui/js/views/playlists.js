// The user's playlists, 10 a page.
import { call } from "../api.js";
import { h, cover } from "../dom.js";
import { playButtons } from "../play.js";
import { pager } from "../pager.js";

/** One playlist row with its play buttons. */
export function playlistRow(p) {
  return h("li", { class: "list-group-item d-flex align-items-center gap-3", testid: "playlist-item" },
    cover(p.images, { cls: "cover-sm", size: 64 }),
    h("div", { class: "flex-grow-1 min-w-0" },
      h("a", { class: "fw-semibold d-block text-truncate", href: `#/playlist/${p.id}` }, p.name),
      h("div", { class: "small text-secondary text-truncate" },
        [p.owner ? `by ${p.owner}` : null, `${p.totalItems} items`].filter(Boolean).join(" · "))),
    playButtons("playlist", p.id, { small: true, label: p.name }));
}

/** The playlists view at `offset`. */
export async function playlistsView(ctx) {
  const page = await call("playlists", { offset: ctx.offset });
  return h("div", {},
    h("h1", { class: "h3 mb-3" }, "Your playlists"),
    page.items.length
      ? h("ul", { class: "list-group" }, page.items.map(playlistRow))
      : h("p", { class: "text-secondary" }, page.total ? "No playlists on this page." : "You have no playlists yet."),
    pager(page, (offset) => `#/playlists?offset=${offset}`));
}

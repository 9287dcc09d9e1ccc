// @ts-check
// Album page: cover, name, artists and year, its tracks 10 a page, and an insight about the
// album streamed in beside them.
import * as api from "../api.js";
import { h, cover, duration } from "../dom.js";
import { playButtons } from "../play.js";
import { pager } from "../pager.js";
import { insightCard } from "../insight.js";
import { openPage } from "../page.js";
import { artistLinks } from "./common.js";

/** @typedef {import("../bindings/Track").Track} Track */
/** @typedef {import("../main.js").RouteContext} RouteContext */

/** @type {Record<string, string>} */
const TYPES = { album: "Album", single: "Single", compilation: "Compilation" };

/** One track of the album, numbered as on the album. */
function albumTrackRow(/** @type {Track} */ track, /** @type {number} */ number) {
  return h("li", { class: "list-group-item d-flex align-items-center gap-3 track-row", testid: "track-item" },
    h("span", { class: "text-secondary small track-number" }, number),
    h("div", { class: "flex-grow-1 min-w-0" },
      h("a", { class: "title d-block text-truncate", href: `#/track/${track.id}` }, track.name),
      h("div", { class: "small text-secondary text-truncate" }, artistLinks(track.artists))),
    track.explicit ? h("span", { class: "badge text-bg-secondary", title: "Explicit" }, "E") : null,
    track.isPlayable === false ? h("span", { class: "badge text-bg-secondary" }, "Unavailable") : null,
    h("span", { class: "small text-secondary" }, duration(track.durationMs)),
    playButtons("track", track.id, { small: true, label: track.name }));
}

/** The album view for `ctx.id` at `ctx.offset`. @param {RouteContext} ctx */
export async function albumView(ctx) {
  const { view, onParts } = await openPage(api.COMMAND.albumPage, { id: ctx.id, offset: ctx.offset });
  const { album, tracks } = view;
  const card = insightCard({ title: "About this album", testid: "album-insight", kind: "album", id: album.id });
  onParts((part) => {
    if (part.part === "insight") card.onEvent(part.event);
    else if (part.part === "modelRetiring") card.retiring(part.model, part.shutdownDate);
  });
  const facts = [
    album.releaseYear,
    `${album.totalTracks} ${album.totalTracks === 1 ? "track" : "tracks"}`,
    album.label,
  ].filter(Boolean).join(" · ");
  return h("div", {},
    h("div", { class: "row g-4 mb-4" },
      h("div", { class: "col-sm-4 col-lg-3" }, cover(album.images, { cls: "cover", alt: `Cover of ${album.name}`, size: 300, testid: "album-image" })),
      h("div", { class: "col-sm-8 col-lg-9 d-flex flex-column justify-content-end min-w-0" },
        h("div", { class: "small text-uppercase text-secondary" }, TYPES[album.albumType ?? ""] ?? "Album"),
        h("h1", { class: "h2 text-break", testid: "album-title" }, album.name),
        h("p", { class: "fs-5 mb-1" }, artistLinks(album.artists)),
        h("p", { class: "text-secondary", testid: "album-facts" }, facts),
        h("div", {}, playButtons("album", album.id, { label: album.name })))),
    h("div", { class: "row g-4" },
      h("div", { class: "col-lg-7" },
        tracks.items.length
          ? h("ol", { class: "list-group" }, tracks.items.map((track, i) => albumTrackRow(track, tracks.offset + i + 1)))
          : h("p", { class: "text-secondary" }, "No tracks on this page."),
        pager(tracks, (offset) => `#/album/${album.id}?offset=${offset}`)),
      h("div", { class: "col-lg-5" }, card.el)));
}

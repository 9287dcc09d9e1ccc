// @ts-check
// One playlist: header with play buttons, then its items 10 a page. Local files, episodes,
// unavailable tracks and empty slots are shown for what they are.
import * as api from "../api.js";
import { h, cover, duration } from "../dom.js";
import { playButtons } from "../play.js";
import { pager } from "../pager.js";
import { trackRow, placeholderRow } from "./common.js";

/** @typedef {import("../bindings/PlaylistEntry").PlaylistEntry} PlaylistEntry */
/** @typedef {import("../bindings/PlaylistItems").PlaylistItems} PlaylistItems */
/** @typedef {import("../bindings/PlaylistSummary").PlaylistSummary} PlaylistSummary */
/** @typedef {import("../main.js").RouteContext} RouteContext */

/**
 * One item of the playlist, numbered from 1.
 * @param {PlaylistEntry} entry
 * @param {number} index
 * @param {string} playlistId
 */
function entryRow(entry, index, playlistId) {
  switch (entry.type) {
    case "track":
      return trackRow(entry.track, index, { playlist: playlistId, position: index - 1 });
    case "localFile":
      return placeholderRow(index, "Local file", entry.name,
        [entry.artists.join(", "), entry.album, duration(entry.durationMs)].filter(Boolean).join(" · "));
    case "episode":
      return placeholderRow(index, "Podcast episode", entry.name, entry.show);
    case "unavailable":
      return placeholderRow(index, "Unavailable", entry.name ?? "Unavailable track", "Not playable in your country or removed");
    default:
      return placeholderRow(index, "Removed", "This item is no longer available", null);
  }
}

/**
 * Why Spotify withholds the items, with a way to open the playlist in Spotify instead.
 * @param {PlaylistSummary} playlist
 * @param {Extract<PlaylistItems, { state: "unavailable" }>} items
 */
function itemsUnavailable(playlist, items) {
  return h("div", { class: "alert alert-secondary d-flex flex-wrap align-items-center gap-3", role: "status", testid: "items-unavailable" },
    h("p", { class: "mb-0 flex-grow-1" }, items.message),
    playButtons("playlist", playlist.id, { small: true, label: playlist.name }));
}

/**
 * The items part of the page: a list with its pager, or the notice.
 * @param {PlaylistSummary} playlist
 * @param {PlaylistItems} items
 */
function itemsPart(playlist, items) {
  if (items.state === "unavailable") return itemsUnavailable(playlist, items);
  const page = items.page;
  return [
    page.items.length
      ? h("ol", { class: "list-group" }, page.items.map((entry, i) => entryRow(entry, page.offset + i + 1, playlist.id)))
      : h("p", { class: "text-secondary" }, page.total ? "No items on this page." : "This playlist is empty."),
    pager(page, (offset) => `#/playlist/${playlist.id}?offset=${offset}`),
  ];
}

/** The playlist view for `ctx.id` at `ctx.offset`. @param {RouteContext} ctx */
export async function playlistView(ctx) {
  const { playlist, items } = await api.invoke(api.COMMAND.playlist, { id: ctx.id, offset: ctx.offset });
  return h("div", {},
    h("div", { class: "d-flex gap-4 align-items-end mb-3 flex-wrap" },
      cover(playlist.images, { cls: "cover cover-md", alt: "", size: 300 }),
      h("div", { class: "min-w-0" },
        h("div", { class: "small text-uppercase text-secondary" }, "Playlist"),
        h("h1", { class: "h3" }, playlist.name),
        playlist.description ? h("p", { class: "text-secondary text-truncate-2" }, playlist.description) : null,
        h("p", { class: "small text-secondary" }, [playlist.owner ? `by ${playlist.owner}` : null, `${playlist.totalItems} items`].filter(Boolean).join(" · ")),
        playButtons("playlist", playlist.id, { label: playlist.name }))),
    itemsPart(playlist, items));
}

// @ts-check
// Search: the box in the navigation bar leads to #/search?q=..., which lists tracks, artists
// and albums (10 of each a page, Development Mode's most), each linking to its page.
import * as api from "../api.js";
import { h, cover, duration } from "../dom.js";
import { pager } from "../pager.js";
import { artistLinks } from "./common.js";

/** @typedef {import("../bindings/SearchResults").SearchResults} SearchResults */
/** @typedef {import("../bindings/Track").Track} Track */
/** @typedef {import("../bindings/Artist").Artist} Artist */
/** @typedef {import("../bindings/Album").Album} Album */
/** @typedef {import("../bindings/Image").Image} Image */
/** @template T @typedef {import("../bindings/Page").Page<T>} Page */
/** @typedef {import("../dom.js").Child} Child */
/** @typedef {import("../main.js").RouteContext} RouteContext */

const box = () => /** @type {HTMLInputElement} */ (document.getElementById("search-box"));

/**
 * The address of a search, the query encoded so that "&" or "#" in it stay in it.
 * @param {string} query
 * @param {number} [offset]
 */
export function searchHref(query, offset = 0) {
  return `#/search?q=${encodeURIComponent(query)}${offset ? `&offset=${offset}` : ""}`;
}

/** Sends the navigation bar's search box to the search page on Enter. */
export function wireSearchBox() {
  document.getElementById("search-form")?.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = box().value.trim();
    if (query) location.hash = searchHref(query);
  });
}

/**
 * One result: a link to its page (the `search-result` hook) with what tells it apart.
 * @param {string} kind `track`, `artist` or `album`
 * @param {string} href
 * @param {string} name
 * @param {Image[] | undefined} images
 * @param {Child} detail
 * @param {HTMLElement | null} [extra]
 */
function resultRow(kind, href, name, images, detail, extra = null) {
  return h("li", { class: "list-group-item d-flex align-items-center gap-3 track-row" },
    cover(images, { cls: kind === "artist" ? "cover-sm rounded-circle" : "cover-sm", size: 64 }),
    h("div", { class: "flex-grow-1 min-w-0" },
      h("a", { class: "title d-block text-truncate", href, testid: "search-result", "data-kind": kind }, name),
      detail ? h("div", { class: "small text-secondary text-truncate" }, detail) : null),
    extra);
}

/** @param {Track} track */
function trackResult(track) {
  const album = track.album;
  const albumPart = album ? [" · ", album.id ? h("a", { href: `#/album/${album.id}` }, album.name) : album.name] : [];
  return resultRow("track", `#/track/${track.id}`, track.name, album?.images,
    [artistLinks(track.artists), albumPart],
    h("span", { class: "small text-secondary" }, duration(track.durationMs)));
}

/** @param {Artist} artist */
function artistResult(artist) {
  const genres = artist.genres?.length ? artist.genres.join(", ") : "Artist";
  return resultRow("artist", `#/artist/${artist.id}`, artist.name, artist.images, genres);
}

/** @param {Album} album */
function albumResult(album) {
  const detail = [artistLinks(album.artists), album.releaseYear ? ` · ${album.releaseYear}` : ""];
  return resultRow("album", `#/album/${album.id}`, album.name, album.images, detail);
}

/**
 * A titled list of one type of result, or nothing when that type found nothing.
 * @template T
 * @param {string} title
 * @param {string} testid
 * @param {Page<T>} page
 * @param {(item: T) => HTMLElement} row
 */
function section(title, testid, page, row) {
  if (!page.items.length) return null;
  return h("section", { class: "mb-4", testid },
    h("h2", { class: "h5" }, title, h("span", { class: "text-secondary small ms-2" }, `${page.total}`)),
    h("ol", { class: "list-group" }, page.items.map(row)));
}

/** The pager for the longest of the three lists (they share one offset). @param {SearchResults} results */
function resultsPager(results) {
  const pages = [results.tracks, results.artists, results.albums];
  const longest = pages.reduce((a, b) => (b.pages > a.pages ? b : a));
  if (longest.pages <= 1) return null;
  return pager(longest, (offset) => searchHref(results.query, offset));
}

/** The search view for `ctx.params.q` at `ctx.offset`. @param {RouteContext} ctx */
export async function searchView(ctx) {
  const query = (ctx.params.get("q") ?? "").trim();
  box().value = query;
  if (!query) {
    box().focus();
    return h("div", { class: "py-4" }, h("h1", { class: "h4" }, "Search"),
      h("p", { class: "text-secondary" }, "Type a song, an artist or an album in the search box above and press Enter."));
  }
  const results = await api.invoke(api.COMMAND.search, { query, offset: ctx.offset });
  const found = results.tracks.total + results.artists.total + results.albums.total;
  return h("div", {},
    h("h1", { class: "h4 mb-3 text-break", testid: "search-query" }, "Results for “", results.query, "”"),
    found ? null : h("p", { class: "text-secondary", testid: "search-empty" }, "Nothing found. Check the spelling, or try fewer words."),
    section("Songs", "search-tracks", results.tracks, trackResult),
    section("Artists", "search-artists", results.artists, artistResult),
    section("Albums", "search-albums", results.albums, albumResult),
    resultsPager(results));
}

// @ts-check
// Pieces shared by several views: artist links and track rows.
import { h, duration, cover } from "../dom.js";
import { playButtons } from "../play.js";

/** @typedef {import("../bindings/ArtistRef").ArtistRef} ArtistRef */
/** @typedef {import("../bindings/Track").Track} Track */

/**
 * Artists as links to their pages (plain text for local files without ids), comma separated.
 * @param {ArtistRef[]} artists
 */
export function artistLinks(artists) {
  /** @type {(string | HTMLElement)[]} */
  const parts = [];
  (artists ?? []).forEach((artist, i) => {
    if (i) parts.push(", ");
    parts.push(artist.id
      ? h("a", { href: `#/artist/${artist.id}`, testid: "artist-link" }, artist.name)
      : h("span", {}, artist.name));
  });
  return parts;
}

/**
 * One row of a track list, with its play buttons; `inPlaylist` makes "Play" start the track
 * within its playlist, at its 0-based position.
 * @param {Track} track
 * @param {number} index
 * @param {{ playlist: string, position: number }} [inPlaylist]
 */
export function trackRow(track, index, inPlaylist) {
  return h("li", { class: "list-group-item d-flex align-items-center gap-3 track-row", testid: "track-item" },
    h("span", { class: "text-secondary small" }, index),
    cover(track.album?.images, { cls: "cover-sm", size: 64 }),
    h("div", { class: "flex-grow-1 min-w-0" },
      h("a", { class: "title d-block text-truncate", href: `#/track/${track.id}` }, track.name),
      h("div", { class: "small text-secondary text-truncate" }, artistLinks(track.artists),
        track.album ? ` · ${track.album.name}` : "")),
    track.isPlayable === false ? h("span", { class: "badge text-bg-secondary" }, "Unavailable") : null,
    h("span", { class: "small text-secondary" }, duration(track.durationMs)),
    playButtons("track", track.id, { small: true, label: track.name, inPlaylist }));
}

/**
 * A row for something that is not a playable Spotify track: local file, episode, gone.
 * @param {number} index
 * @param {string} badge
 * @param {string} title
 * @param {string | null} detail
 */
export function placeholderRow(index, badge, title, detail) {
  return h("li", { class: "list-group-item d-flex align-items-center gap-3 track-row", testid: "track-item" },
    h("span", { class: "text-secondary small" }, index),
    h("div", { class: "cover-sm cover-placeholder", role: "img", "aria-label": badge }, "♪"),
    h("div", { class: "flex-grow-1 min-w-0" },
      h("span", { class: "title d-block text-truncate" }, title),
      detail ? h("div", { class: "small text-secondary text-truncate" }, detail) : null),
    h("span", { class: "badge bg-body-secondary text-body border" }, badge));
}

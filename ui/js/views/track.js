// @ts-check
// Track page: album art, facts (the album a link to its page), artists, the heart that saves it
// to the user's library, the lyrics, and two insights streamed beside them.
import * as api from "../api.js";
import { h, cover, duration } from "../dom.js";
import { playButtons } from "../play.js";
import { showError } from "../notices.js";
import { artistLinks } from "./common.js";
import { insightCard } from "../insight.js";
import { lyricsCard } from "../lyrics.js";
import { openPage } from "../page.js";

/** @typedef {import("../bindings/Track").Track} Track */
/** @typedef {import("../main.js").RouteContext} RouteContext */

/**
 * The heart: pressed when the track is in the user's library; a click saves or removes it. Its
 * state comes with the page (`known`).
 * @param {string} trackId
 */
function likeButton(trackId) {
  const button = h("button", { type: "button", class: "btn btn-outline-danger btn-like", testid: "like",
    "aria-pressed": "false", "aria-label": "Liked song", disabled: true }, "♡");
  const show = (/** @type {boolean} */ liked) => {
    button.setAttribute("aria-pressed", String(liked));
    button.textContent = liked ? "♥" : "♡";
    button.title = liked ? "In your library: click to remove it" : "Click to save it to your library";
  };
  // A sign-in from before the heart existed cannot use it: the notice says to sign in again.
  const refused = (/** @type {import("../api.js").UiError} */ e, /** @type {string} */ context) => {
    if (e.kind === "missing_scope") button.title = e.message;
    button.disabled = e.kind === "missing_scope";
    showError(e, { context });
  };
  /** What Spotify said of the heart, with the page. @param {boolean | null} liked @param {import("../api.js").UiError | null} error */
  const known = (liked, error) => {
    if (liked != null) {
      show(liked);
      button.disabled = false;
    } else if (error) {
      refused(error, "Could not tell whether you liked this song");
    }
  };
  button.addEventListener("click", async () => {
    const want = button.getAttribute("aria-pressed") !== "true";
    button.disabled = true;
    try {
      show(await api.invoke(api.COMMAND.setLiked, { id: trackId, liked: want }));
      button.disabled = false;
    } catch (e) {
      refused(api.asAppError(e), want ? "Could not save this song to your library" : "Could not remove this song from your library");
    }
  });
  return { button, known };
}

/** The line under the artists: album (a link to its page), year and length. @param {Track} track */
function factsLine(track) {
  const album = track.album;
  const parts = [
    album ? (album.id ? h("a", { href: `#/album/${album.id}`, testid: "album-link" }, album.name) : album.name) : null,
    album?.releaseYear,
    duration(track.durationMs),
  ].filter(Boolean);
  return parts.flatMap((part, i) => (i ? [" · ", part] : [part]));
}

/**
 * The lyrics beside the two insights (below them on a narrow window).
 * @param {HTMLElement} lyrics @param {HTMLElement} trackInsight @param {HTMLElement} artistsInsight
 */
export function pageBody(lyrics, trackInsight, artistsInsight) {
  return h("div", { class: "row g-4" },
    h("div", { class: "col-lg-7 d-flex flex-column gap-4" }, trackInsight, artistsInsight),
    h("div", { class: "col-lg-5" }, lyrics));
}

/** The track view for `ctx.id`. @param {RouteContext} ctx */
export async function trackView(ctx) {
  const { view: track, onParts } = await openPage(api.COMMAND.trackPage, { id: ctx.id });
  const album = track.album;
  const trackCard = insightCard({ title: "About this track", testid: "track-insight", kind: "track", id: track.id });
  const artistsTitle = (track.artists?.length ?? 0) > 1 ? "About the artists" : "About the artist";
  const artistsCard = insightCard({ title: artistsTitle, testid: "artists-insight", kind: "artists", id: track.id });
  const like = likeButton(track.id);
  const lyrics = lyricsCard({ trackId: track.id });
  onParts((part) => {
    if (part.part === "insight") (part.card === "track" ? trackCard : artistsCard).onEvent(part.event);
    else if (part.part === "lyrics") lyrics.show(part.lyrics, part.error);
    else if (part.part === "modelRetiring") [trackCard, artistsCard].forEach((c) => c.retiring(part.model, part.shutdownDate));
    else if (part.part === "liked") like.known(part.liked, part.error);
  });

  return h("div", {},
    h("div", { class: "row g-4 mb-4" },
      h("div", { class: "col-sm-4 col-lg-3" }, cover(album?.images, { cls: "cover", alt: album ? `Cover of ${album.name}` : "", size: 300, testid: "album-image" })),
      h("div", { class: "col-sm-8 col-lg-9 d-flex flex-column justify-content-end min-w-0" },
        h("div", { class: "small text-uppercase text-secondary" }, track.isLocal ? "Local file" : "Track"),
        h("h1", { class: "h2 text-break", testid: "track-title" }, track.name),
        h("p", { class: "fs-5 mb-1" }, artistLinks(track.artists)),
        h("p", { class: "text-secondary", testid: "track-facts" }, factsLine(track)),
        track.explicit ? h("p", {}, h("span", { class: "badge text-bg-secondary" }, "Explicit")) : null,
        h("div", { class: "d-flex flex-wrap gap-2 align-items-center" },
          playButtons("track", track.id, { label: track.name }),
          track.isLocal ? null : like.button))),
    pageBody(lyrics.el, trackCard.el, artistsCard.el));
}

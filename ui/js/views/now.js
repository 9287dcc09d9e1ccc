// @ts-check
// The now page: what plays, with a progress bar that runs between the poller's answers, the
// controls, and the track's and artists' insights, which switch and stream by themselves when
// the track changes (saved ones show at once), beside the lyrics, whose current line follows the
// song. Episodes and ads are shown as such.
import * as api from "../api.js";
import { h, replace, cover, duration } from "../dom.js";
import { showError } from "../notices.js";
import { insightCard } from "../insight.js";
import { lyricsCard } from "../lyrics.js";
import { openPage } from "../page.js";
import { artistLinks } from "./common.js";
import { pageBody } from "./track.js";

/** @typedef {import("../bindings/Playback").Playback} Playback */
/** @typedef {import("../main.js").RouteContext} RouteContext */

/** @type {Record<string, string>} */
const CONTEXT_NAMES = { playlist: "a playlist", album: "an album", artist: "an artist", show: "a show" };

/** Where the position is now: Spotify's progress plus the time since it answered, if playing. */
export function positionNow(/** @type {Playback} */ p, now = Date.now()) {
  const base = p.progressMs ?? 0;
  const run = p.isPlaying ? Math.max(0, now - p.fetchedAt) : 0;
  return p.durationMs == null ? base + run : Math.min(p.durationMs, base + run);
}

/** What the item is, for the line above the title. */
function kindLine(/** @type {Playback} */ p) {
  const state = p.isPlaying ? "Playing" : "Paused";
  const from = p.context ? ` · from ${CONTEXT_NAMES[p.context.kind] ?? "Spotify"}` : "";
  return `${state}${from}`;
}

/** The progress bar and its times; `tick()` moves it. */
function progressBar() {
  const bar = h("div", { class: "progress-bar", style: "width: 0%" });
  const track = h("div", { class: "progress now-progress", role: "progressbar", "aria-label": "Position in the track", "aria-valuemin": "0", testid: "now-progress" }, bar);
  const elapsed = h("span", {}, "0:00");
  const total = h("span", {}, "");
  const el = h("div", { class: "mb-3" }, track, h("div", { class: "d-flex justify-content-between small text-secondary mt-1" }, elapsed, total));
  /** @param {Playback | null} p */
  const tick = (p) => {
    if (!p) return;
    const at = positionNow(p);
    const length = p.durationMs ?? 0;
    const percent = length ? Math.min(100, (100 * at) / length) : 0;
    bar.style.width = `${percent.toFixed(2)}%`;
    track.setAttribute("aria-valuemax", String(length));
    track.setAttribute("aria-valuenow", String(Math.round(at)));
    // What a screen reader says: "1:02 of 3:27", not milliseconds.
    track.setAttribute("aria-valuetext", length ? `${duration(at)} of ${duration(length)}` : duration(at));
    track.dataset.positionMs = String(Math.round(at));
    elapsed.textContent = duration(at);
    total.textContent = length ? duration(length) : "";
  };
  return { el, tick };
}

/** Previous, play/pause and next; each reports its own failure. @param {boolean} allowed */
function controls(allowed) {
  const run = (/** @type {() => Promise<unknown>} */ action) => async () => {
    try {
      await action();
    } catch (e) {
      showError(api.asAppError(e), { context: "Spotify did not follow" });
    }
  };
  let playing = false;
  const toggle = h("button", { type: "button", class: "btn btn-success", testid: "control-toggle", "aria-label": "Play" }, "▶");
  toggle.addEventListener("click", run(() => (playing ? api.invoke(api.COMMAND.pause, {}) : api.invoke(api.COMMAND.play, { request: { type: "resume" } }))));
  const prev = h("button", { type: "button", class: "btn btn-outline-secondary", testid: "control-prev", "aria-label": "Previous track", onClick: run(() => api.invoke(api.COMMAND.previous, {})) }, "⏮");
  const next = h("button", { type: "button", class: "btn btn-outline-secondary", testid: "control-next", "aria-label": "Next track", onClick: run(() => api.invoke(api.COMMAND.next, {})) }, "⏭");
  const el = h("div", { class: "btn-group now-controls", role: "group", "aria-label": "Playback controls" }, prev, toggle, next);
  const notice = allowed ? null : h("div", { class: "alert alert-warning d-flex flex-wrap align-items-center gap-2 mt-3", role: "status", testid: "controls-notice" },
    h("span", { class: "flex-grow-1" }, "Spotify Plus was signed in before it could control playback. Sign in again to use these buttons."),
    // A new sign-in replaces the old one and its scopes; the saved keys stay.
    h("button", { type: "button", class: "btn btn-sm btn-warning", testid: "sign-in-again", onClick: async () => {
      try {
        await api.invoke(api.COMMAND.login, {});
        location.hash = "#/";
        window.dispatchEvent(new Event("status-stale"));
      } catch (e) {
        showError(api.asAppError(e), { context: "Sign-in failed" });
      }
    } }, "Sign in again"));
  for (const button of [prev, toggle, next]) button.toggleAttribute("disabled", !allowed);
  /** @param {boolean} isPlaying */
  const show = (isPlaying) => {
    playing = isPlaying;
    toggle.textContent = isPlaying ? "⏸" : "▶";
    toggle.setAttribute("aria-label", isPlaying ? "Pause" : "Play");
  };
  return { el: h("div", {}, el, notice), show };
}

/** Which item a playback shows: the page switches when this changes. */
function keyOf(/** @type {Playback} */ p) {
  const np = p.now;
  if (np.type === "track") return `track:${np.track.id}`;
  if (np.type === "episode") return `episode:${np.id ?? np.name}`;
  return np.type;
}

/**
 * The header, insights and lyrics of one item (a track's start streaming here); `at` says
 * where the song is, for the lyrics to follow.
 * @param {Playback} p @param {() => import("../lyrics.js").Position | null} at
 */
function itemPart(p, at) {
  const np = p.now;
  if (np.type === "track") {
    const t = np.track;
    const trackCard = insightCard({ title: "About this track", testid: "track-insight", kind: "track", id: t.id });
    const artistsTitle = (t.artists?.length ?? 0) > 1 ? "About the artists" : "About the artist";
    const artistsCard = insightCard({ title: artistsTitle, testid: "artists-insight", kind: "artists", id: t.id });
    const lyrics = lyricsCard({ trackId: t.id });
    // The track page's one call brings the insights and lyrics (the view is already here).
    openPage(api.COMMAND.trackPage, { id: t.id })
      .then(({ onParts }) => onParts((part) => {
        if (part.part === "insight") (part.card === "track" ? trackCard : artistsCard).onEvent(part.event);
        else if (part.part === "lyrics") {
          lyrics.show(part.lyrics, part.error);
          lyrics.follow(at);
        }
        else if (part.part === "modelRetiring") [trackCard, artistsCard].forEach((c) => c.retiring(part.model, part.shutdownDate));
      }))
      .catch((e) => { trackCard.fail(e); artistsCard.fail(e); lyrics.show(null, api.asAppError(e)); });
    return {
      image: cover(t.album?.images, { cls: "cover", alt: t.album ? `Cover of ${t.album.name}` : "", size: 300, testid: "album-image" }),
      title: h("a", { href: `#/track/${t.id}`, class: "link-body-emphasis text-decoration-none" }, t.name),
      sub: h("p", { class: "fs-5 mb-1" }, artistLinks(t.artists)),
      insights: pageBody(lyrics.el, trackCard.el, artistsCard.el),
      follow: () => lyrics.follow(at),
    };
  }
  /** @param {string} badge @param {string} title @param {string | null} sub */
  const plain = (badge, title, sub) => ({
    image: h("div", { class: "cover cover-placeholder", role: "img", "aria-label": badge }, "♪"),
    title: h("span", {}, h("span", { class: "badge text-bg-info me-2 align-middle fs-6", testid: "now-kind" }, badge), title),
    sub: sub ? h("p", { class: "fs-5 mb-1 text-secondary" }, sub) : null,
    insights: null,
    follow: () => {},
  });
  if (np.type === "episode") return plain("Podcast", np.name, np.show);
  if (np.type === "ad") return plain("Ad", "An advertisement is playing", null);
  return plain("Unknown", "Something Spotify does not describe", null);
}

/** The now view. @param {RouteContext} ctx */
export async function nowView(ctx) {
  const [first, allowed] = await Promise.all([api.invoke(api.COMMAND.playback, {}), api.invoke(api.COMMAND.controlsAllowed, {})]);
  const image = h("div", { class: "col-sm-4 col-lg-3" });
  const kind = h("div", { class: "small text-uppercase text-secondary", testid: "now-state" });
  const title = h("h1", { class: "h2 text-break", testid: "now-title" });
  const sub = h("div", {});
  const progress = progressBar();
  const buttons = controls(allowed);
  const insights = h("div", {});
  // A new track is announced once, politely; the running position is not.
  const announce = h("div", { class: "visually-hidden", "aria-live": "polite", testid: "now-announce" });
  const nothing = h("p", { class: "text-secondary py-4", testid: "now-nothing" }, "Nothing is playing on Spotify right now. Play something in any Spotify app and it shows up here.");
  const playing = h("div", {},
    h("div", { class: "row g-4 mb-4" }, image,
      h("div", { class: "col-sm-8 col-lg-9 d-flex flex-column justify-content-end min-w-0" }, kind, title, sub, progress.el, buttons.el)),
    insights);
  const root = h("div", { class: "now-page" });
  const page = h("div", {}, announce, root);
  /** @type {Playback | null} */
  let current = null;
  /** @type {string | null} */
  let shownKey = null;
  /** Where the song is now, for the lyrics. */
  const at = () => (current ? { positionMs: positionNow(current), playing: current.isPlaying } : null);
  /** Moves the lyrics with the song (a seek or pause re-times them). */
  let follow = () => {};

  /** @param {Playback | null} p */
  const update = (p) => {
    current = p;
    if (!p) {
      shownKey = null;
      replace(root, nothing);
      return;
    }
    if (!playing.isConnected) replace(root, playing);
    kind.textContent = kindLine(p);
    buttons.show(p.isPlaying);
    progress.tick(p);
    if (keyOf(p) === shownKey) {
      follow();
      return;
    }
    shownKey = keyOf(p);
    const next = itemPart(p, at);
    follow = next.follow;
    replace(image, next.image);
    replace(title, next.title);
    replace(sub, next.sub);
    replace(insights, next.insights);
    document.title = `${title.textContent} · Spotify Plus`;
    const by = p.now.type === "track" ? ` by ${p.now.track.artists.map((a) => a.name).join(", ")}` : "";
    announce.textContent = `Now playing: ${title.textContent}${by}`;
  };

  update(first);
  const ticker = setInterval(() => {
    progress.tick(current);
    follow();
  }, 250);
  ctx.onLeave(() => clearInterval(ticker));
  ctx.onLeave(await api.listen(api.EVENT.playback, update));
  return page;
}

// @ts-check
// Track page: album art, facts, artists, and two insights streamed side by side.
import * as api from "../api.js";
import { h, cover, duration } from "../dom.js";
import { playButtons } from "../play.js";
import { artistLinks } from "./common.js";
import { insightCard } from "../insight.js";

/** The track view for `ctx.id`. */
export async function trackView(ctx) {
  const track = await api.track(ctx.id);
  const album = track.album;
  const year = album?.releaseYear;
  const trackCard = insightCard({ title: "About this track", testid: "track-insight", kind: "track", id: track.id });
  const artistsTitle = (track.artists?.length ?? 0) > 1 ? "About the artists" : "About the artist";
  const artistsCard = insightCard({ title: artistsTitle, testid: "artists-insight", kind: "artists", id: track.id });
  api.trackInsights(track.id, trackCard.onEvent, artistsCard.onEvent)
    .catch((e) => { trackCard.fail(e); artistsCard.fail(e); });

  const facts = [album?.name, year, duration(track.durationMs)].filter(Boolean).join(" · ");
  return h("div", {},
    h("div", { class: "row g-4 mb-4" },
      h("div", { class: "col-sm-4 col-lg-3" }, cover(album?.images, { cls: "cover", alt: album ? `Cover of ${album.name}` : "", size: 300, testid: "album-image" })),
      h("div", { class: "col-sm-8 col-lg-9 d-flex flex-column justify-content-end min-w-0" },
        h("div", { class: "small text-uppercase text-secondary" }, track.isLocal ? "Local file" : "Track"),
        h("h1", { class: "h2 text-break", testid: "track-title" }, track.name),
        h("p", { class: "fs-5 mb-1" }, artistLinks(track.artists)),
        h("p", { class: "text-secondary", testid: "track-facts" }, facts),
        track.explicit ? h("p", {}, h("span", { class: "badge text-bg-secondary" }, "Explicit")) : null,
        h("div", {}, playButtons("track", track.id, { label: track.name })))),
    h("div", { class: "row g-4" },
      h("div", { class: "col-md-6" }, trackCard.el),
      h("div", { class: "col-md-6" }, artistsCard.el)));
}

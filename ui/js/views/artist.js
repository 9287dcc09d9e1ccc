// @ts-check
// Artist page: image, name, genres and an insight about this artist alone.
import * as api from "../api.js";
import { h, cover } from "../dom.js";
import { playButtons } from "../play.js";
import { insightCard } from "../insight.js";
import { openPage } from "../page.js";

/** @typedef {import("../main.js").RouteContext} RouteContext */

/** The artist view for `ctx.id`. @param {RouteContext} ctx */
export async function artistView(ctx) {
  const { view: artist, onParts } = await openPage(api.COMMAND.artistPage, { id: ctx.id });
  const card = insightCard({ title: "About this artist", testid: "artist-insight", kind: "artist", id: artist.id });
  onParts((part) => {
    if (part.part === "insight") card.onEvent(part.event);
    else if (part.part === "modelRetiring") card.retiring(part.model, part.shutdownDate);
  });
  const facts = [
    artist.genres?.length ? artist.genres.join(", ") : null,
    artist.followers != null && Number.isFinite(artist.followers) ? `${artist.followers.toLocaleString()} followers` : null,
  ].filter(Boolean).join(" · ");
  return h("div", {},
    h("div", { class: "row g-4 mb-4" },
      h("div", { class: "col-sm-4 col-lg-3" }, cover(artist.images, { cls: "cover", alt: `Photo of ${artist.name}`, size: 300, testid: "album-image" })),
      h("div", { class: "col-sm-8 col-lg-9 d-flex flex-column justify-content-end min-w-0" },
        h("div", { class: "small text-uppercase text-secondary" }, "Artist"),
        h("h1", { class: "h2 text-break", testid: "artist-name" }, artist.name),
        facts ? h("p", { class: "text-secondary" }, facts) : null,
        h("div", {}, playButtons("artist", artist.id, { label: artist.name })))),
    card.el);
}

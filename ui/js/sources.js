// @ts-check
// Where an insight's facts come from: one chip per source under the card, opening the source's
// page in the browser (the opener's scope allows exactly https://musicbrainz.org/* and
// https://*.wikipedia.org/*), or a line saying the text is from the model's memory, and why.
// Titles come from the sources: they are only ever inserted as text.
import { asAppError, COMMAND, invoke } from "./api.js";
import { h } from "./dom.js";
import { showError } from "./notices.js";

/** @typedef {import("./bindings/Grounding").Grounding} Grounding */
/** @typedef {import("./bindings/GroundingStatus").GroundingStatus} GroundingStatus */
/** @typedef {import("./bindings/Source").Source} Source */

/** The only pages a chip opens; anything else from a source is not shown as a link. */
const SOURCE_URL = /^https:\/\/(musicbrainz\.org\/[a-z-]+\/[0-9a-f-]{36}|[a-z]{2,3}\.wikipedia\.org\/wiki\/[^\s]+)$/;

/** Why an insight has no sources. @type {Record<GroundingStatus, string>} */
const WHY = {
  grounded: "",
  notFound: "MusicBrainz and Wikipedia know nothing about it",
  late: "the facts were not back in time",
  unavailable: "MusicBrainz or Wikipedia could not be reached",
  off: "grounding is off, or it was written before grounding",
};

/**
 * A chip's label: the source's name, with the page's title when the card has several pages
 * of that source.
 * @param {Source} source
 * @param {Source[]} all
 */
function label(source, all) {
  if (all.filter((s) => s.name === source.name).length < 2) return source.name;
  const title = source.title.length > 28 ? `${source.title.slice(0, 27)}…` : source.title;
  return `${source.name}: ${title}`;
}

/**
 * The sources line of an insight.
 * @param {Grounding | undefined} grounding
 * @returns {HTMLElement}
 */
export function sourcesLine(grounding) {
  const status = grounding?.status ?? "off";
  const sources = (grounding?.sources ?? []).filter((s) => SOURCE_URL.test(s.url));
  if (status === "grounded" && sources.length > 0) {
    const open = (/** @type {Source} */ s) => () =>
      invoke(COMMAND.openLink, { url: s.url }).catch((e) => showError(asAppError(e), { context: `Could not open ${s.name}` }));
    return h("div", { class: "insight-sources small mt-2 d-flex flex-wrap align-items-center gap-1", testid: "insight-sources", "data-grounding": status },
      h("span", { class: "text-secondary me-1" }, "Checked against"),
      sources.map((s) => h("button", {
        type: "button", class: "btn btn-outline-secondary btn-sm source-chip", testid: "source-link",
        "data-url": s.url, title: `${s.title} (${s.url})`, onClick: open(s),
      }, label(s, sources))));
  }
  return h("div", { class: "insight-sources small mt-2 text-secondary", testid: "insight-sources", "data-grounding": status },
    "From the model's memory, not checked", WHY[status] ? ` (${WHY[status]}).` : ".");
}

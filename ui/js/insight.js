// @ts-check
// An insight card: streams text in as the model writes it, shows saved insights at once,
// and offers a regenerate action. State is exposed as data-state for tests and styling:
// "loading" (thinking, with the seconds so far) until the first text, then "streaming", then
// "done" or "error".
import * as api from "./api.js";
import { h, replace } from "./dom.js";
import { sourcesLine } from "./sources.js";

/** @typedef {import("./bindings/InsightKind").InsightKind} InsightKind */

/**
 * Creates a card; returns `{ el, onEvent, fail, retiring }`: `onEvent` takes the streamed events,
 * `fail` a failed call, `retiring` the model's shutdown date (the page's call brings it).
 * @param {{ title: string, testid: string, kind: InsightKind, id: string, again?: (onEvent: TauriChannel<import("./bindings/InsightEvent").InsightEvent>) => Promise<unknown> }} options
 *   `id`: the track, artist or album; `again`: how to write it again, when not one of the page's own insights
 */
export function insightCard({ title, testid, kind, id, again }) {
  const text = h("div", { class: "insight-text" });
  // Announced once when the insight is written (or fails), not word by word as it streams.
  const status = h("div", { class: "visually-hidden", role: "status", testid: "insight-status" });
  const meta = h("div", { class: "small text-secondary mt-2" });
  const notice = h("div", {});
  const sources = h("div", {});
  const regenerate = h("button", { type: "button", class: "btn btn-link btn-sm p-0", testid: "regenerate", hidden: true });
  /** The button's words, its glyph hidden from screen readers. @param {string} words */
  const regenerateSays = (words) => replace(regenerate, h("span", { "aria-hidden": "true" }, "↻ "), words);
  regenerateSays("Regenerate");
  // Facts that were not back in time are offered, never used behind the user's back: a
  // rewrite is one more model call.
  const better = h("div", { class: "small mt-2", testid: "better-facts", hidden: true });
  const body = h("div", { class: "card-body" },
    h("div", { class: "d-flex justify-content-between align-items-baseline mb-2" },
      h("h2", { class: "h6 text-uppercase text-secondary mb-0", id: `${testid}-heading` }, title), regenerate),
    text, meta, sources, better, notice, status);
  const el = h("section", { class: "card insight h-100", testid, "aria-labelledby": `${testid}-heading` }, body);
  let cutShort = false;
  /** @type {number | undefined} */
  let ticker;

  // Reasoning models think for many seconds before the first word: say so, with the time.
  const thinking = () => {
    el.dataset.state = "loading";
    text.textContent = "";
    replace(sources);
    better.hidden = true;
    cutShort = false;
    const started = Date.now();
    const seconds = h("span", { testid: "thinking-seconds" }, "0");
    const hint = h("span", {}, " · some models think for a while before they write");
    replace(meta, h("span", { class: "thinking", testid: "thinking" },
      h("span", { class: "spinner-grow spinner-grow-sm me-2", "aria-hidden": "true" }), "Thinking… ", seconds, " s"));
    clearInterval(ticker);
    ticker = setInterval(() => {
      // Stops once text arrives, or when the page was left while waiting.
      if (el.dataset.state !== "loading" || (!el.isConnected && Date.now() - started > 2000)) {
        clearInterval(ticker);
        return;
      }
      const elapsed = Math.floor((Date.now() - started) / 1000);
      seconds.textContent = String(elapsed);
      if (elapsed >= 8 && !hint.isConnected) seconds.parentElement?.append(hint);
    }, 250);
  };
  thinking();

  /** A line under the card: the model in use has a shutdown date. @param {string} model @param {string} date */
  const retiring = (model, date) => {
    replace(notice, h("div", { class: "small text-warning-emphasis mt-2", testid: "model-notice" },
      `⚠ ${model} shuts down on ${date}. `,
      h("a", { href: "#/settings" }, "Choose another model")));
  };

  /** @param {import("./bindings/InsightEvent").InsightEvent} message */
  const onEvent = (message) => {
    if (message.event === "delta") {
      if (el.dataset.state !== "streaming") {
        el.dataset.state = "streaming";
        text.textContent = "";
        replace(meta, "Writing…");
      }
      text.append(document.createTextNode(message.text));
    } else if (message.event === "cutShort") {
      cutShort = true;
    } else if (message.event === "done") {
      const insight = message.insight;
      text.textContent = insight.text;
      const when = new Date(insight.createdAt * 1000).toLocaleDateString();
      replace(meta, insight.cached ? h("span", { class: "badge text-bg-secondary me-2" }, "Saved") : null,
        cutShort ? h("span", { class: "badge text-bg-warning me-2", testid: "cut-short",
          title: "The model stopped at its length limit, so this text is incomplete and was not saved. Regenerate to try again." }, "Cut short") : null,
        `${insight.model} · ${when}`);
      if (cutShort) text.append(document.createTextNode(" …"));
      replace(sources, sourcesLine(insight.grounding));
      el.dataset.state = "done";
      status.textContent = `${title}: written.`;
      regenerate.hidden = false;
    } else if (message.event === "failed") {
      fail(message.error);
    } else if (message.event === "betterFacts" && el.dataset.state === "done") {
      const names = [...new Set(message.sources.map((s) => s.name))].join(" and ");
      const rewrite = h("button", { type: "button", class: "btn btn-outline-primary btn-sm ms-2", testid: "rewrite-with-facts" },
        "Rewrite with them");
      rewrite.addEventListener("click", rewriteNow);
      replace(better, h("span", { class: "text-secondary" },
        `More facts have come from ${names || "the sources"} since (${message.facts} in all).`), rewrite);
      better.hidden = false;
    }
  };

  /** @param {unknown} error */
  const fail = (error) => {
    const err = api.asAppError(error);
    el.dataset.state = "error";
    status.textContent = `${title}: could not be written.`;
    text.textContent = "";
    // A retired or unknown model is fixed in Settings: lead there rather than to a dead end.
    const choose = err.kind === "model_not_found"
      ? h("a", { href: "#/settings", class: "btn btn-outline-primary btn-sm mt-2", testid: "choose-model" }, "Choose a model in Settings")
      : null;
    replace(text, h("div", { class: "text-danger-emphasis", role: "alert" }, err.message), choose);
    replace(meta);
    regenerate.hidden = false;
    regenerateSays("Try again");
  };

  const rewriteNow = () => {
    thinking();
    regenerate.hidden = true;
    regenerateSays("Regenerate");
    const onEvents = api.channel(onEvent);
    const written = again ? again(onEvents)
      : kind === "artist" ? api.invoke(api.COMMAND.regenerateArtistInsight, { id, onEvent: onEvents })
      : kind === "album" ? api.invoke(api.COMMAND.regenerateAlbumInsight, { id, onEvent: onEvents })
      : api.invoke(api.COMMAND.regenerateTrackInsight, { id, kind, onEvent: onEvents });
    written.catch(fail);
  };
  regenerate.addEventListener("click", rewriteNow);

  return { el, onEvent, fail, retiring };
}

// @ts-check
// The lyrics card: the words from LRCLIB beside the insights. On the now page the line being
// sung is highlighted and kept in view, moved at the moment the next line starts (a timer set
// from the player's position, not a polling tick). A line can be selected to ask the model what
// it means; the whole lyric can be translated into the insights' language or romanised, line by
// line under the original. Every text here is inserted as text, never as HTML.
import * as api from "./api.js";
import { h, replace } from "./dom.js";
import { insightCard } from "./insight.js";
import { showError } from "./notices.js";

/** @typedef {import("./bindings/Lyrics").Lyrics} Lyrics */
/** @typedef {import("./bindings/LyricLine").LyricLine} LyricLine */
/** @typedef {import("./bindings/LyricsTask").LyricsTask} LyricsTask */
/** @typedef {import("./api.js").UiError} UiError */
/** Where the song is: its position when asked and whether it runs on from there. @typedef {{ positionMs: number, playing: boolean }} Position */

/** Index of the line sung at `ms`: the last timed line started at or before it; -1 before the first. @param {LyricLine[]} lines @param {number} ms */
export function lineAt(lines, ms) {
  let found = -1;
  for (let i = 0; i < lines.length; i++) {
    const start = lines[i].startMs;
    if (start == null) continue;
    if (start > ms) break;
    found = i;
  }
  return found;
}

const reducedMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;

/**
 * A lyrics card for a track; `show` takes the page's lyrics part, `follow` a position getter (the
 * now page), called again on every playback update (a seek, a pause).
 * @param {{ trackId: string }} options
 */
export function lyricsCard({ trackId }) {
  const heading = h("h2", { class: "h6 text-uppercase text-secondary mb-0", id: "lyrics-heading" }, "Lyrics");
  const tools = h("div", { class: "d-flex flex-wrap gap-2" });
  const body = h("div", { class: "lyrics-body" }, h("p", { class: "text-secondary mb-0" }, "Looking for lyrics…"));
  const credit = h("div", { class: "small mt-2" });
  // Said once when the lyrics or a translation arrive; the moving highlight is not announced.
  const status = h("div", { class: "visually-hidden", role: "status", testid: "lyrics-status" });
  const el = h("section", { class: "card lyrics", testid: "lyrics", "data-state": "loading", "aria-labelledby": "lyrics-heading" },
    h("div", { class: "card-body" },
      h("div", { class: "d-flex flex-wrap justify-content-between align-items-baseline gap-2 mb-2" }, heading, tools),
      body, credit, status));

  /** @type {HTMLLIElement[]} */
  let items = [];
  /** @type {LyricLine[]} */
  let lines = [];
  let current = -1;
  /** @type {(() => Position | null) | null} */
  let where = null;
  /** @type {number | undefined} */
  let timer;
  /** @type {HTMLOListElement | null} */
  let list = null;

  /** Marks line `i` as the one sung and scrolls it to the middle of the list. @param {number} i */
  const highlight = (i) => {
    if (i === current) return;
    items[current]?.removeAttribute("aria-current");
    // A seek jumps; the next line glides (unless motion is reduced).
    const jump = reducedMotion() || Math.abs(i - current) > 2;
    current = i;
    const item = items[i];
    if (!item || !list) return;
    item.setAttribute("aria-current", "true");
    const top = item.offsetTop - list.clientHeight / 2 + item.offsetHeight / 2;
    list.scrollTo({ top: Math.max(0, top), behavior: jump ? "auto" : "smooth" });
  };

  /** Highlights the line at the position now, and sets a timer for the next line's start. */
  const step = () => {
    clearTimeout(timer);
    // A card that left the page stops; one not yet in the page starts on the next call.
    if (!el.isConnected) return;
    const at = where?.();
    if (!at || !lines.length) return;
    const i = lineAt(lines, at.positionMs);
    highlight(i);
    if (!at.playing) return;
    const next = lines.slice(i + 1).find((l) => l.startMs != null)?.startMs;
    if (next == null) return;
    // At most a second ahead: the page may be left, or the song seeked, meanwhile.
    timer = window.setTimeout(step, Math.min(1000, Math.max(0, next - at.positionMs)));
  };

  /** Text versions under each line: translations or romanisations. @type {Map<LyricsTask, (string | null)[]>} */
  const versions = new Map();
  /** @type {LyricsTask | null} */
  let shownVersion = null;

  const showVersion = () => {
    const texts = shownVersion ? versions.get(shownVersion) : null;
    items.forEach((item, i) => {
      const under = item.querySelector(".lyric-version");
      if (under) replace(under, texts?.[i] ?? "");
    });
    el.dataset.version = shownVersion ?? "";
  };

  /** A button that asks for a translation or romanisation once, then toggles it. @param {LyricsTask} task @param {string} label @param {string} testid */
  const versionButton = (task, label, testid) => {
    const button = h("button", { type: "button", class: "btn btn-outline-secondary btn-sm", testid, "aria-pressed": "false" }, label);
    button.addEventListener("click", async () => {
      if (shownVersion === task) {
        shownVersion = null;
      } else if (versions.has(task)) {
        shownVersion = task;
      } else {
        button.disabled = true;
        const was = button.textContent;
        let received = 0;
        const onEvent = api.channel((/** @type {import("./bindings/InsightEvent").InsightEvent} */ e) => {
          // Progress from the streamed answer: one line of it per line of the song.
          if (e.event === "delta") {
            received += (e.text.match(/\n/g) ?? []).length;
            button.textContent = `${was}… ${Math.min(received, lines.length)}/${lines.length}`;
          }
        });
        try {
          versions.set(task, await api.invoke(api.COMMAND.lyricsVersion, { id: trackId, task, onEvent }));
          shownVersion = task;
          status.textContent = task === "translate" ? "Lyrics translated." : "Lyrics romanised.";
        } catch (e) {
          showError(api.asAppError(e), { context: task === "translate" ? "Could not translate the lyrics" : "Could not romanise the lyrics" });
        } finally {
          button.disabled = false;
          button.textContent = was;
        }
      }
      for (const b of tools.querySelectorAll("button[aria-pressed]")) {
        b.setAttribute("aria-pressed", String(b === button && shownVersion === task));
      }
      showVersion();
    });
    return button;
  };

  /** The explanation under a line, asked when the user chooses it. @param {number} index @param {HTMLElement} slot */
  const explain = (index, slot) => {
    const card = insightCard({
      title: "What this line means", testid: "lyric-explanation", kind: "lyric-line", id: trackId,
      again: (onEvent) => api.invoke(api.COMMAND.explainLyricLine, { id: trackId, line: index, regenerate: true, onEvent }),
    });
    replace(slot, card.el);
    api.invoke(api.COMMAND.explainLyricLine, { id: trackId, line: index, regenerate: false, onEvent: api.channel(card.onEvent) })
      .catch(card.fail);
  };

  /** Selecting a line offers to explain it (one line selected at a time). @param {number} index @param {HTMLLIElement} item */
  const select = (index, item) => {
    const was = item.classList.contains("selected");
    for (const other of items) {
      other.classList.remove("selected");
      other.querySelector(".lyric-text")?.setAttribute("aria-expanded", "false");
      other.querySelector(".lyric-ask")?.replaceChildren();
    }
    if (was) return;
    item.classList.add("selected");
    item.querySelector(".lyric-text")?.setAttribute("aria-expanded", "true");
    const slot = h("div", { class: "mt-2" });
    const ask = h("button", { type: "button", class: "btn btn-sm btn-outline-primary", testid: "lyrics-explain" }, "What does this line mean?");
    ask.addEventListener("click", () => explain(index, slot));
    const holder = item.querySelector(".lyric-ask");
    if (holder) replace(holder, h("div", { class: "my-2" }, ask, slot));
    ask.focus();
  };

  /** @param {LyricLine[]} words @param {boolean} synced */
  const showWords = (words, synced) => {
    lines = words;
    items = words.map((line, i) => {
      if (!line.text) return h("li", { class: "lyric-gap", testid: "lyrics-gap", "aria-hidden": "true" });
      const text = h("button", { type: "button", class: "lyric-text", "aria-expanded": "false" }, line.text);
      const item = h("li", { class: "lyric-line", testid: "lyrics-line", "data-index": String(i),
        "data-start-ms": line.startMs == null ? null : String(line.startMs) },
        text, h("div", { class: "lyric-version small text-secondary" }), h("div", { class: "lyric-ask" }));
      text.addEventListener("click", () => select(i, item));
      return item;
    });
    list = h("ol", { class: `lyrics-lines list-unstyled mb-0${synced ? " synced" : ""}`, "aria-label": "Lyrics, one line per item: choose a line to ask what it means" }, items);
    replace(body, list);
  };

  /** The lyrics part of the page: the words, an instrumental, none, or why they could not be had. @param {Lyrics | null} lyrics @param {UiError | null} error */
  const show = (lyrics, error) => {
    if (!lyrics) {
      el.dataset.state = "error";
      replace(body, h("p", { class: "text-danger-emphasis mb-0", role: "alert" }, error?.message ?? "The lyrics could not be loaded."));
      status.textContent = "Lyrics could not be loaded.";
      return;
    }
    el.dataset.kind = lyrics.kind;
    el.dataset.state = "done";
    if (lyrics.kind === "notFound") {
      replace(body, h("p", { class: "text-secondary mb-0" }, "LRCLIB has no lyrics for this track."));
      status.textContent = "No lyrics for this track.";
      return;
    }
    if (lyrics.kind === "instrumental") {
      replace(body, h("p", { class: "text-secondary mb-0" }, "Instrumental: there are no words to sing along to."));
      status.textContent = "This track is instrumental.";
    } else {
      showWords(lyrics.lines, lyrics.synced);
      el.dataset.synced = String(lyrics.synced);
      replace(tools, versionButton("translate", "Translate", "lyrics-translate"),
        lyrics.romanisable ? versionButton("romanise", "Romanise", "lyrics-romanise") : null);
      status.textContent = "Lyrics loaded.";
      step();
    }
    const url = lyrics.source.url;
    const open = () => api.invoke(api.COMMAND.openLink, { url }).catch((e) => showError(api.asAppError(e), { context: "Could not open LRCLIB" }));
    replace(credit, h("button", { type: "button", class: "btn btn-link btn-sm p-0 text-secondary", testid: "lyrics-source", "data-url": url, onClick: open },
      "Lyrics from LRCLIB"));
  };

  /** Follows the song: `at` says where it is; call `follow` again when the player says more. @param {() => Position | null} at */
  const follow = (at) => {
    where = at;
    step();
  };

  return { el, show, follow };
}

// @ts-check
// A page in one call: the track, artist and album pages ask Rust once and receive their view
// first, then the rest (the heart, the model notice, the insights) as it comes.
import * as api from "./api.js";

/** @template V @typedef {import("./bindings/PagePart").PagePart<V>} PagePart */
/** @typedef {import("./bindings/contract.js").Commands} Commands */
/** The commands that open a page: those streaming `onPart`. @typedef {{ [K in keyof Commands]: Commands[K]["args"] extends { onPart: unknown } ? K : never }[keyof Commands]} PageCommand */
/** @template {PageCommand} K @typedef {Extract<Commands[K]["args"], { onPart: unknown }>["onPart"] extends TauriChannel<PagePart<infer V>> ? V : never} ViewOf */
/** @template V @typedef {Exclude<PagePart<V>, { part: "view" }>} LaterPart */

/**
 * Opens a page with its one call; resolves with its view (or rejects with why there is none).
 * The parts after the view are kept until `onParts` is given a handler, so none is lost while
 * the page builds itself.
 * @template {PageCommand} K
 * @param {K} command
 * @param {Omit<Commands[K]["args"], "onPart">} args
 * @returns {Promise<{ view: ViewOf<K>, onParts: (handler: (part: LaterPart<ViewOf<K>>) => void) => void }>}
 */
export function openPage(command, args) {
  return new Promise((resolve, reject) => {
    /** @type {LaterPart<ViewOf<K>>[]} */
    const early = [];
    /** @type {((part: LaterPart<ViewOf<K>>) => void) | null} */
    let handler = null;
    const onParts = (/** @type {(part: LaterPart<ViewOf<K>>) => void} */ h) => {
      handler = h;
      early.splice(0).forEach(h);
    };
    const onPart = api.channel((/** @type {PagePart<ViewOf<K>>} */ part) => {
      if (part.part === "view") resolve({ view: part.view, onParts });
      else if (handler) handler(/** @type {LaterPart<ViewOf<K>>} */ (part));
      else early.push(/** @type {LaterPart<ViewOf<K>>} */ (part));
    });
    // After the view the call only ends: every later failure arrives as a part.
    const all = /** @type {Commands[K]["args"]} */ ({ ...args, onPart });
    api.invoke(command, all).catch((e) => reject(api.asAppError(e)));
  });
}

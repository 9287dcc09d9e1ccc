// @ts-check
// Element builders. Text from Spotify or the model is only ever inserted as text nodes:
// nothing here accepts HTML, so hostile names render as the characters they are.

/** What `append` takes: nodes as they are, text, nothing (null, undefined, false), or lists of these. */
/** @typedef {Node | string | number | boolean | null | undefined | Child[]} Child */
/** An attribute's value: skipped when null, undefined or false; `true` for a bare attribute. */
/** @typedef {string | number | boolean | null | undefined | EventListener} AttrValue */

/**
 * Creates an element. `attrs`: attributes, `class`, `dataset` keys as data-*, `on<Event>` handlers.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttrValue>} [attrs]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "class") {
      el.className = String(value);
    } else if (key === "testid") {
      el.dataset.testid = String(value);
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  append(el, children);
  return el;
}

/**
 * Appends children: nodes as they are, anything else as text.
 * @template {Element} E
 * @param {E} el
 * @param {Child[]} children
 * @returns {E}
 */
export function append(el, children) {
  // Flattened as unknown[]: TypeScript cannot flatten the recursive Child to any depth.
  for (const child of /** @type {unknown[]} */ (children).flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/**
 * Replaces an element's content with the given children.
 * @template {Element} E
 * @param {E} el
 * @param {...Child} children
 * @returns {E}
 */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Formats milliseconds as m:ss (or h:mm:ss). @param {number} ms */
export function duration(ms) {
  if (!Number.isFinite(ms) || ms < 0) return "";
  const total = Math.round(ms / 1000);
  const s = String(total % 60).padStart(2, "0");
  const m = Math.floor(total / 60) % 60;
  const hrs = Math.floor(total / 3600);
  return hrs ? `${hrs}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/**
 * Picks the image closest to `size` pixels wide, or null.
 * @param {import("./bindings/Image").Image[] | null | undefined} images
 * @param {number} [size]
 */
export function pickImage(images, size = 300) {
  if (!Array.isArray(images) || images.length === 0) return null;
  const sorted = [...images].sort((a, b) => Math.abs((a.width ?? size) - size) - Math.abs((b.width ?? size) - size));
  return sorted[0].url;
}

/**
 * A cover image, or a neutral placeholder when Spotify has none.
 * @param {import("./bindings/Image").Image[] | null | undefined} images
 * @param {{ cls?: string, alt?: string, size?: number, testid?: string }} [options]
 */
export function cover(images, { cls = "cover", alt = "", size = 300, testid } = {}) {
  const url = pickImage(images, size);
  if (!url) return h("div", { class: `${cls} cover-placeholder`, role: "img", "aria-label": alt || "No image", testid }, "♪");
  return h("img", { class: cls, src: url, alt, loading: "lazy", testid });
}

/** A spinner with a label for screen readers. */
export function spinner(label = "Loading…") {
  return h("div", { class: "d-flex align-items-center gap-2 text-secondary my-3" },
    h("div", { class: "spinner-border spinner-border-sm", role: "status" }), h("span", {}, label));
}

// @ts-check
// Previous / next and "page N of M" for any Spotify page of 10.
import { h } from "./dom.js";

/**
 * Pager for a `Page` ({offset, limit, total, page, pages}); `hrefFor(offset)` builds links.
 * @param {import("./bindings/Page").Page<unknown>} page
 * @param {(offset: number) => string} hrefFor
 */
export function pager(page, hrefFor) {
  const prev = page.page > 1 ? Math.max(0, page.offset - page.limit) : null;
  const next = page.page < page.pages ? page.offset + page.limit : null;
  /** @param {number | null} offset @param {string} text @param {string} testid @param {string} rel */
  const link = (offset, text, testid, rel) =>
    offset === null
      ? h("button", { type: "button", class: "btn btn-outline-secondary btn-sm", disabled: true, testid }, text)
      : h("a", { class: "btn btn-outline-secondary btn-sm", href: hrefFor(offset), testid, rel }, text);
  return h("nav", { class: "d-flex align-items-center gap-3 my-3", "aria-label": "Pages" },
    link(prev, "‹ Previous", "page-prev", "prev"),
    h("span", { class: "text-secondary", testid: "page-info" }, `Page ${page.page} of ${page.pages}`),
    link(next, "Next ›", "page-next", "next"));
}

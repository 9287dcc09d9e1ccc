// @ts-check
// Dismissible messages: every error says what went wrong and what the user can do next (the
// Rust layers write both). Where each goes comes with the error: its `scope`.
import { h } from "./dom.js";

/** @typedef {import("./bindings/UiError").UiError} UiError */

const area = () => /** @type {HTMLElement} */ (document.getElementById("notices"));
const bannerArea = () => /** @type {HTMLElement} */ (document.getElementById("banner"));

/**
 * Shows an error as a dismissible alert on this page, or in the banner when it concerns every
 * page (scope `app`: it stays across navigation until Spotify answers again).
 * @param {UiError} error
 * @param {{ context?: string }} [options]
 */
export function showError(error, { context } = {}) {
  if (error.scope === "app") return showBanner(error);
  show("danger", context ? `${context}: ${error.message}` : error.message, "error");
}

/**
 * Shows an informational, dismissible message, with an optional button.
 * @param {string} message
 * @param {{ label: string, testid: string, onClick: () => void }} [action]
 */
export function showInfo(message, action) {
  show("info", message, "notice", area(), action);
}

/**
 * @param {string} variant Bootstrap alert colour
 * @param {string} text
 * @param {string} testid
 * @param {HTMLElement} [into]
 * @param {{ label: string, testid: string, onClick: () => void }} [action] a button beside the text
 */
function show(variant, text, testid, into = area(), action) {
  const existing = [...into.children].find((el) => /** @type {HTMLElement} */ (el).dataset.text === text);
  if (existing) return;
  const close = h("button", { type: "button", class: "btn-close", "aria-label": "Dismiss" });
  const button = action ? h("button", { type: "button", class: "btn btn-sm btn-outline-primary", testid: action.testid }, action.label) : null;
  const alert = h("div", { class: `alert alert-${variant} d-flex align-items-start gap-2`, role: "alert", testid },
    h("div", { class: "flex-grow-1" }, text), button, close);
  button?.addEventListener("click", () => {
    alert.remove();
    action?.onClick();
  });
  alert.dataset.text = text;
  close.addEventListener("click", () => alert.remove());
  into.append(alert);
}

/**
 * Shows an app-wide error in the banner, replacing an older one.
 * @param {UiError} error
 */
function showBanner(error) {
  const banner = bannerArea();
  if (/** @type {HTMLElement | null} */ (banner.firstElementChild)?.dataset.text === error.message) return;
  banner.replaceChildren();
  show(error.kind === "rate_limited" ? "warning" : "danger", error.message, "error", banner);
}

/** Removes the app-wide banner (Spotify answered again). */
export function clearBanner() {
  bannerArea().replaceChildren();
}

/** Removes every message (on navigation). */
export function clearNotices() {
  area().replaceChildren();
}

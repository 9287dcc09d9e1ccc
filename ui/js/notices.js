// Dismissible messages: every error says what went wrong and what the user can do next
// (the core's messages already do; ADVICE adds a hint only where a message may lack one).
import { h } from "./dom.js";

const ADVICE = {
  rate_limited: "Wait a moment, then try again.",
  network: "Check your internet connection, then try again.",
  timeout: "The server took too long; try again.",
  invalid_id: "Check the link you followed.",
  model_not_found: "Pick another model in Settings.",
};

/** Errors about every page, not this one: they stay in a banner across navigation until a
 * Spotify call succeeds again (or the user dismisses them). */
export const BANNER_KINDS = new Set(["app_forbidden", "rate_limited"]);

const area = () => document.getElementById("notices");
const bannerArea = () => document.getElementById("banner");

/** Shows an error `{kind, message}` as a dismissible alert (a banner for app-wide ones). */
export function showError(error, { context } = {}) {
  if (BANNER_KINDS.has(error.kind)) return showBanner(error);
  const advice = ADVICE[error.kind];
  const text = error.message + (advice && !error.message.includes(advice) ? ` ${advice}` : "");
  show("danger", context ? `${context}: ${text}` : text, "error");
}

/** Shows an informational, dismissible message. */
export function showInfo(message) {
  show("info", message, "notice");
}

function show(variant, text, testid, into = area()) {
  const existing = [...into.children].find((el) => el.dataset.text === text);
  if (existing) return;
  const close = h("button", { type: "button", class: "btn-close", "aria-label": "Dismiss" });
  const alert = h("div", { class: `alert alert-${variant} d-flex align-items-start gap-2`, role: "alert", testid },
    h("div", { class: "flex-grow-1" }, text), close);
  alert.dataset.text = text;
  close.addEventListener("click", () => alert.remove());
  into.append(alert);
}

/** Shows an app-wide error in the banner, replacing an older one. */
function showBanner(error) {
  const banner = bannerArea();
  if (banner.firstElementChild?.dataset.text === error.message) return;
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

// @ts-check
// Hash router: each route mirrors a page of the original app, so Back/Forward and reload work.
import * as api from "./api.js";
import { h, replace, spinner } from "./dom.js";
import { clearBanner, clearNotices, showError, showInfo } from "./notices.js";
import { setupView, loginView, startingView, keyringView } from "./views/setup.js";
import { homeView } from "./views/home.js";
import { playlistsView } from "./views/playlists.js";
import { playlistView } from "./views/playlist.js";
import { trackView } from "./views/track.js";
import { artistView } from "./views/artist.js";
import { nowView } from "./views/now.js";
import { settingsView } from "./views/settings.js";
import { searchView, wireSearchBox } from "./views/search.js";
import { albumView } from "./views/album.js";

/** @typedef {import("./bindings/ShellStatus").ShellStatus} ShellStatus */
/** @typedef {import("./bindings/UiError").UiError} UiError */

/** An element of index.html, which is always there. @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const view = byId("view");
/** @typedef {{ id: string, offset: number, params: URLSearchParams, onLeave: (off: () => void) => void }} RouteContext */
/** @type {[RegExp, (ctx: RouteContext) => Promise<HTMLElement>][]} */
const ROUTES = [
  [/^\/$/, homeView],
  [/^\/now$/, nowView],
  [/^\/playlists$/, playlistsView],
  [/^\/playlist\/([^/]+)$/, playlistView],
  [/^\/track\/([^/]+)$/, trackView],
  [/^\/artist\/([^/]+)$/, artistView],
  [/^\/settings$/, settingsView],
  [/^\/search$/, searchView],
  [/^\/album\/([^/]+)$/, albumView],
];
const MAX_OFFSET = 100000;
/** @type {(() => void)[]} */
let leaving = [];
let generation = 0;
/** @type {ShellStatus | null} */
let status = null;

/** The route in the address; an address that cannot be decoded (a stray "%") is no route. */
function parseHash() {
  const raw = location.hash.replace(/^#/, "") || "/";
  // The query is split off before decoding, so an encoded "&" in a search stays in its value.
  const at = raw.indexOf("?");
  const [path, query] = at < 0 ? [raw, ""] : [raw.slice(0, at), raw.slice(at + 1)];
  let params;
  try {
    params = new URLSearchParams(query);
    return { path: decodeURIComponent(path) || "/", params };
  } catch {
    return { path: null, params: new URLSearchParams() };
  }
}

/** Reads `offset` from the route: a whole number from 0, else the first page with a message. @param {URLSearchParams} params */
function parseOffset(params) {
  const raw = params.get("offset");
  if (raw === null || raw === "") return 0;
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_OFFSET) {
    showError({ kind: "bad_route", scope: "page", message: `"${raw}" is not a page offset; showing the first page.` });
    return 0;
  }
  return Number(raw);
}

async function render() {
  const current = ++generation;
  leaving.forEach((off) => off());
  leaving = [];
  clearNotices();
  if (!status) {
    status = await api.invoke(api.COMMAND.status, {}).catch((e) => { showError(api.asAppError(e)); return null; });
    if (!status) return;
    // Configuration problems and cache notices are shown once per status load, not on every page.
    (status.problems ?? []).forEach((p) => showError({ kind: "config", scope: "page", message: p }));
    (status.notices ?? []).forEach((n) => showInfo(n));
    if (status.renewSignIn && status.signInExpiresAt) offerRenewal(status.signInExpiresAt);
  }
  byId("demo-badge").hidden = !status.demo;
  byId("nav-links").hidden = status.state !== "ready";
  const { path, params } = parseHash();
  let content;
  replace(view, spinner());
  try {
    if (status.state === "starting") content = startingView();
    else if (status.state === "keyring") content = keyringView(status);
    else if (status.state === "setup" && path !== "/settings") content = await setupView(status);
    else if (status.state === "login" && path !== "/settings") content = loginView(status);
    else {
      const route = path === null ? undefined : ROUTES.find(([re]) => re.test(path));
      if (path === null) {
        showError({ kind: "bad_route", scope: "page", message: "This address could not be read (it has a broken % sequence)." });
      }
      if (!route || path === null) {
        content = h("div", { class: "py-5 text-center" }, h("h1", { class: "h4" }, "Page not found"),
          h("p", {}, "There is no page at this address. ", h("a", { href: "#/" }, "Go home")));
      } else {
        const [re, fn] = route;
        const m = /** @type {RegExpMatchArray} */ (path.match(re));
        /** @type {RouteContext} */
        const ctx = { id: m[1], offset: parseOffset(params), params, onLeave: (off) => leaving.push(off) };
        content = await fn(ctx);
      }
    }
  } catch (e) {
    const error = api.asAppError(e);
    // A revoked session is handled by the "signed-out" listener: login screen plus the message.
    if (error.scope === "session") return;
    showError(error);
    content = h("div", { class: "py-4" }, h("a", { href: "#/", class: "btn btn-outline-secondary" }, "Back to home"));
  }
  if (current !== generation) return;
  replace(view, content);
  // Keyboard and screen-reader users land on the new page's heading, not back at the top.
  const heading = view.querySelector("h1");
  if (heading instanceof HTMLElement) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
  // The app tells the page when it has read its settings, but a page that asked just before
  // could miss that word: while starting, it asks again.
  if (status.state === "starting") setTimeout(() => { if (current === generation) refreshStatus(); }, 500);
  document.title = `Spotify Plus`;
}

/**
 * Spotify ends a sign-in after six months: a week before, a quiet offer to sign in again.
 * @param {number} expiresAt seconds since the Unix epoch
 */
function offerRenewal(expiresAt) {
  const day = new Date(expiresAt * 1000).toLocaleDateString(undefined, { dateStyle: "long" });
  showInfo(`Spotify asks for a new sign-in every six months; yours ends on ${day}.`, {
    label: "Sign in again",
    testid: "renew-sign-in",
    onClick: () => api.invoke(api.COMMAND.login, {}).then(refreshStatus, (e) => showError(api.asAppError(e), { context: "Sign-in failed" })),
  });
}

async function refreshStatus() {
  status = null;
  await render();
}

/** The session ended (revoked or expired): show the login screen and say why. @param {UiError} error */
async function signedOut(error) {
  await refreshStatus();
  showError(error);
}

// Log out asks first, and offers to delete the insights kept about what was listened to.
const logoutDialog = /** @type {HTMLDialogElement} */ (document.getElementById("logout-dialog"));
byId("logout").addEventListener("click", () => {
  /** @type {HTMLInputElement} */ (document.getElementById("logout-clear-cache")).checked = false;
  logoutDialog.showModal();
});
byId("logout-cancel").addEventListener("click", () => logoutDialog.close());
byId("logout-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const clearCache = /** @type {HTMLInputElement} */ (document.getElementById("logout-clear-cache")).checked;
  logoutDialog.close();
  try {
    await api.invoke(api.COMMAND.logout, { clearCache });
  } catch (e) {
    showError(api.asAppError(e));
  }
  clearBanner();
  location.hash = "#/";
  await refreshStatus();
});

// "Skip to content" moves focus to the page, not to a route named "view".
byId("skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  view.focus();
});

window.addEventListener("hashchange", render);
wireSearchBox();
window.addEventListener("status-stale", refreshStatus);
window.addEventListener("signed-out", (e) => signedOut(/** @type {CustomEvent<UiError>} */ (e).detail));
// The poller sends the reason when it finds the session gone; a sign-in sends nothing.
api.listen(api.EVENT.sessionChanged, (reason) => (reason ? signedOut(reason) : refreshStatus()));
api.listen(api.EVENT.openNow, () => { location.hash = "#/now"; });
api.listen(api.EVENT.controlError, (error) => showError(error));
// The poller meets app-wide problems (a rate-limit ban, a refused account) on any page.
api.listen(api.EVENT.spotifyError, (error) => showError(error));
window.addEventListener("spotify-answered", clearBanner);
render();

// @ts-check
// First run: what to get from Spotify and OpenAI, and where to paste it.
import * as api from "../api.js";
import { h } from "../dom.js";
import { showError } from "../notices.js";
import { settingsForm } from "./settings.js";

/** @typedef {import("../bindings/ShellStatus").ShellStatus} ShellStatus */

/** The setup screen, shown while no Spotify client ID is configured. @param {ShellStatus} status */
export async function setupView(status) {
  const steps = h("ol", { class: "mb-4" },
    h("li", {}, "Open ", h("strong", {}, "developer.spotify.com/dashboard"), ", log in and choose ", h("em", {}, "Create app"),
      ". Spotify asks that the account owning the app has ", h("strong", {}, "Spotify Premium"),
      "; a developer may have up to 25 apps (client IDs), sharing one Development Mode quota."),
    h("li", {}, "Under Redirect URIs add exactly ", h("code", { class: "user-select-all", testid: "redirect-uri" }, status.redirectUri),
      " (a loopback address, not localhost) and tick ", h("em", {}, "Web API"), ". Save."),
    h("li", {}, "New apps run in ", h("strong", {}, "Development Mode"), ": open the app's ", h("em", {}, "User Management"),
      " and add the name and e-mail of every Spotify account that will sign in, yours included (at most 5). Anyone else gets “the user may not be registered”."),
    h("li", {}, "Copy the app's ", h("strong", {}, "Client ID"), " into the field below (the client secret is optional: sign-in uses PKCE)."),
    h("li", {}, "For insights, create a key at ", h("strong", {}, "platform.openai.com/api-keys"),
      ", or point the base URL at a local OpenAI-compatible server such as Ollama (", h("code", {}, "http://127.0.0.1:11434/v1"), ")."),
    h("li", {}, "You can also put these in a ", h("code", {}, ".env"), " file (", h("code", {}, "CLIENT_ID"), ", ",
      h("code", {}, "OPENAI_API_KEY"), ", …) next to the app; see .env.example."));
  const form = await settingsForm({ submitLabel: "Save and continue", onSaved: () => window.dispatchEvent(new Event("status-stale")) }).catch((e) => {
    showError(api.asAppError(e));
    return null;
  });
  return h("div", { testid: "setup" },
    h("h1", { class: "h3 mb-3" }, "Welcome to Spotify Plus"),
    h("p", { class: "lead" }, "Two things are needed before the first sign-in: a Spotify app of your own, and a language model to write the insights."),
    steps,
    h("p", { class: "small text-secondary" }, "In Development Mode Spotify lists the songs only of playlists you own or collaborate on; playlists you just follow still show, with a button to open them in Spotify."),
    form);
}

/** Shown while signed out: one button that opens Spotify's consent page in the browser. @param {ShellStatus} status */
export function loginView(status) {
  const button = h("button", { type: "button", class: "btn btn-success btn-lg", testid: "login" }, "Log in with Spotify");
  // While the browser is out, the attempt can be ended here (a new "Log in" also replaces it).
  const cancel = h("button", { type: "button", class: "btn btn-outline-secondary btn-lg ms-2", testid: "login-cancel", hidden: true }, "Cancel");
  const hint = h("p", { class: "text-secondary mt-3" }, "Your browser opens Spotify's sign-in page; come back here when it says you can close the tab.");
  const idle = () => {
    button.disabled = false;
    button.textContent = "Log in with Spotify";
    cancel.hidden = true;
  };
  button.addEventListener("click", async () => {
    button.disabled = true;
    button.textContent = "Waiting for Spotify in your browser…";
    cancel.hidden = false;
    try {
      await api.invoke(api.COMMAND.login, {});
      window.dispatchEvent(new Event("status-stale"));
    } catch (e) {
      const error = api.asAppError(e);
      // A cancel is what the user asked for: nothing to report.
      if (error.kind !== "cancelled") showError(error, { context: "Sign-in failed" });
      idle();
    }
  });
  cancel.addEventListener("click", () => api.invoke(api.COMMAND.loginCancel, {}).catch((e) => showError(api.asAppError(e))));
  return h("div", { class: "text-center py-5" },
    h("h1", { class: "h3 mb-3" }, "Your music, with the stories behind it"),
    h("p", { class: "lead mb-4" }, "Sign in to see what is playing and what is in your playlists."),
    button, cancel, hint,
    h("p", { class: "small text-secondary" }, "Redirect URI registered for this app: ", h("code", {}, status.redirectUri)));
}

/** Shown while the app reads its settings and the saved sign-in (the keyring may take a moment). */
export function startingView() {
  return h("div", { class: "text-center py-5", testid: "starting", role: "status" },
    h("h1", { class: "h4 mb-3" }, "Starting…"),
    h("p", { class: "text-secondary" }, "Reading your settings and sign-in. If your system keyring asks for your password, unlock it."));
}

/** The saved sign-in could not be read because the keyring did not answer: not signed out. @param {ShellStatus} status */
export function keyringView(status) {
  const retry = h("button", { type: "button", class: "btn btn-primary", testid: "keyring-retry" }, "Try again");
  retry.addEventListener("click", async () => {
    retry.disabled = true;
    try {
      await api.invoke(api.COMMAND.retryKeyring, {});
      window.dispatchEvent(new Event("status-stale"));
    } catch (e) {
      showError(api.asAppError(e));
    } finally {
      retry.disabled = false;
    }
  });
  return h("div", { class: "text-center py-5", testid: "keyring-waiting" },
    h("h1", { class: "h4 mb-3" }, "Waiting for your system keyring"),
    h("p", {}, "Your Spotify sign-in is kept in the keyring, which did not answer. Unlock it (it may be asking for your password), then try again. You are still signed in."),
    h("p", { class: "small text-secondary" }, status.keyringProblem ?? ""),
    retry);
}

// @ts-check
// Settings: Spotify client ID (and optional secret), OpenAI key, base URL and model (with the
// shutdown dates the server announces), and when insights are fetched in the background.
// Saved secrets are never sent back to the page: the form only says whether one is set.
import * as api from "../api.js";
import { h } from "../dom.js";
import { showError, showInfo } from "../notices.js";
import { groundingFields } from "./grounding.js";

/** @typedef {import("../bindings/ModelStatus").ModelStatus} ModelStatus */
/** @typedef {import("../dom.js").AttrValue} AttrValue */
/** @typedef {import("../dom.js").Child} Child */

/** Today as YYYY-MM-DD, to tell a past shutdown from a coming one. */
const today = () => new Date().toISOString().slice(0, 10);

/** "shuts down on" or "was shut down on", for a date exactly as the server gave it. @param {string} date */
const shutdownPhrase = (date) => (/^\d{4}-\d{2}-\d{2}$/.test(date) && date < today() ? "was shut down on" : "shuts down on");

const BACKGROUND_CHOICES = [
  ["whileVisible", "Only while the Spotify Plus window is open (default)"],
  ["always", "Always, also while only the tray icon is left"],
  ["never", "Never: only for the pages I open"],
];

const STORES = {
  keyring: "in your system keyring",
  file: "in files in the data folder that only your user can read (no system keyring answered)",
};

/** The origin of a URL typed in the form, or null while it is not a URL. @param {string} text */
const originOf = (text) => {
  try {
    return new URL(text).origin;
  } catch {
    return null;
  }
};

/** Whether an origin is this computer, where a server may need no key. @param {string} origin */
const isLocal = (origin) => /^https?:\/\/(127\.\d+\.\d+\.\d+|\[::1\]|localhost)(:\d+)?$/i.test(origin);

/** A labelled input with its help text. @param {string} label @param {HTMLElement} input @param {Child} [help] */
const field = (label, input, help) =>
  h("div", { class: "mb-3" }, h("label", { class: "form-label", for: input.id }, label), input,
    help ? h("div", { class: "form-text" }, help) : null);

/**
 * The settings form; `onSaved` runs after a successful save.
 * @param {{ submitLabel?: string, onSaved?: () => void }} [options]
 */
export async function settingsForm({ submitLabel = "Save", onSaved } = {}) {
  const current = await api.invoke(api.COMMAND.settingsGet, {});
  /** @param {string} id @param {string | null} value @param {Record<string, AttrValue>} [attrs] */
  const input = (id, value, attrs = {}) => h("input", { id, class: "form-control", value: value ?? "", autocomplete: "off", spellcheck: "false", ...attrs });
  const clientId = input("client-id", current.clientId, { placeholder: "32 hexadecimal characters" });
  const clientSecret = input("client-secret", "", { type: "password", placeholder: current.hasClientSecret ? "saved (leave blank to keep)" : "optional" });
  const apiKey = input("openai-key", "", { type: "password", placeholder: current.hasOpenaiKey ? "saved (leave blank to keep)" : "sk-…" });
  const baseUrl = input("openai-base", current.openaiBaseUrl, { type: "url" });
  // Unset, the field stays empty so that saving keeps it automatic (picked from the server's list).
  const model = input("openai-model", current.openaiModelUnset ? "" : current.openaiModel, {
    list: "model-options",
    placeholder: current.openaiModelUnset ? `automatic (${current.openaiModel} until one is picked from your server's list)` : "",
  });
  const models = h("datalist", { id: "model-options" });
  const modelHint = h("span", {}, "Type a model name or load the list your server offers.");
  const modelWarning = h("div", {});
  const modelList = h("div", {});
  const loadModels = h("button", { type: "button", class: "btn btn-outline-secondary btn-sm ms-2 text-nowrap", testid: "load-models" }, "Load models");
  // One click to a model without a shutdown date, saved at once.
  /** @param {HTMLButtonElement} button @param {string} suggestion */
  const switchTo = async (button, suggestion) => {
    button.disabled = true;
    try {
      await api.invoke(api.COMMAND.settingsSetModel, { model: suggestion });
      model.value = suggestion;
      showInfo(`Now using ${suggestion}; saved.`);
      await fetchModels({ quiet: true, refresh: false });
    } catch (e) {
      showError(api.asAppError(e), { context: "Model not switched" });
      button.disabled = false;
    }
  };
  /** @param {ModelStatus} status */
  const showStatus = (status) => {
    models.replaceChildren(...status.models.map((m) => h("option", { value: m.id, label: m.shutdownDate ? `shuts down ${m.shutdownDate}` : m.id })));
    const dated = status.models.filter((m) => m.shutdownDate);
    modelHint.textContent = `${status.models.length} models available${dated.length ? `, ${dated.length} with a shutdown date` : ""}; pick one or type a name.`;
    modelList.replaceChildren(h("details", { class: "small mt-1", testid: "model-list" },
      h("summary", {}, "Models your server offers, with shutdown dates"),
      h("ul", { class: "list-unstyled mb-0 mt-1 model-list" }, status.models.map((m) =>
        h("li", { testid: "model-item", class: m.id === status.model ? "fw-semibold" : null },
          h("code", {}, m.id), " — ",
          m.shutdownDate
            ? h("span", { class: "text-warning-emphasis" }, `${shutdownPhrase(m.shutdownDate)} `, m.shutdownDate)
            : h("span", { class: "text-secondary" }, "no shutdown date"))))));
    const offered = status.models.some((m) => m.id === status.model);
    if (!status.shutdownDate && (offered || status.models.length === 0)) {
      modelWarning.replaceChildren();
      return;
    }
    const { suggestion } = status;
    const button = suggestion
      ? h("button", { type: "button", class: "btn btn-warning btn-sm mt-2", testid: "model-switch" }, `Switch to ${suggestion}`)
      : null;
    if (button && suggestion) button.addEventListener("click", () => switchTo(button, suggestion));
    const advice = suggestion ? `${suggestion} has no shutdown date.` : "Pick a model without a shutdown date below.";
    const problem = status.shutdownDate
      ? h("div", {}, "The model ", h("strong", {}, status.model), ` ${shutdownPhrase(status.shutdownDate)} `,
        h("strong", { testid: "model-shutdown-date" }, status.shutdownDate), ": after that, insights stop working with it. ", advice)
      : h("div", {}, "Your AI server does not offer the model ", h("strong", {}, status.model), ", so insights cannot be written. ", advice);
    modelWarning.replaceChildren(h("div", { class: "alert alert-warning py-2 mb-3", role: "alert",
      testid: status.shutdownDate ? "model-warning" : "model-missing" }, problem, button));
  };
  /** @param {{ quiet: boolean, refresh: boolean }} options `refresh`: read `/models` again */
  const fetchModels = async ({ quiet, refresh }) => {
    loadModels.disabled = true;
    try {
      showStatus(await api.invoke(api.COMMAND.modelStatus, { refresh }));
    } catch (e) {
      if (!quiet) showError(api.asAppError(e), { context: "Could not list models" });
    } finally {
      loadModels.disabled = false;
    }
  };
  loadModels.addEventListener("click", () => fetchModels({ quiet: false, refresh: true }));
  const background = h("select", { id: "background-insights", class: "form-select", testid: "background-insights" },
    BACKGROUND_CHOICES.map(([value, label]) => h("option", { value, selected: value === current.backgroundInsights }, label)));
  // With a key saved the list is fetched at once; failures wait for an explicit click to be shown.
  if (current.hasOpenaiKey) fetchModels({ quiet: true, refresh: false });
  const grounding = groundingFields(current);
  const notifications = h("input", { type: "checkbox", role: "switch", class: "form-check-input", id: "track-notifications", testid: "track-notifications", checked: current.trackNotifications });
  const clearKey = h("input", { type: "checkbox", class: "form-check-input", id: "clear-key" });
  // The saved key goes only to the origin it was given for: say so before a save is refused.
  const keyOrigin = h("div", { class: "form-text", testid: "key-origin" });
  const showKeyOrigin = () => {
    const saved = current.openaiKeyOrigin;
    const now = originOf(baseUrl.value.trim() || "https://api.openai.com/v1");
    if (!saved || apiKey.value || clearKey.checked) {
      keyOrigin.replaceChildren();
    } else if (now && now !== saved) {
      keyOrigin.replaceChildren(h("span", { class: "text-warning-emphasis", testid: "key-origin-warning" },
        `The key was given for ${saved} and is never sent to ${now}: `,
        isLocal(now) ? "it will be removed (a server on this computer may need no key), or enter this server's key." : "enter this server's key above."));
    } else {
      keyOrigin.replaceChildren(`The key is sent only to ${saved}.`);
    }
  };
  for (const el of [baseUrl, apiKey]) el.addEventListener("input", showKeyOrigin);
  clearKey.addEventListener("change", showKeyOrigin);
  showKeyOrigin();
  const cancelSignIn = h("button", { type: "button", class: "btn btn-outline-secondary btn-sm", testid: "settings-login-cancel" }, "Cancel sign-in");
  const pending = current.signInPending
    ? h("div", { class: "alert alert-info py-2 mb-3 d-flex align-items-center", testid: "sign-in-pending" },
      h("span", { class: "me-auto" }, "A Spotify sign-in is waiting for your browser."), cancelSignIn)
    : null;
  cancelSignIn.addEventListener("click", async () => {
    cancelSignIn.disabled = true;
    await api.invoke(api.COMMAND.loginCancel, {}).catch((e) => showError(api.asAppError(e)));
    pending?.remove();
  });
  const submit = h("button", { type: "submit", class: "btn btn-primary", testid: "settings-save" }, submitLabel);
  const form = h("form", { class: "card card-body", novalidate: true },
    // First in the form: a model about to stop working matters more than anything below it.
    modelWarning,
    pending,
    h("h2", { class: "h5" }, "Spotify"),
    field("Client ID", clientId, ["From your app in the Spotify developer dashboard. Redirect URI to register: ", h("code", {}, current.redirectUri)]),
    field("Client secret (optional)", clientSecret),
    current.signInExpiresAt
      ? h("p", { class: "small text-secondary", testid: "sign-in-expiry" }, "Spotify ends each sign-in after six months: sign in again before ",
        h("strong", {}, new Date(current.signInExpiresAt * 1000).toLocaleDateString(undefined, { dateStyle: "long" })), ".")
      : null,
    h("h2", { class: "h5 mt-2" }, "Insights"),
    field("OpenAI API key", apiKey, current.hasOpenaiKey
      ? h("span", { class: "form-check d-inline-block" }, clearKey, h("label", { class: "form-check-label", for: "clear-key" }, "Remove the saved key"))
      : "A local server such as Ollama ignores the key: any non-empty value works."),
    field("Base URL", baseUrl, ["https://api.openai.com/v1, or any OpenAI-compatible server, e.g. Ollama at http://127.0.0.1:11434/v1 (plain http:// only for a server on this computer)", keyOrigin]),
    h("div", { class: "mb-3", id: "model-choice" }, h("label", { class: "form-label", for: "openai-model" }, "Model"),
      h("div", { class: "d-flex" }, model, loadModels), models, h("div", { class: "form-text" }, modelHint), modelList),
    field("Background insights", background,
      "While a track plays, Spotify Plus can ask the model about it in the background, so its page opens at once and the tray shows a line about it. " +
      "That sends your listening to the AI server (OpenAI, unless you use a local one) and costs two requests per track."),
    grounding.el,
    h("div", { class: "form-check form-switch mb-3" }, notifications,
      h("label", { class: "form-check-label", for: "track-notifications" }, "Notify me when the track changes (title, artists and the insight's first sentence)")),
    h("div", {}, submit),
    h("p", { class: "small text-secondary mt-3 mb-0" }, "Data folder: ", h("code", {}, current.dataDir)),
    h("p", { class: "small text-secondary mb-0", testid: "secret-store", "data-store": current.secretStore },
      "Your Spotify sign-in and keys are kept ", STORES[current.secretStore], "."),
    current.fromDotenv
      ? h("p", { class: "small mb-0 mt-2", testid: "from-dotenv" }, "From ", h("code", {}, current.fromDotenv.path), ": ",
        current.fromDotenv.settings.join(", "), ". Edit or remove that file to change them.")
      : null);
  const waiting = h("p", { class: "small mt-2 mb-0", testid: "settings-keyring-waiting", role: "status", hidden: true },
    "Waiting for the system keyring… if it asks for your password, unlock it.");
  submit.after(waiting);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    // A keyring waiting for an unlock can take a while: say so rather than look frozen.
    const slow = setTimeout(() => { waiting.hidden = false; }, 800);
    try {
      await api.invoke(api.COMMAND.settingsSave, { settings: {
        clientId: clientId.value,
        clientSecret: clientSecret.value,
        openaiApiKey: apiKey.value,
        clearOpenaiApiKey: clearKey.checked,
        openaiBaseUrl: baseUrl.value,
        openaiModel: model.value,
        backgroundInsights: /** @type {import("../bindings/BackgroundInsights").BackgroundInsights} */ (background.value),
        ...grounding.values(),
        trackNotifications: notifications.checked,
      } });
      showInfo("Settings saved.");
      onSaved?.();
    } catch (e) {
      showError(api.asAppError(e), { context: "Settings not saved" });
    } finally {
      clearTimeout(slow);
      waiting.hidden = true;
      submit.disabled = false;
    }
  });
  return form;
}

/** The settings page. */
export async function settingsView() {
  const form = await settingsForm({ onSaved: () => window.dispatchEvent(new Event("status-stale")) });
  return h("div", {}, h("h1", { class: "h3 mb-3" }, "Settings"), form);
}

// Settings: Spotify client ID (and optional secret), OpenAI key, base URL and model.
// Saved secrets are never sent back to the page: the form only says whether one is set.
import { call } from "../api.js";
import { h } from "../dom.js";
import { showError, showInfo } from "../notices.js";

const field = (label, input, help) =>
  h("div", { class: "mb-3" }, h("label", { class: "form-label", for: input.id }, label), input,
    help ? h("div", { class: "form-text" }, help) : null);

/** The settings form; `onSaved` runs after a successful save. */
export async function settingsForm({ submitLabel = "Save", onSaved } = {}) {
  const current = await call("settings_get");
  const input = (id, value, attrs = {}) => h("input", { id, class: "form-control", value: value ?? "", autocomplete: "off", spellcheck: "false", ...attrs });
  const clientId = input("client-id", current.clientId, { placeholder: "32 hexadecimal characters" });
  const clientSecret = input("client-secret", "", { type: "password", placeholder: current.hasClientSecret ? "saved (leave blank to keep)" : "optional" });
  const apiKey = input("openai-key", "", { type: "password", placeholder: current.hasOpenaiKey ? "saved (leave blank to keep)" : "sk-…" });
  const baseUrl = input("openai-base", current.openaiBaseUrl, { type: "url" });
  const model = input("openai-model", current.openaiModel, { list: "model-options" });
  const models = h("datalist", { id: "model-options" });
  const modelHint = h("span", {}, "Type a model name or load the list your server offers.");
  const loadModels = h("button", { type: "button", class: "btn btn-outline-secondary btn-sm ms-2" }, "Load models");
  const fetchModels = async ({ quiet }) => {
    loadModels.disabled = true;
    try {
      const ids = await call("list_models");
      models.replaceChildren(...ids.map((id) => h("option", { value: id })));
      modelHint.textContent = `${ids.length} models available; pick one or type a name.`;
    } catch (e) {
      if (!quiet) showError(e, { context: "Could not list models" });
    } finally {
      loadModels.disabled = false;
    }
  };
  loadModels.addEventListener("click", () => fetchModels({ quiet: false }));
  // With a key saved the list is fetched at once; failures wait for an explicit click to be shown.
  if (current.hasOpenaiKey) fetchModels({ quiet: true });
  const clearKey = h("input", { type: "checkbox", class: "form-check-input", id: "clear-key" });
  const submit = h("button", { type: "submit", class: "btn btn-primary", testid: "settings-save" }, submitLabel);
  const form = h("form", { class: "card card-body", novalidate: true },
    h("h2", { class: "h5" }, "Spotify"),
    field("Client ID", clientId, ["From your app in the Spotify developer dashboard. Redirect URI to register: ", h("code", {}, current.redirectUri)]),
    field("Client secret (optional)", clientSecret),
    h("h2", { class: "h5 mt-2" }, "Insights"),
    field("OpenAI API key", apiKey, current.hasOpenaiKey
      ? h("span", { class: "form-check d-inline-block" }, clearKey, h("label", { class: "form-check-label", for: "clear-key" }, "Remove the saved key"))
      : "A local server such as Ollama ignores the key: any non-empty value works."),
    field("Base URL", baseUrl, "https://api.openai.com/v1, or any OpenAI-compatible server, e.g. Ollama at http://127.0.0.1:11434/v1"),
    h("div", { class: "mb-3" }, h("label", { class: "form-label", for: "openai-model" }, "Model"),
      h("div", { class: "d-flex" }, model, loadModels), models, h("div", { class: "form-text" }, modelHint)),
    h("div", {}, submit),
    h("p", { class: "small text-secondary mt-3 mb-0" }, "Data folder: ", h("code", {}, current.dataDir)));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      await call("settings_save", {
        settings: {
          clientId: clientId.value,
          clientSecret: clientSecret.value,
          openaiApiKey: apiKey.value,
          clearOpenaiApiKey: clearKey.checked,
          openaiBaseUrl: baseUrl.value,
          openaiModel: model.value,
        },
      });
      showInfo("Settings saved.");
      onSaved?.();
    } catch (e) {
      showError(e, { context: "Settings not saved" });
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** The settings page. */
export async function settingsView() {
  const form = await settingsForm({ onSaved: () => window.dispatchEvent(new Event("auth-changed")) });
  return h("div", {}, h("h1", { class: "h3 mb-3" }, "Settings"), form);
}

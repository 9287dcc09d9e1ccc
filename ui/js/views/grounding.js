// @ts-check
// The grounding part of Settings: the switch for facts from MusicBrainz and Wikipedia, the
// language of insights, and what each choice sends where.
import { h } from "../dom.js";

/** @typedef {import("../bindings/SettingsView").SettingsView} SettingsView */

/**
 * The fields, and the values they add to the saved settings.
 * @param {SettingsView} current
 */
export function groundingFields(current) {
  const toggle = h("input", { type: "checkbox", role: "switch", class: "form-check-input", id: "grounding", testid: "grounding", checked: current.grounding });
  const systemName = current.languages.find(([code]) => code === current.systemLanguage)?.[1] ?? current.systemLanguage;
  const language = h("select", { id: "insight-language", class: "form-select", testid: "insight-language" },
    h("option", { value: "", selected: !current.insightLanguage }, `The system's (${systemName})`),
    current.languages.map(([code, name]) => h("option", { value: code, selected: code === current.insightLanguage }, name)));
  const el = h("div", { class: "mb-3", testid: "grounding-settings" },
    h("div", { class: "form-check form-switch mb-2" }, toggle,
      h("label", { class: "form-check-label", for: "grounding" }, "Check insights against MusicBrainz and Wikipedia")),
    h("label", { class: "form-label", for: "insight-language" }, "Language of insights"), language,
    h("div", { class: "form-text", testid: "grounding-note" },
      "What is sent where: the track's ISRC and the Spotify IDs of its artists go to MusicBrainz (musicbrainz.org); ",
      "the Wikidata IDs MusicBrainz links go to Wikidata (wikidata.org), and page titles to Wikipedia in the language above. ",
      "The facts found go to the AI server with the track's names. Facts are kept for 30 days on this computer. ",
      "With the switch off, only the track's names go to the AI server."));
  return {
    el,
    /** @returns {{ grounding: boolean, insightLanguage: string }} */
    values: () => ({ grounding: toggle.checked, insightLanguage: language.value }),
  };
}

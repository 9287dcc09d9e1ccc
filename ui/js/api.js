// @ts-check
// The only door to the Rust side: one typed `invoke` and one typed `listen`. The command and
// event names and their types come from Rust (`ui/js/bindings/contract.js`, generated from
// src-tauri/contract.rs); nothing here or in the views names a command or an event by hand.

import { ASKS_SPOTIFY, COMMAND, EVENT } from "./bindings/contract.js";

export { COMMAND, EVENT };

/** @typedef {import("./bindings/UiError").UiError} UiError */
/** @typedef {import("./bindings/contract.js").Commands} Commands */
/** @typedef {import("./bindings/contract.js").Events} Events */

const tauri = window.__TAURI__;

/**
 * Calls a command; failures are thrown as a {@link UiError}.
 * @template {keyof Commands} K
 * @param {K} command a name from {@link COMMAND}
 * @param {Commands[K]["args"]} args
 * @returns {Promise<Commands[K]["result"]>}
 */
export async function invoke(command, args) {
  try {
    const result = /** @type {Commands[K]["result"]} */ (await tauri.core.invoke(command, args));
    if (ASKS_SPOTIFY.has(command)) window.dispatchEvent(new Event("spotify-answered"));
    return result;
  } catch (error) {
    const appError = asAppError(error);
    // Any call can find the session revoked; main.js then shows the login screen with the reason.
    if (appError.scope === "session") {
      window.dispatchEvent(new CustomEvent("signed-out", { detail: appError }));
    }
    throw appError;
  }
}

/**
 * Normalises anything thrown by invoke into a {@link UiError}. Tauri itself rejects arguments
 * it cannot read (such as a malformed Spotify ID in an address) with a plain string.
 * @param {unknown} error
 * @returns {UiError}
 */
export function asAppError(error) {
  if (error && typeof error === "object" && "message" in error && typeof error.message === "string") {
    const e = /** @type {Partial<UiError> & { message: string }} */ (error);
    return { kind: e.kind ?? "app", scope: e.scope ?? "page", message: e.message };
  }
  const text = typeof error === "string" ? error.replace(/^invalid args `\w+` for command `\w+`: /, "") : "Something went wrong.";
  return { kind: "app", scope: "page", message: text };
}

/**
 * A channel for the messages a command streams (an insight as it is written).
 * @template T
 * @param {(message: T) => void} onMessage
 * @returns {TauriChannel<T>}
 */
export function channel(onMessage) {
  /** @type {TauriChannel<T>} */
  const ch = new tauri.core.Channel();
  ch.onmessage = onMessage;
  return ch;
}

/**
 * Listens to an app event; returns a promise of the unlisten function.
 * @template {keyof Events} K
 * @param {K} event a name from {@link EVENT}
 * @param {(payload: Events[K]) => void} handler
 * @returns {Promise<() => void>}
 */
export function listen(event, handler) {
  return tauri.event.listen(event, (/** @type {{ payload: Events[K] }} */ e) => handler(e.payload));
}

// The only door to the Rust side: commands, channels and events.

const tauri = window.__TAURI__;

/** Calls a command; failures are thrown as `{kind, message}`. */
export async function call(command, args = {}) {
  try {
    return await tauri.core.invoke(command, args);
  } catch (error) {
    throw asAppError(error);
  }
}

/** Normalises anything thrown by invoke into `{kind, message}`. */
export function asAppError(error) {
  if (error && typeof error === "object" && typeof error.message === "string") {
    return { kind: String(error.kind ?? "error"), message: error.message };
  }
  return { kind: "error", message: typeof error === "string" ? error : "Something went wrong." };
}

/** A channel for streamed messages from a command. */
export function channel(onMessage) {
  const ch = new tauri.core.Channel();
  ch.onmessage = onMessage;
  return ch;
}

/** Listens to an app event; returns a promise of the unlisten function. */
export function listen(event, handler) {
  return tauri.event.listen(event, (e) => handler(e.payload));
}

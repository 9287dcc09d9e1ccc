// The only door to the Rust side: commands, channels and events.

const tauri = window.__TAURI__;

/** Error kinds meaning the Spotify session is gone: the app goes back to the login screen. */
export const SIGNED_OUT_KINDS = new Set(["unauthorized", "session_expired", "not_logged_in"]);

/** Commands that ask Spotify: one that answers means an app-wide banner is out of date. */
const SPOTIFY_COMMANDS = new Set(["now_playing", "playlists", "playlist", "track", "artist"]);

/** Calls a command; failures are thrown as `{kind, message}`. */
export async function call(command, args = {}) {
  try {
    const result = await tauri.core.invoke(command, args);
    if (SPOTIFY_COMMANDS.has(command)) window.dispatchEvent(new Event("spotify-answered"));
    return result;
  } catch (error) {
    const appError = asAppError(error);
    // Any call can find the session revoked; main.js then shows the login screen with the reason.
    if (SIGNED_OUT_KINDS.has(appError.kind)) {
      window.dispatchEvent(new CustomEvent("signed-out", { detail: appError }));
    }
    throw appError;
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

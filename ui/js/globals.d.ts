// What the page uses of Tauri's global API (`app.withGlobalTauri`), typed for `tsc --noEmit`.
interface TauriChannel<T> {
  onmessage: (message: T) => void;
}

interface Window {
  __TAURI__: {
    core: {
      invoke(command: string, args?: Record<string, unknown>): Promise<unknown>;
      Channel: new <T = unknown>() => TauriChannel<T>;
    };
    event: {
      listen<T>(event: string, handler: (event: { payload: T }) => void): Promise<() => void>;
    };
  };
}

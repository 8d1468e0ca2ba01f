// The one place that picks the WebExtension namespace: Firefox exposes promise-based `browser`,
// Chromium exposes `chrome` (promise-capable in MV3). Every other file imports `api` from here.
export const api = globalThis.browser ?? globalThis.chrome;

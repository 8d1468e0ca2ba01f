// What the popup's first finding waits for, started before anything else of the popup runs:
// popup.js imports this module first, so the UI wasm module's instantiation (its bytes are
// preloaded by popup.html) and the settings' read (an IPC round trip to the browser) begin while
// the rest of the popup's modules are still being evaluated (README § Benchmarks, popup).
import { load } from '../lib/core.js';
import { loadSettings } from '../lib/settings.js';

/** The UI module, instantiated (rejects if it fails to load). */
export const wasmReady = load();

/** The stored settings (rejects if storage can't be read). */
export const settingsReady = loadSettings();

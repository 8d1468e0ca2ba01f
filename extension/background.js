// Background (Chromium: module service worker; Firefox: module event page). Owns the core for
// message senders: it answers the messages documented in lib/messages.js with reports from
// the wasm core. Listeners are registered synchronously at top level (MV3 may wake the worker
// for an event and drop it otherwise); the wasm is initialised lazily inside the handler,
// because a service worker can neither `await` at top level nor use dynamic `import()`.
import init, { analyzeText, analyzeExchange, coreVersion } from './pkg/okta_medic.js';
import { api } from './lib/api.js';
import { MSG, isKnownMessage } from './lib/messages.js';

/** @type {Promise<unknown> | undefined} */
let ready;

function loadCore() {
  ready ??= init({ module_or_path: new URL('./pkg/okta_medic_bg.wasm', import.meta.url) }).catch(
    (err) => {
      ready = undefined; // let the next message retry instead of caching the failure
      throw err;
    },
  );
  return ready;
}

/** @returns {Promise<object>} the reply for a known message; throws on malformed input. */
async function answer(message) {
  await loadCore();
  switch (message.type) {
    case MSG.ANALYZE_TEXT: {
      if (typeof message.text !== 'string') throw new TypeError('text must be a string');
      if (!Number.isFinite(message.now)) throw new TypeError('now must be epoch seconds');
      return { ok: true, report: analyzeText(message.text, Math.floor(message.now)) };
    }
    case MSG.ANALYZE_EXCHANGE: {
      if (message.exchange === null || typeof message.exchange !== 'object') {
        throw new TypeError('exchange must be an object');
      }
      return { ok: true, report: analyzeExchange(message.exchange) };
    }
    case MSG.CORE_VERSION:
      return { ok: true, version: coreVersion() };
    default:
      throw new TypeError(`unknown message type ${String(message.type)}`);
  }
}

// Chromium keeps the channel open only when the listener returns `true` and later calls
// sendResponse (https://developer.chrome.com/docs/extensions/develop/concepts/messaging);
// Firefox honours the same protocol (and would also accept a returned promise), so one path
// serves both. Messages that are not ours return undefined so another listener may answer.
api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== api.runtime.id || !isKnownMessage(message)) return undefined;
  answer(message).then(sendResponse, (err) =>
    sendResponse({ ok: false, error: String(err?.message ?? err) }),
  );
  return true;
});

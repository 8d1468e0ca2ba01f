// Live capture for the panel: every request DevTools' network panel records for the inspected
// tab (`devtools.network`), as HAR entries, bodies through `getContent()` for the entries the
// core counts as Okta traffic only. Requests DevTools recorded before the panel opened come from
// `getHAR()`; both sources are de-duplicated and handled one at a time, in order.
//
// Browser differences handled here: Chromium's `getContent(callback(content, encoding))` and
// `getHAR(callback)`; Firefox's promise forms (`getContent()` → [content, mimeType]). Firefox
// fires onRequestFinished only after its Network panel was opened once in the DevTools window
// (MDN devtools.network.onRequestFinished); the panel's empty state says so.
import { withContent } from './har-entry.js';

/** Calls a WebExtension function that takes a callback (Chromium) or returns a promise (Firefox). */
function callEither(fn, thisArg) {
  return new Promise((resolve) => {
    let done = false;
    const finish = (...values) => {
      if (!done) {
        done = true;
        resolve(values);
      }
    };
    try {
      const result = fn.call(thisArg, (...values) => finish(...values));
      if (result && typeof result.then === 'function') {
        result.then(
          (value) => finish(...(Array.isArray(value) ? value : [value])),
          () => finish(),
        );
      }
    } catch {
      finish();
    }
  });
}

/** The response body of a DevTools request: `{text, encoding}` (encoding `base64` or undefined). */
export async function contentOf(request) {
  if (typeof request?.getContent !== 'function') return {};
  const [text, second] = await callEither(request.getContent, request);
  return { text: typeof text === 'string' ? text : undefined, encoding: second === 'base64' ? 'base64' : undefined };
}

const keyOf = (entry) => `${entry?.startedDateTime} ${entry?.request?.method} ${entry?.request?.url}`;

/**
 * Starts listening. `isOkta(entry)` asks the core (without the body); `onOkta(entryWithBody)`
 * and `onOther(entry)` receive each entry once, in the order DevTools finished them.
 * @returns {{stop: () => void, idle: () => Promise<void>}} idle resolves when every entry
 *   received so far was handled.
 */
export function startLive(network, { isOkta, onOkta, onOther }) {
  let chain = Promise.resolve();
  const handle = (entry) => {
    chain = chain.then(async () => {
      try {
        if (!isOkta(entry)) {
          onOther(entry);
          return;
        }
        const { text, encoding } = await contentOf(entry);
        onOkta(withContent(entry, text, encoding));
      } catch (err) {
        console.error('Okta Medic panel: an entry could not be handled', err);
      }
    });
  };

  // Entries that finish while getHAR is pending wait, so the earlier ones come first; those
  // getHAR already returned are skipped.
  let waiting = [];
  const listener = (request) => (waiting ? waiting.push(request) : handle(request));
  network.onRequestFinished.addListener(listener);
  const backfill =
    typeof network.getHAR === 'function' ? callEither(network.getHAR, network).then(([har]) => har?.entries ?? har?.log?.entries ?? []) : Promise.resolve([]);
  backfill
    .catch(() => [])
    .then((entries) => {
      const recorded = new Set(entries.map(keyOf));
      for (const e of entries) handle(e);
      const later = waiting;
      waiting = null;
      for (const e of later) if (!recorded.has(keyOf(e))) handle(e);
    });

  return {
    stop: () => network.onRequestFinished.removeListener(listener),
    idle: async () => {
      await backfill.catch(() => {});
      let last;
      while (last !== chain) {
        last = chain;
        await chain;
      }
    },
  };
}

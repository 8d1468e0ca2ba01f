// Which webRequest listeners the background keeps for the live capture's header events
// (onBeforeSendHeaders, onHeadersReceived, onBeforeRedirect, onCompleted, onErrorOccurred).
//
// Chromium shows a request's Origin and Cookie headers, its CORS preflight and a response its CORS
// check blocked only to listeners that ask for 'extraHeaders' (background.js), and while any
// listener at all asks for it, Chromium routes every request's headers through the
// browser process (its network service waits on the browser's header client before sending the
// request and again before reading the response), even when the listener asking for it is for
// navigations only. Measured (bench/storm.mjs, README § Benchmarks, 3,000 requests): it costs a
// storm ~6 % of Chromium's CPU and ~0.07× of the observer's rate on a quiet machine, 0.2–0.4×
// when the browser process is short of CPU (the rest of the capture's cost is its own work per
// request). So during a burst — more than
// BURST_LIMIT requests to watched hosts in one second — the listeners are swapped for ones without
// 'extraHeaders', and swapped back once a second has seen fewer than CALM_LIMIT. What a burst's
// requests lose (README, Limits): the page's Origin and the cookies sent (the CORS findings and the
// flow's session-cookie checks of those requests), preflights, and the status of a response
// Chromium's CORS check blocked (it counts as a request without a response instead). Firefox has no
// such option (its listeners see all of it), so there nothing is swapped.
//
// A swap registers the new listeners before the old ones go: for OVERLAP_MS both sets hear the
// same events, and each event is handed on once (keyed by what it is: a request's end, a hop's
// redirect…), so that no request is lost or counted twice across the swap.

/** Requests to watched hosts in one second above which the lean listeners take over. */
export const BURST_LIMIT = 100;
/** Fewer requests than this in a whole second end the burst. */
export const CALM_LIMIT = 20;
/** How long the old listeners stay after the new ones are registered. */
export const OVERLAP_MS = 1000;
/** How long an event's key is remembered while two sets may both deliver it. */
export const DEDUPE_MS = 3000;

/** The key under which an event is delivered once while two listener sets overlap. */
function eventKey(kind, d) {
  switch (kind) {
    case 'end': // onCompleted or onErrorOccurred: exactly one per request
      return `end ${d.requestId}`;
    case 'headers':
      return `headers ${d.requestId} ${d.url} ${d.statusCode}`;
    default: // 'send', 'redirect': one per hop
      return `${kind} ${d.requestId} ${d.url}`;
  }
}

/**
 * Registers the header-event listeners on `webRequest` for `filter` and keeps the right set.
 * @param {{webRequest: object, filter: object, extra: string[], blocking?: string[],
 *   handlers: {beforeSendHeaders: Function, headersReceived: Function, hopFinished: Function,
 *   errorOccurred: Function}, now?: () => number, setTimer?: typeof setTimeout}} options
 * @returns {{hit: () => void, readonly mode: string}} `hit()`: one more request to a watched host
 */
export function createHeaderModes({
  webRequest,
  filter,
  extra,
  blocking = [],
  handlers,
  now = Date.now,
  setTimer = setTimeout,
}) {
  const seen = new Map(); // event key → when delivered, while sets overlap
  let dedupeUntil = -Infinity;

  function deliver(kind, details, handle) {
    const t = now();
    if (t < dedupeUntil) {
      for (const [key, at] of seen) {
        if (t - at < DEDUPE_MS) break;
        seen.delete(key);
      }
      const key = eventKey(kind, details);
      if (seen.has(key)) return undefined;
      seen.set(key, t);
    } else if (seen.size > 0) {
      seen.clear();
    }
    return handle(details);
  }

  function register(spec) {
    const set = [
      [webRequest.onBeforeSendHeaders, (d) => deliver('send', d, handlers.beforeSendHeaders), ['requestHeaders', ...spec]],
      [webRequest.onHeadersReceived, (d) => deliver('headers', d, handlers.headersReceived), ['responseHeaders', ...blocking, ...spec]],
      [webRequest.onBeforeRedirect, (d) => deliver('redirect', d, handlers.hopFinished), ['responseHeaders', ...spec]],
      [webRequest.onCompleted, (d) => deliver('end', d, handlers.hopFinished), ['responseHeaders', ...spec]],
      [webRequest.onErrorOccurred, (d) => deliver('end', d, handlers.errorOccurred), spec],
    ];
    for (const [event, listener, options] of set) {
      if (options.length > 0) event.addListener(listener, filter, options);
      else event.addListener(listener, filter);
    }
    return set;
  }

  let mode = 'full';
  let current = register(extra);
  // Requests to watched hosts per wall-clock second: the current second's and the one before.
  let second = -Infinity;
  let count = 0;
  let previous = 0;

  function swapTo(next) {
    mode = next;
    const old = current;
    dedupeUntil = Infinity;
    current = register(next === 'lean' ? [] : extra);
    setTimer(() => {
      for (const [event, listener] of old) event.removeListener(listener);
      dedupeUntil = now() + DEDUPE_MS;
    }, OVERLAP_MS);
  }

  /** Requests in the last whole second. */
  function lastSecond() {
    const s = Math.floor(now() / 1000);
    if (second === s) return previous;
    return second === s - 1 ? count : 0;
  }

  function checkCalm() {
    if (lastSecond() >= CALM_LIMIT) setTimer(checkCalm, 1000);
    else swapTo('full');
  }

  return {
    get mode() {
      return mode;
    },

    hit() {
      if (extra.length === 0) return; // nothing to swap (Firefox)
      const s = Math.floor(now() / 1000);
      if (s !== second) {
        previous = s === second + 1 ? count : 0;
        second = s;
        count = 0;
      }
      count++;
      if (mode === 'full' && count > BURST_LIMIT) {
        swapTo('lean');
        setTimer(checkCalm, 1000);
      }
    },
  };
}

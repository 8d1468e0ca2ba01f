// Joins an error response's body to its exchange before the exchange is analysed, and says who
// read it (`exchange.bodySource`, which the core turns into a "reported by the page" mark).
//   Firefox   StreamFilter bodies ("network"), keyed by requestId; they end around onCompleted.
//   Chromium  bodies the opted-in page hook relays ("page"). A page's scripts could send
//             anything, so a relayed body is accepted only for a response webRequest itself saw
//             (`saw`, from onHeadersReceived: same tab and frame, URL, method and status, at
//             most `seenMs` ago) and only once per response: a body for a response never seen, or a second
//             body for one already claimed, is dropped. Identical requests each claim one body,
//             oldest first.
// An exchange expecting a body waits for it at most `waitMs`, then goes on without. Bodies are
// size-capped here too, whatever the sender did. Timers are injected so the unit tests drive
// the clock.

export const BODY_CAP = 64 * 1024;
export const WAIT_MS = 1500;
/** How long after its headers a response may still be claimed by a relayed body. */
export const SEEN_MS = 10_000;
/** Bodies being read at once (Firefox) / responses awaiting a relayed body (Chromium). */
const MAX_EXPECTED = 200;

/** The body, at most `cap` UTF-16 code units, and whether it was cut. */
export function capBody(body, cap = BODY_CAP) {
  const text = typeof body === 'string' ? body : '';
  return text.length > cap ? { body: text.slice(0, cap), truncated: true } : { body: text, truncated: false };
}

/**
 * @param {{onReady: (item: {exchange: object, tabId: number, meta: object}) => void,
 *   waitMs?: number, seenMs?: number, setTimer?: typeof setTimeout, clearTimer?: typeof clearTimeout}} options
 */
export function createBodyJoin({
  onReady,
  waitMs = WAIT_MS,
  seenMs = SEEN_MS,
  setTimer = setTimeout,
  clearTimer = clearTimeout,
}) {
  /** Firefox: requestId → {tabId, body?, done?, item?, timer?} */
  const byId = new Map();
  /**
   * Chromium: responses webRequest saw that a page may relay a body for, oldest first:
   * {requestId, tabId, frameId, url, method, status, claimed, body?, item?, timer}.
   */
  const seen = [];

  const release = (item, body, source) => {
    if (body !== undefined) {
      item.exchange.body = body;
      item.exchange.bodySource = source;
    }
    onReady(item);
  };

  const drop = (entry) => {
    const i = seen.indexOf(entry);
    if (i >= 0) seen.splice(i, 1);
    clearTimer(entry.timer);
  };

  /** The response's exchange has gone on: it stays claimed, so later bodies are dropped. */
  const settle = (entry) => {
    clearTimer(entry.timer);
    Object.assign(entry, { claimed: true, item: null, body: undefined });
    entry.timer = setTimer(() => drop(entry), seenMs);
  };

  return {
    /** Firefox: a StreamFilter now reads `requestId`'s body. */
    expect(requestId, tabId) {
      byId.set(requestId, { tabId });
      if (byId.size > MAX_EXPECTED) byId.delete(byId.keys().next().value);
    },

    /** The request failed before it completed: no exchange will claim its body. */
    forget(requestId) {
      const entry = byId.get(requestId);
      if (entry && !entry.item) byId.delete(requestId);
      const s = seen.find((e) => e.requestId === requestId);
      if (s && !s.item) drop(s);
    },

    /** Firefox: the StreamFilter ended (`body` undefined when it failed). */
    bodyFor(requestId, body) {
      const entry = byId.get(requestId);
      if (!entry) return;
      const capped = body === undefined ? undefined : capBody(body).body;
      if (entry.item) {
        byId.delete(requestId);
        clearTimer(entry.timer);
        release(entry.item, capped, 'network');
      } else {
        entry.done = true;
        entry.body = capped;
      }
    },

    /**
     * Chromium: webRequest saw the headers of an error response a page may relay the body of
     * (onHeadersReceived: `{requestId, tabId, frameId, type, url, method, statusCode}`). Only
     * such responses can be given a body, each once, for `seenMs`, and only those of the page's
     * fetch or XMLHttpRequest (Chromium's type "xmlhttprequest" for both): an image, a frame or a
     * navigation is never read by the hook, so a body claiming to be its is not Okta's.
     */
    saw({ requestId, tabId, frameId, type, url, method, statusCode }) {
      if (type !== 'xmlhttprequest') return;
      if (seen.some((e) => e.requestId === requestId)) return; // a retried hop: keep the first
      const entry = { requestId, tabId, frameId, url, method, status: statusCode, claimed: false };
      entry.timer = setTimer(() => drop(entry), seenMs); // complete() replaces it while waiting
      seen.push(entry);
      if (seen.length > MAX_EXPECTED) {
        const oldest = seen.find((e) => !e.item); // one with an exchange waiting ends on its own
        if (oldest) drop(oldest);
      }
    },

    /**
     * Chromium: a frame relayed the body of a response it read. True when it was accepted: an
     * unclaimed response webRequest saw that frame (tab + frame id) get, with that URL, method
     * and status.
     */
    relayed({ tabId, frameId, url, method, status, body }) {
      const entry = seen.find(
        (e) =>
          !e.claimed &&
          e.tabId === tabId &&
          e.frameId === frameId &&
          e.url === url &&
          e.method === method &&
          e.status === status,
      );
      if (!entry) return false;
      entry.claimed = true;
      const capped = capBody(body).body;
      if (entry.item) {
        const { item } = entry;
        settle(entry);
        release(item, capped, 'page');
      } else {
        entry.body = capped; // the exchange completes later; claimed keeps it to this one body
      }
      return true;
    },

    /**
     * An exchange finished. `relay` says a page hook may send its body (Chromium, opted-in site,
     * status ≥ 400); an expected StreamFilter body (Firefox) is waited for by requestId.
     */
    complete(item, { relay = false } = {}) {
      const { requestId } = item;
      const entry = byId.get(requestId);
      if (entry) {
        if (entry.done) {
          byId.delete(requestId);
          release(item, entry.body, 'network');
        } else {
          entry.item = item;
          entry.timer = setTimer(() => {
            byId.delete(requestId);
            release(item);
          }, waitMs);
        }
        return;
      }
      const s = seen.find((e) => e.requestId === requestId);
      if (s && relay) {
        if (s.claimed) {
          const { body } = s; // the body came first
          settle(s);
          release(item, body, 'page');
          return;
        }
        clearTimer(s.timer);
        s.item = item;
        s.timer = setTimer(() => {
          settle(s);
          release(item);
        }, waitMs);
        return;
      }
      if (s) drop(s); // not a body-capturing site: nothing may claim it
      release(item);
    },

    /** Anything still waiting (for tests and for a tab that closes). */
    get pending() {
      return byId.size + seen.length;
    },
  };
}

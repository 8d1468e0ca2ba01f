// Joins an error response's body to its exchange before the exchange is analysed. Bodies come
// late and from elsewhere: Firefox's StreamFilter ends around onCompleted (keyed by requestId);
// Chromium's page hook relays what `fetch`/XHR read (keyed by tab, URL and status), a moment
// before or after onCompleted. An exchange expecting a body waits for it at most `waitMs`, then
// goes on without; a body nobody claims is dropped after `waitMs`. Bodies are size-capped here
// too, whatever the sender did. Timers are injected so the unit tests drive the clock.

export const BODY_CAP = 64 * 1024;
export const WAIT_MS = 1500;
/** Bodies being read at once (Firefox); more than this and the oldest is forgotten. */
const MAX_EXPECTED = 200;

/** The body, at most `cap` UTF-16 code units, and whether it was cut. */
export function capBody(body, cap = BODY_CAP) {
  const text = typeof body === 'string' ? body : '';
  return text.length > cap ? { body: text.slice(0, cap), truncated: true } : { body: text, truncated: false };
}

/**
 * @param {{onReady: (item: {exchange: object, tabId: number, meta: object}) => void,
 *   waitMs?: number, setTimer?: typeof setTimeout, clearTimer?: typeof clearTimeout}} options
 */
export function createBodyJoin({ onReady, waitMs = WAIT_MS, setTimer = setTimeout, clearTimer = clearTimeout }) {
  /** requestId → {tabId, body?, done?, item?, timer?} */
  const byId = new Map();
  /** Bodies relayed by a page before their exchange completed: {tabId, url, status, body, timer}. */
  const orphans = [];
  /** Exchanges waiting for a relayed body: {tabId, url, status, item, timer}. */
  const waiting = [];

  const release = (item, body) => {
    if (body !== undefined) item.exchange.body = body;
    onReady(item);
  };

  const take = (list, pred) => {
    const i = list.findIndex(pred);
    if (i < 0) return undefined;
    const [found] = list.splice(i, 1);
    clearTimer(found.timer);
    return found;
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
    },

    /** Firefox: the StreamFilter ended (`body` undefined when it failed). */
    bodyFor(requestId, body) {
      const entry = byId.get(requestId);
      if (!entry) return;
      if (entry.item) {
        byId.delete(requestId);
        clearTimer(entry.timer);
        release(entry.item, body === undefined ? undefined : capBody(body).body);
      } else {
        entry.done = true;
        entry.body = body === undefined ? undefined : capBody(body).body;
      }
    },

    /** Chromium: a page relayed the body of a response it read. */
    relayed({ tabId, url, status, body }) {
      const capped = capBody(body).body;
      const match = (w) => w.tabId === tabId && w.url === url && w.status === status;
      const w = take(waiting, match);
      if (w) {
        release(w.item, capped);
        return true;
      }
      if (orphans.length >= MAX_EXPECTED) take(orphans, () => true);
      const orphan = { tabId, url, status, body: capped };
      orphan.timer = setTimer(() => take(orphans, (o) => o === orphan), waitMs);
      orphans.push(orphan);
      return false;
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
          release(item, entry.body);
        } else {
          entry.item = item;
          entry.timer = setTimer(() => {
            byId.delete(requestId);
            release(item);
          }, waitMs);
        }
        return;
      }
      if (relay) {
        const { url, statusCode: status } = item.exchange;
        const orphan = take(orphans, (o) => o.tabId === item.tabId && o.url === url && o.status === status);
        if (orphan) {
          release(item, orphan.body);
          return;
        }
        const w = { tabId: item.tabId, url, status, item };
        w.timer = setTimer(() => {
          if (take(waiting, (x) => x === w)) release(item);
        }, waitMs);
        waiting.push(w);
        return;
      }
      release(item);
    },

    /** Anything still waiting (for tests and for a tab that closes). */
    get pending() {
      return byId.size + waiting.length + orphans.length;
    },
  };
}

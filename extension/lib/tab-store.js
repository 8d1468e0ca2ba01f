// Per-tab state in a storage area (storage.session in the extension), write-coalesced: updates
// fold into an in-memory copy at once and reach storage in one `set` at most every `delayMs`, so
// a storm of requests costs a handful of writes, not one per request. An idle store writes at
// once (leading edge): a lone exchange is in storage before its handler is done, so a worker the
// browser stops between requests loses nothing; only during a burst do the last `delayMs` of
// updates wait in memory (README, Limits). While a burst goes on, each write that had to wait
// doubles the delay, up to `maxDelayMs` (4 × 250 ms): a write costs the worker ~10 ms (the core's
// snapshot of the tab, and storage's copy of it) and the browser as much again, so a long storm
// writes every second rather than four times a second (bench/storm-profile.mjs, docs/performance-log.md
// ); the first quiet spell of `delayMs` brings the delay back. Storage stays the truth —
// a restarted worker reads its tabs back from it — and updates to one tab are serialised so two
// events can't both start from the same old state. Bounded: at most `maxTabs` tabs are kept (the
// least recently updated go first), and a write refused for quota evicts old tabs and retries.
// An index (`tabs:index`, tab id → last update) avoids reading every tab to find the oldest.
// Part of a state may be kept elsewhere while the worker runs (the core holds a tab's digest,
// timeline and reports): `materialise(state)` brings a state up to date, and the store applies
// it before a state is written or read back, so what is stored keeps its shape; `forget(tabId)`
// is told of every tab the store drops (evicted, removed).
import { readState, tabKey } from './tab-state.js';

export const INDEX_KEY = 'tabs:index';
export const DELAY_MS = 250;
export const MAX_TABS = 30;

/**
 * @param {{area: {get: Function, set: Function, remove: Function}, delayMs?: number,
 *   maxDelayMs?: number, maxTabs?: number, now?: () => number, setTimer?: typeof setTimeout,
 *   clearTimer?: typeof clearTimeout, onFlushed?: (tabIds: number[]) => void,
 *   materialise?: (state: object) => object, forget?: (tabId: number) => void}} options
 */
export function createTabStore({
  area,
  delayMs = DELAY_MS,
  maxDelayMs = 4 * delayMs, // the longest a burst's updates wait in memory
  maxTabs = MAX_TABS,
  now = Date.now,
  setTimer = setTimeout,
  clearTimer = clearTimeout,
  onFlushed = () => {},
  materialise = (state) => state,
  forget = () => {},
}) {
  const cache = new Map(); // tabId → state (not yet materialised while dirty)
  const dirty = new Set();
  const chains = new Map(); // tabId → promise of the last queued update
  let index; // tabId → updatedAt, loaded lazily
  let timer;
  let flushing = Promise.resolve();
  let writes = 0;
  let lastWrite = -Infinity; // when the latest flush was asked for
  let gap = delayMs; // the delay now: delayMs after a quiet spell, doubling while a burst goes on

  async function loadIndex() {
    if (!index) {
      const got = await area.get(INDEX_KEY);
      const stored = got?.[INDEX_KEY];
      index = new Map(stored && typeof stored === 'object' ? Object.entries(stored).map(([k, v]) => [Number(k), v]) : []);
    }
    return index;
  }

  /** The cached state, or the stored one; as `update` hands it on (maybe not materialised). */
  async function load(tabId) {
    if (cache.has(tabId)) return cache.get(tabId);
    const key = tabKey(tabId);
    const got = await area.get(key);
    // Another update may have filled the cache while we waited.
    if (cache.has(tabId)) return cache.get(tabId);
    const state = got?.[key] ? readState(got[key], tabId, now()) : null;
    if (state) cache.set(tabId, state);
    return state;
  }

  /** Brings the cached state of `tabId` up to date (synchronously) and returns it. */
  function materialised(tabId) {
    const state = cache.get(tabId);
    if (!state) return state;
    const current = materialise(state);
    cache.set(tabId, current);
    return current;
  }

  async function read(tabId) {
    const state = await load(tabId);
    return state && dirty.has(tabId) ? materialised(tabId) : state;
  }

  function schedule() {
    if (timer !== undefined) return;
    const since = now() - lastWrite;
    if (!(since < delayMs)) gap = delayMs; // quiet for a while: back to the short delay
    const wait = lastWrite + gap - now();
    if (!(wait > 0)) {
      flush(); // idle: write now
      return;
    }
    timer = setTimer(() => {
      timer = undefined;
      gap = Math.min(gap * 2, Math.max(delayMs, maxDelayMs)); // still busy: wait longer next time
      flush();
    }, wait);
  }

  /** Removes the least recently updated tabs from storage until at most `keep` remain. */
  async function evict(keep, protect) {
    const idx = await loadIndex();
    const victims = [...idx.entries()]
      .filter(([id]) => !protect.has(id))
      .sort((a, b) => a[1] - b[1])
      .slice(0, Math.max(0, idx.size - keep))
      .map(([id]) => id);
    for (const id of victims) {
      idx.delete(id);
      cache.delete(id);
      dirty.delete(id);
      forget(id);
    }
    if (victims.length > 0) await area.remove(victims.map(tabKey));
    return victims.length;
  }

  async function write() {
    if (dirty.size === 0) return;
    const ids = [...dirty];
    // Materialised now, in the same turn as `dirty` is cleared: a clean cached state is current.
    const states = new Map(ids.map((id) => [id, materialised(id)]));
    dirty.clear();
    const idx = await loadIndex();
    const items = {};
    for (const id of ids) {
      const state = states.get(id);
      if (!state) continue;
      items[tabKey(id)] = state;
      idx.set(id, state.updatedAt ?? now());
    }
    const protect = new Set(ids);
    if (idx.size > maxTabs) await evict(maxTabs, protect);
    for (let attempt = 0; ; attempt++) {
      try {
        items[INDEX_KEY] = Object.fromEntries(idx);
        await area.set(items);
        writes++;
        break;
      } catch (err) {
        // storage.session holds 10 MB in Chromium; make room from the oldest other tabs.
        if (attempt >= 3 || (await evict(Math.max(0, idx.size - Math.max(1, Math.ceil(idx.size / 4))), protect)) === 0) {
          throw err;
        }
      }
    }
    onFlushed(ids);
  }

  /** Writes every pending change now (also what the timer calls). */
  function flush() {
    lastWrite = now();
    if (timer !== undefined) {
      clearTimer(timer);
      timer = undefined;
    }
    flushing = flushing.then(write, write).catch(() => {});
    return flushing;
  }

  return {
    read,

    /**
     * Applies `fn(state | null) → state` (or a promise of it) to the tab's state, in order with
     * its other updates.
     * Resolves to the new state (in memory now; in storage after the next flush).
     */
    update(tabId, fn) {
      const previous = chains.get(tabId) ?? Promise.resolve();
      const run = previous
        .catch(() => {})
        .then(async () => {
          let next = fn(await load(tabId));
          // An update may wait (the core moving to another module): the tab's later updates wait for it.
          if (next instanceof Promise) next = await next;
          cache.set(tabId, next);
          dirty.add(tabId);
          schedule();
          return next;
        });
      chains.set(tabId, run);
      run.finally(() => {
        if (chains.get(tabId) === run) chains.delete(tabId);
      }).catch(() => {});
      return run;
    },

    /**
     * Every tab held in memory as `[tabId, state]`, each brought up to date (`materialise`): what
     * the core needs to hold the tabs somewhere else (lib/live-core.js).
     */
    current() {
      const ids = [...cache.keys()];
      return ids.map((id) => [id, dirty.has(id) ? materialised(id) : cache.get(id)]);
    },

    /** Forgets a tab (closed, or cleared by the user) in memory and in storage. */
    async remove(tabId) {
      await (chains.get(tabId) ?? Promise.resolve()).catch(() => {});
      cache.delete(tabId);
      dirty.delete(tabId);
      forget(tabId);
      const idx = await loadIndex();
      idx.delete(tabId);
      await area.remove(tabKey(tabId));
      await area.set({ [INDEX_KEY]: Object.fromEntries(idx) });
    },

    flush,

    /** How many `set` calls reached storage (for tests and benchmarks). */
    get writes() {
      return writes;
    },
  };
}

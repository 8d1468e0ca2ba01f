// One tab's live-capture state as kept in storage.session under `tab:<id>`: the core's digest
// (findings grouped by id with exact counts, request ids, tokens seen) and rate-limit timeline,
// the latest few warning/error reports in full (for the exports), the page origins seen calling
// Okta, and requests that got no response. Everything here came out of the core, which seals it
// (no JWT signature, no unmasked secret) — the raw exchange is never part of it.
//
// While the worker runs, the digest, timeline and reports live in the core's memory (`live*`:
// one call per exchange, a small answer); the state object carries them as of the last
// `withLive`, which the tab store applies before it writes or shows a state. Storage stays the
// truth: a tab the core doesn't hold (a restarted worker) is restored from the state first. The
// rest (origins, no-response entries) is pure. The core's functions are passed in. What a state
// means (counts, severities, the badge) is the core's to say: lib/badge.js asks it.
//
// The stored shape is the one the previous version wrote (tests/stored/tab-state-v1.json): an
// upgraded extension restores such an entry into the core as it is.

export const STATE_VERSION = 1;
export const MAX_ORIGINS = 5;
export const MAX_NETWORK_ERRORS = 10;

export const tabKey = (tabId) => `tab:${tabId}`;

/** `tab:12` → 12; null for other keys. */
export function tabIdOf(key) {
  const m = /^tab:(\d+)$/.exec(key);
  return m ? Number(m[1]) : null;
}

export function emptyState(tabId, now) {
  return {
    version: STATE_VERSION,
    tabId,
    createdAt: now,
    updatedAt: now,
    digest: null,
    timeline: null,
    reports: [],
    pageOrigins: [],
    networkErrors: [],
  };
}

/** A stored value when it is a state we can continue, else a fresh one. */
export function readState(value, tabId, now) {
  if (value && typeof value === 'object' && value.version === STATE_VERSION && value.tabId === tabId) return value;
  return emptyState(tabId, now);
}

function pushBounded(list, item, max) {
  const next = [...list, item];
  return next.length > max ? next.slice(next.length - max) : next;
}

/** Adds `origin` (most recent last) unless it is there already. */
export function withOrigin(state, origin) {
  if (typeof origin !== 'string' || state.pageOrigins.includes(origin)) return state;
  return { ...state, pageOrigins: pushBounded(state.pageOrigins, origin, MAX_ORIGINS) };
}

/**
 * Folds one exchange (and its redirect target, if any) into the tab's state in the core; the
 * returned state's digest, timeline and reports catch up at the next `withLive`.
 * @param {object} state
 * The core folds findings as data; their words (and the hosts commands may name) are written when
 * the tab is shown.
 * @param {{exchange: object, redirectUrl?: string|null, pageOrigin?: string|null}} item
 * @param {{liveHas: Function, liveRestore: Function, liveFold: Function}} core
 * @returns {object | null} null when the core declined the exchange (its module leaves out what
 *   the exchange needs; lib/live-core.js): nothing was folded, the tab is as it was
 */
export function foldExchange(state, { exchange, redirectUrl = null, pageOrigin = null }, core) {
  if (!core.liveHas(state.tabId)) core.liveRestore(state.tabId, state.digest, state.timeline, state.reports);
  if (core.liveFold(state.tabId, exchange, redirectUrl || undefined) === false) return null;
  const next = { ...state, updatedAt: exchange.observedAt };
  return pageOrigin ? withOrigin(next, pageOrigin) : next;
}

/**
 * `foldExchange`, and when the core declines the exchange, the core's switch to the module that
 * declines nothing first (lib/live-core.js: `states()` gives every tab to move), then the fold
 * there: the new state, or a promise of it.
 * @param {object} state
 * @param {{exchange: object, redirectUrl?: string|null, pageOrigin?: string|null}} item
 * @param {object} core
 * @param {() => Iterable<[number, object]>} states
 * @returns {object | Promise<object>}
 */
export function foldOrSwitch(state, item, core, states) {
  const folded = foldExchange(state, item, core);
  if (folded) return folded;
  // The declining module changed nothing: the tab as it holds it is moved, or restored, there.
  const current = withLive(state, core);
  return core.switchToFull(states).then(() => {
    const again = foldExchange(current, item, core);
    if (!again) throw new Error('the core declined an exchange after switching modules');
    return again;
  });
}

/** The state with the core's current digest, timeline and reports for the tab, when it holds it. */
export function withLive(state, core) {
  const live = state && core.liveHas(state.tabId) ? core.liveSnapshot(state.tabId) : null;
  return live ? { ...state, digest: live.digest, timeline: live.timeline, reports: live.reports } : state;
}

/** Counts a request that got no response (`error` is the browser's text, e.g. net::ERR_…). */
export function withNetworkError(state, { host, error, at }) {
  const key = `${host} ${error}`;
  const found = state.networkErrors.find((e) => e.key === key);
  const networkErrors = found
    ? state.networkErrors.map((e) => (e === found ? { ...e, count: e.count + 1, lastSeen: at } : e))
    : pushBounded(state.networkErrors, { key, host, error, count: 1, firstSeen: at, lastSeen: at }, MAX_NETWORK_ERRORS);
  return { ...state, updatedAt: at, networkErrors };
}

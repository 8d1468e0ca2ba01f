// What the person pasted into the popup, kept so it survives closing the popup and "Open in a
// tab": in the background's memory only (never in extension storage, never on disk), for a few
// minutes after the last edit, then forgotten. An empty paste box forgets it at once. The
// background answers it only to the extension's own pages (lib/messages.js SENDERS).

/** How long a draft outlives its last edit. */
export const DRAFT_TTL_MS = 5 * 60 * 1000;
/** Longer inputs (a whole HAR) are not kept: the CLI and the panel take those. */
export const DRAFT_MAX_CHARS = 256 * 1024;

/**
 * A holder for one draft. `timers` is `{setTimeout, clearTimeout}` (the global ones by default;
 * tests pass their own clock).
 */
export function createDraftKeeper({ ttlMs = DRAFT_TTL_MS, timers = globalThis } = {}) {
  let text = null;
  let timer = null;
  const forget = () => {
    text = null;
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };
  return {
    /** Keeps `value` (a string) for `ttlMs` from now; an empty or oversized one forgets. */
    put(value) {
      forget();
      if (typeof value !== 'string' || value.trim() === '' || value.length > DRAFT_MAX_CHARS) return;
      text = value;
      timer = timers.setTimeout(forget, ttlMs);
    },
    /** The kept draft, or null. */
    get: () => text,
    forget,
  };
}

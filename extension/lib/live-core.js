// The live capture's core in the background: the service worker's own wasm module first, and the
// UI pages' module (which holds the same live calls) from the first exchange the worker's module
// declines. The worker's module leaves out what only rare traffic needs (crate/src/wasm/live.rs
// says what it declines), so it is the one a waking worker compiles; declining changes nothing
// in it, and the exchange is folded again by the module that reads everything. Switching moves
// every tab the worker holds, and the memory the core keeps across tabs, into that module, which
// is used from then on, until the worker stops (a restarted worker starts with its own again).
import { foldCall } from './exchange.js';

/** The live calls besides liveFold, as the background and the tab store make them. */
const CALLS = ['liveBadge', 'liveForget', 'liveHas', 'liveRestore', 'liveSnapshot', 'tabBadge'];

/**
 * The core's live calls on `first`, until `switchToFull` moves them to `full`.
 * @param {{exports: object, load: () => Promise<unknown>}} first the worker's module
 * @param {{exports: object, load: () => Promise<unknown>}} full the module that declines nothing
 */
export function createLiveCore(first, full) {
  const core = { full: false };
  const use = (m) => {
    for (const name of CALLS) core[name] = m.exports[name];
    core.liveFold = foldCall(m.exports.liveFoldFields);
  };
  use(first);
  let loading;

  /**
   * Loads the full module and, the first time, moves into it every tab `states()` gives
   * (`[tabId, state]`, each brought up to date from the first module) and the cross-tab memory.
   * Everything after the load runs in one turn, so no fold lands in between.
   * @param {() => Iterable<[number, object]>} states
   */
  core.switchToFull = async (states) => {
    loading ??= full.load().catch((err) => {
      loading = undefined; // the next declined exchange tries again
      throw err;
    });
    await loading;
    if (core.full) return;
    const tabs = [...states()];
    const crossTab = first.exports.liveCrossTab();
    use(full);
    core.full = true;
    full.exports.liveRestoreCrossTab(crossTab);
    for (const [tabId, s] of tabs) core.liveRestore(tabId, s.digest, s.timeline, s.reports);
  };
  return core;
}

// lib/live-core.js and tab-state.js's foldOrSwitch on the tab store, with two stand-in modules:
// the worker's module folds until it declines an exchange; then the full module is loaded once,
// every tab held in memory (brought up to date) and the cross-tab memory move into it, the
// declined exchange is folded there, and so is everything after. A tab's later exchanges wait for
// its declined one (order kept); other tabs go on folding meanwhile and are moved with the rest. A
// failed load loses only the declined exchange, and the next one tries again. The real modules'
// switch is tests/contract/live-switch.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLiveCore } from '../../extension/lib/live-core.js';
import { emptyState, foldOrSwitch, withLive } from '../../extension/lib/tab-state.js';
import { createTabStore } from '../../extension/lib/tab-store.js';

/** A stand-in module: each tab is the list of URLs folded into it; `declines(url)` says no. */
function fakeModule(name, { declines = () => false } = {}) {
  const tabs = new Map();
  const m = {
    tabs,
    folds: [],
    restoredCrossTab: undefined,
    exports: {
      liveFoldFields: (tab, ...args) => {
        const url = args[2]; // exchangeArgs: observedAt, method, url, …
        if (declines(url)) return false;
        if (!tabs.has(tab)) tabs.set(tab, []);
        tabs.get(tab).push(url);
        m.folds.push(url);
        return true;
      },
      liveHas: (tab) => tabs.has(tab),
      liveRestore: (tab, digest) => tabs.set(tab, [...(digest?.urls ?? [])]),
      liveSnapshot: (tab) => (tabs.has(tab) ? { digest: { urls: [...tabs.get(tab)] }, timeline: null, reports: [] } : null),
      liveForget: (tab) => tabs.delete(tab),
      liveBadge: (tab) => (tabs.has(tab) ? { count: tabs.get(tab).length, module: name } : null),
      tabBadge: () => null,
      liveCrossTab: () => ({ folds: m.folds.length, from: name }),
      liveRestoreCrossTab: (v) => {
        m.restoredCrossTab = v;
      },
    },
  };
  return m;
}

function memoryArea() {
  const data = new Map();
  return {
    async get(key) {
      await new Promise((r) => setTimeout(r, 1));
      return data.has(key) ? { [key]: structuredClone(data.get(key)) } : {};
    },
    async set(items) {
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys) {
      for (const k of [keys].flat()) data.delete(k);
    },
  };
}

/** The two stand-ins, the live core over them and a store; `fold(tab, url)` as capture.js folds. */
function setUp(fullLoad) {
  const first = fakeModule('first', { declines: (url) => url.startsWith('saml') });
  const full = fakeModule('full');
  const core = createLiveCore({ exports: first.exports, load: async () => {} }, { exports: full.exports, load: fullLoad });
  const store = createTabStore({ area: memoryArea(), materialise: (s) => withLive(s, core), delayMs: 5 });
  const fold = (tabId, url) =>
    store.update(tabId, (state) => foldOrSwitch(state ?? emptyState(tabId, 0), { exchange: { url, observedAt: 0 } }, core, () => store.current()));
  return { first, full, core, store, fold };
}

test('a declined exchange moves every tab to the full module, which folds it and everything after, in order', async () => {
  let release;
  let loads = 0;
  const { first, full, core, store, fold } = setUp(() => {
    loads++;
    return new Promise((r) => {
      release = r;
    });
  });
  await fold(1, 'a');
  await fold(2, 'b');
  const declined = fold(1, 'saml-c');
  const later = fold(1, 'd'); // waits for the declined one
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(core.full, false);
  await fold(2, 'e'); // another tab goes on meanwhile, in the worker's module
  const declinedToo = fold(3, 'saml-f'); // waits for the same load
  assert.deepEqual(first.tabs.get(2), ['b', 'e']);
  assert.deepEqual(first.folds, ['a', 'b', 'e']);
  release();
  await Promise.all([declined, later, declinedToo]);
  assert.equal(loads, 1);
  assert.equal(core.full, true);
  assert.deepEqual(Object.fromEntries(full.tabs), { 1: ['a', 'saml-c', 'd'], 2: ['b', 'e'], 3: ['saml-f'] });
  assert.deepEqual(full.restoredCrossTab, { folds: 3, from: 'first' }, 'the cross-tab memory moved once, as the switch found it');
  await fold(2, 'g');
  assert.deepEqual(full.tabs.get(2), ['b', 'e', 'g']);
  assert.deepEqual(first.folds, ['a', 'b', 'e'], 'nothing reaches the worker\'s module after the switch');
  assert.deepEqual(core.liveBadge(2), { count: 3, module: 'full' });
  for (const [tab, urls] of [[1, ['a', 'saml-c', 'd']], [2, ['b', 'e', 'g']], [3, ['saml-f']]]) {
    assert.deepEqual((await store.read(tab)).digest.urls, urls, `tab ${tab} as the store shows it`);
  }
});

test('a failed load loses only the declined exchange; the next declined one loads again', async () => {
  let loads = 0;
  const { full, core, store, fold } = setUp(async () => {
    loads++;
    if (loads === 1) throw new Error('no module');
  });
  await fold(1, 'a');
  await assert.rejects(fold(1, 'saml-b'), /no module/);
  assert.equal(core.full, false);
  assert.deepEqual((await store.read(1)).digest.urls, ['a']);
  await fold(1, 'c');
  await fold(1, 'saml-d');
  assert.equal(loads, 2);
  assert.deepEqual(full.tabs.get(1), ['a', 'c', 'saml-d']);
});

test('a tab the store has not seen yet is restored from its new state in the full module', async () => {
  const { full, fold } = setUp(async () => {});
  await fold(7, 'saml-a');
  assert.deepEqual(full.tabs.get(7), ['saml-a']);
});

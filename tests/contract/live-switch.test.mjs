// Contract test: the BUILT modules' switch, as the background makes it (lib/live-core.js,
// tab-state.js foldOrSwitch, the tab store). The service worker's module declines the exchanges
// that need SAML read (crate/src/wasm/live.rs); the UI pages' module folds everything. Every HAR
// fixture's entries, one tab per fixture, interleaved, are folded twice: by the UI module alone,
// and by the worker's module switching to a second copy of the UI module at its first declined
// exchange. Every tab's stored state (digest, timeline, reports) and badge must be the same
// bytes: moving the tabs and the cross-tab memory loses nothing, and the worker's module, up to
// the switch, folds exactly as the full one. Run after ./build.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLiveCore } from '../../extension/lib/live-core.js';
import { emptyState, foldOrSwitch, withLive } from '../../extension/lib/tab-state.js';
import { createTabStore } from '../../extension/lib/tab-store.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG = join(ROOT, 'extension', 'pkg');
const FIXTURES = join(ROOT, 'tests', 'fixtures');
const BYTES = { sw: readFileSync(join(PKG, 'okta_medic_bg.wasm')), ui: readFileSync(join(PKG, 'okta_medic_ui_bg.wasm')) };

/**
 * A fresh instance of the worker's (`sw`) or the UI pages' (`ui`) module: a module's URL with
 * another query is another instance, so no run sees another's tabs or cross-tab memory.
 */
async function instance(kind, run) {
  const glue = kind === 'sw' ? 'okta_medic.js' : 'okta_medic_ui.js';
  const m = await import(`../../extension/pkg/${glue}?run=${run}`);
  m.initSync({ module: BYTES[kind] });
  return m;
}

const header = (headers, name) => headers.find((h) => h.name?.toLowerCase() === name)?.value;

/** A HAR entry as the webRequest listener would hand it on: the exchange and its redirect target. */
function exchangeOf(entry) {
  const req = entry.request ?? {};
  const res = entry.response ?? {};
  const requestHeaders = req.headers ?? [];
  const responseHeaders = res.headers ?? [];
  // webRequest always gives a time; a HAR entry without a readable one takes a fixed one.
  const at = Date.parse(entry.startedDateTime);
  const exchange = {
    observedAt: Number.isFinite(at) ? at : 1_764_000_000_000,
    method: req.method,
    url: req.url,
    statusCode: res.status,
    requestHeaders,
    responseHeaders,
    type: header(requestHeaders, 'sec-fetch-dest') === 'document' ? 'main_frame' : 'xmlhttprequest',
  };
  if (typeof res.content?.text === 'string') exchange.body = res.content.text;
  const post = req.postData;
  if (Array.isArray(post?.params)) exchange.requestForm = post.params.map((p) => ({ name: p.name, value: p.value ?? '' }));
  else if (typeof post?.text === 'string' && /x-www-form-urlencoded/.test(post.mimeType ?? '')) {
    exchange.requestForm = [...new URLSearchParams(post.text)].map(([name, value]) => ({ name, value }));
  }
  const redirect = res.status >= 300 && res.status < 400 ? res.redirectURL || header(responseHeaders, 'location') : null;
  return { exchange, redirectUrl: redirect || null };
}

/**
 * Every HAR fixture's entries, as [tab, {exchange, redirectUrl}], interleaved round-robin; the
 * fixtures holding SAML start two rounds late, so every other tab has state when the worker's
 * module first declines an exchange.
 */
function traffic() {
  const hars = readdirSync(FIXTURES)
    .sort()
    .map((name) => {
      try {
        const text = readFileSync(join(FIXTURES, name, 'input.txt'), 'utf8');
        return { entries: JSON.parse(text)?.log?.entries, start: /saml/i.test(text) ? 2 : 0 };
      } catch {
        return null;
      }
    })
    .filter((har) => Array.isArray(har?.entries) && har.entries.length > 0);
  const out = [];
  for (let round = 0; hars.some((h) => round - h.start < h.entries.length); round++) {
    hars.forEach(({ entries, start }, tab) => {
      const i = round - start;
      if (i >= 0 && i < entries.length) out.push([tab + 1, exchangeOf(entries[i])]);
    });
  }
  return { tabs: hars.length, exchanges: out };
}

function memoryArea() {
  const data = new Map();
  return {
    get: async (key) => (data.has(key) ? { [key]: structuredClone(data.get(key)) } : {}),
    set: async (items) => {
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    remove: async (keys) => {
      for (const k of [keys].flat()) data.delete(k);
    },
  };
}

/** Folds `exchanges` as the background does, on `core`; each tab's stored state and badge. */
async function run(core, { tabs, exchanges }) {
  const store = createTabStore({ area: memoryArea(), materialise: (s) => withLive(s, core), delayMs: 0 });
  const seen = [];
  for (const [tab, { exchange, redirectUrl }] of exchanges) {
    const before = core.full;
    await store.update(tab, (state) =>
      foldOrSwitch(state ?? emptyState(tab, exchange.observedAt), { exchange, redirectUrl }, core, () => store.current()),
    );
    if (before !== core.full) seen.push(exchange.url);
  }
  const out = {};
  for (let tab = 1; tab <= tabs; tab++) {
    const s = await store.read(tab);
    out[tab] = JSON.stringify({ digest: s?.digest, timeline: s?.timeline, reports: s?.reports, badge: core.liveBadge(tab, 1_800_000_000_000) });
  }
  return { out, switchedAt: seen };
}

const loaded = async () => {};
/** The live core as the background makes it, on fresh instances: `first`, then `full`. */
const liveCore = async (first, full, run) => {
  const a = await instance(first, `${run}-first`);
  return createLiveCore({ exports: a, load: loaded }, { exports: first === full ? a : await instance(full, `${run}-full`), load: loaded });
};

test('the worker\'s module, switching at its first declined exchange, stores what the UI module alone stores', async () => {
  const t = traffic();
  assert.ok(t.tabs >= 20, `${t.tabs} HAR fixtures`);
  const alone = await run(await liveCore('ui', 'ui', 'alone'), t);
  const core = await liveCore('sw', 'ui', 'switched');
  const switched = await run(core, t);
  assert.equal(alone.switchedAt.length, 0, 'the UI module declines nothing');
  assert.equal(core.full, true, 'the worker\'s module declined an exchange');
  assert.equal(switched.switchedAt.length, 1);
  assert.match(switched.switchedAt[0], /saml/i);
  const firstDeclined = t.exchanges.findIndex(([, { exchange }]) => exchange.url === switched.switchedAt[0]);
  const before = new Set(t.exchanges.slice(0, firstDeclined).map(([tab]) => tab));
  assert.ok(before.size >= t.tabs / 2, `${before.size} tabs had state when the worker's module first declined an exchange`);
  for (let tab = 1; tab <= t.tabs; tab++) assert.equal(switched.out[tab], alone.out[tab], `tab ${tab}`);
});

test('the worker\'s module folds every exchange it accepts as the UI module does', async () => {
  // The same traffic without the exchanges the worker's module declines: it never switches, and
  // every tab is the same bytes as the UI module's of the same exchanges.
  const t = traffic();
  const probe = await liveCore('sw', 'sw', 'probe');
  const kept = [];
  for (const [tab, item] of t.exchanges) {
    // Into a scratch tab: a declined exchange changes nothing there, an accepted one is dropped.
    const scratch = 1_000_000 + tab;
    if (probe.liveFold(scratch, item.exchange, item.redirectUrl || undefined) !== false) kept.push([tab, item]);
    probe.liveForget(scratch);
  }
  assert.ok(kept.length < t.exchanges.length, 'some exchanges are declined');
  assert.ok(kept.length > t.exchanges.length / 2, `${kept.length} of ${t.exchanges.length} accepted`);
  const onlyKept = { tabs: t.tabs, exchanges: kept };
  const alone = await run(await liveCore('ui', 'ui', 'kept-ui'), onlyKept);
  const lean = await run(await liveCore('sw', 'sw', 'kept-sw'), onlyKept);
  assert.equal(lean.switchedAt.length, 0);
  for (let tab = 1; tab <= t.tabs; tab++) assert.equal(lean.out[tab], alone.out[tab], `tab ${tab}`);
});

test('what the core remembers across tabs moves too: a refresh token reused and a sign-in begun in another tab', async () => {
  // Before the switch: tab 1 refreshes with a token, tab 2 opens /authorize (its state waits).
  // Tab 3's SAML sign-in switches modules. After it: tab 4 sends tab 1's refresh token again, and
  // tab 5 gets Okta's redirect answering tab 2's state. Both findings need the memory the core
  // keeps across tabs, which no tab's snapshot holds.
  const har = (name) => JSON.parse(readFileSync(join(FIXTURES, name, 'input.txt'), 'utf8')).log.entries;
  const refresh = har('flow-har-refresh-token-reused');
  const authorize = har('flow-har-state-mismatch')[0];
  const saml = har('flow-har-saml-sp-initiated');
  const answer = {
    ...authorize,
    startedDateTime: '2026-11-27T10:01:00.000Z',
    request: { ...authorize.request, url: 'https://dev-123456.okta.com/login/token/redirect?stateToken=x' },
    response: {
      ...authorize.response,
      status: 302,
      headers: [{ name: 'location', value: 'https://app.example.com/login/callback?code=SEKRETFLOWcode09zq&state=SEKRETFLOWstate02zq' }],
      content: { size: 0, mimeType: 'text/html' },
    },
  };
  const t = {
    tabs: 5,
    exchanges: [
      [1, exchangeOf(refresh[0])],
      [2, exchangeOf(authorize)],
      ...saml.map((e) => [3, exchangeOf(e)]),
      [4, exchangeOf(refresh[1])],
      [5, exchangeOf(answer)],
    ],
  };
  const alone = await run(await liveCore('ui', 'ui', 'memory-ui'), t);
  const core = await liveCore('sw', 'ui', 'memory-switched');
  const switched = await run(core, t);
  assert.equal(core.full, true);
  assert.match(alone.out[4], /flow\.refresh_token_reused/, 'the scenario reaches the cross-tab refresh memory');
  assert.match(alone.out[5], /"otherTab"/, 'the scenario reaches another tab\'s waiting sign-in');
  for (let tab = 1; tab <= t.tabs; tab++) assert.equal(switched.out[tab], alone.out[tab], `tab ${tab}`);
});

// lib/tab-store.js without a browser: a fake storage area counts writes. Updates are folded in
// memory at once; an idle store writes the first at once, and the rest of a burst in one set per
// delay (a storm of 1,000 updates costs two writes), a delay that doubles, up to 4×, while a burst goes on;
// updates to a tab are serialised (no lost update when they race from a cold cache); a restarted
// store reads the tab back; at most maxTabs tabs are kept, the least recently updated evicted;
// a quota refusal evicts older tabs and retries; remove forgets a tab in memory and storage.
// Part of a state kept elsewhere (the core's copy of a tab) is materialised once per write, not
// per update, and before a pending state is read; every tab dropped is forgotten there too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INDEX_KEY, createTabStore } from '../../extension/lib/tab-store.js';

function fakeArea({ failTimes = 0 } = {}) {
  const data = new Map();
  const area = {
    sets: 0,
    failures: failTimes,
    async get(key) {
      await new Promise((r) => setTimeout(r, 1)); // storage is asynchronous
      return data.has(key) ? { [key]: structuredClone(data.get(key)) } : {};
    },
    async set(items) {
      if (area.failures > 0) {
        area.failures--;
        throw new Error('QUOTA_BYTES quota exceeded');
      }
      area.sets++;
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys) {
      for (const k of [keys].flat()) data.delete(k);
    },
    data,
  };
  return area;
}

const add = (n) => (state) => ({
  version: 1,
  tabId: state?.tabId ?? n.tabId,
  updatedAt: n.at,
  count: (state?.count ?? 0) + 1,
});

test('a storm of updates is two writes: the first at once, the rest when the delay ends; the state is exact', async () => {
  const area = fakeArea();
  const flushed = [];
  const timers = []; // the store's timer, run by hand: no dependence on the machine's speed
  const store = createTabStore({ area, delayMs: 250, now: () => 0, setTimer: (fn) => timers.push(fn), clearTimer: () => {}, onFlushed: (ids) => flushed.push(ids) });
  await Promise.all(Array.from({ length: 1000 }, (_, i) => store.update(7, add({ tabId: 7, at: i }))));
  await new Promise((r) => setTimeout(r, 10)); // storage calls settle
  assert.equal(area.sets, 1, 'the idle store wrote at once, once');
  assert.equal(timers.length, 1, 'the rest of the burst waits for one timer');
  assert.equal((await store.read(7)).count, 1000, 'readable from memory at once');
  timers.shift()();
  await store.flush();
  assert.equal(area.sets, 2);
  assert.equal(area.data.get('tab:7').count, 1000);
  assert.deepEqual(flushed, [[7], [7]]);
  assert.deepEqual(area.data.get(INDEX_KEY), { 7: 999 });
});

test('a lone update after a quiet spell is in storage as soon as it is folded (a worker stopped right after loses nothing)', async () => {
  const area = fakeArea();
  let clock = 0;
  const timers = [];
  const store = createTabStore({ area, delayMs: 250, now: () => clock, setTimer: (fn) => timers.push(fn), clearTimer: () => {} });
  await store.update(5, add({ tabId: 5, at: 1 }));
  clock += 1000; // quiet
  await store.update(5, add({ tabId: 5, at: 2 }));
  await new Promise((r) => setTimeout(r, 10)); // storage calls settle; no timer is run
  assert.equal(timers.length, 0, 'no write waited for a timer');
  assert.equal(area.data.get('tab:5').count, 2);
  clock += 10; // a second update inside the window waits for the timer
  await store.update(5, add({ tabId: 5, at: 3 }));
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(timers.length, 1);
  assert.equal(area.data.get('tab:5').count, 2);
  timers.shift()();
  await store.flush();
  assert.equal(area.data.get('tab:5').count, 3);
});

test('a long burst waits longer between writes (250, 500, 1,000, 1,000 ms …); a quiet spell brings back the short delay', async () => {
  const area = fakeArea();
  let clock = 0;
  const timers = []; // {fn, ms}
  const store = createTabStore({ area, delayMs: 250, now: () => clock, setTimer: (fn, ms) => timers.push({ fn, ms }), clearTimer: () => {} });
  const settle = () => new Promise((r) => setTimeout(r, 5));
  let at = 0;
  const waits = [];
  await store.update(3, add({ tabId: 3, at: at++ })); // idle: written at once
  for (let round = 0; round < 5; round++) {
    clock += 1; // the burst goes on right after each write
    await store.update(3, add({ tabId: 3, at: at++ }));
    await settle();
    assert.equal(timers.length, 1, 'one timer at a time');
    const { fn, ms } = timers.shift();
    waits.push(ms);
    clock += ms;
    fn();
    await settle();
  }
  assert.deepEqual(waits, [249, 499, 999, 999, 999]);
  assert.equal(area.sets, 6);
  assert.equal(area.data.get('tab:3').count, 6, 'nothing lost');
  clock += 250; // quiet for the short delay: the next update is written at once, and the delay is short again
  await store.update(3, add({ tabId: 3, at: at++ }));
  await settle();
  assert.equal(timers.length, 0);
  assert.equal(area.data.get('tab:3').count, 7);
  clock += 1;
  await store.update(3, add({ tabId: 3, at: at++ }));
  await settle();
  assert.equal(timers.shift().ms, 249);
});

test('racing updates from a cold cache lose nothing; a new store continues from storage', async () => {
  const area = fakeArea();
  area.data.set('tab:3', { version: 1, tabId: 3, updatedAt: 1, count: 5 });
  const store = createTabStore({ area, delayMs: 5 });
  await Promise.all([store.update(3, add({ at: 2 })), store.update(3, add({ at: 3 })), store.update(3, add({ at: 4 }))]);
  await store.flush();
  assert.equal(area.data.get('tab:3').count, 8);
  const restarted = createTabStore({ area, delayMs: 5 }); // a new service worker
  await restarted.update(3, add({ at: 5 }));
  await restarted.flush();
  assert.equal(area.data.get('tab:3').count, 9);
});

test('at most maxTabs tabs are kept: the least recently updated go', async () => {
  const area = fakeArea();
  const store = createTabStore({ area, delayMs: 1, maxTabs: 3 });
  for (let id = 1; id <= 5; id++) {
    await store.update(id, add({ tabId: id, at: id }));
    await store.flush();
  }
  assert.deepEqual([...area.data.keys()].filter((k) => k.startsWith('tab:')).sort(), ['tab:3', 'tab:4', 'tab:5']);
  assert.deepEqual(Object.keys(area.data.get(INDEX_KEY)).sort(), ['3', '4', '5']);
});

test('a quota refusal evicts older tabs and retries', async () => {
  const area = fakeArea();
  const store = createTabStore({ area, delayMs: 1 });
  for (let id = 1; id <= 8; id++) await store.update(id, add({ tabId: id, at: id }));
  await store.flush();
  area.failures = 1;
  await store.update(9, add({ tabId: 9, at: 9 }));
  await store.flush();
  assert.ok(area.data.has('tab:9'), 'the new state was written');
  assert.equal(area.data.has('tab:1'), false, 'the oldest tab made room');
  assert.ok(area.data.has('tab:8'));
});

test('remove forgets a tab in memory, in storage and in the index', async () => {
  const area = fakeArea();
  const store = createTabStore({ area, delayMs: 1 });
  await store.update(4, add({ tabId: 4, at: 1 }));
  await store.flush();
  await store.remove(4);
  assert.equal(await store.read(4), null);
  assert.equal(area.data.has('tab:4'), false);
  assert.deepEqual(area.data.get(INDEX_KEY), {});
});

test('a flush while an update is queued writes it on the next flush', async () => {
  const area = fakeArea();
  const store = createTabStore({ area, delayMs: 1000 });
  const pending = store.update(1, add({ tabId: 1, at: 1 }));
  await store.flush();
  await pending;
  await store.flush();
  assert.equal(area.data.get('tab:1').count, 1);
  assert.ok(store.writes >= 1);
});

/** A stand-in for the core's resident tabs: a counter per tab that states carry only when materialised. */
function fakeLive() {
  const held = new Map();
  const live = {
    snapshots: 0,
    forgotten: [],
    fold: (state, tabId, at) => {
      held.set(tabId, (held.get(tabId) ?? state?.count ?? 0) + 1);
      return { version: 1, tabId, updatedAt: at, count: state?.count ?? 0 };
    },
    materialise: (state) => {
      if (!held.has(state.tabId)) return state;
      live.snapshots++;
      return { ...state, count: held.get(state.tabId) };
    },
    forget: (tabId) => {
      held.delete(tabId);
      live.forgotten.push(tabId);
    },
    held,
  };
  return live;
}

test('a state kept partly elsewhere is materialised once per write, and before a pending state is read', async () => {
  const area = fakeArea();
  const live = fakeLive();
  const timers = []; // run by hand: no dependence on the machine's speed
  const store = createTabStore({ area, delayMs: 250, now: () => 0, setTimer: (fn) => timers.push(fn), clearTimer: () => {}, materialise: live.materialise, forget: live.forget });
  await Promise.all(Array.from({ length: 1000 }, (_, i) => store.update(7, (state) => live.fold(state, 7, i))));
  await new Promise((r) => setTimeout(r, 10)); // storage calls settle
  assert.equal(area.data.get('tab:7').count, 1, 'the leading write, materialised');
  assert.equal((await store.read(7)).count, 1000, 'a pending state is read materialised');
  assert.equal(timers.length, 1);
  timers.shift()();
  await store.flush();
  assert.equal(area.sets, 2);
  assert.equal(area.data.get('tab:7').count, 1000, 'what is stored is materialised');
  assert.ok(live.snapshots <= 3, `${live.snapshots} snapshots for 1,000 updates`);
  assert.equal((await store.read(7)).count, 1000, 'a written state is current');
});

test('every tab the store drops is forgotten where it is kept: evicted, refused for quota, removed', async () => {
  const area = fakeArea();
  const live = fakeLive();
  const store = createTabStore({ area, delayMs: 1, maxTabs: 3, materialise: live.materialise, forget: live.forget });
  for (let id = 1; id <= 5; id++) {
    await store.update(id, (state) => live.fold(state, id, id));
    await store.flush();
  }
  assert.deepEqual(live.forgotten, [1, 2]);
  assert.deepEqual([...live.held.keys()], [3, 4, 5]);
  await store.remove(4);
  assert.deepEqual(live.forgotten, [1, 2, 4]);
  area.failures = 1;
  await store.update(6, (state) => live.fold(state, 6, 6));
  await store.flush();
  assert.ok(live.forgotten.includes(3), 'the quota refusal evicted tab 3 and forgot it');
  assert.equal(area.data.get('tab:6').count, 1);
});

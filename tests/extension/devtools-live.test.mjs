// The panel's live capture (extension/devtools/live.js) against fake `devtools.network` objects
// shaped as Chromium's (callbacks: getContent(cb(content, encoding)), getHAR(cb(harLog))) and
// Firefox's (promises: getContent() → [content, mimeType], getHAR() → log): backfill first, then
// live entries in order, each once; bodies fetched only for entries the judge calls Okta.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const { contentOf, startLive } = await import('../../extension/devtools/live.js');

const entry = (url, t, body, style) => ({
  startedDateTime: `2026-11-27T10:00:0${t}.000Z`,
  request: { method: 'GET', url, headers: [] },
  response: { status: 200, headers: [] },
  getContent:
    style === 'firefox'
      ? () => Promise.resolve([body, 'application/json'])
      : (callback) => setTimeout(() => callback(Buffer.from(body).toString('base64'), 'base64'), 5 - t),
});

function fakeNetwork(backfill, style) {
  const listeners = new Set();
  return {
    onRequestFinished: {
      addListener: (l) => listeners.add(l),
      removeListener: (l) => listeners.delete(l),
    },
    getHAR:
      style === 'firefox'
        ? () => new Promise((resolve) => setTimeout(() => resolve({ entries: backfill }), 10))
        : (callback) => setTimeout(() => callback({ entries: backfill }), 10),
    finish: (e) => [...listeners].forEach((l) => l(e)),
    listeners,
  };
}

for (const style of ['chromium', 'firefox']) {
  test(`${style}: backfill then live entries, each once, in order, bodies for Okta ones only`, async () => {
    const early = entry('https://x.okta.com/early', 1, '{"a":1}', style);
    const app = entry('https://app.example.com/', 2, 'app body', style);
    const network = fakeNetwork([early, app], style);
    const seen = [];
    const asked = [];
    const live = startLive(network, {
      isOkta: (e) => {
        asked.push(e.request.url);
        return e.request.url.includes('okta');
      },
      onOkta: (e) => seen.push(['okta', e.request.url, e.response.content?.text, e.response.content?.encoding]),
      onOther: (e) => seen.push(['other', e.request.url]),
    });
    // Finishes while getHAR is pending: one duplicate of a backfilled entry, one new.
    network.finish(early);
    const later = entry('https://x.okta.com/later', 3, '{"b":2}', style);
    network.finish(later);
    await live.idle();
    const encoding = style === 'firefox' ? undefined : 'base64';
    const text = (s) => (style === 'firefox' ? s : Buffer.from(s).toString('base64'));
    assert.deepEqual(seen, [
      ['okta', 'https://x.okta.com/early', text('{"a":1}'), encoding],
      ['other', 'https://app.example.com/'],
      ['okta', 'https://x.okta.com/later', text('{"b":2}'), encoding],
    ]);
    // After the backfill, live entries are never dropped, even identical ones.
    network.finish(later);
    await live.idle();
    assert.equal(seen.length, 4);
    live.stop();
    assert.equal(network.listeners.size, 0);
    assert.deepEqual(asked.filter((u) => u.includes('app')), ['https://app.example.com/']);
  });
}

test('contentOf: no getContent, a throwing one, a rejected promise → no body', async () => {
  assert.deepEqual(await contentOf({}), {});
  assert.deepEqual(await contentOf({ getContent: () => { throw new Error('gone'); } }), { text: undefined, encoding: undefined });
  assert.deepEqual(await contentOf({ getContent: () => Promise.reject(new Error('gone')) }), { text: undefined, encoding: undefined });
  assert.deepEqual(await contentOf({ getContent: (cb) => cb('x', 'utf-8') }), { text: 'x', encoding: undefined });
});

test('a network without getHAR still captures live entries', async () => {
  const network = fakeNetwork([], 'chromium');
  delete network.getHAR;
  const seen = [];
  const live = startLive(network, { isOkta: () => false, onOkta: () => {}, onOther: (e) => seen.push(e.request.url) });
  await live.idle();
  network.finish(entry('https://a/', 1, '', 'chromium'));
  await live.idle();
  assert.deepEqual(seen, ['https://a/']);
});

// lib/header-mode.js without a browser: a fake webRequest keeps its listeners with their options
// and dispatches an event to every one registered, as Chromium does. The header listeners start
// with 'extraHeaders'; more than BURST_LIMIT requests in one second swap them for ones without it,
// a calm second swaps them back; while the two sets overlap, every event is handed on once (no
// request lost or counted twice across a swap), and the old set is removed after OVERLAP_MS.
// Without 'extraHeaders' to ask for (Firefox) nothing is ever swapped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BURST_LIMIT, CALM_LIMIT, OVERLAP_MS, createHeaderModes } from '../../extension/lib/header-mode.js';

const EVENTS = ['onBeforeSendHeaders', 'onHeadersReceived', 'onBeforeRedirect', 'onCompleted', 'onErrorOccurred'];

function fakeWebRequest() {
  const wr = {};
  for (const name of EVENTS) {
    const listeners = [];
    wr[name] = {
      listeners,
      addListener: (fn, filter, options = []) => listeners.push({ fn, filter, options }),
      removeListener: (fn) => {
        const i = listeners.findIndex((l) => l.fn === fn);
        if (i >= 0) listeners.splice(i, 1);
      },
      dispatch: (d) => [...listeners].forEach((l) => l.fn(d)),
    };
  }
  return wr;
}

function setup({ extra = ['extraHeaders'] } = {}) {
  let t = 10_000;
  const timers = [];
  const got = [];
  const webRequest = fakeWebRequest();
  const handler = (kind) => (d) => got.push(`${kind} ${d.requestId}`);
  const modes = createHeaderModes({
    webRequest,
    filter: { urls: ['https://*/*'] },
    extra,
    handlers: {
      beforeSendHeaders: handler('send'),
      headersReceived: handler('headers'),
      hopFinished: handler('finished'),
      errorOccurred: handler('error'),
    },
    now: () => t,
    setTimer: (fn, ms) => timers.push({ at: t + ms, fn }),
  });
  const advance = (ms) => {
    const end = t + ms;
    for (;;) {
      const due = timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers.splice(timers.indexOf(due), 1);
      t = Math.max(t, due.at);
      due.fn();
    }
    t = end;
  };
  const specs = () => EVENTS.map((name) => webRequest[name].listeners.map((l) => l.options.includes('extraHeaders')));
  return { modes, webRequest, got, advance, specs, hits: (n) => Array.from({ length: n }, () => modes.hit()) };
}

test('header listeners start with extraHeaders, one per event, on the filter given', () => {
  const { modes, webRequest, specs } = setup();
  assert.equal(modes.mode, 'full');
  assert.deepEqual(specs(), EVENTS.map(() => [true]));
  assert.deepEqual(webRequest.onCompleted.listeners[0].filter, { urls: ['https://*/*'] });
  assert.deepEqual(webRequest.onBeforeSendHeaders.listeners[0].options, ['requestHeaders', 'extraHeaders']);
});

test('a burst swaps to listeners without extraHeaders, the old set removed after the overlap', () => {
  const { modes, hits, specs, advance } = setup();
  hits(BURST_LIMIT);
  assert.equal(modes.mode, 'full', 'BURST_LIMIT requests in a second are not yet a burst');
  hits(1);
  assert.equal(modes.mode, 'lean');
  assert.deepEqual(specs(), EVENTS.map(() => [true, false]), 'both sets while they overlap');
  advance(OVERLAP_MS);
  assert.deepEqual(specs(), EVENTS.map(() => [false]));
});

test('while two sets overlap, each event is handed on once; afterwards every event is', () => {
  const { hits, webRequest, got, advance } = setup();
  hits(BURST_LIMIT + 1);
  webRequest.onBeforeSendHeaders.dispatch({ requestId: '1', url: 'https://a.okta.com/x' });
  webRequest.onCompleted.dispatch({ requestId: '1', url: 'https://a.okta.com/x', statusCode: 429 });
  webRequest.onBeforeRedirect.dispatch({ requestId: '2', url: 'https://a.okta.com/a' });
  webRequest.onBeforeRedirect.dispatch({ requestId: '2', url: 'https://a.okta.com/b' });
  webRequest.onErrorOccurred.dispatch({ requestId: '2', url: 'https://a.okta.com/b', error: 'net::ERR_FAILED' });
  assert.deepEqual(got, ['send 1', 'finished 1', 'finished 2', 'finished 2', 'error 2']);
  advance(OVERLAP_MS);
  // Removed, but an event the old set was sent before may still arrive: still once.
  webRequest.onHeadersReceived.dispatch({ requestId: '3', url: 'https://a.okta.com/y', statusCode: 401 });
  webRequest.onHeadersReceived.dispatch({ requestId: '3', url: 'https://a.okta.com/y', statusCode: 401 });
  assert.deepEqual(got.slice(5), ['headers 3']);
  advance(10_000);
  webRequest.onCompleted.dispatch({ requestId: '4', url: 'https://a.okta.com/z', statusCode: 200 });
  webRequest.onCompleted.dispatch({ requestId: '4', url: 'https://a.okta.com/z', statusCode: 200 });
  assert.deepEqual(got.slice(6), ['finished 4', 'finished 4'], 'no overlap: nothing is held back');
});

test('a calm second swaps back to extraHeaders; a busy one keeps the lean set', () => {
  const { modes, hits, specs, advance } = setup();
  hits(BURST_LIMIT + 1);
  advance(1000);
  hits(CALM_LIMIT); // the storm goes on in the next second
  advance(1000);
  assert.equal(modes.mode, 'lean');
  assert.equal(modes.mode, 'lean', 'the second just ended had CALM_LIMIT requests');
  hits(CALM_LIMIT - 1);
  advance(1000);
  assert.equal(modes.mode, 'full', 'the second just ended had fewer than CALM_LIMIT');
  advance(OVERLAP_MS);
  assert.deepEqual(specs(), EVENTS.map(() => [true]));
  hits(BURST_LIMIT + 1);
  assert.equal(modes.mode, 'lean', 'the next burst swaps again');
});

test('without extraHeaders to ask for (Firefox), a burst changes nothing', () => {
  const { modes, hits, specs } = setup({ extra: [] });
  assert.deepEqual(specs(), EVENTS.map(() => [false]));
  hits(BURST_LIMIT * 3);
  assert.equal(modes.mode, 'full');
  assert.deepEqual(specs(), EVENTS.map(() => [false]));
});

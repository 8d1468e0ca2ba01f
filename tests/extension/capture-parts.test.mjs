// The pure parts of live capture, without a browser: exchange.js assembles one exchange from
// webRequest's events (request headers, then status and response headers, then the end of the
// hop; a redirect starts a new hop; a restart mid-request still yields an exchange; the pending
// map is bounded), and body-join.js joins a late body to its exchange (Firefox by requestId,
// Chromium only for a response webRequest saw, by tab + frame + URL + method + status, once, in either
// order), giving up after its wait, capping sizes, marking who read the body.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BODY_CAP, capBody, createBodyJoin } from '../../extension/lib/body-join.js';
import { MAX_PARKED_PREFLIGHTS, MAX_PENDING, PendingExchanges, headerList, initiatorOrigin, preflightLetThrough } from '../../extension/lib/exchange.js';

const base = { requestId: '42', tabId: 7, method: 'GET', type: 'xmlhttprequest', initiator: 'http://localhost:3000' };

test('an exchange from onBeforeSendHeaders, onHeadersReceived and onCompleted', () => {
  const p = new PendingExchanges();
  p.begin({ ...base, url: 'https://dev-1.okta.com/api/v1/users/me', requestHeaders: [{ name: 'Authorization', value: 'SSWS x' }, { name: 'X-Bin', binaryValue: [1] }] });
  p.headers({ ...base, url: 'https://dev-1.okta.com/api/v1/users/me', statusCode: 401, timeStamp: 1000, responseHeaders: [{ name: 'X-Okta-Request-Id', value: 'r1' }] });
  const item = p.finish({ ...base, url: 'https://dev-1.okta.com/api/v1/users/me', statusCode: 401, timeStamp: 1005, responseHeaders: [{ name: 'X-Okta-Request-Id', value: 'r1' }] });
  assert.deepEqual(item.exchange, {
    observedAt: 1005,
    method: 'GET',
    url: 'https://dev-1.okta.com/api/v1/users/me',
    statusCode: 401,
    requestHeaders: [{ name: 'Authorization', value: 'SSWS x' }],
    responseHeaders: [{ name: 'X-Okta-Request-Id', value: 'r1' }],
    initiator: 'http://localhost:3000',
    type: 'xmlhttprequest',
  });
  assert.equal(item.tabId, 7);
  assert.equal(item.initiator, 'http://localhost:3000');
  assert.equal(p.size, 0, 'forgotten once finished (it held the Authorization header)');
});

test('a redirect ends one hop; the next hop starts over under the same requestId', () => {
  const p = new PendingExchanges();
  p.begin({ ...base, url: 'https://dev-1.okta.com/oauth2/default/v1/authorize?x=1', requestHeaders: [{ name: 'Cookie', value: 'sid=1' }] });
  const hop = p.finish({ ...base, url: 'https://dev-1.okta.com/oauth2/default/v1/authorize?x=1', statusCode: 302, timeStamp: 5, redirectUrl: 'http://localhost:3000/cb?error=access_denied', responseHeaders: [{ name: 'Location', value: 'http://localhost:3000/cb?error=access_denied' }] });
  assert.equal(hop.exchange.statusCode, 302);
  assert.equal(hop.redirectUrl, 'http://localhost:3000/cb?error=access_denied');
  p.begin({ ...base, url: 'http://localhost:3000/cb?error=access_denied', requestHeaders: [] });
  const next = p.finish({ ...base, url: 'http://localhost:3000/cb?error=access_denied', statusCode: 200, timeStamp: 6 });
  assert.deepEqual(next.exchange.requestHeaders, []);
});

test('a worker restarted mid-request: onCompleted alone still makes an exchange', () => {
  const p = new PendingExchanges();
  const item = p.finish({ ...base, url: 'https://dev-1.okta.com/api/v1/groups', statusCode: 403, timeStamp: 9, responseHeaders: [{ name: 'WWW-Authenticate', value: 'Bearer error="insufficient_scope"' }] });
  assert.equal(item.exchange.statusCode, 403);
  assert.deepEqual(item.exchange.requestHeaders, []);
  assert.equal(item.exchange.responseHeaders.length, 1);
});

test('the hop keeps the headers onHeadersReceived saw; onCompleted\'s (without extraHeaders: fewer) only when those were lost', () => {
  const p = new PendingExchanges();
  const seen = [{ name: 'Set-Cookie', value: 'sid=x' }, { name: 'X-Rate-Limit-Remaining', value: '0' }];
  p.begin({ ...base, url: 'https://dev-1.okta.com/login/sessionCookieRedirect', requestHeaders: [] });
  p.headers({ ...base, url: 'https://dev-1.okta.com/login/sessionCookieRedirect', statusCode: 200, timeStamp: 3, responseHeaders: seen });
  const item = p.finish({ ...base, url: 'https://dev-1.okta.com/login/sessionCookieRedirect', statusCode: 200, timeStamp: 4, responseHeaders: [seen[1]] });
  assert.deepEqual(item.exchange.responseHeaders, seen);
});

test('onErrorOccurred: an exchange when a response had arrived, else nothing', () => {
  const p = new PendingExchanges();
  p.begin({ ...base, url: 'https://dev-1.okta.com/a' });
  assert.equal(p.fail({ ...base, error: 'net::ERR_CONNECTION_REFUSED' }), null);
  p.begin({ ...base, url: 'https://dev-1.okta.com/a' });
  p.headers({ ...base, url: 'https://dev-1.okta.com/a', statusCode: 401, timeStamp: 3, responseHeaders: [] });
  assert.equal(p.fail({ ...base, error: 'net::ERR_FAILED', timeStamp: 4 }).exchange.statusCode, 401);
  assert.equal(p.size, 0);
});

test('the pending map is bounded: the oldest request is forgotten', () => {
  const p = new PendingExchanges(3);
  for (let i = 0; i < 5; i++) p.begin({ ...base, requestId: String(i), url: 'https://dev-1.okta.com/' });
  assert.equal(p.size, 3);
  assert.deepEqual([...p.map.keys()], ['2', '3', '4']);
});

test('headers and initiators as the browsers give them', () => {
  assert.deepEqual(headerList(undefined), []);
  assert.equal(initiatorOrigin({ initiator: 'null', documentUrl: 'http://localhost:8080/app?x=1' }), 'http://localhost:8080');
  assert.equal(initiatorOrigin({ originUrl: 'moz-extension://abc/popup.html' }), null);
  assert.equal(initiatorOrigin({}), null);
});

/** A body join on a fake clock. */
function joinOnFakeClock() {
  const timers = new Map();
  let next = 1;
  const ready = [];
  const join = createBodyJoin({
    onReady: (item) => ready.push(item),
    waitMs: 100,
    setTimer: (fn) => {
      timers.set(next, fn);
      return next++;
    },
    clearTimer: (id) => timers.delete(id),
  });
  const fire = () => {
    const due = [...timers.values()];
    timers.clear();
    for (const fn of due) fn();
  };
  return { join, ready, fire, timers };
}

const item = (requestId, url = 'https://dev-1.okta.com/api/v1/users/me', statusCode = 401) => ({
  requestId,
  tabId: 7,
  exchange: { url, statusCode, method: 'GET' },
});

test('Firefox: the body by requestId, whichever of body and onCompleted comes first', () => {
  const { join, ready } = joinOnFakeClock();
  join.expect('a', 7);
  join.bodyFor('a', '{"errorCode":"E0000011"}');
  join.complete(item('a'));
  join.expect('b', 7);
  join.complete(item('b'));
  assert.equal(ready.length, 1, 'b waits for its body');
  join.bodyFor('b', 'second');
  assert.deepEqual(ready.map((r) => r.exchange.body), ['{"errorCode":"E0000011"}', 'second']);
  assert.equal(join.pending, 0);
});

test('an expected body that never comes: the exchange goes on without it after the wait', () => {
  const { join, ready, fire } = joinOnFakeClock();
  join.expect('c', 7);
  join.complete(item('c'));
  assert.equal(ready.length, 0);
  fire();
  assert.equal(ready.length, 1);
  assert.equal(ready[0].exchange.body, undefined);
});

/** What onHeadersReceived gives for a response webRequest saw. */
const sawIt = (requestId, url = 'https://dev-1.okta.com/api/v1/users/me', statusCode = 401, method = 'GET') => ({
  requestId,
  tabId: 7,
  frameId: 0,
  type: 'xmlhttprequest',
  url,
  method,
  statusCode,
});
const body = (text, over = {}) => ({ tabId: 7, frameId: 0, url: 'https://dev-1.okta.com/api/v1/users/me', method: 'GET', status: 401, body: text, ...over });

test('Chromium: a relayed body joins a response webRequest saw (tab + frame + URL + method + status), before or after onCompleted', () => {
  const { join, ready, fire } = joinOnFakeClock();
  join.saw(sawIt('d'));
  join.complete(item('d'), { relay: true });
  assert.equal(join.relayed(body('other tab', { tabId: 8 })), false);
  assert.equal(join.relayed(body('other frame', { frameId: 3 })), false);
  assert.equal(join.relayed(body('no frame', { frameId: undefined })), false);
  assert.equal(join.relayed(body('other method', { method: 'POST' })), false);
  assert.equal(join.relayed(body('other status', { status: 403 })), false);
  assert.equal(join.relayed(body('late')), true);
  join.saw(sawIt('e', 'https://dev-1.okta.com/api/v1/groups', 403));
  assert.equal(join.relayed(body('early', { url: 'https://dev-1.okta.com/api/v1/groups', status: 403 })), true);
  join.complete(item('e', 'https://dev-1.okta.com/api/v1/groups', 403), { relay: true });
  assert.deepEqual(ready.map((r) => [r.exchange.body, r.exchange.bodySource]), [['late', 'page'], ['early', 'page']]);
  join.saw(sawIt('f'));
  join.complete(item('f'), { relay: true });
  fire();
  assert.equal(ready.at(-1).exchange.body, undefined, 'no body came: analysed without');
  assert.equal(ready.at(-1).exchange.bodySource, undefined);
  fire(); // the settled responses expire
  assert.equal(join.pending, 0);
});

test('Chromium: a body for a response webRequest never saw is dropped, even if that request comes later', () => {
  const { join, ready, fire } = joinOnFakeClock();
  assert.equal(join.relayed(body('forged before the request')), false);
  join.saw(sawIt('g'));
  join.complete(item('g'), { relay: true });
  fire();
  assert.deepEqual(ready.map((r) => r.exchange.body), [undefined]);
  // Seen, but its exchange was not a body-capturing one (relay false): nothing may claim it.
  join.saw(sawIt('h'));
  join.complete(item('h'));
  assert.equal(join.relayed(body('unclaimable')), false);
  assert.equal(ready.at(-1).exchange.body, undefined);
});

test('Chromium: each response takes one body; a second is dropped, before or after onCompleted', () => {
  const { join, ready, fire } = joinOnFakeClock();
  join.saw(sawIt('i'));
  assert.equal(join.relayed(body('first')), true);
  assert.equal(join.relayed(body('second, before onCompleted')), false);
  join.complete(item('i'), { relay: true });
  assert.equal(join.relayed(body('third, after onCompleted')), false);
  join.saw(sawIt('j'));
  join.complete(item('j'), { relay: true });
  assert.equal(join.relayed(body('only')), true);
  assert.equal(join.relayed(body('again')), false);
  assert.deepEqual(ready.map((r) => r.exchange.body), ['first', 'only']);
  // Two identical requests each take one body, oldest first; a third body finds none.
  join.saw(sawIt('k'));
  join.saw(sawIt('l'));
  join.complete(item('k'), { relay: true });
  join.complete(item('l'), { relay: true });
  assert.equal(join.relayed(body('for k')), true);
  assert.equal(join.relayed(body('for l')), true);
  assert.equal(join.relayed(body('for nobody')), false);
  assert.deepEqual(ready.slice(2).map((r) => [r.requestId, r.exchange.body]), [['k', 'for k'], ['l', 'for l']]);
  // After the wait gave up on a body, a late one is still dropped.
  join.saw(sawIt('m'));
  join.complete(item('m'), { relay: true });
  fire();
  assert.equal(join.relayed(body('too late')), false);
  assert.equal(ready.at(-1).exchange.body, undefined);
});

test('Chromium: only fetch/XHR responses can be claimed, not images, frames or navigations', () => {
  const { join, ready } = joinOnFakeClock();
  for (const type of ['image', 'sub_frame', 'main_frame', 'script', 'other']) {
    join.saw({ ...sawIt(type), type });
    assert.equal(join.relayed(body(`as ${type}`)), false, type);
    join.complete(item(type), { relay: true });
  }
  assert.deepEqual(ready.map((r) => r.exchange.body), [undefined, undefined, undefined, undefined, undefined]);
  assert.equal(join.pending, 0);
});

test('Chromium: a response is claimable only for a short while after webRequest saw it', () => {
  const { join, fire } = joinOnFakeClock();
  join.saw(sawIt('n'));
  assert.equal(join.pending, 1);
  fire(); // SEEN_MS later
  assert.equal(join.pending, 0);
  assert.equal(join.relayed(body('after the window')), false);
});

test('Firefox bodies are marked as read from the network', () => {
  const { join, ready } = joinOnFakeClock();
  join.expect('o', 7);
  join.bodyFor('o', '{}');
  join.complete(item('o'));
  assert.equal(ready[0].exchange.bodySource, 'network');
});

test('bodies are capped', () => {
  const { join, ready } = joinOnFakeClock();
  join.expect('g', 7);
  join.bodyFor('g', 'x'.repeat(BODY_CAP + 10));
  join.complete(item('g'));
  assert.equal(ready[0].exchange.body.length, BODY_CAP);
  assert.deepEqual(capBody('abc', 2), { body: 'ab', truncated: true });
  assert.deepEqual(capBody(undefined), { body: '', truncated: false });
});

test('a request the browser failed after Okta answered carries its error; preflights let through are dropped', () => {
  const p = new PendingExchanges();
  const url = 'https://dev-1.okta.com/api/v1/users/me';
  p.begin({ ...base, url, requestHeaders: [{ name: 'Origin', value: 'http://127.0.0.1:3000' }] });
  p.headers({ ...base, url, statusCode: 200, timeStamp: 3, responseHeaders: [] });
  const item = p.fail({ ...base, url, timeStamp: 4, error: 'net::ERR_FAILED' });
  assert.equal(item.exchange.error, 'net::ERR_FAILED');
  assert.equal(item.exchange.statusCode, 200);
  const acao = [{ name: 'Access-Control-Allow-Origin', value: 'http://localhost:3000' }];
  assert.equal(preflightLetThrough({ statusCode: 204, responseHeaders: acao }), true);
  assert.equal(preflightLetThrough({ statusCode: 200, responseHeaders: [] }), false, 'no CORS header: the core judges it');
  assert.equal(preflightLetThrough({ statusCode: 403, responseHeaders: acao }), false, 'refused');
  assert.equal(preflightLetThrough({ statusCode: 204, responseHeaders: acao, error: 'net::ERR_FAILED' }), false, 'failed by the browser');
});

test('preflights let through are parked apart: however many, they never push out a request in flight, and an error still ends one', () => {
  const p = new PendingExchanges();
  const url = 'https://dev-1.okta.com/api/v1/users/me';
  const acao = [{ name: 'Access-Control-Allow-Origin', value: 'http://localhost:3000' }];
  // A slow request in flight, then more let-through preflights than the pending map holds (Chromium's
  // onCompleted, without 'extraHeaders', never ends them).
  p.begin({ ...base, requestId: 'slow', url, requestHeaders: [{ name: 'Authorization', value: 'Bearer x' }] });
  for (let i = 0; i < MAX_PENDING + 100; i++) {
    const preflight = { ...base, requestId: `p${i}`, method: 'OPTIONS', type: 'other', url: `${url}?i=${i}` };
    p.begin({ ...preflight, requestHeaders: [{ name: 'Origin', value: 'http://localhost:3000' }] });
    p.headers({ ...preflight, statusCode: 204, timeStamp: i, responseHeaders: acao });
  }
  assert.equal(p.size, 1, 'only the request in flight is pending');
  assert.equal(p.preflights.size, MAX_PARKED_PREFLIGHTS, 'the parked preflights are bounded, oldest out');
  p.headers({ ...base, requestId: 'slow', url, statusCode: 429, timeStamp: 9000, responseHeaders: [{ name: 'X-Rate-Limit-Remaining', value: '0' }] });
  const slow = p.finish({ ...base, requestId: 'slow', url, statusCode: 429, timeStamp: 9001 });
  assert.deepEqual(slow.exchange.requestHeaders, [{ name: 'Authorization', value: 'Bearer x' }]);
  assert.deepEqual(slow.exchange.responseHeaders, [{ name: 'X-Rate-Limit-Remaining', value: '0' }]);
  // A parked preflight the browser then fails (its Allow-Origin names another origin) reaches the core.
  const last = `p${MAX_PENDING + 99}`;
  const failed = p.fail({ ...base, requestId: last, method: 'OPTIONS', url: `${url}?i=${MAX_PENDING + 99}`, timeStamp: 9002, error: 'net::ERR_FAILED' });
  assert.equal(failed.exchange.statusCode, 204);
  assert.deepEqual(failed.exchange.responseHeaders, acao);
  assert.equal(failed.exchange.error, 'net::ERR_FAILED');
  assert.equal(preflightLetThrough(failed.exchange), false, 'the core judges it');
  assert.equal(p.preflights.has(last), false, 'forgotten once ended');
  // One that onCompleted does end (a browser that shows it) is finished from the parked entry.
  const other = `p${MAX_PENDING + 98}`;
  const done = p.finish({ ...base, requestId: other, method: 'OPTIONS', url: `${url}?i=${MAX_PENDING + 98}`, statusCode: 204, timeStamp: 9003 });
  assert.deepEqual(done.exchange.responseHeaders, acao);
  assert.equal(p.preflights.has(other), false);
});

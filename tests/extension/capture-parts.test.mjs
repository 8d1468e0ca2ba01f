// The pure parts of live capture, without a browser: exchange.js assembles one exchange from
// webRequest's events (request headers, then status and response headers, then the end of the
// hop; a redirect starts a new hop; a restart mid-request still yields an exchange; the pending
// map is bounded), and body-join.js joins a late body to its exchange (Firefox by requestId,
// Chromium by tab + URL + status, in either order), giving up after its wait, capping sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BODY_CAP, capBody, createBodyJoin } from '../../extension/lib/body-join.js';
import { PendingExchanges, headerList, initiatorOrigin } from '../../extension/lib/exchange.js';

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

test('Chromium: a relayed body by tab + URL + status, before or after onCompleted', () => {
  const { join, ready, fire } = joinOnFakeClock();
  join.complete(item('d'), { relay: true });
  assert.equal(join.relayed({ tabId: 8, url: 'https://dev-1.okta.com/api/v1/users/me', status: 401, body: 'other tab' }), false);
  assert.equal(join.relayed({ tabId: 7, url: 'https://dev-1.okta.com/api/v1/users/me', status: 401, body: 'late' }), true);
  join.relayed({ tabId: 7, url: 'https://dev-1.okta.com/api/v1/groups', status: 403, body: 'early' });
  join.complete(item('e', 'https://dev-1.okta.com/api/v1/groups', 403), { relay: true });
  assert.deepEqual(ready.map((r) => r.exchange.body), ['late', 'early']);
  fire(); // the unclaimed body from tab 8 expires
  assert.equal(join.pending, 0);
  join.complete(item('f'), { relay: true });
  fire();
  assert.equal(ready.at(-1).exchange.body, undefined, 'no body came: analysed without');
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

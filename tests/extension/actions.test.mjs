// lib/actions.js without a browser: the match pattern asked for, and the verify_signature
// behaviour against a fake WebExtension API: the permission is requested synchronously in the
// click (Firefox needs that), nothing is verified unless it is granted, a grant shows the new
// report. Renders nothing: the button and status line are plain objects here.
import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';

const asked = [];
let answer; // what the fake permissions.request resolves to (or a function that throws)
globalThis.browser = {
  permissions: {
    request(permissions) {
      asked.push(permissions);
      if (typeof answer === 'function') return answer();
      return Promise.resolve(answer);
    },
  },
};
const { actionHandler, hostPermissionPattern } = await import('../../extension/lib/actions.js');

const ACTION = { kind: 'verify_signature', label: "Verify with dev-1.okta.com's keys", origin: 'https://dev-1.okta.com/*' };

function ui() {
  const attributes = {};
  return {
    button: { disabled: false, isConnected: true, textContent: ACTION.label, setAttribute: (k, v) => { attributes[k] = v; }, attributes },
    status: { textContent: '' },
  };
}

/** Lets the behaviour's promise chain run to its end. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => {
  asked.length = 0;
});

test('hostPermissionPattern: scheme + host + /*, port dropped (Firefox rejects ports), junk refused', () => {
  const cases = [
    ['https://dev-1.okta.com/*', 'https://dev-1.okta.com/*'],
    ['https://login.example.com/*', 'https://login.example.com/*'],
    ['http://127.0.0.1:45397/*', 'http://127.0.0.1/*'],
    ['http://localhost:8080/*', 'http://localhost/*'],
    ['https://DEV-1.OKTA.COM/*', 'https://dev-1.okta.com/*'],
    ['http://[::1]:3000/*', 'http://[::1]/*'],
    ['https://dev-1.okta.com', 'https://dev-1.okta.com/*'],
    ['https://*.okta.com/*', null],
    ['https://dev-1.okta.com/oauth2/*', null],
    ['https://user:pw@dev-1.okta.com/*', null],
    ['file:///etc/*', null],
    ['javascript:alert(1)', null],
    ['<all_urls>', null],
    ['', null],
    [undefined, null],
    [42, null],
  ];
  for (const [origin, want] of cases) assert.equal(hostPermissionPattern(origin), want, String(origin));
});

test('actionHandler: only known kinds get a behaviour (no prototype keys)', () => {
  assert.equal(typeof actionHandler(ACTION, {}), 'function');
  for (const kind of ['unknown', 'constructor', '__proto__', 'toString', undefined]) {
    assert.equal(actionHandler({ ...ACTION, kind }, {}), null, String(kind));
  }
  assert.equal(actionHandler(null, {}), null);
});

test('verify_signature: refused permission → nothing verified, the status says nothing was sent', async () => {
  answer = false;
  let verified = 0;
  const view = ui();
  actionHandler(ACTION, { verifyOnline: async () => { verified++; }, show: () => assert.fail('shown') })(view);
  // Requested in the click itself, before any await.
  assert.deepEqual(asked, [{ origins: ['https://dev-1.okta.com/*'] }]);
  assert.equal(view.button.disabled, true);
  assert.equal(view.button.attributes['aria-busy'], 'true');
  await settle();
  assert.equal(verified, 0);
  assert.match(view.status.textContent, /nothing was sent/);
  assert.equal(view.button.disabled, false);
  assert.equal(view.button.attributes['aria-busy'], 'false');
});

test('verify_signature: granted → verifies and shows the new report', async () => {
  answer = true;
  const shown = [];
  const report = { summary: 'verified' };
  actionHandler({ ...ACTION, origin: 'http://127.0.0.1:4444/*' }, {
    verifyOnline: async () => report,
    show: (r) => shown.push(r),
  })(ui());
  assert.deepEqual(asked, [{ origins: ['http://127.0.0.1/*'] }]);
  await settle();
  assert.deepEqual(shown, [report]);
});

test('verify_signature: a failing verification or a throwing browser is reported, not thrown', async () => {
  answer = true;
  const view = ui();
  actionHandler(ACTION, { verifyOnline: async () => { throw new Error('wasm trapped'); }, show: () => assert.fail('shown') })(view);
  await settle();
  assert.match(view.status.textContent, /wasm trapped/);

  answer = () => { throw new Error('not in a user gesture'); };
  const second = ui();
  actionHandler(ACTION, { verifyOnline: () => assert.fail('verified'), show: () => assert.fail('shown') })(second);
  assert.match(second.status.textContent, /not in a user gesture/);
  assert.equal(second.button.disabled, false);
});

test('verify_signature: an origin that is not a web origin asks for nothing', () => {
  const view = ui();
  actionHandler({ ...ACTION, origin: '<all_urls>' }, { verifyOnline: () => assert.fail('verified'), show: () => {} })(view);
  assert.deepEqual(asked, []);
  assert.match(view.status.textContent, /not a web origin/);
});

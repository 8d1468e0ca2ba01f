// The Okta panel inside real DevTools, in Chromium: `--auto-open-devtools-for-tabs` opens DevTools
// for the tab even headless, the extension's devtools page adds the panel, and the test shows it
// the way a keyboard user would (Ctrl+] through the panels) over the DevTools window's own
// debugging connection (CDP). The tab then runs the mock Okta session (har-scenario.mjs); the
// panel must list its Okta exchanges from devtools.network — bodies through getContent(), so the
// body-only findings (E0000011, invalid_grant) prove they arrived — and its exports must hold no
// seeded secret. Firefox can't be driven this way (its DevTools API reaches extensions only after
// the Network panel was opened, and geckodriver can't show DevTools panels), so Firefox's panel is
// covered as a page (panel-firefox.spec.mjs). Run after ./build.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openChromium } from './browsers.mjs';
import { leaks, startHarScenario } from './har-scenario.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXT = join(ROOT, 'dist', 'chrome');
const TIMEOUT = 20_000;
// Node 22 has a global WebSocket; Node 20's comes with the test tools (selenium-webdriver's ws).
const WebSocketImpl = globalThis.WebSocket ?? (await import('ws')).default;

/** A minimal CDP client for one target's webSocketDebuggerUrl. */
async function cdp(url) {
  const socket = new WebSocketImpl(url);
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve);
    socket.addEventListener('error', reject);
  });
  let next = 0;
  const pending = new Map();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data));
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, (m) => (m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result)));
      socket.send(JSON.stringify({ id, method, params }));
    });
  return {
    send,
    /** Evaluates an expression in the target (as a user gesture) and returns its value. */
    async value(expression) {
      const r = await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true, userGesture: true });
      if (r.exceptionDetails) throw new Error(`${expression}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
      return r.result.value;
    },
    close: () => socket.close(),
  };
}

async function until(check, what, timeout = TIMEOUT) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Chromium: the Okta panel in DevTools follows the inspected tab (dist/chrome)', { timeout: 180_000 }, () => {
  let scenario;
  let browser;
  let context;
  let panel;
  let targets;
  let page;

  before(async () => {
    scenario = await startHarScenario();
    browser = await openChromium(EXT, {
      name: 'devtools',
      worker: false,
      args: ['--auto-open-devtools-for-tabs', '--remote-debugging-port=0'],
    });
    ({ context } = browser);
    const port = readFileSync(join(browser.userDataDir, 'DevToolsActivePort'), 'utf8').split('\n')[0];
    targets = async () => (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    [page] = context.pages();
    page ??= await context.newPage();
    for (const other of context.pages()) if (other !== page) await other.close();
  });

  after(async () => {
    panel?.close();
    await browser?.close();
    await scenario?.okta.close();
  });

  test('DevTools loads the devtools page, and the "Okta" panel can be shown', async () => {
    const devtoolsPage = await until(async () => {
      const all = await targets();
      const front = all.find((t) => t.type === 'page' && t.url.startsWith('devtools://'));
      return front && all.some((t) => t.parentId === front.id && t.url.endsWith('/devtools/devtools.html')) && front;
    }, 'DevTools with the extension\'s devtools page');
    const front = await cdp(devtoolsPage.webSocketDebuggerUrl);
    // Ctrl+] selects the next panel; the extension's panel page loads when it is shown.
    const panelTarget = await until(async () => {
      for (const type of ['rawKeyDown', 'keyUp']) {
        await front.send('Input.dispatchKeyEvent', { type, modifiers: 2, key: ']', code: 'BracketRight', windowsVirtualKeyCode: 221 });
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
      return (await targets()).find((t) => t.url.endsWith('/devtools/panel.html'));
    }, 'the Okta panel');
    front.close();
    panel = await cdp(panelTarget.webSocketDebuggerUrl);
    await until(() => panel.value("document.body.dataset.ready === 'true'"), 'the panel to load the core');
    assert.equal(await panel.value("document.getElementById('source').textContent"), 'Inspected tab');
    assert.equal(await panel.value("!document.getElementById('empty-live').hidden && !document.getElementById('empty-firefox').hidden"), true);
    assert.equal(await panel.value("document.getElementById('empty-standalone').hidden"), true);
  });

  test('the tab\'s Okta exchanges appear, bodies included, grouped by finding', async () => {
    await page.goto(scenario.pageUrl);
    await page.waitForFunction(() => document.title === 'session done', null, { timeout: TIMEOUT });
    await until(() => panel.value("document.body.dataset.rows === '7'"), 'seven Okta rows');
    const summary = await panel.value("document.querySelector('#summary .summary-text').textContent");
    assert.match(summary, /: 7 to Okta, 4 of them failed/);
    const groups = await panel.value(
      "Object.fromEntries([...document.querySelectorAll('#groups [data-finding-id]')].map((n) => [n.dataset.findingId, Number(n.dataset.count)]))",
    );
    // E0000011 and invalid_grant come only from response bodies: getContent() delivered them.
    for (const id of ['okta_error.E0000011', 'oauth_error.invalid_grant', 'oauth_error.invalid_token', 'rate_limit.exceeded']) {
      assert.equal(groups[id], 1, `${id} in ${JSON.stringify(groups)}`);
    }
    assert.equal(groups['okta_error.E0000047'], undefined, 'folded into rate_limit.exceeded');
    assert.equal(groups['http.request_id'], 7);
    assert.equal(await panel.value("document.querySelectorAll('#buckets svg.trajectory circle.reading').length"), 3);
    const ids = await panel.value("[...document.querySelectorAll('table.requests td.request-id code')].map((c) => c.textContent)");
    assert.deepEqual(ids, [...scenario.ids.users, ...scenario.ids.me, ...scenario.ids.authorize, ...scenario.ids.token, ...scenario.ids.userinfo]);
  });

  test('inside DevTools the exports work and hold no seeded secret', async () => {
    // Keep what the download buttons hand to the browser, to read it back.
    await panel.value(`(() => {
      const create = URL.createObjectURL;
      window.savedInTest = [];
      URL.createObjectURL = (blob) => { window.savedInTest.push(blob); return create(blob); };
    })()`);
    await panel.value("document.getElementById('copy-markdown').click()");
    const status = await until(() => panel.value("document.querySelector('#export-result .export-status')?.textContent"), 'the copy status');
    assert.equal(status, 'Copied the support snippet.', 'the selection fallback copies inside DevTools');
    const snippet = await panel.value("document.querySelector('#export-result .snippet code').textContent");
    assert.match(snippet, /E0000047/);
    assert.deepEqual(leaks(snippet, scenario.secrets), []);
    await panel.value("document.getElementById('download-json').click()");
    await panel.value("document.getElementById('download-har').click()");
    const [json, har] = await panel.value('Promise.all(window.savedInTest.map((b) => b.text()))');
    assert.match(JSON.parse(json).report.summary, /7 to Okta/);
    const entries = JSON.parse(har).log.entries;
    assert.equal(entries.length, 7, 'the sanitised HAR holds the Okta exchanges');
    assert.ok(har.includes(scenario.ids.users[2]));
    for (const [what, text] of Object.entries({ json, har })) assert.deepEqual(leaks(text, scenario.secrets), [], what);
    assert.ok((await panel.value("Number(document.querySelector('#export-result .receipt').dataset.count)")) > 10);
  });
});

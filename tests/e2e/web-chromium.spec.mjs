// The offline page in real Chromium, opened from the file system (file:///…/dist/web/index.html,
// origin null: module scripts and fetch() would be refused, so the page must not need them):
// a signed token pasted (its report and claims strip) then verified with a JWKS file the user
// picks; an Okta error body pasted; a HAR with a broken sign-in dropped (the session, the
// sign-in story, the findings) and its sanitised HAR downloaded, holding none of the fixture's
// secrets. Chromium's proxy is a loopback server that counts requests (http ones by URL, https
// ones by their CONNECT), and the page's network events are recorded: nothing may leave.
// Then the shipped extension (dist/chrome) gets the same inputs in its popup and its panel page:
// the page and the extension must show the same findings, in the same words.
// UPDATE_SCREENSHOTS=1 also writes the store screenshots docs/store/*.png (1280×800, the Chrome
// Web Store's size, which addons.mozilla.org accepts too): the extension's popup and panel, and
// the offline page. Run after ./build.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, openChromium } from './browsers.mjs';
import {
  DROP_SCRIPT,
  ERROR_BODY,
  EXPECT,
  FOREIGN_RESOURCES_SCRIPT,
  PROBE_FETCH_SCRIPT,
  TIMEOUT,
  WEB_INDEX,
  WEB_URL,
  harFixture,
  hostsIn,
  pageHits,
  signedToken,
  startCounter,
} from './web-scenario.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const STORE = join(ROOT, 'docs', 'store');

/** What the offline page showed, to compare with the extension's words for the same inputs. */
const pageWords = {};
const har = harFixture();

describe('offline page in Chromium (file://)', { timeout: 120_000 }, () => {
  let browser;
  let page;
  let counter;
  const requests = [];
  const problems = [];

  before(async () => {
    counter = await startCounter();
    // Every request the page would make goes to the counter.
    browser = await launchChromium({ args: [`--proxy-server=http://127.0.0.1:${counter.port}`] });
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    await page.goto(WEB_URL);
    await page.waitForSelector('body[data-ready="true"]', { timeout: TIMEOUT });
  });

  after(async () => {
    await browser?.close();
    await counter?.close();
  });

  test('the page loads from the file system and shows the core version in its footer', async () => {
    assert.match(await page.textContent('#version'), /^v\d+\.\d+\.\d+/);
    const crate = readFileSync(join(ROOT, 'crate', 'Cargo.toml'), 'utf8').match(/^version = "([^"]+)"/m)[1];
    assert.equal(await page.textContent('#version'), `v${crate}`);
  });

  const now = Math.floor(Date.now() / 1000);
  const { token, jwks, signature } = signedToken(now);

  test('a pasted token: its report and claims strip; a JWKS file the user picks verifies it', async () => {
    await page.fill('#input', token);
    await page.waitForSelector('#report .finding', { timeout: TIMEOUT });
    const ids = await page.$$eval('#report [data-finding-id]', (n) => n.map((x) => x.dataset.findingId));
    for (const id of EXPECT.token) assert.ok(ids.includes(id), `${id} missing from ${ids}`);
    assert.ok(await page.isVisible('#report .claims-strip, #report .claims'), 'no claims strip');
    assert.equal((await page.textContent('#report')).includes(signature), false, 'the signature is on screen');
    await page.setInputFiles('#jwks-file', { name: 'jwks.json', mimeType: 'application/json', buffer: Buffer.from(jwks) });
    await page.waitForSelector(`#report [data-finding-id="${EXPECT.verified}"]`, { timeout: TIMEOUT });
    assert.match(await page.textContent('#jwks-status'), /jwks\.json/);
    if (process.env.UPDATE_SCREENSHOTS) {
      mkdirSync(STORE, { recursive: true });
      await page.screenshot({ path: join(STORE, '3-offline-page-token.png') });
    }
  });

  test('a pasted Okta error body is explained', async () => {
    await page.fill('#input', ERROR_BODY);
    await page.waitForSelector(`#report [data-finding-id="${EXPECT.error}"]`, { timeout: TIMEOUT });
    const title = await page.textContent(`#report [data-finding-id="${EXPECT.error}"]`);
    assert.match(title, /token/i);
    pageWords.error = await page.textContent('#report');
  });

  test('a dropped HAR: the session, the sign-in story and the broken step', async () => {
    await page.evaluate(`(() => { const arguments = ${JSON.stringify([har.name, har.text])}; ${DROP_SCRIPT} })()`);
    await page.waitForSelector(`body[data-loaded="${har.name}"]`, { timeout: TIMEOUT });
    assert.match(await page.textContent('#summary'), /HAR with 2 requests/);
    assert.equal(await page.isVisible('#flows-pane'), true, 'no sign-in story');
    assert.match(await page.textContent('#flows'), /\S/);
    const groups = await page.$$eval('#groups [data-finding-id]', (n) => n.map((x) => x.dataset.findingId));
    assert.ok(groups.includes(har.flowFinding), `${har.flowFinding} missing from ${groups}`);
    pageWords.story = await page.textContent('#flows');
    pageWords.groups = await page.textContent('#groups');
    if (process.env.UPDATE_SCREENSHOTS) {
      await page.evaluate(() => document.getElementById('har-panel').scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(STORE, '4-offline-page-har.png') });
    }
  });

  test('the sanitised HAR download holds none of the fixture secrets', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.click('#download-har')]);
    assert.equal(download.suggestedFilename(), 'flow-har-state-mismatch.sanitised.har');
    const text = readFileSync(await download.path(), 'utf8');
    assert.ok(JSON.parse(text).log.entries.length > 0);
    for (const secret of har.secrets) assert.equal(text.includes(secret), false, `${secret} left in the export`);
    assert.match(await page.textContent('#export-result'), /Saved flow-har-state-mismatch\.sanitised\.har/);
  });

  test("the page's CSP refuses a fetch (the probe reaches no server)", async () => {
    const answer = await page.evaluate(`(() => { const arguments = ['https://dev-123456.okta.com/probe']; ${PROBE_FETCH_SCRIPT} })()`);
    assert.equal(answer, 'refused');
    problems.splice(0, problems.length, ...problems.filter((p) => !p.includes('Content Security Policy')));
  });

  test('no request left the page; nothing logged an error', async () => {
    const base = WEB_URL.replace(/[^/]*$/, '');
    const foreign = requests.filter((u) => !u.startsWith(base) && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert.deepEqual(foreign, [], 'the page requested something besides its own files');
    assert.ok(requests.includes(`${base}core.js`), 'the request log saw nothing (it must see the page files)');
    assert.deepEqual(await page.evaluate(`(() => { ${FOREIGN_RESOURCES_SCRIPT} })()`), []);
    const hosts = hostsIn(token.split('.').slice(0, 2).map((p) => Buffer.from(p, 'base64url').toString()).join(''), har.text, ERROR_BODY);
    assert.ok(hosts.has('dev-123456.okta.com'), [...hosts].join(', '));
    assert.deepEqual(pageHits(counter.hits, hosts), [], 'the loopback server was reached');
    assert.deepEqual(problems, []);
    assert.ok(WEB_INDEX.endsWith('index.html'));
  });
});

describe('the extension shows the same findings in the same words (dist/chrome)', { timeout: 120_000 }, () => {
  const EXT = join(ROOT, 'dist', 'chrome');
  let browser;
  let context;
  let extensionId;

  before(async () => {
    browser = await openChromium(EXT, { name: 'web-store', viewport: { width: 1280, height: 800 } });
    ({ context, extensionId } = browser);
  });

  after(async () => {
    await browser?.close();
  });

  test("the popup's report on the error body = the page's", async () => {
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup/popup.html`);
    await popup.fill('#input', ERROR_BODY);
    await popup.waitForSelector(`#report [data-finding-id="${EXPECT.error}"]`, { timeout: TIMEOUT });
    assert.ok(pageWords.error, 'the page test did not run');
    assert.equal(await popup.textContent('#report'), pageWords.error);
    if (process.env.UPDATE_SCREENSHOTS) {
      // The popup is 440 px wide: centred on the store's 1280×800 canvas, a signed token pasted.
      await popup.addStyleTag({ content: 'html { background: #eef1f6; } body { margin: 16px auto; box-shadow: 0 2px 12px #0003; }' });
      await popup.fill('#input', signedToken().token);
      await popup.waitForSelector('#report [data-finding-id="jwt.okta_access_token"]', { timeout: TIMEOUT });
      await popup.screenshot({ path: join(STORE, '1-popup-token.png') });
    }
    await popup.close();
  });

  test("the panel's sign-in story and findings for the HAR = the page's", async () => {
    const panel = await context.newPage();
    await panel.goto(`chrome-extension://${extensionId}/devtools/panel.html`);
    await panel.waitForSelector('body[data-ready="true"]', { timeout: TIMEOUT });
    await panel.setInputFiles('#har-file', { name: har.name, mimeType: 'application/json', buffer: Buffer.from(har.text) });
    await panel.waitForSelector(`body[data-loaded="${har.name}"]`, { timeout: TIMEOUT });
    assert.ok(pageWords.story, 'the page test did not run');
    assert.equal(await panel.textContent('#flows'), pageWords.story);
    assert.equal(await panel.textContent('#groups'), pageWords.groups);
    if (process.env.UPDATE_SCREENSHOTS) await panel.screenshot({ path: join(STORE, '2-panel-har.png') });
    await panel.close();
  });
});

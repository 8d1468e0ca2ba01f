// Chromium E2E for token intelligence in the popup: a signed Okta access token from the loopback
// mock Okta (tests/mock-okta) is pasted, and a person sees the claims table with the core's
// notes and the iat → now → exp timeline, while the mock receives nothing; then the verify
// button (optional host permission, then discovery + JWKS + WebCrypto) shows a valid signature,
// a tampered token's mismatch and an unknown kid. Runs dist/chrome-test (the loopback host
// permission pre-granted, so permissions.request resolves without the prompt headless Chromium
// cannot answer) and, for the no-consent path, the shipped dist/chrome.
// UPDATE_SCREENSHOTS=1 also writes docs/popup-token.png for the README. Run after ./build.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openChromium } from './browsers.mjs';
import { SIGNATURE, leakedToken, loadCore, startScenario } from './okta-scenario.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCREENSHOT = join(ROOT, 'docs', 'popup-token.png');
const TIMEOUT = 15_000;
const QUIET_MS = 1_000; // how long "nothing was requested" is watched for

/** Launches Chromium with one unpacked extension and opens its popup page in a tab. */
async function openPopup(extensionDir, problems) {
  const started = performance.now();
  const requests = [];
  const browser = await openChromium(extensionDir, {
    locale: 'en-US',
    timezoneId: 'Europe/Paris', // local time differs from UTC, as for most users
    viewport: { width: 460, height: 900 }, // the popup's 440 px plus a scrollbar
    args: ['--ignore-certificate-errors'], // the mock issuer's throwaway certificate
    listen(context) {
      context.on('request', (request) => requests.push(request.url()));
      context.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
      });
    },
  });
  const { context, extensionId } = browser;
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`popup page error: ${err.message}`));
  await page.goto(`chrome-extension://${extensionId}/popup/popup.html`);
  await page.waitForFunction(() => /^v\d/.test(document.getElementById('version').textContent), null, { timeout: TIMEOUT });
  console.log(`chromium + ${extensionDir.split('/').pop()} ready in ${Math.round(performance.now() - started)} ms`);
  return {
    context,
    page,
    extensionId,
    requests,
    close: browser.close,
  };
}

/** What a paste does to the textarea: the value changes, then an insertFromPaste input event. */
async function paste(page, text) {
  await page.locator('#input').evaluate((el, value) => {
    el.focus();
    el.value = value;
    el.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
  }, text);
}

const finding = (page, id) => page.locator(`[data-finding-id="${id}"]`);
const verifyButton = (page) => finding(page, SIGNATURE.notChecked).locator('.action-row button.action');

describe('Chromium: token intelligence and signature verification (dist/chrome-test)', { timeout: 120_000 }, () => {
  let scenario;
  let browser;
  let page;
  let core;
  const problems = [];

  before(async () => {
    const ext = join(ROOT, 'dist', 'chrome-test');
    scenario = await startScenario();
    core = await loadCore(ext);
    browser = await openPopup(ext, problems);
    page = browser.page;
  });

  after(async () => {
    await browser?.close();
    await scenario?.okta.close();
  });

  test('a pasted Okta access token shows every claim with the core’s note, local times and the timeline; nothing is sent', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { valid } = await scenario.tokens(now);
    const report = core.analyzeText(valid, now);
    const expected = report.token;
    await paste(page, valid);
    await finding(page, SIGNATURE.notChecked).waitFor({ timeout: TIMEOUT });

    // Every header parameter and claim has a row; its note is the core's, word for word.
    for (const [part, names] of [['header', Object.keys(expected.header)], ['claims', Object.keys(expected.claims)]]) {
      for (const name of names) {
        const row = page.locator(`.claims tbody[data-part="${part}"] tr[data-claim="${name}"]`);
        assert.equal(await row.count(), 1, `${part} ${name} has one row`);
        const note = expected.notes[part][name];
        if (note) assert.equal(await row.locator('.note').innerText(), note, `${part} ${name} note`);
      }
    }
    const scp = page.locator('tr[data-claim="scp"]');
    assert.deepEqual(await scp.locator('.chips li').allInnerTexts(), ['openid', 'profile', 'email']);
    assert.match(await scp.locator('.note').innerText(), /scope/i);
    assert.match(await page.locator('tr[data-claim="cid"] .note').innerText(), /client id/i);

    // exp: local time (Europe/Paris here) next to the ISO UTC value, and a relative label.
    const exp = page.locator('tr[data-claim="exp"]');
    const local = await exp.locator('time').innerText();
    assert.equal(await exp.locator('time').getAttribute('datetime'), expected.times.exp.iso);
    const parisTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'long', timeZone: 'Europe/Paris' })
      .format(new Date(expected.times.exp.iso));
    assert.equal(local, parisTime);
    assert.match(await exp.locator('.raw').innerText(), new RegExp(`${now + 3000} · ${expected.times.exp.iso}`));
    assert.match(await exp.locator('.relative').innerText(), /^in (49|50) minutes$/);

    // The timeline: issued 10 min ago, expires in 50 min, so now sits at 1/6 of the bar.
    const timeline = page.locator('figure.timeline');
    const fraction = Number(await timeline.getAttribute('data-fraction'));
    assert.ok(Math.abs(fraction - 600 / 3600) < 0.01, `fraction ${fraction}`);
    assert.equal(await timeline.locator('.timeline-start .relative').innerText(), '10 minutes ago');
    assert.match(await timeline.locator('.timeline-end .relative').innerText(), /^in (49|50) minutes$/);
    assert.equal(await timeline.locator('.timeline-now-label').textContent(), 'now');
    const [track, marker] = await Promise.all(['.timeline-track', '.timeline-now'].map((s) => timeline.locator(s).boundingBox()));
    const markerAt = (marker.x + marker.width / 2 - track.x) / track.width;
    assert.ok(Math.abs(markerAt - 600 / 3600) < 0.03, `marker at ${markerAt} of the track`);

    // The verify button carries the core's label; nothing has been requested from the issuer.
    const { action } = report.findings.find((f) => f.id === SIGNATURE.notChecked);
    assert.equal(await verifyButton(page).innerText(), action.label);
    await page.waitForTimeout(QUIET_MS);
    assert.deepEqual(scenario.okta.requests, []);
    assert.deepEqual(browser.requests.filter((url) => !url.startsWith(`chrome-extension://${browser.extensionId}/`)), []);
  });

  test('verify: the issuer’s keys confirm the signature ("Signature valid"), with exactly discovery + JWKS', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { valid } = await scenario.tokens(now);
    await paste(page, valid);
    await verifyButton(page).click();
    const title = finding(page, SIGNATURE.valid.id).locator('h3 .title');
    await title.waitFor({ timeout: TIMEOUT });
    assert.equal(await title.innerText(), SIGNATURE.valid.title);
    assert.equal(await finding(page, SIGNATURE.notChecked).count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.findingId), SIGNATURE.valid.id);

    const paths = scenario.okta.requests.map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(paths, ['GET /oauth2/default/.well-known/openid-configuration', 'GET /oauth2/default/v1/keys']);
    for (const r of scenario.okta.requests) {
      assert.equal(r.headers.authorization, undefined);
      assert.equal(r.headers.cookie, undefined);
    }
    assert.deepEqual(leakedToken(scenario.okta.requests, valid), []);

    if (process.env.UPDATE_SCREENSHOTS === '1') {
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await page.evaluate(() => document.activeElement?.blur()); // no focus ring in the picture
      await page.locator('body').screenshot({ path: SCREENSHOT });
      console.log(`wrote ${SCREENSHOT}`);
    }
  });

  test('verify: a tampered token shows "Signature does not match"; the JWKS comes from the cache', async () => {
    scenario.okta.requests.length = 0;
    const { tampered } = await scenario.tokens();
    await paste(page, tampered);
    await verifyButton(page).click();
    const title = finding(page, SIGNATURE.invalid.id).locator('h3 .title');
    await title.waitFor({ timeout: TIMEOUT });
    assert.equal(await title.innerText(), SIGNATURE.invalid.title);
    assert.match(await finding(page, SIGNATURE.invalid.id).getAttribute('class'), /\bsev-error\b/);
    // /v1/keys said max-age=3832304: only the discovery document is fetched again.
    assert.deepEqual(scenario.okta.requests.map((r) => r.path), ['/oauth2/default/.well-known/openid-configuration']);
  });

  test('verify: a token signed with a key the issuer does not publish shows the key-not-found finding', async () => {
    const { unknownKid } = await scenario.tokens();
    await paste(page, unknownKid);
    await verifyButton(page).click();
    const node = finding(page, SIGNATURE.keyNotFound.id);
    await node.waitFor({ timeout: TIMEOUT });
    assert.ok((await node.locator('h3 .title').innerText()).includes(scenario.unpublishedKid));
    assert.match(await node.getAttribute('class'), /\bsev-error\b/);
  });

  test('nothing logged an error (CSP, wasm, uncaught exceptions)', () => {
    assert.deepEqual(problems, []);
  });
});

describe('Chromium: the shipped build asks before it sends anything (dist/chrome)', { timeout: 60_000 }, () => {
  let scenario;
  let browser;
  const problems = [];

  before(async () => {
    scenario = await startScenario();
    browser = await openPopup(join(ROOT, 'dist', 'chrome'), problems);
  });

  after(async () => {
    await browser?.close();
    await scenario?.okta.close();
  });

  test('clicking verify without the permission waits for the browser’s prompt and requests nothing', async () => {
    const { page } = browser;
    const { valid } = await scenario.tokens();
    await paste(page, valid);
    const button = verifyButton(page);
    await button.click();
    // Headless Chromium shows the permission prompt to nobody: the request stays pending.
    await page.locator('.action-row button.action[aria-busy="true"]').waitFor({ timeout: TIMEOUT });
    assert.equal(await page.evaluate(() => chrome.permissions.contains({ origins: ['https://127.0.0.1/*'] })), false);
    await page.waitForTimeout(QUIET_MS);
    // Still waiting for the answer (a refused or failed request would have ended the wait).
    assert.equal(await button.getAttribute('aria-busy'), 'true');
    assert.match(await page.locator('.action-row .action-status').innerText(), /^Waiting for your answer/);
    assert.deepEqual(scenario.okta.requests, []);
    assert.deepEqual(browser.requests.filter((url) => !url.startsWith(`chrome-extension://${browser.extensionId}/`)), []);
    assert.equal(await finding(page, SIGNATURE.notChecked).count(), 1);
    assert.deepEqual(problems, []);
  });
});

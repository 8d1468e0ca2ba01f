// Firefox E2E for token intelligence in the popup (the Chromium twin is verify-chromium.spec.mjs):
// a signed Okta access token from the loopback mock Okta is pasted into the popup of
// dist/firefox-test (loaded as a temporary add-on by selenium + geckodriver), the claims table
// shows the core's notes and the timeline while the mock receives nothing, and the verify button
// shows a valid signature, a tampered token's mismatch and an unknown kid. The test build holds
// host access to https://127.0.0.1/*, so permissions.request resolves granted without a prompt;
// the shipped dist/firefox is then checked to send nothing when the prompt is not answered.
// Run after ./build.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import webdriver from 'selenium-webdriver';
import { launchFirefox } from './firefox-session.mjs';
import { SIGNATURE, leakedToken, loadCore, startScenario } from './okta-scenario.mjs';

const { By, until } = webdriver;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Fixes the moz-extension:// host, which Firefox otherwise picks at random per profile.
const UUID = '0c5e2f7a-3d41-4b8e-9a6c-5f1e2d3c4b02';
const TIMEOUT = 15_000;
const QUIET_MS = 1_000; // how long "nothing was requested" is watched for

/** Starts headless Firefox with one unpacked extension as a temporary add-on, on its popup page. */
async function openPopup(extensionDir) {
  const started = performance.now();
  const ff = await launchFirefox(extensionDir, { uuid: UUID, insecureCerts: true }); // the mock issuer's certificate
  const { driver } = ff;
  await driver.get(`moz-extension://${UUID}/popup/popup.html`);
  const ready = await driver.wait(
    () => driver.executeScript(`const e = document.querySelector('.load-error');
      return e ? 'error: ' + e.textContent : /^v\\d/.test(document.getElementById('version').textContent) ? 'ready' : null;`),
    TIMEOUT,
  );
  if (ready !== 'ready') throw new Error(`popup: ${ready}`);
  console.log(`firefox + ${extensionDir.split('/').pop()} ready in ${Math.round(performance.now() - started)} ms`);
  return {
    driver,
    /** Uncaught errors of our pages and console.error output (firefox-session.mjs). */
    async problems() {
      await driver.sleep(200); // let Firefox flush its console output to the log
      return ff.problems();
    },
    close: () => ff.close(),
  };
}

/** What a paste does to the textarea: the value changes, then an insertFromPaste input event. */
async function paste(driver, text) {
  await driver.executeScript(
    `const el = document.getElementById('input');
     el.focus();
     el.value = arguments[0];
     el.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));`,
    text,
  );
}

async function visible(driver, css) {
  const node = await driver.wait(until.elementLocated(By.css(css)), TIMEOUT);
  await driver.wait(until.elementIsVisible(node), TIMEOUT);
  return node;
}

const VERIFY = `[data-finding-id="${SIGNATURE.notChecked}"] .action-row button.action`;

/** Pastes `token`, clicks verify (a real WebDriver click: a user gesture) and waits for `id`. */
async function verify(driver, token, id) {
  await paste(driver, token);
  await (await visible(driver, VERIFY)).click();
  return visible(driver, `[data-finding-id="${id}"]`);
}

describe('Firefox: token intelligence and signature verification (dist/firefox-test)', { timeout: 120_000 }, () => {
  let scenario;
  let browser;
  let driver;
  let core;

  before(async () => {
    const ext = join(ROOT, 'dist', 'firefox-test');
    scenario = await startScenario();
    core = await loadCore(ext);
    browser = await openPopup(ext);
    driver = browser.driver;
  });

  after(async () => {
    await browser?.close();
    await scenario?.okta.close();
  });

  test('a pasted Okta access token shows every claim with the core’s note and the timeline; nothing is sent', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { valid } = await scenario.tokens(now);
    const report = core.analyzeText(valid, now);
    await paste(driver, valid);
    await visible(driver, `[data-finding-id="${SIGNATURE.notChecked}"]`);

    const rows = await driver.executeScript(`
      return [...document.querySelectorAll('.claims tbody')].flatMap((body) =>
        [...body.querySelectorAll('tr[data-claim]')].map((tr) => [body.dataset.part, tr.dataset.claim,
          tr.querySelector('.note')?.textContent ?? null]));`);
    const want = ['header', 'claims'].flatMap((part) =>
      Object.keys(report.token[part]).map((name) => [part, name, report.token.notes[part][name] ?? null]),
    );
    assert.deepEqual(rows, want);
    assert.match(want.find(([, name]) => name === 'scp')[2], /scope/i);
    assert.match(want.find(([, name]) => name === 'cid')[2], /client id/i);

    const exp = await driver.executeScript(`const row = document.querySelector('tr[data-claim="exp"]');
      return { datetime: row.querySelector('time').dateTime, raw: row.querySelector('.raw').textContent };`);
    assert.equal(exp.datetime, report.token.times.exp.iso);
    assert.equal(exp.raw, `${now + 3000} · ${report.token.times.exp.iso}`);

    const timeline = await driver.executeScript(`const t = document.querySelector('figure.timeline');
      return { fraction: Number(t.dataset.fraction), start: t.querySelector('.timeline-start .relative').textContent,
        end: t.querySelector('.timeline-end .relative').textContent, now: t.querySelector('.timeline-now-label').textContent };`);
    assert.ok(Math.abs(timeline.fraction - 600 / 3600) < 0.01, `fraction ${timeline.fraction}`);
    assert.equal(timeline.start, '10 minutes ago');
    assert.match(timeline.end, /^in (49|50) minutes$/);
    assert.equal(timeline.now, 'now');

    const label = report.findings.find((f) => f.id === SIGNATURE.notChecked).action.label;
    assert.equal(await (await visible(driver, VERIFY)).getText(), label);
    await driver.sleep(QUIET_MS);
    assert.deepEqual(scenario.okta.requests, []);
  });

  test('verify: the issuer’s keys confirm the signature ("Signature valid"), with exactly discovery + JWKS', async () => {
    const { valid } = await scenario.tokens();
    const node = await verify(driver, valid, SIGNATURE.valid.id);
    assert.equal(await node.findElement(By.css('h3 .title')).getText(), SIGNATURE.valid.title);
    assert.deepEqual(await driver.findElements(By.css(`[data-finding-id="${SIGNATURE.notChecked}"]`)), []);
    const paths = scenario.okta.requests.map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(paths, ['GET /oauth2/default/.well-known/openid-configuration', 'GET /oauth2/default/v1/keys']);
    for (const r of scenario.okta.requests) {
      assert.equal(r.headers.authorization, undefined);
      assert.equal(r.headers.cookie, undefined);
    }
    assert.deepEqual(leakedToken(scenario.okta.requests, valid), []);
  });

  test('verify: a tampered token shows "Signature does not match"; the JWKS comes from the cache', async () => {
    scenario.okta.requests.length = 0;
    const { tampered } = await scenario.tokens();
    const node = await verify(driver, tampered, SIGNATURE.invalid.id);
    assert.equal(await node.findElement(By.css('h3 .title')).getText(), SIGNATURE.invalid.title);
    assert.deepEqual(scenario.okta.requests.map((r) => r.path), ['/oauth2/default/.well-known/openid-configuration']);
  });

  test('verify: a token signed with a key the issuer does not publish shows the key-not-found finding', async () => {
    const { unknownKid } = await scenario.tokens();
    const node = await verify(driver, unknownKid, SIGNATURE.keyNotFound.id);
    assert.ok((await node.findElement(By.css('h3 .title')).getText()).includes(scenario.unpublishedKid));
  });

  test('nothing logged an error (CSP, wasm, uncaught exceptions)', async () => {
    assert.deepEqual(await driver.findElements(By.css('.load-error')), []);
    assert.deepEqual(await browser.problems(), []);
  });
});

describe('Firefox: the shipped build asks before it sends anything (dist/firefox)', { timeout: 60_000 }, () => {
  let scenario;
  let browser;

  before(async () => {
    scenario = await startScenario();
    browser = await openPopup(join(ROOT, 'dist', 'firefox'));
  });

  after(async () => {
    await browser?.close();
    await scenario?.okta.close();
  });

  test('clicking verify without the permission waits for the browser’s prompt and requests nothing', async () => {
    const { driver } = browser;
    const { valid } = await scenario.tokens();
    await paste(driver, valid);
    await (await visible(driver, VERIFY)).click();
    await visible(driver, '.action-row button.action[aria-busy="true"]');
    const granted = await driver.executeAsyncScript(
      `browser.permissions.contains({ origins: ['https://127.0.0.1/*'] }).then(arguments[0]);`,
    );
    assert.equal(granted, false);
    await driver.sleep(QUIET_MS);
    // Still waiting for the answer (a refused or failed request would have ended the wait).
    const state = await driver.executeScript(`return [document.querySelector('.action-row button.action').getAttribute('aria-busy'),
      document.querySelector('.action-row .action-status').textContent];`);
    assert.equal(state[0], 'true');
    assert.match(state[1], /^Waiting for your answer/);
    assert.deepEqual(scenario.okta.requests, []);
    assert.deepEqual(await browser.problems(), []);
  });
});

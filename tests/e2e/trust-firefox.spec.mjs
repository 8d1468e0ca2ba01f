// Firefox E2E for issue 13's "a page can't speak for Okta" and "verification fetches" (the
// Chromium twin is trust-chromium.spec.mjs; the scenario is trust-scenario.mjs), with
// dist/firefox-test (localhost and the loopback issuer granted to the temporary add-on).
//
// Firefox reads error bodies from the network (webRequest.filterResponseData); no page script is
// registered, so whatever the page posts is ignored: the hostile page forges bodies around its
// real request, and only the real body is stored, marked as read from the network (no "reported
// by the page" mark); the page heard nothing from the extension and finds no trace of it. An
// extension page may not hand in a body. Verification: discovery or /keys redirecting to a second
// host, or a jwks_uri naming it, gets the check refused with the reason on screen and the second
// host receives no request (its log); the issuer's session cookie is never sent. Run after ./build.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import webdriver from 'selenium-webdriver';
import { SESSION_COOKIE } from '../mock-okta/scenarios.mjs';
import { launchFirefox } from './firefox-session.mjs';
import { firefoxNetworkPrefs } from './live-scenario.mjs';
import { SIGNATURE } from './okta-scenario.mjs';
import { FORGED, FORGED_CODE, ISSUER_TRAPS, PAGE_NOTE, assertNoCredentials, forgeAroundRealRequest, probeForExtension, startTrustScenario } from './trust-scenario.mjs';

const { By, until } = webdriver;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXT = join(ROOT, 'dist', 'firefox-test');
const UUID = '3f2a9c1e-7b4d-4e5f-8a6b-0c1d2e3f4a13';
const TIMEOUT = 15_000;
const E0000011 = 'okta_error.E0000011';

describe('Firefox: what the page says is ignored; verification fetches (dist/firefox-test)', { timeout: 240_000 }, () => {
  let scenario;
  let ff;
  let driver;
  let pageHandle;
  let extHandle;
  let hostileTabId;

  /** Runs `fn` (a function's source, called with `arg`) in the window `handle`, awaiting it. */
  async function run(handle, fn, arg) {
    await driver.switchTo().window(handle);
    return ff.runAsync(`return await (${fn})(args[0]);`, arg);
  }
  const inExtension = (fn, arg) => run(extHandle, fn, arg);
  const tabState = () => inExtension(async (id) => (await browser.storage.session.get(`tab:${id}`))[`tab:${id}`] ?? null, hostileTabId);

  before(async () => {
    scenario = await startTrustScenario();
    ff = await launchFirefox(EXT, {
      uuid: UUID,
      name: 'firefox-trust',
      insecureCerts: true, // the live mock's and the issuer's throwaway certificates
      prefs: firefoxNetworkPrefs(scenario.live.okta.port),
    });
    ({ driver } = ff);
    pageHandle = await driver.getWindowHandle();
    await driver.get(scenario.hostile.url);
    await driver.wait(() => driver.executeScript("return document.body.dataset.ready === 'true'"), TIMEOUT);
    extHandle = await ff.openExtensionTab();
    hostileTabId = await inExtension(async (url) => (await browser.tabs.query({})).find((t) => t.url === url)?.id, scenario.hostile.url);
    assert.ok(Number.isInteger(hostileTabId), 'the hostile page has a tab');
  });

  after(async () => {
    await ff?.close();
    await scenario?.close();
  });

  test('page messages are ignored: only the network\'s body is stored, not marked as the page\'s', async () => {
    const status = await run(pageHandle, forgeAroundRealRequest, { okta: scenario.hostile.okta, marker: FORGED, code: FORGED_CODE });
    assert.equal(status, 401);
    assert.deepEqual(scenario.live.okta.requests.filter((r) => r.method !== 'OPTIONS').map((r) => r.path), ['/api/v1/users/me']);
    const deadline = Date.now() + TIMEOUT;
    let state = await tabState();
    while (!state?.digest?.groups?.some((g) => g.id === E0000011) && Date.now() < deadline) {
      await driver.sleep(150);
      state = await tabState();
    }
    await driver.sleep(2_000); // past the body wait
    state = await tabState();
    const group = state?.digest?.groups?.find((g) => g.id === E0000011);
    assert.ok(group, `the real body was read: groups ${JSON.stringify(state?.digest?.groups?.map((g) => g.id))}`);
    assert.equal(group.count, 1);
    assert.equal(state.digest.exchanges, 1);
    assert.equal(group.finding.reportedBy, undefined, 'read from the network, not reported by the page');
    assert.equal(group.finding.evidence.some((e) => PAGE_NOTE.test(e.value)), false);
    const stored = JSON.stringify(await inExtension(async () => ({ session: await browser.storage.session.get(null), local: await browser.storage.local.get(null) })));
    assert.equal(stored.includes(FORGED), false, 'a forgery reached storage');
    assert.equal(stored.includes(`okta_error.${FORGED_CODE}`), false);
    assert.ok(stored.includes('oaeY-4G_TBUTBSZAn9n7oZCfw'), 'the real errorId is kept');

    await driver.switchTo().window(extHandle);
    await driver.get(`moz-extension://${UUID}/popup/popup.html?tab=${hostileTabId}`);
    await driver.wait(() => driver.executeScript("return document.body.dataset.liveReady === 'true'"), TIMEOUT);
    const shown = await driver.wait(until.elementLocated(By.css(`[data-group-id="${E0000011}"]`)), TIMEOUT);
    const text = await shown.getAttribute('textContent');
    assert.match(text, /oaeY-4G_TBUTBSZAn9n7oZCfw/);
    assert.doesNotMatch(text, PAGE_NOTE);
    const body = await driver.executeScript('return document.body.textContent');
    assert.equal(body.includes(FORGED), false, 'a forgery is shown');
    await driver.get(`moz-extension://${UUID}/options/options.html`);
  });

  test('the page heard nothing from the extension and finds no trace of it', async () => {
    await driver.switchTo().window(pageHandle);
    const heard = await driver.executeScript('return window.__heard');
    const own = heard.filter((h) => h.data.includes(FORGED) || (h.data === '{"okta-medic":"port"}' && h.ports === 1));
    assert.deepEqual(heard.filter((h) => !own.includes(h)), [], 'messages the page did not send');
    assert.equal(own.length, 2 * (2 * 7 + 1));
    const found = await run(pageHandle, probeForExtension);
    assert.equal(found.oktaSymbol, false);
    assert.deepEqual(found.symbols, found.baselineSymbols);
    assert.deepEqual(found.names, []);
    assert.deepEqual(found.attributes, []);
    assert.deepEqual(found.fetch, { text: found.baseline.fetch, string: found.baseline.fetch, call: found.baseline.fetch, name: found.baseline.name, length: found.baseline.length });
    assert.equal(found.open, found.baseline.open);
    assert.equal(found.send, found.baseline.send);
    assert.equal(found.crossRealm, found.baseline.fetch, 'no hook in Firefox: even another realm sees the native fetch');
    for (const stack of found.stacks) assert.doesNotMatch(stack, /moz-extension:/);
  });

  test('an extension page may not hand in a body; Clear answers it', async () => {
    const replies = await inExtension(async (url) => ({
      body: await browser.runtime.sendMessage({ type: 'capture:body', url, status: 401, method: 'GET', body: '{}' }),
      clear: await browser.runtime.sendMessage({ type: 'tab:clear', tabId: 2000000000 }),
    }), `${scenario.hostile.okta}/api/v1/users/me`);
    assert.deepEqual(replies.body, { ok: false, error: 'not allowed from this sender' });
    assert.deepEqual(replies.clear, { ok: true });
  });

  test('verification: no redirect followed, no foreign jwks_uri fetched, no cookie sent', async () => {
    const { verify, elsewhere } = scenario;
    await driver.switchTo().window(pageHandle);
    await driver.get(`${verify.okta.origin}/session`);
    await driver.get(`${verify.okta.origin}/session`);
    assert.equal(verify.okta.requests.at(-1).headers.cookie, `sid=${SESSION_COOKIE}`, 'the cookie is in the jar');
    verify.okta.requests.length = 0;
    const fromExtension = [];

    await driver.switchTo().window(extHandle);
    await driver.get(`moz-extension://${UUID}/popup/popup.html`);
    await driver.wait(() => driver.executeScript("return /^v\\d/.test(document.getElementById('version').textContent)"), TIMEOUT);
    const check = async (token) => {
      await driver.executeScript(
        `const el = document.getElementById('input');
         el.focus();
         el.value = arguments[0];
         el.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));`,
        token,
      );
      const button = await driver.wait(until.elementLocated(By.css(`[data-finding-id="${SIGNATURE.notChecked}"] .action-row button.action`)), TIMEOUT);
      await button.click(); // a real click: Firefox asks for permissions only from a user gesture
    };

    await check(await verify.tokenFor('default'));
    await driver.wait(until.elementLocated(By.css(`[data-finding-id="${SIGNATURE.valid.id}"]`)), TIMEOUT);
    assert.deepEqual(verify.okta.requests.map((r) => r.path), ['/oauth2/default/.well-known/openid-configuration', '/oauth2/default/v1/keys']);
    fromExtension.push(...verify.okta.requests);
    assertNoCredentials(fromExtension);

    for (const [id, reason, paths] of ISSUER_TRAPS) {
      verify.okta.requests.length = 0;
      await check(await verify.tokenFor(id));
      const refused = await driver.wait(until.elementLocated(By.css(`[data-finding-id="${SIGNATURE.notChecked}"].sev-warning .why`)), TIMEOUT);
      assert.deepEqual(elsewhere.requests.map((r) => r.path), [], `${id}: the second host was contacted`);
      assert.match(await refused.getText(), reason, id);
      assert.equal((await driver.findElements(By.css(`[data-finding-id="${SIGNATURE.valid.id}"]`))).length, 0, `${id}: no valid signature from elsewhere`);
      assert.deepEqual(verify.okta.requests.map((r) => r.path), paths, `${id}: the issuer's requests`);
      fromExtension.push(...verify.okta.requests);
    }
    assert.deepEqual(elsewhere.requests, [], 'the second host was contacted');
    assert.equal(fromExtension.length, 6);
    assertNoCredentials(fromExtension);
  });

  test('nothing logged an error', async () => {
    await driver.sleep(200);
    assert.deepEqual(ff.problems(), []);
  });
});

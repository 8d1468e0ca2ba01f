// Chromium E2E for issue 13's "a page can't speak for Okta" and "verification fetches"
// (trust-scenario.mjs), with dist/chrome-test (localhost granted at install, the user's consent
// for the loopback issuer pre-granted):
//
// - The hostile page sits on a site with error-body capture on (the opt-in registers the MAIN-world
//   hook and the relay). It forges bodies for a request never made, for its real request (racing
//   the real body, after it, twice, with another status or method), over window messages and over
//   a port of its own; it records every message event; it probes for the extension. Then: only
//   the real body is stored (E0000011, marked as reported by the page, the core's sentence in the
//   popup), nothing forged is stored or shown, the page heard nothing from the extension (no host
//   pattern, no port), and found no global, no non-native toString, no extension frame in a stack.
// - A content script (the relay's isolated world, reached through CDP) may hand in a body but may
//   not call the analysers or clear a tab; an extension page may not hand in a body.
// - Verification: an issuer whose discovery or /keys redirects to a second host, or whose jwks_uri
//   names it, gets the check refused with the reason on screen, and the second host receives no
//   request (its log); the issuer's session cookie is never sent (the mock logs Cookie headers).
// Run after ./build.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SESSION_COOKIE } from '../mock-okta/scenarios.mjs';
import { openChromium } from './browsers.mjs';
import { chromiumHostRules } from './live-scenario.mjs';
import { SIGNATURE } from './okta-scenario.mjs';
import { FORGED, FORGED_CODE, ISSUER_TRAPS, PAGE_NOTE, assertNoCredentials, forgeAroundRealRequest, probeForExtension, startTrustScenario } from './trust-scenario.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXT = join(ROOT, 'dist', 'chrome-test');
const TIMEOUT = 15_000;
const E0000011 = 'okta_error.E0000011';
const SITE = 'http://localhost/*';

describe('Chromium: what the page says is the page\'s; verification fetches (dist/chrome-test)', { timeout: 240_000 }, () => {
  let scenario;
  let browser;
  let ext; // the options page: storage, tabs, messages
  let hostile;
  let hostileTabId;
  const problems = [];

  const extOrigin = () => `chrome-extension://${browser.extensionId}/`;
  const tabState = (tabId) =>
    ext.evaluate(async (id) => (await chrome.storage.session.get(`tab:${id}`))[`tab:${id}`] ?? null, tabId);

  before(async () => {
    scenario = await startTrustScenario();
    browser = await openChromium(EXT, {
      name: 'trust',
      problems,
      locale: 'en-US',
      viewport: { width: 900, height: 900 },
      // The Okta names to the live mock; its and the issuer's throwaway certificates accepted.
      args: [chromiumHostRules(scenario.live.okta.port), '--ignore-certificate-errors'],
    });
    const { context } = browser;
    ext = await context.newPage();
    ext.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`extension console: ${msg.text()}`);
    });
    await ext.goto(`${extOrigin()}options/options.html`);
    // The user's opt-in for the site (what the popup's checkbox calls).
    const ids = await ext.evaluate(async (site) => {
      const { setBodyCapture } = await import('/lib/body-capture.js');
      await setBodyCapture(site, true);
      return (await chrome.scripting.getRegisteredContentScripts()).map((s) => s.id).sort();
    }, SITE);
    assert.deepEqual(ids, [`okta-medic-hook ${SITE}`, `okta-medic-relay ${SITE}`]);
    [hostile] = context.pages();
    await hostile.goto(scenario.hostile.url);
    await hostile.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: TIMEOUT });
    hostileTabId = await ext.evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id, scenario.hostile.url);
    assert.ok(Number.isInteger(hostileTabId), 'the hostile page has a tab');
  });

  after(async () => {
    await browser?.close();
    await scenario?.close();
  });

  test('forged bodies are dropped; the real body is kept, marked as reported by the page', async () => {
    await hostile.bringToFront();
    const status = await hostile.evaluate(forgeAroundRealRequest, { okta: scenario.hostile.okta, marker: FORGED, code: FORGED_CODE });
    assert.equal(status, 401);
    assert.deepEqual(
      scenario.live.okta.requests.filter((r) => r.method !== 'OPTIONS').map((r) => r.path),
      ['/api/v1/users/me'],
      'the page made one real request',
    );
    const deadline = Date.now() + TIMEOUT;
    let state = await tabState(hostileTabId);
    while (!state?.digest?.groups?.some((g) => g.id === E0000011) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      state = await tabState(hostileTabId);
    }
    await new Promise((r) => setTimeout(r, 2_000)); // past the body wait: anything late would be in by now
    state = await tabState(hostileTabId);
    const group = state?.digest?.groups?.find((g) => g.id === E0000011);
    assert.ok(group, `the real body was read: groups ${JSON.stringify(state?.digest?.groups?.map((g) => g.id))}`);
    assert.equal(group.count, 1);
    assert.equal(state.digest.exchanges, 1, 'one exchange: the real request');
    assert.equal(group.finding.reportedBy, 'page');
    assert.ok(group.finding.evidence.some((e) => e.source === 'page' && PAGE_NOTE.test(e.value)));
    const stored = JSON.stringify(await ext.evaluate(async () => ({ session: await chrome.storage.session.get(null), local: await chrome.storage.local.get(null) })));
    assert.equal(stored.includes(FORGED), false, 'a forgery reached storage');
    assert.equal(stored.includes(`okta_error.${FORGED_CODE}`), false, 'a forged code reached storage');
    assert.ok(stored.includes('oaeY-4G_TBUTBSZAn9n7oZCfw'), 'the real errorId is kept');

    // What a person sees: the real error, with the core's sentence on who reported it.
    const popup = await browser.context.newPage();
    await popup.goto(`${extOrigin()}popup/popup.html?tab=${hostileTabId}`);
    await popup.waitForFunction(() => document.body.dataset.liveReady === 'true', null, { timeout: TIMEOUT });
    const shown = popup.locator(`[data-group-id="${E0000011}"]`);
    await shown.waitFor({ timeout: TIMEOUT });
    const text = await shown.textContent();
    assert.match(text, PAGE_NOTE);
    assert.match(text, /oaeY-4G_TBUTBSZAn9n7oZCfw/);
    const body = await popup.locator('body').textContent();
    assert.equal(body.includes(FORGED), false, 'a forgery is shown');
    assert.equal(await popup.locator(`[data-group-id="okta_error.${FORGED_CODE}"]`).count(), 0);
    await popup.close();
  });

  test('the page heard nothing from the extension and finds no trace of it', async () => {
    const heard = await hostile.evaluate(() => window.__heard);
    // Its own messages only: 3 forgeries × 7 rounds + its port offer, each heard in both phases.
    const own = heard.filter((h) => h.data.includes(FORGED) || (h.data === '{"okta-medic":"port"}' && h.ports === 1));
    assert.deepEqual(heard.filter((h) => !own.includes(h)), [], 'messages the page did not send');
    assert.equal(own.length, 2 * (2 * 7 + 1));
    const text = JSON.stringify(heard);
    for (const leak of ['okta.com/*', 'oktapreview', 'patterns', 'hosts']) assert.equal(text.includes(leak), false, `the page heard ${leak}`);

    const found = await hostile.evaluate(probeForExtension);
    console.log(`probe: ${JSON.stringify({ crossRealm: found.crossRealm, stacks: found.stacks.map((s) => s.split('\n').length) })}`);
    assert.equal(found.oktaSymbol, false);
    assert.deepEqual(found.symbols, found.baselineSymbols);
    assert.deepEqual(found.names, []);
    assert.deepEqual(found.attributes, []);
    assert.deepEqual(found.fetch, { text: found.baseline.fetch, string: found.baseline.fetch, call: found.baseline.fetch, name: found.baseline.name, length: found.baseline.length });
    assert.equal(found.open, found.baseline.open);
    assert.equal(found.send, found.baseline.send);
    assert.equal(found.toStringItself, found.baseline.toStringItself);
    for (const stack of found.stacks) {
      assert.doesNotMatch(stack, /chrome-extension:|page-hook/, 'an error stack names the extension');
      assert.notEqual(stack, 'no error');
    }
  });

  test('a content script may hand in a body and nothing else; an extension page may not hand in a body', async () => {
    const cdp = await browser.context.newCDPSession(hostile);
    const contexts = [];
    cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
    await cdp.send('Runtime.enable');
    const relayWorld = contexts.find((c) => c.auxData?.type === 'isolated' && /Okta Medic/.test(c.name));
    assert.ok(relayWorld, `the relay's world: ${JSON.stringify(contexts.map((c) => [c.name, c.auxData?.type, c.origin]))}`);
    const send = async (message) => {
      const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
        expression: `chrome.runtime.sendMessage(${JSON.stringify(message)})`,
        contextId: relayWorld.id,
        awaitPromise: true,
        returnByValue: true,
      });
      assert.equal(exceptionDetails, undefined, JSON.stringify(exceptionDetails));
      return result.value;
    };
    const refused = { ok: false, error: 'not allowed from this sender' };
    assert.deepEqual(await send({ type: 'tab:clear', tabId: hostileTabId }), refused);
    const body = { type: 'capture:body', url: `${scenario.hostile.okta}/api/v1/users/me`, status: 401, method: 'GET', body: `{"errorCode":"${FORGED_CODE}","errorSummary":"${FORGED}"}` };
    assert.deepEqual(await send(body), { ok: true, attached: false }, 'answered, but a body for no seen response is dropped');
    await cdp.detach();
    // The extension's own page: Clear yes (here for a tab that does not exist), bodies no.
    const fromPage = await ext.evaluate(async (message) => ({
      body: await chrome.runtime.sendMessage(message),
      clear: await chrome.runtime.sendMessage({ type: 'tab:clear', tabId: 2_000_000_000 }),
    }), body);
    assert.deepEqual(fromPage.body, refused);
    assert.deepEqual(fromPage.clear, { ok: true });
    assert.notEqual(await tabState(hostileTabId), null, 'the tab was not cleared');
  });

  test('verification: no redirect followed, no foreign jwks_uri fetched, no cookie sent', async () => {
    const { verify, elsewhere } = scenario;
    // The browser holds the issuer's session cookie (it sends it on its own navigations).
    const tab = await browser.context.newPage();
    await tab.goto(`${verify.okta.origin}/session`);
    await tab.goto(`${verify.okta.origin}/session`);
    await tab.close();
    assert.equal(verify.okta.requests.at(-1).headers.cookie, `sid=${SESSION_COOKIE}`, 'the cookie is in the jar');
    verify.okta.requests.length = 0;
    const fromExtension = []; // every request the checks made to the issuer

    const popup = await browser.context.newPage();
    await popup.goto(`${extOrigin()}popup/popup.html`);
    await popup.waitForFunction(() => /^v\d/.test(document.getElementById('version').textContent), null, { timeout: TIMEOUT });
    const check = async (token) => {
      await popup.locator('#input').evaluate((el, value) => {
        el.value = '';
        el.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
        el.value = value;
        el.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
      }, token);
      await popup.locator(`[data-finding-id="${SIGNATURE.notChecked}"] .action-row button.action`).click();
    };

    await check(await verify.tokenFor('default'));
    await popup.locator(`[data-finding-id="${SIGNATURE.valid.id}"]`).waitFor({ timeout: TIMEOUT });
    assert.deepEqual(verify.okta.requests.map((r) => r.path), ['/oauth2/default/.well-known/openid-configuration', '/oauth2/default/v1/keys']);
    fromExtension.push(...verify.okta.requests);
    assertNoCredentials(fromExtension);

    for (const [id, reason, paths] of ISSUER_TRAPS) {
      verify.okta.requests.length = 0;
      await check(await verify.tokenFor(id));
      const refused = popup.locator(`[data-finding-id="${SIGNATURE.notChecked}"].sev-warning`);
      await refused.waitFor({ timeout: TIMEOUT });
      assert.deepEqual(elsewhere.requests.map((r) => r.path), [], `${id}: the second host was contacted`);
      assert.match(await refused.locator('.why').innerText(), reason, id);
      assert.equal(await popup.locator(`[data-finding-id="${SIGNATURE.valid.id}"]`).count(), 0, `${id}: no valid signature from elsewhere`);
      assert.deepEqual(verify.okta.requests.map((r) => r.path), paths, `${id}: the issuer's requests`);
      fromExtension.push(...verify.okta.requests);
    }
    assert.deepEqual(elsewhere.requests, [], 'the second host was contacted');
    assert.equal(fromExtension.length, 6);
    assertNoCredentials(fromExtension);
    await popup.close();
  });

  test('nothing logged an error', () => {
    assert.deepEqual(problems, []);
  });
});

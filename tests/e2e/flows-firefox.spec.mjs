// Firefox E2E of the sign-in flows (issue 16): firefox-esr with dist/firefox-test (the app's
// origin granted to the temporary add-on), the sample app's flow buttons against the mock Okta's
// flows, the same steps as flows-chromium.spec.mjs. The probe (names only) runs in the extension's
// options tab — an extension page may listen to webRequest too — and records what Firefox shows:
// the README quotes it. Run after ./build.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import webdriver from 'selenium-webdriver';
import { launchFirefox } from './firefox-session.mjs';
import { BUTTONS, PAGE_PROBE, probeSource, sent } from './flows-scenario.mjs';
import { FINDINGS, firefoxNetworkPrefs, groupIds, startLiveScenario, storageText, tabWaiter } from './live-scenario.mjs';

const { By, until } = webdriver;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXT = join(ROOT, 'dist', 'firefox-test');
const UUID = '7d3c2b1a-5e6f-4a8b-9c0d-1e2f3a4b5c16';
const TIMEOUT = 15_000;

describe('Firefox: the sign-in flows, captured', { timeout: 240_000 }, () => {
  let scenario;
  let ff;
  let driver;
  let appHandle;
  let extHandle;
  let appTabId;

  const inExtension = (body, ...args) => ff.inExtension(body, ...args);
  const probe = () => inExtension(PAGE_PROBE);
  const tabState = (tabId) => inExtension(`return (await browser.storage.session.get('tab:' + args[0]))['tab:' + args[0]] ?? null;`, tabId);
  const waitFor = tabWaiter(tabState, TIMEOUT);
  const finding = (id) => waitFor(appTabId, (st) => groupIds(st).includes(id), id);
  const ready = () => driver.wait(() => driver.executeScript("return document.body.dataset.ready === 'true'"), TIMEOUT);

  async function openApp() {
    await driver.switchTo().window(appHandle);
    await driver.get(scenario.app.origin);
    await ready();
  }

  async function signInWith(button) {
    await openApp();
    await driver.findElement(By.id(button.id)).click();
    await driver.wait(until.urlContains('/callback?'), TIMEOUT);
    await ready();
    const token = await driver.executeScript("return [...document.querySelectorAll('#log [data-call=\"token\"]')].map((li) => li.dataset.status)");
    return { text: await driver.findElement(By.id('result')).getText(), token };
  }

  async function press(button) {
    await driver.switchTo().window(appHandle);
    const selector = `#log [data-call="${button.call}"]`;
    const want = (await driver.findElements(By.css(selector))).length + (button.count ?? 1);
    await driver.findElement(By.id(button.id)).click();
    await driver.wait(async () => (await driver.findElements(By.css(selector))).length >= want, TIMEOUT);
    return driver.executeScript(`return [...document.querySelectorAll('${selector}')].map((li) => li.dataset.status)`);
  }

  before(async () => {
    scenario = await startLiveScenario();
    ff = await launchFirefox(EXT, { uuid: UUID, name: 'firefox-flows', insecureCerts: true, prefs: firefoxNetworkPrefs(scenario.okta.port) });
    ({ driver } = ff);
    appHandle = await driver.getWindowHandle();
    await openApp();
    extHandle = await ff.openExtensionTab();
    assert.equal(await ff.runAsync(`return ${probeSource([])};`), true);
    appTabId = await inExtension(`const own = await browser.tabs.getCurrent();
      return (await browser.tabs.query({})).find((t) => t.id !== own.id)?.id;`);
    assert.ok(Number.isInteger(appTabId));
  });
  after(async () => {
    await ff?.close();
    await scenario?.close();
  });

  test('a sign-in that works: the /token form in the page\'s order, thirdParty on every request, the session cookie once it exists', async () => {
    const { text, token } = await signInWith(BUTTONS.signIn);
    assert.equal(text, 'Signed in.');
    assert.deepEqual(token, ['200']);
    const seen = await probe();
    const body = seen.find((p) => p.ev === 'body' && p.path.endsWith('/v1/token'));
    // Measured: Firefox gives formData's names in the order the page sent them.
    assert.deepEqual(body.fields, ['client_id', 'grant_type', 'code', 'redirect_uri', 'code_verifier']);
    const authorize = sent(seen, '/v1/authorize');
    assert.deepEqual([authorize.type, authorize.thirdParty, authorize.cookies], ['main_frame', false, []]);
    const call = sent(seen, '/v1/token');
    assert.deepEqual([call.documentUrl, call.thirdParty], [scenario.app.origin, true], "the app's call: its page, third-party to Okta");
    const state = await waitFor(appTabId, (st) => (st?.digest?.exchanges ?? 0) >= 3, 'the sign-in');
    const [flow] = state.digest.flows.flows;
    const steps = flow.steps.map((x) => x.step);
    assert.deepEqual([steps[0], steps.includes('sign-in'), steps.at(-1)], ['authorize', true, 'token'], steps.join());
    assert.ok(flow.steps.every((x) => x.ok), 'every step ok');
  });

  test('PKCE mismatch: 400 "PKCE verification failed."; the top-level /authorize now carries idx (no option needed)', async () => {
    const { text, token } = await signInWith(BUTTONS.pkce);
    assert.equal(text, 'Sign-in failed: invalid_grant: PKCE verification failed.');
    assert.deepEqual(token, ['400']);
    assert.deepEqual(sent(await probe(), '/v1/authorize').cookies, ['idx']);
    // Firefox reads the 400's body too: Okta's own words on the card.
    const state = await finding(FINDINGS.pkceMismatch);
    assert.ok(JSON.stringify(state.digest.groups).includes('invalid_grant'));
  });

  test('a code redeemed twice: the second /token gets 400', async () => {
    const { text, token } = await signInWith(BUTTONS.twice);
    assert.equal(text, 'Signed in.');
    assert.deepEqual(token, ['200', '400']);
    await finding(FINDINGS.codeReused);
  });

  test('silent renewal in a hidden iframe: Firefox marks it thirdParty and sends no Okta cookie to it, so Okta says login_required', async () => {
    await openApp();
    assert.deepEqual(await press(BUTTONS.silentRenew), ['login_required']);
    const frame = sent(await probe(), '/v1/authorize', { prompt: 'none' });
    // Measured (esr 153): a sub_frame whose documentUrl is the app, thirdParty true, and no
    // Cookie although the top-level /authorize before it carried idx (Total Cookie Protection
    // keeps a third-party frame's cookies apart from the top-level site's).
    assert.deepEqual([frame.type, frame.documentUrl, frame.thirdParty, frame.cookies], ['sub_frame', scenario.app.origin, true, []]);
    // What the extension shows instead: Okta's answer is in the frame's 200 page, whose body
    // Firefox's filter is not asked to read (only error responses are), so the renewal looks fine.
    // Looked at once the renewal is folded (the listener folds after the page's answer).
    const renewed = (st) => (st?.digest?.flows?.flows ?? []).some((f) => f.steps.some((x) => x.step === 'renew'));
    const quiet = await waitFor(appTabId, renewed, 'the renewal step');
    assert.equal(groupIds(quiet).includes(FINDINGS.silentRenewNoSession), false);
    // With a fragment redirect the answer is in the URL: both findings.
    await openApp();
    assert.deepEqual(await press(BUTTONS.silentRenewFragment), ['login_required']);
    await finding(FINDINGS.silentRenewNoSession);
    await finding(FINDINGS.thirdPartyCookiesBlocked);
  });

  test('an email link finished in a new tab: its callback carries the state another tab sent, flow.state_mismatch there', async () => {
    await openApp();
    await driver.findElement(By.id(BUTTONS.magicLink.id)).click();
    const link = await driver.wait(until.elementLocated(By.id('email-link')), TIMEOUT);
    const before = new Set(await driver.getAllWindowHandles());
    await link.click();
    await driver.wait(async () => (await driver.getAllWindowHandles()).length > before.size, TIMEOUT);
    const mail = (await driver.getAllWindowHandles()).find((h) => !before.has(h));
    await driver.switchTo().window(mail);
    await driver.wait(until.urlContains('/callback?'), TIMEOUT);
    await ready();
    assert.equal(await driver.findElement(By.id('result')).getText(), "Sign-in failed: the callback's state matches no sign-in started in this tab.");
    const redirect = sent(await probe(), '/login/token/redirect');
    assert.notEqual(redirect.tabId, appTabId, 'the sign-in finished in the new tab');
    // The new tab has no /authorize of its own; its callback's state is the one the app's tab
    // sent (the live store's cross-tab table): flow.state_mismatch on the new tab, saying the
    // sign-in began in another tab.
    const mailState = await waitFor(redirect.tabId, (st) => groupIds(st).includes(FINDINGS.stateMismatch), 'the new tab');
    const group = mailState.digest.groups.find((g) => g.id === FINDINGS.stateMismatch);
    assert.equal(group.finding.params.otherTab, true);
    await driver.switchTo().window(mail);
    await driver.close();
  });

  test("after the user clicked on Okta's page (the email link), Firefox lets the frame have idx: the renewal gets a code", async () => {
    await openApp();
    assert.deepEqual(await press(BUTTONS.silentRenew), ['code']);
    // Measured (esr 153): Firefox's storage-access heuristics grant Okta's cookies in the app's
    // context once the user interacted with Okta's page in a flow that went back to the app.
    const frame = sent(await probe(), '/v1/authorize', { prompt: 'none' });
    assert.deepEqual([frame.thirdParty, frame.cookies], [true, ['idx']]);
  });

  test('refresh tokens: two tabs with the same token (inside the grace period both work); the rotated-away one after it gets 400', async () => {
    await openApp();
    const before = new Set(await driver.getAllWindowHandles());
    assert.deepEqual(await press(BUTTONS.refreshTwoTabs), ['200']);
    const second = (await driver.getAllWindowHandles()).find((h) => !before.has(h));
    await driver.switchTo().window(second);
    await driver.wait(until.elementLocated(By.css('#log [data-call="refresh-second-tab"]')), TIMEOUT);
    assert.equal(await driver.findElement(By.css('#log [data-call="refresh-second-tab"]')).getAttribute('data-status'), '200');
    await driver.close();
    const refreshes = (await probe()).filter((p) => p.ev === 'body' && p.path.endsWith('/v1/token') && p.fields.includes('refresh_token'));
    assert.equal(new Set(refreshes.map((p) => p.tabId)).size, 2);
    // The same refresh token from two tabs, the second inside the grace period: named on the tab.
    const inGrace = await finding(FINDINGS.refreshTokenReused);
    console.log(`firefox refresh reuse: ${JSON.stringify(inGrace.digest.groups.find((g) => g.id === FINDINGS.refreshTokenReused).finding?.params ?? {})}`);
    scenario.flows.advance(31);
    await openApp();
    assert.deepEqual(await press(BUTTONS.refreshOld), ['400']);
    await finding(FINDINGS.refreshTokenReused);
  });

  test('a renewal loop: 12 refreshes in a row', async () => {
    assert.equal((await signInWith(BUTTONS.signIn)).text, 'Signed in.');
    await openApp();
    assert.deepEqual(await press(BUTTONS.renewLoop), Array(12).fill('200'));
    await finding(FINDINGS.renewLoop);
  });

  test("the popup tells the sign-in story, the broken step linked to its card", async () => {
    await driver.switchTo().window(extHandle);
    await driver.get(`moz-extension://${UUID}/popup/popup.html?tab=${appTabId}`);
    await driver.wait(() => driver.executeScript("return document.body.dataset.liveReady === 'true'"), TIMEOUT);
    const broken = await driver.wait(until.elementLocated(By.css(`.flow-step.broken[data-finding-id="${FINDINGS.pkceMismatch}"]`)), TIMEOUT);
    assert.match(await broken.getText(), /^Broke here:/);
    await driver.executeScript(`document.querySelector('details[data-group-id="${FINDINGS.pkceMismatch}"]').open = false;`);
    await broken.findElement(By.css('button.flow-see-finding')).click();
    assert.equal(await driver.executeScript(`return document.querySelector('details[data-group-id="${FINDINGS.pkceMismatch}"]').open;`), true);
    await driver.get(`moz-extension://${UUID}/options/options.html`);
  });

  test('no code, verifier, refresh token, state or session cookie value reaches storage', async () => {
    await driver.sleep(600);
    const secrets = scenario.flows.secrets();
    assert.ok(secrets.length >= 20);
    const all = storageText(await inExtension('return [await browser.storage.session.get(null), await browser.storage.local.get(null)];'));
    assert.ok(all.includes('/v1/token'));
    for (const secret of secrets) assert.equal(all.includes(secret), false, `storage holds ${secret.slice(0, 6)}…`);
  });

  test('nothing logged an error', () => {
    assert.deepEqual(ff.problems(), []);
  });
});

// Firefox E2E of SAML sign-ins (issue 17): firefox-esr with dist/firefox-test (the app's origin
// granted to the temporary add-on), the same variants as saml-chromium.spec.mjs, each in a tab of
// its own. The probe (names and lengths only) runs in the extension's options tab and records
// what Firefox shows a listener of the form POST to the app's ACS (the README quotes it). Firefox
// also reads the body of Okta's 403 page. Seeded-secret check: storage, the popup's tab view, its
// JSON export and the DevTools panel's exports of a HAR of the same sign-ins. Run after ./build.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import webdriver from 'selenium-webdriver';
import { launchFirefox } from './firefox-session.mjs';
import { firefoxNetworkPrefs, groupIds, startLiveScenario, storageText, tabWaiter } from './live-scenario.mjs';
import { PAGE_SAML_PROBE, SAML, SAML_PROBE, TIMEOUT, samlHar, samlSignIns, seededSecrets } from './saml-scenario.mjs';

const { By, until } = webdriver;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXT = join(ROOT, 'dist', 'firefox-test');
const UUID = '5a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a17';

describe('Firefox: SAML sign-ins, captured', { timeout: 240_000 }, () => {
  let scenario;
  let ff;
  let driver;
  let extHandle;
  let harDir;
  const tabs = {}; // variant → tabId

  const inExtension = (body, ...args) => ff.inExtension(body, ...args);
  const waitFor = tabWaiter((tabId) =>
    inExtension(`return (await browser.storage.session.get('tab:' + args[0]))['tab:' + args[0]] ?? null;`, tabId),
  );

  /** A new tab on the app's page, the variant's button: its tab id and what the app said. */
  async function run(name, { finish } = {}) {
    const variant = SAML[name];
    await driver.switchTo().newWindow('tab');
    const handle = await driver.getWindowHandle();
    await driver.get(`${scenario.app.origin}/?${name}`);
    await driver.wait(() => driver.executeScript("return document.body.dataset.samlReady === 'true'"), TIMEOUT);
    const tabId = await inExtension(`return (await browser.tabs.query({})).find((t) => t.url === args[0])?.id;`, `${scenario.app.origin}/?${name}`);
    assert.ok(Number.isInteger(tabId), 'the tab id');
    tabs[name] = tabId;
    await driver.switchTo().window(handle);
    await driver.findElement(By.id(variant.id)).click();
    if (finish) await finish();
    else await driver.wait(until.urlMatches(/\/saml\/acs$/), TIMEOUT);
    const result = variant.result ? await driver.findElement(By.id('result')).getText() : null;
    return { tabId, result, handle };
  }

  before(async () => {
    scenario = await startLiveScenario();
    ff = await launchFirefox(EXT, { uuid: UUID, name: 'firefox-saml', insecureCerts: true, downloads: true, prefs: firefoxNetworkPrefs(scenario.okta.port) });
    ({ driver } = ff);
    extHandle = await ff.openExtensionTab('options/options.html', { newTab: false });
    assert.equal(await ff.runAsync(`return ${SAML_PROBE};`), true);
    harDir = mkdtempSync(join(tmpdir(), 'okta-medic-saml-har-'));
  });
  after(async () => {
    await ff?.close();
    await scenario?.close();
    if (harDir) rmSync(harDir, { recursive: true, force: true });
  });

  test("IdP-initiated: Okta's page posts the Response to the ACS; webRequest hands the listener the form, in full", async () => {
    const { tabId, result } = await run('idpInitiated');
    assert.equal(result, SAML.idpInitiated.result);
    const acs = (await inExtension(PAGE_SAML_PROBE)).filter((p) => p.path === '/saml/acs');
    assert.equal(acs.length, 1);
    const [post] = acs;
    // Measured: Firefox gives a top-level form POST navigation's requestBody.formData (names in
    // the form's order), the SAMLResponse value whole.
    assert.deepEqual([post.method, post.type, post.tabId, post.raw], ['POST', 'main_frame', tabId, false]);
    assert.deepEqual(post.fields, ['SAMLResponse', 'RelayState']);
    assert.equal(post.lengths.SAMLResponse, scenario.saml.log.filter((l) => l.what === 'response').at(-1).bytes);
    console.log(`firefox ACS POST: ${JSON.stringify(post)}`);
    await waitFor(tabId, (st) => groupIds(st).includes(SAML.idpInitiated.finding), 'the Response on the tab');
  });

  test('SP-initiated, the working app: the AuthnRequest and the Response on the tab, nothing wrong', async () => {
    const { tabId, result } = await run('signIn');
    assert.equal(result, SAML.signIn.result);
    const state = await waitFor(tabId, (st) => ['saml.request', 'saml.response'].every((id) => groupIds(st).includes(id)), 'request and response');
    assert.equal(groupIds(state).some((id) => /mismatch|expired|unsigned/.test(id)), false, groupIds(state).join());
    const steps = (state.digest.flows?.flows ?? []).flatMap((f) => f.steps);
    assert.deepEqual(steps.map((x) => [x.step, x.status, x.ok]), [['saml-request', 200, true], ['saml-response', 200, true]], JSON.stringify(steps));
  });

  test('SP-initiated, HTTP-POST binding: the AuthnRequest form posted to Okta reaches the listener too', async () => {
    const { tabId, result } = await run('signInPost');
    assert.equal(result, SAML.signInPost.result);
    const [post] = (await inExtension(PAGE_SAML_PROBE)).filter((p) => p.method === 'POST' && p.path.endsWith('/sso/saml'));
    assert.deepEqual([post.type, post.tabId, post.fields], ['main_frame', tabId, ['SAMLRequest', 'RelayState']]);
    await waitFor(tabId, (st) => ['saml.request', 'saml.response'].every((id) => groupIds(st).includes(id)), 'request and response');
  });

  for (const name of ['audience', 'destination', 'expired']) {
    test(`${name}: the app refuses the Response (403) and the tab names why: ${SAML[name].finding}`, async () => {
      const { tabId, result } = await run(name);
      assert.match(result, SAML[name].result);
      const state = await waitFor(tabId, (st) => groupIds(st).includes(SAML[name].finding), SAML[name].finding);
      const last = (state.digest.flows?.flows ?? []).flatMap((f) => f.steps).at(-1);
      assert.deepEqual([last?.step, last?.status, last?.ok], ['saml-response', 403, false], JSON.stringify(last));
    });
  }

  test("unsolicited: the user finished from Okta's dashboard tile; the Response answers no request", async () => {
    const finish = async () => {
      await driver.wait(until.elementLocated(By.id('okta-app-tile')), TIMEOUT).click();
      await driver.wait(until.urlMatches(/\/saml\/acs$/), TIMEOUT);
    };
    const { tabId, result } = await run('unsolicited', { finish });
    assert.match(result, SAML.unsolicited.result);
    await waitFor(tabId, (st) => groupIds(st).includes(SAML.unsolicited.finding), SAML.unsolicited.finding);
  });

  test("not assigned: Okta's 403 page, whose body Firefox reads", async () => {
    const finish = () => driver.wait(() => driver.executeScript('return /not assigned this app in Okta/.test(document.body.innerText)'), TIMEOUT);
    const { tabId } = await run('notAssigned', { finish });
    const state = await waitFor(tabId, (st) => groupIds(st).includes(SAML.notAssigned.withBody), SAML.notAssigned.withBody);
    const page = state.digest.groups.find((g) => g.id === SAML.notAssigned.withBody);
    assert.equal(page.finding?.params?.page, 'not_assigned', JSON.stringify(page.finding?.params));
  });

  test("seeded secrets: none in storage, the tab views, the popup's JSON export, or the panel's HAR exports", async () => {
    const { secrets, found } = await seededSecrets(scenario);
    const stored = storageText(await inExtension('return [await browser.storage.session.get(null), await browser.storage.local.get(null)];'));
    assert.ok(stored.includes('/saml/acs'));
    found(stored, 'storage');
    await driver.switchTo().window(extHandle);
    for (const name of Object.keys(tabs)) {
      await driver.get(`moz-extension://${UUID}/popup/popup.html?tab=${tabs[name]}`);
      await driver.wait(() => driver.executeScript("return document.body.dataset.liveReady === 'true'"), TIMEOUT);
      await driver.executeScript("for (const d of document.querySelectorAll('details')) d.open = true;");
      found(await driver.executeScript('return document.body.innerText'), `the tab view (${name})`);
    }
    await driver.get(`moz-extension://${UUID}/popup/popup.html?tab=${tabs.audience}`);
    await driver.wait(() => driver.executeScript("return document.body.dataset.liveReady === 'true'"), TIMEOUT);
    await driver.findElement(By.css('button.export-json')).click();
    const exported = [await ff.downloadedJson(/^okta-medic-tab-.*\.json$/)];
    assert.match(exported[0], /saml\.audience_mismatch/);

    const har = join(harDir, 'saml.har');
    writeFileSync(har, samlHar(samlSignIns(scenario, secrets)));
    await driver.get(`moz-extension://${UUID}/devtools/panel.html`);
    await driver.wait(() => driver.executeScript("return document.body.dataset.ready === 'true'"), TIMEOUT);
    await driver.findElement(By.id('har-file')).sendKeys(har);
    await driver.wait(() => driver.executeScript("return document.body.dataset.loaded === 'saml.har'"), TIMEOUT);
    found(await driver.executeScript('return document.body.innerText'), 'the panel');
    await driver.findElement(By.id('copy-markdown')).click();
    await driver.wait(() => driver.executeScript("return document.querySelector('#export-result .snippet code') !== null"), TIMEOUT);
    exported.push(await driver.executeScript("return document.querySelector('#export-result .snippet code').textContent"));
    for (const [button, pattern] of [['download-json', /^okta-medic-report-\d{8}-\d{6}\.json$/], ['download-har', /\.sanitised\.har$/]]) {
      await driver.findElement(By.id(button)).click();
      exported.push(await ff.downloadedJson(pattern));
    }
    assert.ok(exported.at(-1).includes('/saml/acs'), 'the sanitised HAR keeps the ACS entries');
    for (const [i, text] of exported.entries()) found(text, `export ${i}`);
    await driver.get(`moz-extension://${UUID}/options/options.html`);
  });

  test('nothing logged an error', () => {
    assert.deepEqual(ff.problems(), []);
  });
});

// Chromium E2E of SAML sign-ins (issue 17): Debian's chromium with dist/chrome-test (the app's
// origin granted), the sample app as a SAML SP (its buttons send an AuthnRequest, HTTP-Redirect)
// against the mock Okta's SAML apps under a real Okta host name; Okta's page posts the
// SAMLResponse to the app's ACS. Each variant runs in a tab of its own, as a user would (clicks,
// Okta's auto-submitting form, the dashboard's tile), and the test checks what the app answered,
// what webRequest showed a listener of the ACS POST (a probe beside the extension's: names and
// lengths only; the README quotes it), the finding on the tab, the popup's card and sign-in story,
// and a seeded-secret check: no Response base64, signature value or seeded attribute value in
// extension storage, the popup's tab view, its exports, or the DevTools panel's exports of a HAR
// of the same sign-ins. UPDATE_SCREENSHOTS=1 also writes docs/popup-saml.png. Run after ./build.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openChromium } from './browsers.mjs';
import { chromiumHostRules, groupIds, startLiveScenario, storageText, tabWaiter } from './live-scenario.mjs';
import { SAML, SAML_PROBE, TIMEOUT, samlHar, samlSignIns, seededSecrets } from './saml-scenario.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('Chromium: SAML sign-ins, captured', { timeout: 180_000 }, () => {
  let scenario;
  let browser;
  let context;
  let worker;
  let ext;
  let extOrigin;
  const tabs = {}; // variant → tabId
  const problems = [];

  before(async () => {
    scenario = await startLiveScenario();
    browser = await openChromium(join(ROOT, 'dist', 'chrome-test'), {
      name: 'saml',
      problems,
      viewport: { width: 900, height: 900 },
      acceptDownloads: true,
      args: [chromiumHostRules(scenario.okta.port), '--ignore-certificate-errors'],
    });
    ({ context, worker, origin: extOrigin } = browser);
    assert.equal(await worker.evaluate(SAML_PROBE), true);
    ext = context.pages()[0] ?? (await context.newPage());
    await ext.goto(`${extOrigin}options/options.html`);
  });
  after(async () => {
    await browser?.close();
    await scenario?.close();
  });

  const probe = () => worker.evaluate(() => globalThis.samlProbe);
  const waitFor = tabWaiter((tabId) =>
    ext.evaluate(async (id) => (await chrome.storage.session.get(`tab:${id}`))[`tab:${id}`] ?? null, tabId),
  );

  /** A new tab on the app's page (kept open: its state is read at the end), the variant's button. */
  async function run(name, { finish } = {}) {
    const variant = SAML[name];
    const page = await context.newPage();
    await page.goto(scenario.app.origin);
    await page.waitForFunction(() => document.body.dataset.samlReady === 'true', null, { timeout: TIMEOUT });
    const tabId = await ext.evaluate(async (url) => (await chrome.tabs.query({})).find((t) => t.url === url)?.id, page.url());
    assert.ok(Number.isInteger(tabId), 'the tab id');
    tabs[name] = tabId;
    await page.click(`#${variant.id}`);
    if (finish) await finish(page);
    else await page.waitForURL(/\/saml\/acs$/, { timeout: TIMEOUT });
    const result = variant.result ? await page.locator('#result').innerText() : null;
    return { page, tabId, result };
  }

  test("IdP-initiated (the app's embed link): Okta's page posts the Response to the ACS; webRequest hands the listener the form, in full", async () => {
    const { tabId, result } = await run('idpInitiated');
    assert.equal(result, SAML.idpInitiated.result);
    // Measured: Chromium gives a top-level form POST navigation's requestBody.formData (names
    // sorted), the SAMLResponse value whole (~9 KB here).
    const acs = (await probe()).filter((p) => p.path === '/saml/acs');
    assert.equal(acs.length, 1);
    const [post] = acs;
    assert.deepEqual([post.method, post.type, post.tabId, post.raw], ['POST', 'main_frame', tabId, false]);
    assert.deepEqual(post.fields, ['RelayState', 'SAMLResponse']);
    const issued = scenario.saml.log.filter((l) => l.what === 'response').at(-1);
    assert.equal(post.lengths.SAMLResponse, issued.bytes, 'the whole value');
    console.log(`chromium ACS POST: ${JSON.stringify(post)}`);
    const state = await waitFor(tabId, (st) => groupIds(st).includes(SAML.idpInitiated.finding), 'the Response on the tab');
    assert.equal(groupIds(state).some((id) => /^saml\.(audience|destination|in_response_to)_mismatch$|^saml\.expired$/.test(id)), false, groupIds(state).join());
  });

  test('SP-initiated, the working app: the AuthnRequest and the Response on the tab, nothing wrong, the story has the SAML steps', async () => {
    const { tabId, result } = await run('signIn');
    assert.equal(result, SAML.signIn.result);
    const state = await waitFor(tabId, (st) => ['saml.request', 'saml.response'].every((id) => groupIds(st).includes(id)), 'request and response');
    assert.equal(groupIds(state).some((id) => /mismatch|expired|unsigned/.test(id)), false, groupIds(state).join());
    // The sign-in story: the AuthnRequest to Okta, then the Response posted to the app, both ok.
    const steps = (state.digest.flows?.flows ?? []).flatMap((f) => f.steps);
    assert.deepEqual(steps.map((x) => x.step), ['saml-request', 'saml-response'], JSON.stringify(steps));
    assert.deepEqual(steps.map((x) => [x.status, x.ok]), [[200, true], [200, true]]);
    // Chromium's favicon fetch on Okta's page is no finding (the mock serves Okta's icon, and the
    // core ignores a favicon 4xx); the ACS POST is counted as the app's request, not Okta's.
    assert.equal(groupIds(state).includes('http.error_status'), false, groupIds(state).join());
    assert.ok(state.digest.app >= 1 && state.digest.exchanges > state.digest.app, JSON.stringify([state.digest.exchanges, state.digest.app]));
  });

  test('SP-initiated, HTTP-POST binding: the AuthnRequest form posted to Okta reaches the listener too', async () => {
    const { tabId, result } = await run('signInPost');
    assert.equal(result, SAML.signInPost.result);
    const [post] = (await probe()).filter((p) => p.method === 'POST' && p.path.endsWith('/sso/saml'));
    assert.deepEqual([post.type, post.tabId, post.fields], ['main_frame', tabId, ['RelayState', 'SAMLRequest']]);
    await waitFor(tabId, (st) => ['saml.request', 'saml.response'].every((id) => groupIds(st).includes(id)), 'request and response');
  });

  for (const name of ['audience', 'destination', 'expired']) {
    test(`${name}: the app refuses the Response (403) and the tab names why: ${SAML[name].finding}`, async () => {
      const { tabId, result } = await run(name);
      assert.match(result, SAML[name].result);
      await waitFor(tabId, (st) => groupIds(st).includes(SAML[name].finding), SAML[name].finding);
    });
  }

  test("unsolicited: the app sent a request, the user finished from Okta's dashboard tile; the Response answers none", async () => {
    const finish = async (page) => {
      await page.waitForSelector('#okta-app-tile', { timeout: TIMEOUT });
      await page.click('#okta-app-tile');
      await page.waitForURL(/\/saml\/acs$/, { timeout: TIMEOUT });
    };
    const { tabId, result } = await run('unsolicited', { finish });
    assert.match(result, SAML.unsolicited.result);
    const state = await waitFor(tabId, (st) => groupIds(st).includes(SAML.unsolicited.finding), SAML.unsolicited.finding);
    // The tile's redirect targets an Okta URL: read as a redirect, never as a JWT.
    assert.equal(groupIds(state).some((id) => id.startsWith('jwt.')), false, groupIds(state).join());
  });

  test("not assigned: Okta answers the AuthnRequest with its 403 page (Chromium hands a listener no body: the request and the 403 are what is seen)", async () => {
    const finish = (page) => page.waitForFunction(() => /not assigned this app in Okta/.test(document.body.innerText), null, { timeout: TIMEOUT });
    const { tabId } = await run('notAssigned', { finish });
    const state = await waitFor(tabId, (st) => groupIds(st).includes(SAML.notAssigned.finding), SAML.notAssigned.finding);
    assert.ok(state.digest.exchanges >= 1);
  });

  test("the popup: the failure's card with the Okta setting to fix, the sign-in story's SAML steps", async () => {
    const popup = await context.newPage();
    await popup.setViewportSize({ width: 460, height: 860 });
    await popup.goto(`${extOrigin}popup/popup.html?tab=${tabs.audience}`);
    await popup.waitForFunction(() => document.body.dataset.liveReady === 'true', null, { timeout: TIMEOUT });
    const card = popup.locator(`details[data-group-id="${SAML.audience.finding}"]`);
    await card.waitFor({ timeout: TIMEOUT });
    const text = await card.textContent();
    assert.match(text, /Audience URI/);
    assert.ok(text.includes('https://sample-app.example.com/saml/metadata'), 'the value seen');
    assert.ok(text.includes(`${scenario.app.origin}/saml/metadata`), "the app's entity id");
    // The story: the AuthnRequest, then the Response to the app, marked where it broke (the
    // app's 403), linked to the card.
    const broken = popup.locator(`.flow-step.broken[data-finding-id="${SAML.audience.finding}"]`);
    await broken.waitFor({ timeout: TIMEOUT });
    const step = await broken.textContent();
    assert.match(step, /^Broke here:/);
    assert.match(step, /SAML Response to the app/);
    assert.match(step, /403/);
    assert.match(await popup.locator('.flows > .flow').first().textContent(), /SAML AuthnRequest/);
    if (process.env.UPDATE_SCREENSHOTS) {
      await card.evaluate((d) => {
        for (const other of document.querySelectorAll('#live-panel details')) other.open = false;
        d.open = true;
        d.scrollIntoView({ block: 'start' });
        window.scrollBy(0, -8);
      });
      const shot = join(ROOT, 'docs', 'popup-saml.png');
      await popup.screenshot({ path: shot });
      console.log(`wrote ${shot}`);
    }
    await popup.close();
  });

  test('seeded secrets: no Response, signature value or attribute value in storage, the tab view, the exports, or the panel\'s HAR exports', async () => {
    const { secrets, found } = await seededSecrets(scenario);
    const stored = storageText(await ext.evaluate(async () => [await chrome.storage.session.get(null), await chrome.storage.local.get(null)]));
    assert.ok(stored.includes('/saml/acs'), 'the ACS POSTs were stored as the core sealed them');
    found(stored, 'storage');

    const exported = [];
    for (const name of Object.keys(tabs)) {
      const popup = await context.newPage();
      await popup.goto(`${extOrigin}popup/popup.html?tab=${tabs[name]}`);
      await popup.waitForFunction(() => document.body.dataset.liveReady === 'true', null, { timeout: TIMEOUT });
      await popup.evaluate(() => {
        for (const d of document.querySelectorAll('details')) d.open = true;
        navigator.clipboard.writeText = (t) => {
          globalThis.copiedInTest = t;
          return Promise.resolve();
        };
      });
      found(await popup.evaluate(() => document.body.innerText), `the tab view (${name})`);
      await popup.click('button.export-markdown');
      exported.push(await popup.waitForFunction(() => globalThis.copiedInTest, null, { timeout: TIMEOUT }).then((h) => h.jsonValue()));
      const [json] = await Promise.all([popup.waitForEvent('download', { timeout: TIMEOUT }), popup.click('button.export-json')]);
      exported.push(readFileSync(await json.path(), 'utf8'));
      await popup.close();
    }
    assert.ok(exported.some((t) => /saml\./.test(t)), 'the exports hold the SAML findings');

    // The same sign-ins as a HAR (the SSO URLs Okta received, the Responses it issued), read by the
    // DevTools panel page: its snippet, JSON and sanitised HAR.
    const signIns = samlSignIns(scenario, secrets);
    assert.ok(signIns.length >= 3);
    const panel = await context.newPage();
    await panel.goto(`${extOrigin}devtools/panel.html`);
    await panel.waitForSelector('body[data-ready="true"]', { timeout: TIMEOUT });
    await panel.setInputFiles('#har-file', { name: 'saml.har', mimeType: 'application/json', buffer: Buffer.from(samlHar(signIns)) });
    await panel.locator('#exports').waitFor({ state: 'visible', timeout: TIMEOUT });
    found(await panel.evaluate(() => document.body.innerText), 'the panel');
    await panel.locator('#copy-markdown').click();
    await panel.locator('#export-result .snippet').waitFor({ timeout: TIMEOUT });
    exported.push(await panel.locator('#export-result .snippet code').innerText());
    for (const button of ['#download-json', '#download-har']) {
      const [download] = await Promise.all([panel.waitForEvent('download', { timeout: TIMEOUT }), panel.locator(button).click()]);
      exported.push(readFileSync(await download.path(), 'utf8'));
    }
    await panel.close();
    assert.ok(exported.at(-1).includes('/saml/acs'), 'the sanitised HAR keeps the ACS entries');
    for (const [i, text] of exported.entries()) found(text, `export ${i}`);
  });

  test('nothing logged an error', () => {
    assert.deepEqual(problems, []);
  });
});

// Firefox E2E for live capture: Debian's firefox-esr (selenium + geckodriver) with the SHIPPED
// dist/firefox as a temporary add-on, the sample app on http://localhost:PORT calling the loopback
// mock Okta under dev-1234.okta.com and dev-5678.oktapreview.com. Firefox has no host-resolver
// rules; the equivalent (measured, firefox-esr 153): network.dns.forceResolve=127.0.0.1 plus
// network.socket.forcePort=443=PORT route the Okta names to the mock's port, and WebDriver's
// acceptInsecureCerts accepts its throwaway certificate. extensions.webextOptionalPermissionPrompts
// =false makes Firefox grant an optional permission requested from a click without the prompt a
// headless browser can't show — the popup's real "Enable on this site" button does the asking.
//
// What Firefox needs, as found here: like Chromium, webRequest reports a page's cross-origin calls
// to Okta only when the extension may also access the page's origin (its documentUrl); error bodies
// come from webRequest.filterResponseData in a blocking onHeadersReceived listener
// (webRequestBlocking + webRequestFilterResponse), no page script needed; Authorization is visible
// in onBeforeSendHeaders without any extra option. Run after ./build.sh.
import { CONTROLS_ON_SCREEN_SCRIPT, visibleControl } from './options-controls.mjs';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import webdriver from 'selenium-webdriver';
import { launchFirefox } from './firefox-session.mjs';
import { FINDINGS, firefoxNetworkPrefs, groupCount, groupIds, startLiveScenario, storageText, tabWaiter } from './live-scenario.mjs';

const { By, until } = webdriver;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXT = join(ROOT, 'dist', 'firefox');
const UUID = '7d3c2b1a-5e6f-4a8b-9c0d-1e2f3a4b5c07';
const TIMEOUT = 15_000;

describe('Firefox live capture, shipped dist/firefox', { timeout: 180_000 }, () => {
  let scenario;
  let ff;
  let driver;
  let appHandle;
  let extHandle;
  let appTabId;
  /** How many requests the mock had seen when the site was enabled. */
  let enabledAt = 0;

  /** Runs `body` (an async function's source, gets `args`) in the extension tab. */
  const inExtension = (body, ...args) => ff.inExtension(body, ...args);

  const tabState = () => inExtension(`return (await browser.storage.session.get('tab:' + args[0]))['tab:' + args[0]] ?? null;`, appTabId);
  const waitForAppTab = tabWaiter(() => tabState(), TIMEOUT);
  const waitForState = (predicate, what) => waitForAppTab(appTabId, predicate, what);

  /** Clicks an app button and waits until the app logged that call's answer. */
  async function click(button, call) {
    await driver.switchTo().window(appHandle);
    const selector = `#log [data-call="${call}"]`;
    const count = (await driver.findElements(By.css(selector))).length + 1;
    await driver.findElement(By.id(button)).click();
    await driver.wait(async () => (await driver.findElements(By.css(selector))).length >= count, TIMEOUT);
  }

  async function openApp(path = '/') {
    await driver.switchTo().window(appHandle);
    await driver.get(`${scenario.app.origin}${path}`);
    await driver.wait(() => driver.executeScript("return document.body.dataset.ready === 'true'"), TIMEOUT);
  }

  async function openPopup() {
    await driver.switchTo().window(extHandle);
    await driver.get(`moz-extension://${UUID}/popup/popup.html?tab=${appTabId}`);
    await driver.wait(() => driver.executeScript("return document.body.dataset.liveReady === 'true'"), TIMEOUT);
  }

  before(async () => {
    scenario = await startLiveScenario();
    const started = performance.now();
    ff = await launchFirefox(EXT, {
      uuid: UUID,
      name: 'firefox-live',
      insecureCerts: true,
      prefs: { 'extensions.webextOptionalPermissionPrompts': false, ...firefoxNetworkPrefs(scenario.okta.port) },
    });
    ({ driver } = ff);
    appHandle = await driver.getWindowHandle();
    await openApp();
    extHandle = await ff.openExtensionTab();
    appTabId = await inExtension(`const own = await browser.tabs.getCurrent();
      return (await browser.tabs.query({})).find((t) => t.id !== own.id)?.id;`);
    assert.ok(Number.isInteger(appTabId));
    console.log(`firefox + dist/firefox + app ready in ${Math.round(performance.now() - started)} ms`);
  });

  after(async () => {
    await ff?.close();
    await scenario?.close();
  });

  test("before the site is enabled, the app's calls reach Okta but not the extension", async () => {
    await click('call-401', 'me');
    await click('call-403', 'groups');
    await click('call-429', 'users');
    assert.deepEqual(
      scenario.okta.requests.filter((r) => r.method !== 'OPTIONS').map((r) => r.path),
      ['/api/v1/users/me', '/api/v1/groups', '/api/v1/users'],
    );
    await driver.sleep(600);
    assert.equal(await tabState(), null);
  });

  test('the /authorize navigation is seen: user_not_assigned, and the app origin learnt', async () => {
    await driver.switchTo().window(appHandle);
    await driver.findElement(By.id('sign-in')).click();
    await driver.wait(until.urlContains('/callback?'), TIMEOUT);
    const state = await waitForState((s) => groupIds(s).includes(FINDINGS.userNotAssigned), 'redirect');
    assert.deepEqual(state.pageOrigins, [scenario.app.origin]);
  });

  test('"Enable and capture error bodies" in the popup asks for the app origin once and reloads the page once; the calls show', async () => {
    await openPopup();
    const button = await driver.wait(until.elementLocated(By.css('[data-site="http://localhost/*"] button.enable-site')), TIMEOUT);
    assert.equal(await button.getText(), 'Enable and capture error bodies');
    const loadsBefore = scenario.app.loads();
    await button.click();
    await driver.wait(until.elementLocated(By.xpath("//*[contains(text(), 'Enabled on http://localhost')]")), TIMEOUT);
    const granted = await inExtension(`return browser.permissions.contains({ origins: ['http://localhost/*'] });`);
    assert.equal(granted, true);
    await driver.wait(async () => scenario.app.loads() === loadsBefore + 1, TIMEOUT, 'the app tab reloaded');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(scenario.app.loads(), loadsBefore + 1, 'reloaded once');
    enabledAt = scenario.okta.requests.length;
    await openApp();
    await click('call-401', 'me');
    await click('call-403', 'groups');
    await click('call-429', 'users');
    await click('call-low', 'apps');
    await click('idx-identify', 'identify');
    const state = await waitForState(
      (s) => [FINDINGS.sswsInvalid, FINDINGS.scopeMissing, FINDINGS.rateLimited, FINDINGS.idxAuthFailed].every((id) => groupIds(s).includes(id)),
      'after enabling',
    );
    assert.ok(state.digest.exchanges >= 6);
  });

  test('the popup puts the problems first, counts what it lists, and times read relative', async () => {
    await openPopup();
    await driver.wait(until.elementLocated(By.css(`[data-group-id="${FINDINGS.sswsInvalid}"]`)), TIMEOUT);
    const shown = await driver.executeScript(`const live = document.querySelector('#live-panel .live');
      const when = live.querySelector('.group time.when');
      return {
        order: [...live.children].map((n) => n.className),
        summary: live.querySelector('.live-summary').textContent,
        errors: Number(live.querySelector('.live-summary').dataset.errors),
        heading: live.querySelector('section.requests h3')?.textContent,
        listed: [...live.querySelectorAll('section.requests li.request')].map((li) => li.className),
        controls: ['read-page-storage', 'export-markdown', 'export-json', 'clear-tab']
          .map((c) => live.querySelector('.live-controls button.' + c)?.getBoundingClientRect().top),
        site: live.querySelector('.live-controls [data-site="http://localhost/*"]')?.getBoundingClientRect().top,
        when: [when?.textContent, when?.title, when?.dateTime],
        leads: [...live.querySelectorAll('.group.sev-error > summary, .group.sev-warning > summary')]
          .map((n) => [[...n.children].find((c) => !c.matches('.count, .badge'))?.className, n.querySelector('.group-todo')?.textContent ?? '']),
      };`);
    // Each problem card opens with what to do now (the core's todo, bold), then its title.
    assert.ok(shown.leads.length >= 1, JSON.stringify(shown.leads));
    for (const [first, todo] of shown.leads) assert.ok(first === 'group-todo' && todo.length > 0, JSON.stringify(shown.leads));
    assert.deepEqual(shown.order.slice(0, 3), ['live-summary', 'live-section groups', 'live-controls'], shown.order.join(' | '));
    const counts = /^(\d+) requests? to Okta · (\d+) with findings · (\d+) with an error$/.exec(shown.summary);
    assert.ok(counts, shown.summary);
    const [requests, flagged, errors] = counts.slice(1).map(Number);
    assert.equal(errors, shown.errors);
    assert.ok(flagged >= 1 && flagged <= requests, shown.summary);
    assert.equal(shown.heading, 'Requests with findings');
    assert.equal(shown.listed.length, Math.min(flagged, 20));
    for (const cls of shown.listed) assert.match(cls, /sev-(warning|error)/);
    assert.ok(shown.controls.every((t) => Number.isFinite(t) && t === shown.controls[0]), `the controls on one line: ${shown.controls}`);
    assert.ok(shown.site > shown.controls[0], 'the site access below the line');
    assert.match(shown.when[0], /^(now|\d+ (second|minute)s? ago)$/);
    assert.match(shown.when[1], /\d{4}.*\d{1,2}:\d{2}:\d{2}/, 'the local date-time on hover');
    assert.ok(Number.isFinite(Date.parse(shown.when[2])));
  });

  test('the popup explains them with counts, one card per cause; the badge counts the failed requests', async () => {
    await openPopup();
    const e11 = await driver.wait(until.elementLocated(By.css(`[data-group-id="${FINDINGS.sswsInvalid}"]`)), TIMEOUT);
    assert.match(await e11.getAttribute('textContent'), /oaeY-4G_TBUTBSZAn9n7oZCfw/, 'the body, read by filterResponseData');
    const scope = await driver.findElement(By.css(`[data-group-id="${FINDINGS.scopeMissing}"]`));
    assert.match(await scope.getText(), /okta\.groups\.read/);
    assert.equal(await scope.getAttribute('data-count'), '1');
    const buckets = await driver.findElements(By.css('.bucket .countdown'));
    assert.ok(buckets.length >= 2);
    // The requests that failed since the site was enabled, as the mock answered them (the 401,
    // the 403, the 429, the IDX 401), and the /authorize redirect carrying access_denied seen
    // before: five requests with an error, five on the badge. Each is one cause however many
    // parts of its response said so: the 429's E0000047 body, the 403's insufficient_scope
    // challenge and the IDX errors.E0000004 message are folded, no card of their own.
    const failed = scenario.okta.requests.slice(enabledAt).filter((r) => r.method !== 'OPTIONS' && r.status >= 400).length;
    assert.equal(failed, 4);
    const withRedirect = failed + 1;
    // Countdowns live in gauges, never frozen in a card's title (issue 15).
    const limitedTitleNode = await driver.findElement(By.css(`[data-group-id="${FINDINGS.rateLimited}"] .group-title`));
    const limitedTitle = await limitedTitleNode.getAttribute('textContent');
    assert.match(limitedTitle, /^Rate limit exceeded/);
    assert.doesNotMatch(limitedTitle, /wait \d+ s/, 'no wait frozen in the title');
    const summary = await driver.findElement(By.css('.live-summary'));
    assert.equal(Number(await summary.getAttribute('data-errors')), withRedirect);
    const badge = () => inExtension(`return browser.action.getBadgeText({ tabId: args[0] });`, appTabId);
    assert.equal(await badge(), `${withRedirect}↓`);
    for (const id of ['okta_error.E0000047', 'oauth_error.insufficient_scope', 'idx.errors.E0000004']) {
      assert.equal((await driver.findElements(By.css(`[data-group-id="${id}"]`))).length, 0, `${id} is folded`);
    }
    const limited = await driver.findElement(By.css(`[data-group-id="${FINDINGS.rateLimited}"]`));
    assert.match(await limited.getAttribute('textContent'), /E0000047/, 'the folded body is still shown as evidence');
    // The browser resets a tab's badge when the tab navigates; the background sets it again.
    await openApp();
    await driver.wait(async () => (await badge()) === `${withRedirect}↓`, TIMEOUT);
  });

  test('storage never holds the JWT signature or the SSWS token', async () => {
    const all = await inExtension(`return { session: await browser.storage.session.get(null), local: await browser.storage.local.get(null) };`);
    const text = storageText(all);
    assert.ok(text.includes('okta.users.read'), 'the token claims are kept');
    for (const secret of scenario.secrets) assert.equal(text.includes(secret), false, `a secret leaked: ${secret.slice(0, 6)}…`);
  });

  test('CORS: the SSWS token sent from the page, and an untrusted origin\'s calls, each named on the tab', async () => {
    // The app's SSWS call: Firefox shows the request's Origin without any extra option.
    await waitForState((s) => groupIds(s).includes(FINDINGS.sswsFromPage), 'SSWS from the page');
    // From the Trusted Origin itself: GET /api/v1/org with the session cookie. The endpoint does
    // not support CORS, so Okta answers it without CORS headers and trusting the origin can't help.
    await openApp();
    const orgBefore = scenario.okta.requests.length;
    await click('cors-endpoint', 'cors-endpoint');
    const orgLogged = await driver.executeScript("return [...document.querySelectorAll('#log [data-call=\"cors-endpoint\"]')].map((li) => li.dataset.status)");
    assert.match(orgLogged.at(-1), /^failed: /, 'the page saw only a network error');
    assert.deepEqual(scenario.okta.requests.slice(orgBefore).map((r) => `${r.method} ${r.path} ${r.status}`), ['GET /api/v1/org 200']);
    await waitForState((s) => groupIds(s).includes(FINDINGS.endpointNotCors), 'endpoint without CORS');
    await openPopup();
    const endpointCard = await driver.wait(until.elementLocated(By.css(`[data-group-id="${FINDINGS.endpointNotCors}"]`)), TIMEOUT);
    const endpointText = await endpointCard.getAttribute('textContent');
    assert.ok(endpointText.includes('GET /api/v1/org does not support CORS: call it from a backend'), endpointText);
    assert.ok(endpointText.includes(`adding ${scenario.app.origin} as a Trusted Origin would not help`), endpointText);
    const untrusted = scenario.untrusted.origin; // http://localhost:PORT2: the granted http://localhost/* covers it
    await driver.switchTo().window(appHandle);
    await driver.get(untrusted);
    await driver.wait(() => driver.executeScript("return document.body.dataset.ready === 'true'"), TIMEOUT);
    const seenBefore = scenario.okta.requests.length;
    await click('cors-preflight', 'cors-preflight');
    await click('cors-simple', 'cors-simple');
    await click('cors-error', 'cors-error');
    const logged = await driver.executeScript("return [...document.querySelectorAll('#log li')].map((li) => li.dataset.status)");
    assert.equal(logged.length, 3);
    for (const status of logged) assert.match(status, /^failed: /, 'the page saw only a network error');
    const sent = scenario.okta.requests.slice(seenBefore).map((r) => `${r.method} ${r.path} ${r.status}`);
    assert.deepEqual(sent, ['OPTIONS /api/v1/users/me 200', 'GET /api/v1/apps 200', 'GET /api/v1/users/me 401']);
    const state = await waitForState(
      (s) =>
        [FINDINGS.originNotTrusted, FINDINGS.errorHidden, FINDINGS.endpointNotCors].every((id) => groupIds(s).includes(id)) &&
        groupCount(s, FINDINGS.endpointNotCors) >= 2,
      'CORS findings',
    );
    // The preflight of the bearer call stays origin_not_trusted; the blocked 200 of /api/v1/apps
    // (a cookie call, an endpoint without CORS) joins the org's endpoint group.
    assert.equal(groupCount(state, FINDINGS.originNotTrusted), 1);
    console.log(`firefox CORS: ${JSON.stringify((state.digest.requests ?? []).slice(-3))}`);
    await openPopup();
    const card = await driver.wait(until.elementLocated(By.css(`[data-group-id="${FINDINGS.originNotTrusted}"]`)), TIMEOUT);
    const text = await card.getAttribute('textContent');
    assert.ok(text.includes(`${untrusted} is not a Trusted Origin`), text);
    assert.match(text, /Security → API → Trusted Origins/);
    // Measured (firefox-esr 153): filterResponseData gives no body for a response CORS blocks,
    // so the hidden error is named by its status alone, as on Chromium without a body.
    const hidden = await driver.findElement(By.css(`[data-group-id="${FINDINGS.errorHidden}"]`)).getAttribute('textContent');
    assert.match(hidden, /The page saw a CORS error hiding Okta's HTTP 401/);
    console.log(`firefox CORS browser error: ${/failed the request \(([^)]+)\)/.exec(text + hidden)?.[1] ?? 'none reported'}`);
    await openApp();
  });

  test('a sign-in Okta refuses to start (redirect_uri not registered) is named with its redirect URI and client id', async () => {
    await openApp();
    await driver.findElement(By.id('sign-in-unregistered')).click();
    await driver.wait(async () => /\/v1\/authorize\?/.test(await driver.getCurrentUrl()), TIMEOUT);
    await driver.wait(async () => groupIds(await tabState()).includes(FINDINGS.redirectUriNotRegistered), TIMEOUT, 'refused /authorize');
    await openPopup();
    const card = await driver.wait(until.elementLocated(By.css(`[data-group-id="${FINDINGS.redirectUriNotRegistered}"]`)), TIMEOUT);
    const text = await card.getAttribute('textContent');
    assert.match(text, /Add http:\/\/localhost:\d+\/unregistered-callback to the app's Sign-in redirect URIs/);
    assert.match(text, /client id 0oa1sampleapp0000h5d7/);
    await openApp();
  });

  test('Clear forgets the tab', async () => {
    await openPopup();
    await driver.findElement(By.css('button.clear-tab')).click();
    await driver.wait(until.elementLocated(By.css('#live-panel .empty')), TIMEOUT);
    assert.equal(await tabState(), null);
    const badge = await inExtension(`return browser.action.getBadgeText({ tabId: args[0] });`, appTabId);
    assert.equal(badge, '');
  });

  test('options: every control Firefox can honour is shown, and the body switch saves both ways', async () => {
    await driver.switchTo().window(extHandle);
    await driver.get(`moz-extension://${UUID}/options/options.html`);
    await driver.wait(() => driver.executeScript("return document.body.dataset.ready === 'true'"), TIMEOUT);
    const controls = await driver.executeScript(CONTROLS_ON_SCREEN_SCRIPT);
    assert.ok(controls.every((c) => c.visible), JSON.stringify(controls));
    assert.equal(visibleControl(controls, 'read-bodies'), true);
    const saved = () => inExtension(`return (await browser.storage.local.get('settings')).settings?.readBodies;`);
    const box = () => driver.findElement(By.id('read-bodies'));
    const before = await (await box()).isSelected();
    await (await box()).click();
    await driver.wait(async () => (await saved()) === !before, TIMEOUT, 'unticking saves');
    await driver.switchTo().window(extHandle);
    await (await box()).click();
    await driver.wait(async () => (await saved()) === before, TIMEOUT, 'ticking saves');
  });

  test('options: a custom Okta domain is added with its permission; the enabled site is revoked', async () => {
    await driver.switchTo().window(extHandle);
    await driver.get(`moz-extension://${UUID}/options/options.html`);
    await driver.wait(() => driver.executeScript("return document.body.dataset.ready === 'true'"), TIMEOUT);
    await driver.findElement(By.css('[data-site="http://localhost/*"]'));
    await driver.findElement(By.id('domain')).sendKeys('Login.Acme-Corp.example');
    await driver.findElement(By.css('#domain-form button[type="submit"]')).click();
    await driver.wait(until.elementLocated(By.css('#domains [data-pattern="https://login.acme-corp.example/*"]')), TIMEOUT);
    const added = await inExtension(`return {
      granted: await browser.permissions.contains({ origins: ['https://login.acme-corp.example/*'] }),
      settings: (await browser.storage.local.get('settings')).settings,
    };`);
    assert.equal(added.granted, true);
    assert.deepEqual(added.settings.customDomains, ['https://login.acme-corp.example/*']);
    await driver.get(`moz-extension://${UUID}/options/options.html`);
    await driver.wait(() => driver.executeScript("return document.body.dataset.ready === 'true'"), TIMEOUT);
    await driver.findElement(By.css('[data-site="http://localhost/*"] button')).click();
    await driver.wait(async () => (await driver.findElements(By.css('[data-site="http://localhost/*"]'))).length === 0, TIMEOUT);
    assert.equal(await inExtension(`return browser.permissions.contains({ origins: ['http://localhost/*'] });`), false);
  });

  test('nothing logged an error', async () => {
    await driver.sleep(200);
    assert.deepEqual(ff.problems(), []);
  });
});

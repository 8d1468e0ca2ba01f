// The offline page in real Firefox (firefox-esr through selenium + geckodriver), opened from the
// file system (file:///…/dist/web/index.html): the same steps as web-chromium.spec.mjs — a signed
// token pasted and verified with a JWKS file, an Okta error body, a HAR with a broken sign-in
// dropped, its sanitised HAR downloaded without a secret. Firefox's HTTP and HTTPS proxy is a
// loopback server that counts requests, so any request to a host the inputs name would be seen;
// Resource Timing lists whatever the page loaded. Run after ./build.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webdriver from 'selenium-webdriver';
import { launchFirefox } from './firefox-session.mjs';
import {
  DROP_SCRIPT,
  ERROR_BODY,
  EXPECT,
  FOREIGN_RESOURCES_SCRIPT,
  PROBE_FETCH_SCRIPT,
  TIMEOUT,
  WEB_URL,
  harFixture,
  hostsIn,
  pageHits,
  signedToken,
  startCounter,
} from './web-scenario.mjs';

const { By, until } = webdriver;

describe('offline page in Firefox (file://)', { timeout: 180_000 }, () => {
  let ff;
  let driver;
  let counter;
  let dir;
  let downloads;

  const ids = (selector) =>
    driver.executeScript(`return [...document.querySelectorAll(arguments[0])].map((n) => n.dataset.findingId);`, selector);
  const waitFor = (css) => driver.wait(until.elementLocated(By.css(css)), TIMEOUT, `no ${css}`);

  before(async () => {
    counter = await startCounter();
    ff = await launchFirefox(null, {
      name: 'web-firefox',
      downloads: true,
      windowSize: { width: 1280, height: 800 },
      // Every HTTP and HTTPS request, to any host, goes to the counter.
      prefs: {
        'network.proxy.type': 1,
        'network.proxy.http': '127.0.0.1',
        'network.proxy.http_port': counter.port,
        'network.proxy.ssl': '127.0.0.1',
        'network.proxy.ssl_port': counter.port,
        'network.proxy.no_proxies_on': '',
      },
    });
    ({ driver, dir, downloads } = ff);
    await driver.get(WEB_URL);
    await waitFor('body[data-ready="true"]');
  });

  after(async () => {
    await ff?.close();
    await counter?.close();
  });

  const now = Math.floor(Date.now() / 1000);
  const { token, jwks, signature } = signedToken(now);
  const har = harFixture();

  async function paste(text) {
    await driver.executeScript(
      `const input = document.getElementById('input'); input.value = arguments[0];
       input.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));`,
      text,
    );
  }

  test('the page loads from the file system and shows the core version in its footer', async () => {
    const crate = readFileSync(new URL('../../crate/Cargo.toml', import.meta.url), 'utf8').match(/^version = "([^"]+)"/m)[1];
    assert.equal(await driver.findElement(By.id('version')).getText(), `v${crate}`);
  });

  test('a pasted token: its report and claims strip; a JWKS file the user picks verifies it', async () => {
    await paste(token);
    await waitFor('#report .finding');
    const shown = await ids('#report [data-finding-id]');
    for (const id of EXPECT.token) assert.ok(shown.includes(id), `${id} missing from ${shown}`);
    assert.ok((await driver.findElements(By.css('#report .claims-strip, #report .claims'))).length > 0, 'no claims strip');
    assert.equal((await driver.findElement(By.id('report')).getText()).includes(signature), false);
    // The file the user picks: geckodriver types its path into the (visually hidden) file input.
    const file = join(dir, 'jwks.json');
    writeFileSync(file, jwks);
    await driver.executeScript("document.getElementById('jwks-file').style.cssText = 'position:static;opacity:1;width:auto;height:auto'");
    await driver.findElement(By.id('jwks-file')).sendKeys(file);
    await waitFor(`#report [data-finding-id="${EXPECT.verified}"]`);
    assert.match(await driver.findElement(By.id('jwks-status')).getText(), /jwks\.json/);
  });

  test('a pasted Okta error body is explained', async () => {
    await paste(ERROR_BODY);
    await waitFor(`#report [data-finding-id="${EXPECT.error}"]`);
  });

  test('a dropped HAR: the session, the sign-in story and the broken step', async () => {
    await driver.executeScript(DROP_SCRIPT, har.name, har.text);
    await waitFor(`body[data-loaded="${har.name}"]`);
    assert.match(await driver.findElement(By.id('summary')).getText(), /HAR with 2 requests/);
    assert.equal(await driver.findElement(By.id('flows-pane')).isDisplayed(), true, 'no sign-in story');
    const groups = await ids('#groups [data-finding-id]');
    assert.ok(groups.includes(har.flowFinding), `${har.flowFinding} missing from ${groups}`);
  });

  test('the sanitised HAR download holds none of the fixture secrets', async () => {
    await driver.findElement(By.id('download-har')).click();
    const name = 'flow-har-state-mismatch.sanitised.har';
    let text = null;
    await driver.wait(() => {
      if (!readdirSync(downloads).includes(name)) return false;
      text = readFileSync(join(downloads, name), 'utf8');
      try {
        return JSON.parse(text).log.entries.length > 0;
      } catch {
        return false;
      }
    }, TIMEOUT, `no ${name} in ${downloads}`);
    for (const secret of har.secrets) assert.equal(text.includes(secret), false, `${secret} left in the export`);
  });

  test("the page's CSP refuses a fetch (the probe reaches no server)", async () => {
    const answer = await driver.executeAsyncScript(
      `const done = arguments[arguments.length - 1];
       (async (...arguments) => { ${PROBE_FETCH_SCRIPT} })('https://dev-123456.okta.com/probe').then(done, (e) => done(String(e)));`,
    );
    assert.equal(answer, 'refused');
  });

  test('no request left the page', async () => {
    assert.deepEqual(await driver.executeScript(FOREIGN_RESOURCES_SCRIPT), []);
    const payload = token.split('.').slice(0, 2).map((p) => Buffer.from(p, 'base64url').toString()).join('');
    const hosts = hostsIn(payload, har.text, ERROR_BODY);
    assert.ok(hosts.has('dev-123456.okta.com'));
    console.log(`loopback proxy: ${counter.hits.length} request(s) from the browser itself, ${pageHits(counter.hits, hosts).length} for a host the page knows`);
    assert.deepEqual(pageHits(counter.hits, hosts), [], 'the loopback proxy was asked for a host the page knows');
  });
});

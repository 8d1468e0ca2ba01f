// The DevTools panel's page logic in real Firefox (the Chromium twin is panel-chromium.spec.mjs):
// devtools/panel.html of the shipped dist/firefox, loaded as a temporary add-on by selenium +
// geckodriver and opened as a moz-extension:// page (no `devtools` API there, so the panel
// analyses HAR files), fed the HAR Chromium recorded of the mock Okta session through its file
// input. A person sees the core's summary, the findings grouped by id with counts, the requests
// table and its filters, each row led by its cause (info ids on request), nothing scrolling
// sideways in a 1280-px window, a row's report, the bucket's chart; the copy and download buttons give
// the core's exports with no seeded secret, the sanitised HAR equal to the CLI's. Run after
// ./build.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import webdriver from 'selenium-webdriver';
import { launchFirefox } from './firefox-session.mjs';
import { leaks, recordHar, startHarScenario } from './har-scenario.mjs';
import { SIDEWAYS_SCRIPT } from './sideways.mjs';

const { By, until } = webdriver;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXT = join(ROOT, 'dist', 'firefox');
const CLI = join(ROOT, 'target', 'release', 'okta-medic');
// Fixes the moz-extension:// host, which Firefox otherwise picks at random per profile.
const UUID = '7d1e4c2b-9a35-4f60-8b1d-2e6f3a9c5d14';
const TIMEOUT = 15_000;

describe('Firefox: the DevTools panel page with a recorded HAR (dist/firefox)', { timeout: 180_000 }, () => {
  let scenario;
  let harPath;
  let cli;
  let ff;
  let driver;
  const dir = mkdtempSync(join(tmpdir(), 'okta-medic-panel-ff-'));

  before(async () => {
    scenario = await startHarScenario();
    harPath = await recordHar(scenario.pageUrl, dir);
    await scenario.okta.close();
    cli = JSON.parse(execFileSync(CLI, ['har', '--json', harPath], { encoding: 'utf8' }));
    const started = performance.now();
    // a[download] saves straight into ff.downloads, without asking
    ff = await launchFirefox(EXT, { uuid: UUID, name: 'panel-ff', downloads: true });
    ({ driver } = ff);
    await driver.manage().window().setRect({ width: 1400, height: 1000 });
    await driver.get(`moz-extension://${UUID}/devtools/panel.html`);
    const ready = await driver.wait(
      () => driver.executeScript(`const e = document.getElementById('load-error');
        return !e.hidden ? 'error: ' + e.textContent : document.body.dataset.ready === 'true' ? 'ready' : null;`),
      TIMEOUT,
    );
    assert.equal(ready, 'ready');
    console.log(`firefox + panel ready in ${Math.round(performance.now() - started)} ms`);
  });

  after(async () => {
    await ff?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const text = async (css) => (await driver.findElement(By.css(css))).getText();
  const count = async (css) => (await driver.findElements(By.css(css))).length;
  async function choose(id, value) {
    await driver.executeScript(`const s = document.getElementById(arguments[0]); s.value = arguments[1];
      s.dispatchEvent(new Event('change'));`, id, value);
  }

  test('outside DevTools it offers a HAR file; the live hints are for the DevTools tab', async () => {
    assert.equal(await (await driver.findElement(By.id('empty-standalone'))).isDisplayed(), true);
    assert.equal(await (await driver.findElement(By.id('empty-firefox'))).isDisplayed(), false);
  });

  test('the recorded HAR through the file input: summary, rows, grouped findings with counts', async () => {
    await driver.findElement(By.id('har-file')).sendKeys(harPath);
    await driver.wait(() => driver.executeScript("return document.body.dataset.loaded === 'session.har'"), TIMEOUT);
    assert.equal(await text('#summary .summary-text'), cli.summary);
    assert.equal(await count('table.requests tbody tr'), cli.timeline.oktaEntries);
    for (const g of cli.timeline.digest.groups) {
      const shown = await driver.executeScript(
        `const n = document.querySelector('#groups [data-finding-id="' + arguments[0] + '"]');
         return n && [n.dataset.count, n.querySelector('.count').textContent, n.querySelector('.title').textContent];`,
        g.id,
      );
      assert.deepEqual(shown, [String(g.count), `×${g.count}`, g.finding.title], g.id);
    }
    const ids = await driver.executeScript(
      `return [...document.querySelectorAll('#groups [data-finding-id="rate_limit.exceeded"] .group-requests code')].map((c) => c.textContent);`,
    );
    assert.deepEqual(ids, [scenario.ids.users[2]]);
  });

  test('each row leads with its cause and a severity mark; info ids only when asked for', async () => {
    const rows = await driver.executeScript(`return [...document.querySelectorAll('table.requests tbody tr')].map((tr) => ({
      status: tr.dataset.status, severity: tr.dataset.severity,
      mark: tr.querySelector('.headline .badge')?.textContent ?? null,
      headline: tr.querySelector('.headline-text')?.textContent ?? null,
      problems: [...tr.querySelectorAll('.problem-ids code')].map((c) => c.textContent),
    }));`);
    const groups = new Map(cli.timeline.digest.groups.map((g) => [g.id, g]));
    const failed = rows.filter((r) => Number(r.status) >= 400);
    assert.equal(failed.length, 4);
    for (const r of failed) {
      const worst = r.problems.find((id) => groups.get(id)?.severity === r.severity);
      assert.ok(worst, JSON.stringify(r));
      assert.deepEqual([r.mark, r.headline], [r.severity, groups.get(worst).finding.title], JSON.stringify(r));
    }
    const quiet = await driver.findElement(By.css('tr[data-status="429"] .quiet-ids'));
    assert.match(await quiet.getAttribute('textContent'), /http\.request_id/);
    assert.equal(await quiet.isDisplayed(), false, 'info ids hidden');
    await driver.findElement(By.id('show-quiet-ids')).click();
    assert.equal(await quiet.isDisplayed(), true, 'shown when asked for');
  });

  test('no sideways scroll in a 1280-px window, a request selected and every id shown', async () => {
    await driver.manage().window().setRect({ width: 1280, height: 900 });
    await driver.findElement(By.css('tr[data-status="429"] td.time')).click();
    await driver.wait(until.elementLocated(By.css('#detail [data-finding-id="rate_limit.exceeded"]')), TIMEOUT);
    const overflow = await driver.executeScript(SIDEWAYS_SCRIPT);
    await driver.findElement(By.id('show-quiet-ids')).click(); // back to hidden
    await driver.manage().window().setRect({ width: 1400, height: 1000 });
    assert.ok(overflow.width > 1200 && overflow.width <= 1280, `the page is ${overflow.width} px wide`);
    assert.deepEqual(overflow.scrolls, [], 'nothing scrolls sideways');
  });

  test('filters narrow the table; a row opens its full report', async () => {
    await choose('filter-status', 'failed');
    assert.equal(await count('table.requests tbody tr'), 4);
    await choose('filter-status', '');
    await choose('filter-finding', 'okta_error.E0000011');
    assert.equal(await count('table.requests tbody tr'), 1);
    await choose('filter-finding', '');
    await driver.findElement(By.css('tr[data-status="429"] td.time')).click();
    await driver.wait(until.elementLocated(By.css('#detail [data-finding-id="rate_limit.exceeded"]')), TIMEOUT);
    assert.equal(await (await driver.findElement(By.css('tr[data-status="429"]'))).getAttribute('aria-selected'), 'true');
  });

  test('the bucket chart: three readings, the last at zero', async () => {
    const chart = await driver.executeScript(`const svg = document.querySelector('#buckets [data-bucket="/api/v1/users"] svg.trajectory');
      return svg && [svg.dataset.points, svg.querySelectorAll('circle.reading').length, svg.querySelectorAll('circle.reading.empty').length];`);
    assert.deepEqual(chart, ['3', 3, 1]);
  });

  test('Copy support snippet (the selection fallback) gives the core\'s Markdown with no secret', async () => {
    await driver.executeScript(`navigator.clipboard.writeText = () => Promise.reject(new Error('blocked'));
      document.addEventListener('copy', (event) => {
        const area = event.target;
        window.copiedInTest = area.value.slice(area.selectionStart, area.selectionEnd);
      });`);
    await driver.findElement(By.id('copy-markdown')).click();
    await driver.wait(until.elementLocated(By.css('#export-result .snippet code')), TIMEOUT);
    const copied = await driver.executeScript('return window.copiedInTest');
    assert.equal(copied, await driver.executeScript("return document.querySelector('#export-result .snippet code').textContent"));
    for (const id of ['E0000047', 'E0000011', scenario.ids.users[2]]) assert.ok(copied.includes(id), `${id} in the snippet`);
    assert.deepEqual(leaks(copied, scenario.secrets), []);
  });

  test('Download JSON report and Download sanitised HAR: files with no secret; the HAR is the CLI\'s', async () => {
    await driver.findElement(By.id('download-json')).click();
    const json = await ff.downloadedJson(/^okta-medic-report-\d{8}-\d{6}\.json$/);
    assert.equal(JSON.parse(json).report.summary, cli.summary);
    assert.deepEqual(leaks(json, scenario.secrets), []);

    await driver.findElement(By.id('download-har')).click();
    const har = await ff.downloadedJson(/^session\.sanitised\.har$/);
    const run = spawnSync(CLI, ['har', '--redact', harPath], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(har), JSON.parse(run.stdout));
    assert.deepEqual(leaks(har, scenario.secrets), []);
    for (const kept of scenario.keep) assert.ok(har.includes(kept), `${kept} kept`);
    const receipt = await driver.executeScript(`const r = document.querySelector('#export-result .receipt');
      return r && [Number(r.dataset.count), r.querySelectorAll('tbody tr').length];`);
    assert.equal(receipt[0], receipt[1]);
    assert.equal(receipt[0], receiptLength(harPath));
  });

  test('nothing logged an error (CSP, wasm, uncaught exceptions)', async () => {
    await driver.sleep(200); // let Firefox flush its console output to the log
    assert.deepEqual(ff.problems(), []);
  });
});

/** How many redactions the CLI's receipt for `path` lists. */
function receiptLength(path) {
  const dir = mkdtempSync(join(tmpdir(), 'okta-medic-receipt-'));
  const receipt = join(dir, 'receipt.json');
  spawnSync(CLI, ['har', '--redact', '--receipt', receipt, path], { encoding: 'utf8' });
  const n = JSON.parse(readFileSync(receipt, 'utf8')).redactions.length;
  rmSync(dir, { recursive: true, force: true });
  return n;
}

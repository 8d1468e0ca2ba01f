// The DevTools panel's page logic in real Chromium: devtools/panel.html of the shipped build
// (dist/chrome) opened as an extension page (DevTools itself can't be opened headless; without the
// `devtools` API the panel analyses HAR files through the same code path), fed the HAR Chromium
// recorded of the mock Okta session (har-scenario.mjs) through its file input. A person sees the
// core's summary, findings grouped by id with counts and request ids, a filterable requests table,
// a row's full report, each row led by its cause (the core's headline with a severity mark; info
// ids only on request), no sideways scroll at 1280 px, the bucket's trajectory chart and the
// token's expiry per request; the
// three exports (Markdown snippet, JSON report, sanitised HAR + receipt) hold no seeded secret and
// equal what the CLI makes of the same file. UPDATE_SCREENSHOTS=1 rewrites docs/panel-har.png.
// Run after ./build.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openChromium } from './browsers.mjs';
import { leaks, recordHar, startHarScenario } from './har-scenario.mjs';
import { SIDEWAYS } from './sideways.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXT = join(ROOT, 'dist', 'chrome');
const CLI = join(ROOT, 'target', 'release', 'okta-medic');
const FIXTURE = join(ROOT, 'tests', 'fixtures', 'har-chrome-session', 'input.txt');
const TIMEOUT = 15_000;

describe('Chromium: the DevTools panel page with a recorded HAR (dist/chrome)', { timeout: 180_000 }, () => {
  let scenario;
  let harPath;
  let cli;
  let browser;
  let context;
  let page;
  const dir = mkdtempSync(join(tmpdir(), 'okta-medic-panel-'));
  const problems = [];
  const requests = [];

  before(async () => {
    scenario = await startHarScenario();
    harPath = await recordHar(scenario.pageUrl, dir);
    await scenario.okta.close(); // the panel must work from the file alone
    cli = JSON.parse(execFileSync(CLI, ['har', '--json', harPath], { encoding: 'utf8' }));
    browser = await openChromium(EXT, {
      name: 'panel-chromium',
      problems,
      acceptDownloads: true,
      viewport: { width: 1400, height: 1000 },
      listen(context) {
        context.on('console', (msg) => {
          if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
        });
        context.on('request', (request) => requests.push(request.url()));
      },
    });
    ({ context } = browser);
    page = await context.newPage();
    await page.goto(`${browser.origin}devtools/panel.html`);
    await page.waitForSelector('body[data-ready="true"], #load-error:not([hidden])', { timeout: TIMEOUT });
    assert.equal(await page.locator('#load-error').isHidden(), true, await page.locator('#load-error').innerText());
  });

  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(path) {
    await page.setInputFiles('#har-file', path);
    await page.waitForFunction((name) => document.body.dataset.loaded === name, path.split('/').pop(), { timeout: TIMEOUT });
  }

  test('opened outside DevTools it says how to use it and offers a HAR file', async () => {
    assert.equal(await page.locator('#empty-standalone').isVisible(), true);
    assert.equal(await page.locator('#empty-firefox').isVisible(), false);
    assert.equal(await page.locator('#exports').isVisible(), false);
  });

  test('a recorded HAR: the core\'s summary, every Okta request as a row', async () => {
    await open(harPath);
    assert.equal(await page.locator('#summary .summary-text').innerText(), cli.summary);
    assert.equal(await page.locator('#summary .summary').getAttribute('data-severity'), 'error');
    assert.equal(await page.locator('table.requests tbody tr').count(), cli.timeline.oktaEntries);
    assert.equal(await page.locator('tr[data-status="429"] td.bucket').innerText(), '/api/v1/users');
  });

  test('each row leads with its cause and a severity mark; info ids only when asked for', async () => {
    const groups = new Map(cli.timeline.digest.groups.map((g) => [g.id, g]));
    const rows = await page.locator('table.requests tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        status: tr.dataset.status,
        severity: tr.dataset.severity,
        mark: tr.querySelector('.headline .badge')?.textContent ?? null,
        headline: tr.querySelector('.headline-text')?.textContent ?? null,
        problems: [...tr.querySelectorAll('.problem-ids code')].map((c) => c.textContent),
        quiet: [...tr.querySelectorAll('.quiet-ids code')].map((c) => c.textContent),
      })),
    );
    const failed = rows.filter((r) => Number(r.status) >= 400);
    assert.equal(failed.length, 4);
    for (const r of failed) {
      // The headline is the title of the row's first worst finding: the core's words, as the
      // CLI's report of the same file words that finding's group.
      const worst = r.problems.find((id) => groups.get(id)?.severity === r.severity);
      assert.ok(worst, JSON.stringify(r));
      assert.deepEqual([r.mark, r.headline], [r.severity, groups.get(worst).finding.title], JSON.stringify(r));
    }
    for (const r of rows) {
      for (const id of r.problems) assert.ok(['warning', 'error'].includes(groups.get(id)?.severity), `${id} is a problem`);
      for (const id of r.quiet) assert.ok(['info', 'ok'].includes(groups.get(id)?.severity ?? 'info'), `${id} is quiet`);
    }
    const quiet = page.locator('tr[data-status="429"] .quiet-ids');
    assert.match(await quiet.textContent(), /http\.request_id/);
    assert.equal(await quiet.isVisible(), false, 'info ids hidden');
    assert.equal(await page.locator('tr[data-status="429"] .problem-ids').isVisible(), true);
    await page.locator('#show-quiet-ids').check();
    assert.equal(await quiet.isVisible(), true, 'shown when asked for');
    await page.locator('#show-quiet-ids').uncheck();
    assert.equal(await quiet.isVisible(), false);
  });

  test('no sideways scroll at 1280 px, a request selected and every id shown', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('tr[data-status="429"] td.time').click();
    await page.locator('#detail [data-finding-id="rate_limit.exceeded"]').waitFor({ timeout: TIMEOUT });
    await page.locator('#show-quiet-ids').check();
    const overflow = await page.evaluate(SIDEWAYS);
    if (process.env.SHOT_1280) await page.screenshot({ path: process.env.SHOT_1280 });
    await page.locator('#show-quiet-ids').uncheck();
    await page.setViewportSize({ width: 1400, height: 1000 });
    assert.equal(overflow.width, 1280);
    assert.deepEqual(overflow.scrolls, [], 'nothing scrolls sideways');
  });

  test('findings grouped by id with counts, first/last seen and copyable request ids', async () => {
    for (const g of cli.timeline.digest.groups) {
      const group = page.locator(`#groups [data-finding-id="${g.id}"]`);
      assert.equal(await group.getAttribute('data-count'), String(g.count), g.id);
      assert.equal(await group.locator('.count').innerText(), `×${g.count}`);
      assert.equal(await group.locator('.title').innerText(), g.finding.title);
    }
    // The 429: one cause, its E0000047 body folded into rate_limit.exceeded.
    assert.equal(await page.locator('#groups [data-finding-id="okta_error.E0000047"]').count(), 0);
    const limited = page.locator('#groups [data-finding-id="rate_limit.exceeded"]');
    assert.match(await limited.textContent(), /E0000047/);
    assert.equal(await limited.locator('.group-requests code').innerText(), scenario.ids.users[2]);
    assert.equal(await limited.locator('.group-requests button.copy').count(), 1);
    assert.match(await limited.locator('.group-meta').innerText(), /first seen .+ · last seen /);
  });

  test("the sign-in story: the CLI's flows, each step in order, the broken one linked to its finding", async () => {
    assert.ok(cli.flows?.length >= 1, 'the recorded session has a sign-in flow');
    assert.equal(await page.locator('#flows-pane').isVisible(), true);
    const flows = page.locator('#flows .flows > .flow');
    assert.equal(await flows.count(), cli.flows.length);
    for (const [i, flow] of cli.flows.entries()) {
      const steps = flows.nth(i).locator('.flow-step');
      assert.deepEqual(await steps.evaluateAll((lis) => lis.map((li) => li.dataset.step)), flow.steps.map((st) => st.step));
    }
    const broken = cli.flows.flatMap((f) => f.steps).find((st) => st.ok === false && st.findingId);
    const step = page.locator(`#flows .flow-step.broken[data-finding-id="${broken.findingId}"]`).first();
    assert.match(await step.textContent(), new RegExp(`^Broke here:${broken.label}`));
    await step.locator('button.flow-see-finding').click();
    const card = page.locator(`#groups [data-finding-id="${broken.findingId}"]`);
    assert.equal(await card.evaluate((n) => n.getBoundingClientRect().top < window.innerHeight), true, 'scrolled to its card');
  });

  test('filters by status, finding, bucket and time; a group shows its requests', async () => {
    const rows = () => page.locator('table.requests tbody tr').count();
    await page.selectOption('#filter-status', '429');
    assert.equal(await rows(), 1);
    await page.selectOption('#filter-status', 'failed');
    assert.equal(await rows(), 4);
    await page.selectOption('#filter-status', '');
    await page.selectOption('#filter-bucket', { label: '/api/v1/users (3)' });
    assert.equal(await rows(), 3);
    await page.selectOption('#filter-bucket', '');
    await page.selectOption('#filter-time', '60');
    assert.equal(await rows(), 7, 'the whole session took under a minute');
    await page.selectOption('#filter-time', '');
    await page.locator('#groups [data-finding-id="oauth_error.invalid_grant"] button.show-requests').click();
    assert.equal(await page.locator('#filter-finding').inputValue(), 'oauth_error.invalid_grant');
    assert.equal(await rows(), 1);
    assert.equal(await page.locator('table.requests tbody tr td.url').innerText(), '/oauth2/default/v1/token');
    await page.selectOption('#filter-finding', '');
    assert.equal(await rows(), 7);
  });

  test('clicking a row shows its full report; the keyboard does the same', async () => {
    await page.locator('tr[data-status="429"]').click();
    const detail = page.locator('#detail');
    await detail.locator('[data-finding-id="rate_limit.exceeded"]').waitFor({ timeout: TIMEOUT });
    assert.equal(await page.locator('tr[data-status="429"]').getAttribute('aria-selected'), 'true');
    assert.match(await detail.locator('.summary-text').innerText(), /429/);
    assert.equal(await detail.locator('[data-section="token"]').count(), 1, 'the bearer token decoded');
    // A recording is measured from its request, not now (issue 15): the token's timeline says so.
    assert.match(await detail.locator('.timeline-now-label').textContent(), /^the request \(recorded \d{4}-\d\d-\d\d\)$/);
    assert.match(await detail.locator('.timeline-start .relative').innerText(), / before the request$/);
    await page.locator('tr[data-status="400"]').focus();
    await page.keyboard.press('Enter');
    await detail.locator('[data-finding-id="oauth_error.invalid_grant"]').waitFor({ timeout: TIMEOUT });
    assert.equal(await page.locator('tr[data-status="400"]').getAttribute('aria-selected'), 'true');
    if (process.env.UPDATE_SCREENSHOTS) {
      await page.locator('tr[data-status="429"]').click();
      await detail.locator('[data-finding-id="rate_limit.exceeded"]').waitFor({ timeout: TIMEOUT });
      await page.evaluate(() => {
        window.scrollTo(0, 0);
        document.querySelector('.table-wrap').scrollTop = 0;
      });
      await page.screenshot({ path: join(ROOT, 'docs', 'panel-har.png') });
    }
  });

  test('the bucket over time: a chart with a dot per reading, the 429 at zero', async () => {
    const bucket = page.locator('#buckets [data-bucket="/api/v1/users"]');
    const view = cli.timeline.rateLimits.buckets.find((b) => b.bucket === '/api/v1/users');
    assert.equal(await bucket.locator('.title').innerText(), view.title);
    const chart = bucket.locator('svg.trajectory');
    assert.equal(await chart.getAttribute('data-points'), '3');
    assert.equal(await chart.locator('circle.reading').count(), 3);
    assert.equal(await chart.locator('circle.reading.empty').count(), 1);
    assert.equal(await chart.locator('polyline.remaining').count(), 1);
    // Remaining 2 → 1 → 0: each dot lower than the one before.
    const ys = await chart.locator('circle.reading').evaluateAll((dots) => dots.map((d) => Number(d.getAttribute('cy'))));
    assert.ok(ys[0] < ys[1] && ys[1] < ys[2], `${ys}`);
    assert.equal(await page.locator('#rate-summary').innerText(), cli.timeline.rateLimits.summary);
  });

  test('tokens seen, with the expiry at each request that carried them', async () => {
    const token = cli.timeline.digest.tokens[0];
    const node = page.locator(`#tokens [data-key="${token.key}"]`);
    assert.equal(await node.locator('.token-requests tbody tr').count(), token.requests);
    assert.match(await node.locator('.token-requests tbody tr .expiry').first().innerText(), /^expires in /);
  });

  test('Copy support snippet: the core\'s Markdown, on the clipboard and on screen, no secret', async () => {
    // The DevTools panel's case: the async Clipboard API refuses, the selection fallback copies.
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('blocked by permissions policy', 'NotAllowedError'));
      document.addEventListener('copy', (event) => {
        const area = event.target;
        globalThis.copiedInTest = area.value.slice(area.selectionStart, area.selectionEnd);
      });
    });
    await page.locator('#copy-markdown').click();
    await page.locator('#export-result .snippet').waitFor({ timeout: TIMEOUT });
    const copied = await page.evaluate(() => globalThis.copiedInTest);
    const shown = await page.locator('#export-result .snippet code').innerText();
    assert.equal(copied, shown);
    for (const id of ['E0000047', 'E0000011', scenario.ids.users[2]]) assert.ok(copied.includes(id), `${id} in the snippet`);
    assert.deepEqual(leaks(copied, scenario.secrets), []);
  });

  test('a row\'s Copy copies its request id (selection fallback) without selecting the row', async () => {
    const row = page.locator('table.requests tbody tr[aria-selected="false"]:has(button.copy)').first();
    const id = await row.locator('td:has(> button.copy) > code').innerText();
    await page.evaluate(() => {
      globalThis.copiedInTest = undefined;
    });
    await row.locator('button.copy').click();
    assert.equal(await page.waitForFunction(() => globalThis.copiedInTest, null, { timeout: TIMEOUT }).then((h) => h.jsonValue()), id);
    assert.equal(await row.getAttribute('aria-selected'), 'false', 'the click stayed on the button');
    assert.equal(await row.locator('button.copy').getAttribute('aria-label'), `Copy request id ${id}`);
  });

  test('Download JSON report: the core\'s JSON export of the timeline, no secret', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.locator('#download-json').click()]);
    assert.match(download.suggestedFilename(), /^okta-medic-report-\d{8}-\d{6}\.json$/);
    const text = readFileSync(await download.path(), 'utf8');
    const json = JSON.parse(text);
    assert.equal(json.report.summary, cli.summary);
    assert.match(json.redaction, /never included/);
    assert.deepEqual(leaks(text, scenario.secrets), []);
  });

  test('Download sanitised HAR: the CLI\'s --redact output, its receipt on screen, no secret', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: TIMEOUT }), page.locator('#download-har').click()]);
    assert.equal(download.suggestedFilename(), 'session.sanitised.har');
    const text = readFileSync(await download.path(), 'utf8');
    const receiptFile = join(dir, 'receipt.json');
    const run = spawnSync(CLI, ['har', '--redact', '--receipt', receiptFile, harPath], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(text), JSON.parse(run.stdout));
    assert.deepEqual(leaks(text, scenario.secrets), []);
    for (const kept of scenario.keep) assert.ok(text.includes(kept), `${kept} kept`);
    const receipt = JSON.parse(readFileSync(receiptFile, 'utf8'));
    const shown = page.locator('#export-result .receipt');
    assert.equal(await shown.getAttribute('data-count'), String(receipt.redactions.length));
    assert.equal(await shown.locator('tbody tr').count(), receipt.redactions.length);
    assert.equal(await shown.locator('tbody tr').first().locator('td').first().innerText(), receipt.redactions[0].location);
    writeFileSync(join(dir, 'clean.har'), text);
  });

  test('a sanitised HAR reads back with the same findings', async () => {
    await open(join(dir, 'clean.har'));
    const ids = await page.locator('#groups [data-finding-id]').evaluateAll((nodes) => nodes.map((n) => n.dataset.findingId));
    for (const id of ['okta_error.E0000011', 'oauth_error.invalid_grant', 'oauth_error.invalid_token', 'rate_limit.exceeded']) {
      assert.ok(ids.includes(id), `${id} in ${ids}`);
    }
    // E0000047 is folded into rate_limit.exceeded and still searchable by its id.
    assert.equal(await page.locator('#filter-finding option[value="okta_error.E0000047"]').count(), 1);
  });

  test('dropping a HAR file on the page analyses it', async () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const expected = JSON.parse(execFileSync(CLI, ['har', '--json', FIXTURE], { encoding: 'utf8' }));
    await page.evaluate((content) => {
      const data = new DataTransfer();
      data.items.add(new File([content], 'dropped.har', { type: 'application/json' }));
      for (const type of ['dragover', 'drop']) {
        document.body.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
      }
    }, text);
    await page.waitForFunction(() => document.body.dataset.loaded === 'dropped.har', null, { timeout: TIMEOUT });
    assert.equal(await page.locator('#summary .summary-text').innerText(), expected.summary);
    assert.equal(await page.locator('#source').innerText(), 'dropped.har');
  });

  test('a file that is not a HAR: the core says why, the last analysis stays', async () => {
    const bad = join(dir, 'notes.har');
    writeFileSync(bad, '{"hello": "world"}');
    await page.setInputFiles('#har-file', bad);
    const error = page.locator('#load-error');
    await error.waitFor({ state: 'visible', timeout: TIMEOUT });
    assert.match(await error.innerText(), /^notes\.har: not a HAR file/);
    assert.equal(await page.locator('#source').innerText(), 'dropped.har');
  });

  test('live: with a devtools.network (recorded entries replayed as Chromium hands them over), rows appear as requests finish', async () => {
    // DevTools can't be opened headless, so the page gets a stand-in for chrome.devtools.network
    // before its scripts run: entries without bodies, getContent(callback) for the body, getHAR
    // for what DevTools recorded before the panel opened. Everything after that is panel.js.
    const entries = JSON.parse(readFileSync(harPath, 'utf8')).log.entries;
    const livePage = await context.newPage();
    await livePage.addInitScript((recorded) => {
      const listeners = [];
      const asDevTools = (entry) => {
        const { content } = entry.response;
        const bare = structuredClone(entry);
        delete bare.response.content.text;
        delete bare.response.content.encoding;
        bare.getContent = (callback) => setTimeout(() => callback(content.text ?? null, content.encoding ?? ''), 5);
        return bare;
      };
      const before = recorded.slice(0, 3).map(asDevTools);
      // Where DevTools puts it in Chromium 156 (measured in panel-devtools-chromium.spec.mjs):
      // on both namespaces, `chrome` and `browser`.
      const devtools = {
        network: {
          onRequestFinished: { addListener: (l) => listeners.push(l), removeListener: () => {} },
          getHAR: (callback) => setTimeout(() => callback({ entries: before }), 20),
        },
      };
      for (const namespace of [globalThis.chrome, globalThis.browser]) if (namespace) namespace.devtools = devtools;
      globalThis.finishRequestInTest = (i) => listeners.forEach((l) => l(asDevTools(recorded[i])));
    }, entries);
    livePage.on('pageerror', (err) => problems.push(`live panel page error: ${err.message}`));
    await livePage.goto(page.url());
    await livePage.waitForSelector('body[data-ready="true"]', { timeout: TIMEOUT });
    assert.equal(await livePage.locator('#source').innerText(), 'Inspected tab');
    // The three entries from getHAR: /app (not Okta) and two users listings.
    await livePage.waitForFunction(() => document.body.dataset.rows === '2', null, { timeout: TIMEOUT });
    for (let i = 3; i < entries.length; i++) await livePage.evaluate((n) => globalThis.finishRequestInTest(n), i);
    await livePage.waitForFunction((n) => document.body.dataset.rows === String(n), cli.timeline.oktaEntries, { timeout: TIMEOUT });
    assert.equal(await livePage.locator('#summary .summary-text').innerText(), cli.summary);
    assert.equal(await livePage.locator('#groups [data-finding-id="rate_limit.exceeded"]').getAttribute('data-count'), '1');
    assert.equal(await livePage.locator('#buckets svg.trajectory circle.reading').count(), 3);
    await livePage.locator('tr[data-status="401"] td.time').first().click();
    await livePage.locator('#detail [data-finding-id="okta_error.E0000011"]').waitFor({ timeout: TIMEOUT });

    // The live session's sanitised HAR: its Okta entries only, with no secret.
    const [download] = await Promise.all([livePage.waitForEvent('download', { timeout: TIMEOUT }), livePage.locator('#download-har').click()]);
    assert.match(download.suggestedFilename(), /^okta-medic-session-\d{8}-\d{6}\.sanitised\.har$/);
    const har = readFileSync(await download.path(), 'utf8');
    assert.equal(JSON.parse(har).log.entries.length, cli.timeline.oktaEntries);
    assert.deepEqual(leaks(har, scenario.secrets), []);
    assert.ok(har.includes(scenario.ids.users[2]));

    // A file shown instead, then back to the tab; Clear empties it.
    await livePage.setInputFiles('#har-file', FIXTURE);
    await livePage.waitForFunction(() => document.body.dataset.loaded === 'input.txt', null, { timeout: TIMEOUT });
    await livePage.locator('#show-live').click();
    assert.equal(await livePage.locator('#source').innerText(), 'Inspected tab');
    assert.equal(await livePage.locator('table.requests tbody tr').count(), cli.timeline.oktaEntries);
    await livePage.locator('#clear').click();
    assert.equal(await livePage.locator('#empty-live').isVisible(), true);
    assert.equal(await livePage.locator('#empty-firefox').isVisible(), true, 'the Firefox Network-panel hint');
    assert.equal(await livePage.locator('#content').isVisible(), false);
    await livePage.evaluate(() => globalThis.finishRequestInTest(4));
    await livePage.waitForFunction(() => document.body.dataset.rows === '1', null, { timeout: TIMEOUT });
    await livePage.close();
  });

  test('no errors, and every request the panel made stayed inside the extension', () => {
    assert.deepEqual(problems, []);
    assert.ok(requests.some((url) => url.endsWith('/devtools/panel.js')), 'requests were observed');
    const outside = requests.filter((url) => !/^(chrome-extension|blob:chrome-extension):/.test(url));
    assert.deepEqual(outside, []);
  });
});

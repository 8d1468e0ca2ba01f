// Chromium E2E: Debian's /usr/bin/chromium driven by playwright-core loads the BUILT extension
// (dist/chrome), and a person pasting into the popup sees the right findings. Also checks the
// background service worker's message contract (lib/messages.js) and that nothing logged an
// error (CSP violations and wasm load failures surface as console errors). Run after ./build.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openChromium } from './browsers.mjs';
import { BROKEN_TOKEN, EXPECT, expiredAccessToken } from './tokens.mjs';
import { pasteAndRead, samples } from './samples.mjs';
import { HOSTILE, pasteHostile } from './hostile.mjs';
import { FIRST_SCREEN_CASES, firstScreen, fixture, paste, readLeads } from './lead.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXT = join(ROOT, 'dist', 'chrome');
const TIMEOUT = 15_000;

describe('Chromium: dist/chrome', { timeout: 120_000 }, () => {
  let browser;
  let context;
  let page;
  let extensionId;
  const problems = [];
  const requests = [];

  before(async () => {
    const started = performance.now();
    browser = await openChromium(EXT, {
      problems,
      listen(context) {
        context.on('console', (msg) => {
          if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
        });
        context.on('request', (request) => requests.push(request.url()));
      },
    });
    ({ context, extensionId } = browser);
    browser.worker.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`service worker console: ${msg.text()}`);
    });
    page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`popup page error: ${err.message}`));
    page.on('dialog', async (dialog) => {
      problems.push(`dialog: ${dialog.type()} ${dialog.message()}`);
      await dialog.dismiss();
    });
    await page.goto(`chrome-extension://${extensionId}/popup/popup.html`);
    // The popup shows the core's version once the wasm loaded, or says why it did not.
    await page.waitForFunction(
      () => /^v\d/.test(document.getElementById('version').textContent) || document.querySelector('.load-error'),
      null,
      { timeout: TIMEOUT },
    );
    const loadError = page.locator('.load-error');
    if (await loadError.count()) throw new Error(`popup: ${await loadError.innerText()}`);
    console.log(`chromium + extension ready in ${Math.round(performance.now() - started)} ms`);
  });

  after(async () => {
    await browser?.close();
  });

  /** The visible title of the finding with this id, once it is rendered. */
  async function findingTitle(id) {
    const title = page.locator(`[data-finding-id="${id}"] h3 .title`);
    await title.waitFor({ state: 'visible', timeout: TIMEOUT });
    return title.innerText();
  }

  test('the manifest was merged for Chromium (service worker, no gecko settings)', () => {
    const manifest = JSON.parse(readFileSync(join(EXT, 'manifest.json'), 'utf8'));
    assert.equal(manifest.manifest_version, 3);
    assert.deepEqual(manifest.background, { service_worker: 'background.js', type: 'module' });
    assert.equal(manifest.browser_specific_settings, undefined);
    assert.match(extensionId, /^[a-p]{32}$/);
  });

  test('pasting an expired Okta access token shows "Token expired…"', async () => {
    const token = expiredAccessToken();
    // What a paste does to the textarea: the value changes, then an insertFromPaste input event.
    await page.locator('#input').evaluate((el, text) => {
      el.focus();
      el.value = text;
      el.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
    }, token);
    const title = await findingTitle(EXPECT.expired.id);
    assert.ok(title.startsWith(EXPECT.expired.titleStart), `title was ${JSON.stringify(title)}`);
    const finding = page.locator(`[data-finding-id="${EXPECT.expired.id}"]`);
    assert.match(await finding.getAttribute('class'), /\bsev-error\b/);
    // The main claims are on screen too, in the strip under the timeline, rendered as text.
    await page.locator('.claims-strip [data-claim="iss"]').getByText('dev-123456.okta.com/oauth2/default').waitFor({ timeout: TIMEOUT });
    assert.match(await page.locator('[data-finding-id="jwt.expired"] .todo-text').innerText(), /^Get a fresh token[.:]/);
  });

  test('keyboard only: Tab reaches the first "More", Enter opens it, Tab the Copy button, Enter copies', async () => {
    await page.locator('#input').focus();
    await page.keyboard.press('Tab');
    const more = page.locator(':focus');
    assert.equal(await more.evaluate((el) => [el.tagName, el.parentElement.className].join(' ')), 'SUMMARY more');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    assert.equal(await focused.evaluate((el) => el.tagName), 'BUTTON');
    assert.equal(await focused.innerText(), 'Copy');
    const command = await focused.evaluate((el) => el.closest('.command-row').querySelector('code').textContent);
    // Record what reaches the real writeText (reading the clipboard back would need a permission
    // the extension does not ask for).
    await page.evaluate(() => {
      const write = navigator.clipboard.writeText.bind(navigator.clipboard);
      navigator.clipboard.writeText = (text) => {
        globalThis.copiedInTest = text;
        return write(text);
      };
    });
    await page.keyboard.press('Enter');
    await page.locator('#status').filter({ hasText: 'Copied' }).waitFor({ timeout: TIMEOUT });
    assert.equal(await page.evaluate(() => globalThis.copiedInTest), command);
  });

  test('typing a broken token replaces the report with "Malformed JWT…"', async () => {
    await page.locator('#input').fill('');
    await page.locator('#input').focus();
    await page.keyboard.insertText(BROKEN_TOKEN); // a typed edit: debounced, not immediate
    const title = await findingTitle(EXPECT.broken.id);
    assert.ok(title.startsWith(EXPECT.broken.titleStart), `title was ${JSON.stringify(title)}`);
    assert.equal(await page.locator(`[data-finding-id="${EXPECT.expired.id}"]`).count(), 0);
  });

  test('every okta.md §8 sample pasted shows its explanation (and a stale 429 says its window has passed)', async () => {
    const cases = samples();
    assert.ok(cases.length >= 40, `only ${cases.length} samples`);
    for (const { name, text, titles, patterns = [] } of cases) {
      const ids = [...titles, ...patterns].map((t) => t.id);
      const seen = await page.evaluate(pasteAndRead, { text, ids });
      for (const { id, title } of titles) assert.equal(seen[id], title, `${name}: ${id}`);
      for (const { id, pattern } of patterns) assert.match(String(seen[id]), pattern, `${name}: ${id}`);
    }
  });

  test('every card opens with its action (bold, above its title), the rest behind a closed "More"', async () => {
    for (const { name, text } of samples()) {
      // A sample may say how it was pasted after its fixture's name: "(a stale 429 pasted today)".
      const { report } = fixture(name.replace(/ \(.*\)$/, ''));
      assert.ok(await page.evaluate(paste, text), `${name}: no report`);
      const { cards, reportTodo, raw } = await page.evaluate(readLeads);
      assert.ok(cards.length > 0, name);
      for (const c of cards) {
        assert.deepEqual([c.firstIsTodo, c.bold, c.todoAboveTitle, c.restInMore], [true, true, true, true], `${name}: ${JSON.stringify(c)}`);
        const expected = report.findings.find((f) => f.id === c.id);
        if (/^(okta_error|oauth_error|idx|scope)\./.test(c.id)) assert.equal(c.todo, expected?.todo, `${name}: ${c.id}`);
        else assert.ok(c.todo?.length > 0, `${name}: ${c.id}`);
      }
      assert.equal(reportTodo, cards[0].todo, `${name}: the report leads with its first card's action`);
      assert.equal(raw, 1, `${name}: one collapsed "Raw data (JSON)"`);
    }
  });

  test('the first screen holds the diagnosis at 400×600 and at 200 % zoom, and a token\'s claims strip', async () => {
    const token = expiredAccessToken();
    const cases = [...FIRST_SCREEN_CASES.map((name) => [name, fixture(name).text]), ['expired token', token]];
    try {
      // 200 % zoom of a 400×600 window is a 200×300 CSS-pixel viewport.
      for (const [width, height] of [[400, 600], [200, 300]]) {
        await page.setViewportSize({ width, height });
        for (const [name, text] of cases) {
          assert.ok(await page.evaluate(paste, text), name);
          const seen = await page.evaluate(firstScreen);
          const where = `${name} at ${width}×${height}: ${JSON.stringify(seen)}`;
          assert.equal(seen.reportTodo?.inside, true, where);
          assert.equal(seen.sideways, false, where);
          if (width === 400) assert.equal(seen.firstTodo?.inside, true, where);
          if (width === 400 && text === token) {
            assert.equal(seen.strip?.inside, true, where);
            assert.deepEqual(seen.stripClaims, ['sub', 'aud', 'scp', 'cid', 'iss', 'exp'], where);
          }
        }
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 720 });
    }
  });

  test('hostile claims, error text, URLs and headers render inert, as text', async () => {
    for (const { name, text, marker } of HOSTILE) {
      const seen = await page.evaluate(pasteHostile, { text, marker });
      assert.deepEqual(seen, { rendered: true, markerShownAsText: true, handlers: [], scriptUrls: 0, embedded: 0, pwned: null, violations: [] }, name);
    }
  });

  test('the pasted input survives closing the popup and "Open in a tab"; emptied, it is forgotten', async () => {
    const token = expiredAccessToken();
    await page.locator('#input').evaluate((el, text) => {
      el.focus();
      el.value = text;
      el.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
    }, token);
    await findingTitle(EXPECT.expired.id);
    // Closing the popup: the page goes away; opening it again starts from the same input.
    const popup = `chrome-extension://${extensionId}/popup/popup.html`;
    await page.goto('about:blank');
    await page.goto(popup);
    await page.waitForFunction((t) => document.getElementById('input').value === t, token, { timeout: TIMEOUT });
    await findingTitle(EXPECT.expired.id);
    // "Open in a tab" opens the popup page in a tab (popup.html?tab=ID): it starts there too.
    const tab = await page.context().newPage();
    await tab.goto(`${popup}?tab=1`);
    await tab.waitForFunction((t) => document.getElementById('input').value === t, token, { timeout: TIMEOUT });
    await tab.close();
    // Emptying the box forgets it: a reopened popup starts empty.
    await page.locator('#input').evaluate((el) => {
      el.value = '';
      el.dispatchEvent(new InputEvent('input', { inputType: 'deleteContentBackward', bubbles: true }));
    });
    await new Promise((r) => setTimeout(r, 400)); // past the typing debounce
    await page.goto('about:blank');
    await page.goto(popup);
    await page.waitForFunction(() => /^v\d/.test(document.getElementById('version').textContent), null, { timeout: TIMEOUT });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await page.locator('#input').inputValue(), '');
    // The draft never reaches extension storage.
    const stored = await page.evaluate(async () => JSON.stringify([await chrome.storage.local.get(null), await chrome.storage.session.get(null)]));
    assert.equal(stored.includes(token.split('.')[1]), false);
  });

  test('the background answers no analyser: the pages analyse with their own core', async () => {
    // report:analyze-text, report:analyze-exchange and core:version had no sender but tests.
    const replies = await page.evaluate(async () => {
      const ask = (m) => chrome.runtime.sendMessage(m).then((reply) => ({ reply }), (err) => ({ error: String(err?.message ?? err) }));
      return Promise.all([{ type: 'report:analyze-text', text: 'eyJ', now: 0 }, { type: 'report:analyze-exchange', exchange: {} }, { type: 'core:version' }].map(ask));
    });
    for (const r of replies) assert.notEqual(r.reply?.ok, true, JSON.stringify(r));
  });

  test('nothing logged an error (CSP, wasm load, uncaught exceptions)', () => {
    assert.deepEqual(problems, []);
  });

  test('every request stayed inside the extension (nothing pasted left the machine)', () => {
    assert.ok(requests.some((url) => url.endsWith('/pkg/okta_medic_ui_bg.wasm')), JSON.stringify(requests));
    const outside = requests.filter((url) => !url.startsWith(`chrome-extension://${extensionId}/`));
    assert.deepEqual(outside, []);
  });
});

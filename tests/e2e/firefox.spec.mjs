// Firefox E2E: Debian's firefox-esr (headless) driven by selenium-webdriver + geckodriver
// installs the BUILT extension (dist/firefox) as a temporary add-on, and a person pasting into
// the popup sees the right findings. Also checks the background event page's message contract
// (lib/messages.js) and that no extension page or the background logged an error (Firefox
// prints console output and uncaught errors to geckodriver's log; WebDriver BiDi's log events
// don't include moz-extension:// pages). Run after ./build.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import webdriver from 'selenium-webdriver';
import { BROKEN_TOKEN, EXPECT, expiredAccessToken } from './tokens.mjs';
import { pasteAndRead, samples } from './samples.mjs';
import { HOSTILE, pasteHostile } from './hostile.mjs';
import { launchFirefox, manifestAt } from './firefox-session.mjs';
import { FIRST_SCREEN_CASES, firstScreen, fixture, paste, readLeads } from './lead.mjs';

const { By, Key, until } = webdriver;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXT = join(ROOT, 'dist', 'firefox');
const MANIFEST = manifestAt(EXT);
// Fixes the moz-extension:// host, which Firefox otherwise picks at random per profile.
const UUID = '4f0c7d2e-9b1a-4c55-8e2f-6a3d1b7c9e01';
const POPUP = `moz-extension://${UUID}/popup/popup.html`;
const TIMEOUT = 15_000;

describe('Firefox: dist/firefox', { timeout: 120_000 }, () => {
  let ff;
  let driver;

  before(async () => {
    const started = performance.now();
    ff = await launchFirefox(EXT, { uuid: UUID });
    ({ driver } = ff);
    await driver.get(POPUP);
    // The popup shows the core's version once the wasm loaded, or says why it did not.
    const state = `const v = document.getElementById('version');
      const e = document.querySelector('.load-error');
      return e ? 'error: ' + e.textContent : /^v\\d/.test(v.textContent) ? 'ready' : null;`;
    const ready = await driver.wait(() => driver.executeScript(state), TIMEOUT);
    if (ready !== 'ready') throw new Error(`popup: ${ready}`);
    console.log(`firefox + extension ready in ${Math.round(performance.now() - started)} ms`);
  });

  after(async () => {
    await ff?.close();
  });

  async function findingTitle(id) {
    const title = await driver.wait(until.elementLocated(By.css(`[data-finding-id="${id}"] h3 .title`)), TIMEOUT);
    await driver.wait(until.elementIsVisible(title), TIMEOUT);
    return title.getText();
  }

  test('the manifest was merged for Firefox (event page scripts, gecko settings)', () => {
    assert.deepEqual(MANIFEST.background, { scripts: ['background.js'], type: 'module' });
    assert.equal(MANIFEST.browser_specific_settings.gecko.strict_min_version, '142.0');
  });

  test('pasting an expired Okta access token shows "Token expired…"', async () => {
    const token = expiredAccessToken();
    await driver.executeScript(
      `const [text] = arguments;
       const el = document.getElementById('input');
       el.focus();
       el.value = text;
       el.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));`,
      token,
    );
    const title = await findingTitle(EXPECT.expired.id);
    assert.ok(title.startsWith(EXPECT.expired.titleStart), `title was ${JSON.stringify(title)}`);
    const finding = await driver.findElement(By.css(`[data-finding-id="${EXPECT.expired.id}"]`));
    assert.match(await finding.getAttribute('class'), /\bsev-error\b/);
    // The main claims are on screen too, in the strip under the timeline, rendered as text.
    const iss = await driver.findElement(By.css('.claims-strip [data-claim="iss"] dd'));
    assert.equal(await iss.getText(), 'https://dev-123456.okta.com/oauth2/default');
    assert.match(await finding.findElement(By.css('.todo-text')).getText(), /^Get a fresh token[.:]/);
  });

  test('keyboard only: Tab reaches the first "More", Enter opens it, Tab the Copy button, Enter copies', async () => {
    const input = await driver.findElement(By.id('input'));
    await input.sendKeys(Key.TAB);
    const more = await driver.switchTo().activeElement();
    assert.equal(await more.getTagName(), 'summary');
    assert.equal(await more.getText(), 'More');
    await more.sendKeys(Key.ENTER);
    await more.sendKeys(Key.TAB);
    const focused = await driver.switchTo().activeElement();
    assert.equal(await focused.getTagName(), 'button');
    assert.equal(await focused.getText(), 'Copy');
    await focused.sendKeys(Key.ENTER);
    await driver.wait(until.elementTextIs(driver.findElement(By.id('status')), 'Copied'), TIMEOUT);
  });

  test('typing a broken token replaces the report with "Malformed JWT…"', async () => {
    const input = await driver.findElement(By.id('input'));
    await input.clear();
    await input.sendKeys(BROKEN_TOKEN); // real key events: debounced, not immediate
    const title = await findingTitle(EXPECT.broken.id);
    assert.ok(title.startsWith(EXPECT.broken.titleStart), `title was ${JSON.stringify(title)}`);
    const stale = await driver.findElements(By.css(`[data-finding-id="${EXPECT.expired.id}"]`));
    assert.equal(stale.length, 0);
  });

  test('every okta.md §8 sample pasted shows its explanation (and a stale 429 says its window has passed)', async () => {
    const cases = samples();
    assert.ok(cases.length >= 40, `only ${cases.length} samples`);
    for (const { name, text, titles, patterns = [] } of cases) {
      const ids = [...titles, ...patterns].map((t) => t.id);
      const seen = await driver.executeScript(`return (${pasteAndRead})(arguments[0]);`, { text, ids });
      for (const { id, title } of titles) assert.equal(seen[id], title, `${name}: ${id}`);
      for (const { id, pattern } of patterns) assert.match(String(seen[id]), pattern, `${name}: ${id}`);
    }
  });

  test('every card opens with its action (bold, above its title), the rest behind a closed "More"', async () => {
    for (const { name, text } of samples()) {
      // A sample may say how it was pasted after its fixture's name: "(a stale 429 pasted today)".
      const { report } = fixture(name.replace(/ \(.*\)$/, ''));
      assert.ok(await driver.executeScript(`return (${paste})(arguments[0]);`, text), `${name}: no report`);
      const { cards, reportTodo, raw } = await driver.executeScript(`return (${readLeads})();`);
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
    // Firefox keeps a window at least 500 px wide, so the popup is loaded into a frame whose
    // viewport is 400×600 CSS pixels, or 200×300: what 200 % zoom makes of a 400×600 window.
    try {
      for (const [width, height] of [[400, 600], [200, 300]]) {
        await driver.get(POPUP);
        const frame = await driver.executeScript(
          `const f = document.createElement('iframe');
           f.src = 'popup.html'; f.style.cssText = 'border:0;display:block;width:${width}px;height:${height}px';
           document.body.replaceChildren(f); return f;`,
        );
        // The frame's popup has loaded its core once it shows the version.
        await driver.wait(() => driver.executeScript("return /^v\\d/.test(arguments[0].contentDocument?.getElementById('version')?.textContent ?? '');", frame), TIMEOUT);
        await driver.switchTo().frame(frame);
        try {
          for (const [name, text] of cases) {
            assert.ok(await driver.executeScript(`return (${paste})(arguments[0]);`, text), name);
            const seen = await driver.executeScript(`return (${firstScreen})();`);
            const where = `${name} at ${width}×${height}: ${JSON.stringify(seen)}`;
            assert.deepEqual(seen.view, { width, height }, where);
            assert.equal(seen.reportTodo?.inside, true, where);
            assert.equal(seen.sideways, false, where);
            if (width === 400) assert.equal(seen.firstTodo?.inside, true, where);
            if (width === 400 && text === token) {
              assert.equal(seen.strip?.inside, true, where);
              assert.deepEqual(seen.stripClaims, ['sub', 'aud', 'scp', 'cid', 'iss', 'exp'], where);
            }
          }
        } finally {
          await driver.switchTo().defaultContent();
        }
      }
    } finally {
      await driver.get(POPUP); // the next tests paste into the popup itself
      await driver.wait(() => driver.executeScript("return /^v\\d/.test(document.getElementById('version')?.textContent ?? '');"), TIMEOUT);
    }
  });

  test('hostile claims, error text, URLs and headers render inert, as text', async () => {
    for (const { name, text, marker } of HOSTILE) {
      const seen = await driver.executeScript(`return (${pasteHostile})(arguments[0]);`, { text, marker });
      assert.deepEqual(seen, { rendered: true, markerShownAsText: true, handlers: [], scriptUrls: 0, embedded: 0, pwned: null, violations: [] }, name);
    }
  });

  test('the pasted input survives closing the popup and "Open in a tab"; emptied, it is forgotten', async () => {
    const token = expiredAccessToken();
    const setInput = (text, inputType) =>
      driver.executeScript(
        `const [text, inputType] = arguments;
         const el = document.getElementById('input');
         el.value = text;
         el.dispatchEvent(new InputEvent('input', { inputType, bubbles: true }));`,
        text,
        inputType,
      );
    const inputIs = (text) => driver.wait(() => driver.executeScript("return document.getElementById('input').value === arguments[0]", text), TIMEOUT);
    await setInput(token, 'insertFromPaste');
    await findingTitle(EXPECT.expired.id);
    // Closing the popup, then opening it again (and the tab "Open in a tab" opens).
    await driver.get('about:blank');
    await driver.get(POPUP);
    await inputIs(token);
    await findingTitle(EXPECT.expired.id);
    await driver.get(`${POPUP}?tab=1`);
    await inputIs(token);
    // Emptying the box forgets it.
    await setInput('', 'deleteContentBackward');
    await new Promise((r) => setTimeout(r, 400)); // past the typing debounce
    await driver.get('about:blank');
    await driver.get(POPUP);
    await driver.wait(() => driver.executeScript("return /^v\\d/.test(document.getElementById('version').textContent)"), TIMEOUT);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await driver.executeScript("return document.getElementById('input').value"), '');
  });

  test('the background answers no analyser: the pages analyse with their own core', async () => {
    // report:analyze-text and core:version had no sender but tests.
    const replies = await driver.executeAsyncScript(
      `const done = arguments[0];
       const ask = (m) => browser.runtime.sendMessage(m).then((reply) => ({ reply: reply ?? null }), (err) => ({ error: String(err) }));
       Promise.all([{ type: 'report:analyze-text', text: 'eyJ', now: 0 }, { type: 'core:version' }].map(ask)).then(done, (err) => done([{ thrown: String(err) }]));`,
    );
    assert.equal(replies.length, 2, JSON.stringify(replies));
    for (const r of replies) assert.notEqual(r.reply?.ok, true, JSON.stringify(r));
  });

  test('nothing logged an error (CSP, wasm load, uncaught exceptions)', async () => {
    const loadErrors = await driver.findElements(By.css('.load-error'));
    assert.equal(loadErrors.length, 0);
    await driver.sleep(200); // let Firefox flush its console output to the log
    const problems = ff.problems();
    assert.deepEqual(problems, []);
  });
});

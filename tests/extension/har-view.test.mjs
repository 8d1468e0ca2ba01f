// One HAR view (extension/lib/har-view.js) on one markup: the DevTools panel's page
// (devtools/panel.html) holds it as two parts, har-toolbar and har-view, and the offline page
// (web/index.html) includes both when tools/bundle.mjs --html builds it. Every element the view
// (and each page's own script) looks up is in both pages, once; the page's HAR markup is the
// panel's but for its headings, one level down under "HAR file". (The panel and web E2E specs
// drive the view itself in Chromium and Firefox.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { includeParts } from '../../tools/bundle.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (...path) => readFileSync(join(ROOT, ...path), 'utf8');

const panel = read('extension', 'devtools', 'panel.html');
const page = includeParts(join(ROOT, 'web', 'index.html'));

const idsOf = (html) => [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
/** The ids a script looks up: `$('x')` and `getElementById('x')`. */
const lookups = (code) => [...code.matchAll(/(?:\$|getElementById)\('([\w-]+)'\)/g)].map((m) => m[1]);
/** A part of panel.html as the page holds it: its lines, trimmed, headings one level down. */
function part(name) {
  const start = panel.indexOf(`<!-- part ${name} -->`);
  const end = panel.indexOf(`<!-- /part ${name} -->`);
  assert.ok(start !== -1 && end > start, `panel.html has no part ${name}`);
  return panel.slice(start, end).split('\n').slice(1, -1).map((l) => l.trim());
}

test('no id is in either page twice', () => {
  for (const [name, html] of [['panel.html', panel], ['the offline page', page]]) {
    const ids = idsOf(html);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], `${name} repeats an id`);
  }
});

test('every element the HAR view and each page script look up is in that page', () => {
  const view = lookups(read('extension', 'lib', 'har-view.js'));
  assert.ok(view.length > 20, `the view looks up ${view.length} elements`);
  for (const [name, html, script] of [
    ['panel.html', panel, read('extension', 'devtools', 'panel.js')],
    ['the offline page', page, read('web', 'app.js')],
  ]) {
    const ids = new Set(idsOf(html));
    assert.deepEqual([...view, ...lookups(script)].filter((id) => !ids.has(id)), [], `missing from ${name}`);
  }
});

test("the page's HAR markup is the panel's two parts, headings one level down", () => {
  const lines = `\n${page.split('\n').map((l) => l.trim()).join('\n')}\n`;
  for (const [name, shift] of [['har-toolbar', 0], ['har-view', 1]]) {
    const expected = part(name).map((l) => l.replace(/<(\/?)h([1-5])\b/g, (_, s, n) => `<${s}h${Number(n) + shift}`));
    assert.ok(expected.length > 3, name);
    assert.ok(lines.includes(`\n${expected.join('\n')}\n`), `${name} is not in the page as the panel has it`);
  }
  assert.doesNotMatch(page, /<!-- (include|part)\b/);
  assert.doesNotMatch(read('web', 'index.html'), /id="(summary|groups|requests|har-file)"/, 'web/index.html writes the view again');
});

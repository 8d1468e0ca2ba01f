// Prints bench/results.json (the last ./build.sh bench) as the README's Markdown table, so the
// README's numbers are copied from one run, not typed: `node bench/table.mjs`.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const results = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'results.json'), 'utf8'));
const cell = (s) => String(s ?? '').trim().replaceAll('|', '\\|');
console.log(`${results.date.slice(0, 10)}, ${results.machine}\n`);
console.log('| Measurement | Okta Medic | Detail | Target |');
console.log('|---|---|---|---|');
for (const r of results.rows) {
  const target = r.target == null ? '' : `${r.target}: **${r.met ? 'met' : 'missed'}** (${r.actual})`;
  console.log(`| ${cell(r.name)} | ${cell(r.value)} | ${cell(r.detail)} | ${cell(target)} |`);
}

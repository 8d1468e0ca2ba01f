// The popup's ES modules as one file, for dist/ (build.sh runs it on each assembled copy):
//
//   node tools/bundle-popup.mjs dist/chrome
//
// writes popup/popup.bundle.js — popup.js and its static import graph, each module wrapped in a
// function that returns its exports, in the order the browser would evaluate them — and points
// dist's popup.html at it instead of popup.js's 19 modules, whose four popup/ files it removes
// from dist (lib/'s are shared with other pages). The wasm-bindgen glue (pkg/) stays a module of
// its own. Why: the popup fetched, parsed and linked 19 modules before its DOM was
// ready; one file opens its first finding ~34 ms sooner (README § Benchmarks, "UI pages, third
// pass"). The sources stay modules (other pages, tests and the offline page import them).
//
// No dependency and no guessing: the modules use only `import { a, b } from './x.js'`,
// `import name, * as ns from` (the glue), `export function|const|class` and `export { a }`.
// Anything else (export default, export let, export *, re-exports, side-effect or dynamic
// imports, an import cycle) fails the build with the file named, and the bundle must pass
// `node --check`. Deterministic: the same sources give the same bytes.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const IMPORT = /^import\s([^;]*?)\s*from\s+'([^']+)';[ \t]*\n/gm;
const EXPORT_DECL = /^export (?=(?:async )?function\*? |const |class )/gm;
const EXPORT_LIST = /^export \{([^}]*)\};[ \t]*\n/gm;
const DECLARED = /^export (?:async )?(?:function\*?|const|class)\s+([A-Za-z_$][\w$]*)/gm;

function fail(file, why) {
  console.error(`bundle-popup: ${file}: ${why}`);
  process.exit(1);
}

/** Code outside comments and strings is not parsed; these checks read lines, skipping comments. */
function codeLines(source) {
  return source.split('\n').filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line));
}

/**
 * The module without its whole-line comments (`// …` lines and `/* … *\/` blocks that start a
 * line): they are most of the sources' bytes, and dist keeps lib/'s commented files for the
 * other pages. Safe because no code line opens a multi-line template literal (checked: a line
 * starting with `//` inside one would be text), and comments inside code lines are kept.
 */
function withoutCommentLines(source, file) {
  const out = [];
  let inBlock = false;
  for (const line of source.split('\n')) {
    const t = line.trim();
    const opens = !inBlock && t.startsWith('/*');
    if (inBlock || opens) {
      // Code after a block comment's end on the same line would be dropped: refuse it.
      const end = t.indexOf('*/', opens ? 2 : 0);
      if (end !== -1 && end !== t.length - 2) fail(file, `code after a block comment: ${t}`);
      inBlock = end === -1;
      continue;
    }
    if (t.startsWith('//')) continue;
    if ((line.match(/`/g) ?? []).length % 2 !== 0) fail(file, `a multi-line template literal: ${t}`);
    out.push(line);
  }
  return out.join('\n');
}

/** `{ a, b as c }` → `{ a, b: c }` (a destructuring pattern). */
function pattern(names) {
  return `{ ${names.split(',').map((n) => n.trim()).filter(Boolean).map((n) => n.replace(/^(\S+)\s+as\s+(\S+)$/, '$1: $2')).join(', ')} }`;
}

/** The bindings of one import clause, read from `from` (a module's exports object). */
function bindings(clause, from, file) {
  const lines = [];
  let rest = clause.trim();
  const named = rest.match(/\{([^}]*)\}/);
  if (named) {
    lines.push(`const ${pattern(named[1])} = ${from};`);
    rest = rest.replace(named[0], '');
  }
  for (const part of rest.split(',').map((p) => p.trim()).filter(Boolean)) {
    const ns = part.match(/^\*\s+as\s+([A-Za-z_$][\w$]*)$/);
    if (ns) lines.push(`const ${ns[1]} = ${from};`);
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) lines.push(`const ${part} = ${from}.default;`);
    else fail(file, `unsupported import clause: ${clause}`);
  }
  return lines;
}

export function bundle(dir) {
  const popupDir = join(dir, 'popup');
  const entry = resolve(popupDir, 'popup.js');
  const order = [];
  const state = new Map(); // file → 'visiting' | 'done'
  const external = new Map(); // glue file → its variable
  const read = new Map();
  function visit(file) {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'visiting') fail(file, 'import cycle');
    state.set(file, 'visiting');
    const source = readFileSync(file, 'utf8');
    read.set(file, source);
    for (const line of codeLines(source)) {
      if (/\bimport\s*\(/.test(line)) fail(file, 'dynamic import()');
      if (/^import\s+'/.test(line)) fail(file, 'side-effect import');
      if (/^export (default|let|var|\*|const\s*[{[])|^export \{[^}]*\}\s*from/.test(line)) fail(file, `unsupported export: ${line}`);
    }
    for (const [, , spec] of source.matchAll(IMPORT)) {
      const target = resolve(dirname(file), spec);
      if (target.split(sep).includes('pkg')) {
        if (!external.has(target)) external.set(target, `__glue${external.size}`);
      } else {
        visit(target);
      }
    }
    state.set(file, 'done');
    order.push(file);
  }
  visit(entry);

  const variable = new Map(order.map((file, i) => [file, `__module${i}`]));
  const rel = (file) => relative(popupDir, file).split(sep).join('/');
  const spec = (file) => (rel(file).startsWith('.') ? rel(file) : `./${rel(file)}`);
  let out = '// Generated by tools/bundle-popup.mjs from popup.js and its imports; do not edit.\n';
  for (const [file, name] of external) out += `import * as ${name} from '${spec(file)}';\n`;
  for (const file of order) {
    const source = read.get(file);
    const head = [];
    for (const [, clause, from] of source.matchAll(IMPORT)) {
      const target = resolve(dirname(file), from);
      head.push(...bindings(clause, external.get(target) ?? variable.get(target), file));
    }
    const exported = [...source.matchAll(DECLARED)].map(([, name]) => name);
    for (const [, list] of source.matchAll(EXPORT_LIST)) {
      for (const n of list.split(',').map((x) => x.trim()).filter(Boolean)) {
        exported.push(n.replace(/^(\S+)\s+as\s+(\S+)$/, '$2: $1'));
      }
    }
    const body = withoutCommentLines(source, file)
      .replace(IMPORT, '')
      .replace(EXPORT_LIST, '')
      .replace(EXPORT_DECL, '')
      // The module's own URL, as the browser would have given it.
      .replaceAll('import.meta.url', `new URL('${spec(file)}', import.meta.url).href`);
    if (/^export\s/m.test(body)) fail(file, 'an export this tool does not read');
    out += `\n// ${rel(file)}\nconst ${variable.get(file)} = (() => {\n${head.join('\n')}\n${body}\nreturn { ${exported.join(', ')} };\n})();\n`;
  }
  const target = join(popupDir, 'popup.bundle.js');
  writeFileSync(target, out);
  // A syntax error or two modules' bindings colliding would only show in the browser: not here.
  execFileSync(process.execPath, ['--input-type=module', '--check'], { input: out });

  // dist's popup.html loads the bundle; its modulepreload list names the glue only.
  const htmlPath = join(popupDir, 'popup.html');
  const html = readFileSync(htmlPath, 'utf8');
  const glue = new Set([...external.keys()].map(rel));
  let next = html.replace(/^\s*<link rel="modulepreload" href="([^"]+)">\n/gm, (line, href) => (glue.has(href) ? line : ''));
  next = next.replace('<script type="module" src="popup.js"></script>', '<script type="module" src="popup.bundle.js"></script>');
  if (!next.includes('src="popup.bundle.js"')) fail(htmlPath, 'no <script type="module" src="popup.js"> to replace');
  writeFileSync(htmlPath, next);
  // The popup's own modules are in the bundle now and no other page imports them (lib/'s are
  // shared with the panel and the options page, so they stay).
  for (const file of order) if (dirname(file) === resolve(popupDir)) rmSync(file);
  return { modules: order.length, bytes: Buffer.byteLength(out) };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const dir = process.argv[2];
  if (!dir) fail('usage', 'node tools/bundle-popup.mjs <assembled extension dir>');
  const { modules, bytes } = bundle(dir);
  console.log(`${dir}/popup/popup.bundle.js: ${modules} modules, ${bytes} B`);
}

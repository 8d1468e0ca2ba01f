// The repository's one ES-module bundler (no npm bundler, no dependency). It follows ENTRY's
// static imports depth-first, in source order (the order the browser evaluates them), wraps each
// module in a function whose imports are read from the modules before it (each module's exports
// are one frozen object; an exported `let`/`var` is a getter, so it stays live as in ES modules),
// and writes one file:
//
//   node tools/bundle.mjs ENTRY OUT [--format module|classic] [--external PATH]…
//                         [--inline SPEC=FILE]… [--strip-comments] [--page HTML] [--prune]
//                         [--html IN=OUT]…
//
// --format classic (the default) writes a classic script, all of it inside one function, with
//   `import.meta.url` read as the page's own address (document.baseURI). The offline page
//   (dist/web/) needs it: Chrome refuses module scripts and fetch() from file://.
// --format module writes an ES module: `import.meta.url` becomes the bundled module's own URL
//   as the browser would have given it (new URL(its path from OUT, import.meta.url)).
// --external PATH (module format only) leaves the module at PATH, or every module under the
//   folder PATH, as a module import of the bundle (`import * as __externalN from '…'`): dist's
//   popup keeps the wasm-bindgen glue (pkg/) a module of its own.
// --inline SPEC=FILE makes `import { base64 } from 'SPEC'` give FILE's bytes as base64 (the
//   offline page's wasm module, so that no fetch is needed).
// --strip-comments drops whole-line comments (`// …` lines and `/* … */` blocks that start a
//   line): most of the sources' bytes. Safe because a line opening a multi-line template literal
//   (where a line starting with `//` would be text) fails the build; comments inside code lines
//   are kept.
// --page HTML points HTML's `<script type="module" src="ENTRY">` at OUT and drops its
//   modulepreload links to the bundled modules (those to external modules stay);
// --prune removes each bundled module that nothing left in the extension (the folder above
//   ENTRY's: dist/chrome/ for popup/popup.js) names any more: dist's popup/ files, and the lib/
//   modules only the popup imports (lib/paste-view.js …). A module stays when a file left there
//   (.js, .html, .json, .css) names its path in quotes — an import, a `src`, a manifest entry, a
//   path the background hands to the scripting API — so a module another page loads stays.
// --html IN=OUT writes the page IN as OUT with each `<!-- include NAME from FILE -->` line
//   replaced by FILE's part NAME (the lines between `<!-- part NAME -->` and
//   `<!-- /part NAME -->`), indented as the include was; `, headings +N` after FILE moves the
//   part's headings N levels down. The offline page takes the DevTools panel's HAR view markup
//   so (lib/har-view.js runs on both), and a part or file that is not there fails the build.
//
// It knows the forms this repository uses (and wasm-bindgen's `--target web` glue):
// `import x, * as ns, { a, b as c } from './x.js'`, side-effect imports, `export
// function|async function|class|const`, `export { a, b as c }`, `export default NAME` and
// `export default function|class`. Anything else (export let/var, export *, re-exports, bare or
// dynamic imports, an import cycle) fails with the file named, and the bundle must pass
// `node --check` (two modules' bindings colliding would otherwise only show in the browser).
// Deterministic: the same sources give the same bytes.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const IMPORT = /^import\s+(?:([\s\S]*?)\s+from\s+)?['"]([^'"]+)['"];?[ \t]*$/gm;
const EXPORT_DECL = /^export\s+(?:(async\s+function\*?|function\*?|class|const|let|var)\s+)([A-Za-z_$][\w$]*)/gm;
const EXPORT_LIST = /^export\s*\{([^}]*)\}\s*;?[ \t]*$/gm;
const EXPORT_DEFAULT = /^export\s+default\s+([A-Za-z_$][\w$]*)\s*;[ \t]*$/gm;
const EXPORT_DEFAULT_DECL = /^export\s+default\s+((?:async\s+)?function\*?|class)\s+([A-Za-z_$][\w$]*)/gm;
const IMPORT_META = /import\.meta\.url/g;
const IDENT = /^[A-Za-z_$][\w$]*$/;
const FORMATS = ['classic', 'module'];

export class BundleError extends Error {}

function fail(file, message) {
  throw new BundleError(`${relative(process.cwd(), file) || file}: ${message}`);
}

/** A path from `from`'s folder to `file`, with '/' and a leading './' or '../'. */
function relSpec(from, file) {
  const rel = relative(from, file).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** `a, b as c` → [['a', 'a'], ['b', 'c']] (exported/imported name, local name). */
function specifiers(file, list) {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [name, local = name, extra] = s.split(/\s+as\s+/);
      if (extra !== undefined || (!IDENT.test(name) && name !== 'default') || !IDENT.test(local)) {
        fail(file, `unsupported specifier '${s}'`);
      }
      return [name, local];
    });
}

/** An import clause (`x`, `{ a, b as c }`, `* as ns`, `x, * as ns`, `x, { a }`) → binding code. */
function bindings(file, clause, dep) {
  const lines = [];
  let rest = clause.trim();
  const def = rest.match(/^([A-Za-z_$][\w$]*)\s*(?:,\s*|$)/);
  if (def) {
    lines.push(`const ${def[1]} = ${dep}.default;`);
    rest = rest.slice(def[0].length).trim();
  }
  if (rest === '') return lines;
  const ns = rest.match(/^\*\s+as\s+([A-Za-z_$][\w$]*)$/);
  if (ns) return [...lines, `const ${ns[1]} = ${dep};`];
  const named = rest.match(/^\{([^}]*)\}$/);
  if (!named) fail(file, `unsupported import clause '${clause}'`);
  const parts = specifiers(file, named[1]).map(([n, l]) => (n === l ? n : `${n}: ${l}`));
  return [...lines, `const { ${parts.join(', ')} } = ${dep};`];
}

/** The module without its whole-line comments (see --strip-comments above). */
function withoutCommentLines(file, source) {
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

/**
 * Bundles `entry` (and its static import graph) into one file's text.
 * @param {string} entry
 * @param {{ format?: 'classic'|'module', out?: string, external?: string[],
 *           inline?: Map<string, string>, stripComments?: boolean }} options
 *   out: where the bundle will be written (module format: its `import.meta.url` and external
 *   imports are read from there; default beside the entry)
 * @returns {{ code: string, modules: string[], external: string[] }} bundled files in evaluation
 *   order (the entry last) and the external modules it imports
 */
export function bundle(entry, { format = 'classic', out, external = [], inline = new Map(), stripComments = false } = {}) {
  if (!FORMATS.includes(format)) throw new BundleError(`--format ${format}: use ${FORMATS.join(' or ')}`);
  const entryFile = resolve(entry);
  const base = dirname(entryFile);
  const outDir = dirname(resolve(out ?? entryFile));
  const externalRoots = external.map((p) => resolve(p));
  const isExternal = (file) => externalRoots.some((root) => file === root || file.startsWith(root + sep));
  /** @type {Map<string, string>} id → wrapped module, in evaluation order */
  const done = new Map();
  /** @type {Map<string, string>} id → the variable holding its exports (`__m0`, …) */
  const names = new Map();
  const nameOf = (id) => {
    if (!names.has(id)) names.set(id, `__m${names.size}`);
    return names.get(id);
  };
  const files = [];
  /** @type {Map<string, string>} external file → its variable */
  const externals = new Map();
  const visiting = new Set();

  function visit(file) {
    const id = relSpec(base, file);
    if (done.has(id)) return id;
    if (visiting.has(id)) fail(file, 'import cycle');
    visiting.add(id);
    let source = readFileSync(file, 'utf8');
    if (stripComments) source = withoutCommentLines(file, source);
    const code = source.split('\n').filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line));
    if (code.some((line) => /\bimport\s*\(/.test(line))) fail(file, 'dynamic import()');
    const header = [];
    source = source.replace(IMPORT, (_, clause, spec) => {
      let dep;
      if (inline.has(spec)) {
        if (!done.has(spec)) {
          const base64 = readFileSync(inline.get(spec)).toString('base64');
          done.set(spec, `Object.freeze({ base64: ${JSON.stringify(base64)} })`);
        }
        dep = nameOf(spec);
      } else {
        if (!spec.startsWith('.')) fail(file, `bare import '${spec}' (only relative imports are bundled)`);
        const target = resolve(dirname(file), spec);
        if (isExternal(target)) {
          if (format !== 'module') fail(file, `external '${spec}' needs --format module`);
          if (!externals.has(target)) externals.set(target, `__external${externals.size}`);
          dep = externals.get(target);
        } else {
          dep = nameOf(visit(target));
        }
      }
      if (clause !== undefined) header.push(...bindings(file, clause, dep));
      return '';
    });
    const exported = [];
    source = source.replace(EXPORT_DECL, (match, kind, name) => {
      // Named imports become consts read once, so a reassigned export would not stay live.
      if (kind === 'let' || kind === 'var') fail(file, `exported ${kind} ${name}: export a const or a function`);
      exported.push([name, name]);
      return match.replace(/^export\s+/, '');
    });
    source = source.replace(EXPORT_LIST, (_, list) => {
      exported.push(...specifiers(file, list).map(([local, name]) => [name, local]));
      return '';
    });
    source = source.replace(EXPORT_DEFAULT_DECL, (_, kind, name) => {
      exported.push(['default', name]);
      return `${kind} ${name}`;
    });
    source = source.replace(EXPORT_DEFAULT, (_, local) => {
      exported.push(['default', local]);
      return '';
    });
    if (/^export\b/m.test(source)) fail(file, `unsupported export: ${source.match(/^export\b.*$/m)[0]}`);
    source = source.replace(
      IMPORT_META,
      format === 'module' ? `new URL(${JSON.stringify(relSpec(outDir, file))}, import.meta.url).href` : 'document.baseURI',
    );
    // An export is live: a `let`/`var` the module reassigns is read through a getter; a const,
    // function or class is a plain property (smaller, and what the popup reads at every call).
    const props = exported.map(([name, local]) => {
      const key = IDENT.test(name) ? name : JSON.stringify(name);
      if (new RegExp(`^\\s*(?:let|var)\\s+${local.replaceAll('$', '\\$')}\\b`, 'm').test(source)) {
        return `get ${key}() { return ${local}; }`;
      }
      return key === local ? local : `${key}: ${local}`;
    });
    done.set(id, `(function () {\n${header.join('\n')}\n${source}\nreturn Object.freeze({ ${props.join(', ')} });\n})()`);
    files.push(file);
    visiting.delete(id);
    return id;
  }

  const entryId = visit(entryFile);
  const modules = [...done].map(([id, code]) => `// ---- ${id}\nconst ${nameOf(id)} = ${code};`);
  const imports = [...externals].map(([file, name]) => `import * as ${name} from ${JSON.stringify(relSpec(outDir, file))};`);
  const body = ["'use strict';", ...modules];
  const code = [
    `// Generated by tools/bundle.mjs from ${entryId} and its imports; do not edit.`,
    ...imports,
    // A module is strict and private already; a classic script gets both from one function.
    ...(format === 'module' ? body.slice(1) : ['(function () {', ...body, '})();']),
    '',
  ].join('\n');
  return { code, modules: files, external: [...externals.keys()] };
}

/** Fails unless `code` parses as the format's kind of script. */
export function check(code, format) {
  const type = format === 'module' ? 'module' : 'commonjs';
  try {
    execFileSync(process.execPath, [`--input-type=${type}`, '--check'], { input: code, stdio: 'pipe' });
  } catch (err) {
    throw new BundleError(`the bundle does not parse: ${String(err.stderr ?? err.message).trim()}`);
  }
}

/** Points `html`'s module script from `entry` to `out`; drops modulepreload links to `bundled`. */
export function rewritePage(htmlPath, entry, out, bundled) {
  const dir = dirname(resolve(htmlPath));
  const html = readFileSync(htmlPath, 'utf8');
  const inBundle = new Set(bundled.map((f) => resolve(f)));
  let next = html.replace(/^\s*<link rel="modulepreload" href="([^"]+)">\n/gm, (line, href) =>
    inBundle.has(resolve(dir, href)) ? '' : line,
  );
  const from = `<script type="module" src="${relSpec(dir, resolve(entry)).replace(/^\.\//, '')}"></script>`;
  const to = `<script type="module" src="${relSpec(dir, resolve(out)).replace(/^\.\//, '')}"></script>`;
  if (!next.includes(from)) fail(htmlPath, `no ${from} to replace`);
  next = next.replace(from, to);
  writeFileSync(htmlPath, next);
}

const INCLUDE = /^([ \t]*)<!-- include ([\w-]+) from (\S+?)(?:, headings \+(\d))? -->[ \t]*$/gm;

/** The lines of `html`'s part `name` (see --html above), without their common indentation. */
function part(file, html, name) {
  const open = `<!-- part ${name} -->`;
  const close = `<!-- /part ${name} -->`;
  const start = html.indexOf(open);
  const end = html.indexOf(close);
  if (start === -1 || end < start || html.indexOf(open, start + 1) !== -1) fail(file, `no single part ${name}`);
  const lines = html.slice(html.indexOf('\n', start) + 1, html.lastIndexOf('\n', end)).split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)[0].length));
  return lines.map((l) => l.slice(indent));
}

/** `htmlPath`'s text with its include comments replaced by the parts they name (see --html). */
export function includeParts(htmlPath) {
  const html = readFileSync(htmlPath, 'utf8');
  const out = html.replace(INCLUDE, (_, indent, name, from, shift = '0') => {
    const source = resolve(dirname(resolve(htmlPath)), from);
    let lines;
    try {
      lines = part(source, readFileSync(source, 'utf8'), name);
    } catch (err) {
      if (err instanceof BundleError) throw err;
      fail(htmlPath, `include ${name}: ${from} cannot be read`);
    }
    const moved = lines.map((l) =>
      l.replace(/<(\/?)h([1-6])\b/g, (__, slash, level) => {
        const next = Number(level) + Number(shift);
        if (next > 6) fail(htmlPath, `include ${name}: <h${level}> moved past <h6>`);
        return `<${slash}h${next}`;
      }),
    );
    return moved.map((l) => (l ? indent + l : l)).join('\n');
  });
  const left = out.match(/<!-- include\b.*-->/);
  if (left) fail(htmlPath, `an include this tool does not read: ${left[0]}`);
  return out;
}

/** The bundled `modules` that no other file under `root` names (--prune): a quoted path, read
 * from the naming file's folder (an import, a `src`) or from `root` (a manifest entry, a path
 * given to the scripting API). A bundled module that stays names modules too (lib/render.js,
 * which the DevTools panel loads, imports lib/token-view.js): read until nothing new stays. */
export function unnamed(modules, root) {
  const bundled = new Set(modules.map((f) => resolve(f)));
  const named = new Set();
  const read = (path) => {
    for (const [, quoted] of readFileSync(path, 'utf8').matchAll(/["'`]([^"'`\s]+\.m?js)["'`]/g)) {
      named.add(resolve(dirname(path), quoted));
      named.add(resolve(root, quoted.replace(/^\/+/, '')));
    }
  };
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(m?js|html|json|css)$/.test(name) && !bundled.has(resolve(path))) read(path);
    }
  };
  walk(root);
  const kept = new Set();
  for (let grew = true; grew;) {
    grew = false;
    for (const file of bundled) {
      if (kept.has(file) || !named.has(file)) continue;
      kept.add(file);
      read(file);
      grew = true;
    }
  }
  return modules.filter((file) => !kept.has(resolve(file)));
}

function parseArgs(args) {
  const options = { format: 'classic', external: [], inline: new Map(), stripComments: false, page: null, prune: false, html: [] };
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      if (i + 1 >= args.length) throw new BundleError(`${arg} needs a value`);
      return args[++i];
    };
    if (arg === '--format') options.format = value();
    else if (arg === '--external') options.external.push(value());
    else if (arg === '--inline') {
      const [spec, file] = value().split('=');
      if (!spec || !file) throw new BundleError('--inline needs SPEC=FILE');
      options.inline.set(spec, resolve(file));
    } else if (arg === '--html') {
      const [from, to] = value().split('=');
      if (!from || !to) throw new BundleError('--html needs IN=OUT');
      options.html.push([from, to]);
    } else if (arg === '--strip-comments') options.stripComments = true;
    else if (arg === '--page') options.page = value();
    else if (arg === '--prune') options.prune = true;
    else if (arg.startsWith('--')) throw new BundleError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 2) {
    throw new BundleError('usage: node tools/bundle.mjs ENTRY OUT [--format module|classic] [--external PATH]… '
      + '[--inline SPEC=FILE]… [--strip-comments] [--page HTML] [--prune] [--html IN=OUT]…');
  }
  return { entry: positional[0], out: positional[1], ...options };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  try {
    const { entry, out, page, prune, html, ...options } = parseArgs(process.argv.slice(2));
    const { code, modules, external } = bundle(entry, { ...options, out });
    check(code, options.format);
    writeFileSync(out, code);
    if (page) rewritePage(page, entry, out, modules);
    if (prune) for (const file of unnamed(modules, dirname(dirname(resolve(entry))))) rmSync(file);
    for (const [from, to] of html) writeFileSync(to, includeParts(from));
    const glue = external.length ? `, ${external.length} external` : '';
    console.log(`${out}: ${modules.length} modules${glue}, ${Buffer.byteLength(code)} B`);
  } catch (err) {
    if (!(err instanceof BundleError)) throw err;
    console.error(`bundle: ${err.message}`);
    process.exit(1);
  }
}

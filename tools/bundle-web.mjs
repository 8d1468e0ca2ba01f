// A small, deterministic ES-module concatenator for the offline page (dist/web/): Chrome refuses
// module scripts and fetch() from file:// (origin null), so the page loads classic scripts only.
// It follows the entry's static imports depth-first (in source order), wraps each module in a
// function whose imports are read from the modules before it, and writes one classic script:
// the same source files the extension loads, byte for byte inside their wrappers. It knows the
// import/export forms this repository uses (and wasm-bindgen's `--target web` glue) and fails
// loudly on anything else, so a new form cannot slip through half-translated.
//
//   node tools/bundle-web.mjs ENTRY.js OUT.js [--inline SPEC=FILE]…
//
// `--inline SPEC=FILE` makes `import { base64 } from 'SPEC'` give FILE's bytes as base64 (the
// wasm module, so that no fetch is needed). `import.meta.url` becomes the page's own address
// (document.baseURI), which only the extension's fetch-based loaders read and the page never calls.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

const IMPORT = /^import\s+(?:([\s\S]*?)\s+from\s+)?['"]([^'"]+)['"];?[ \t]*$/gm;
const EXPORT_DECL = /^export\s+(?:(async\s+function\*?|function\*?|class|const|let|var)\s+)([A-Za-z_$][\w$]*)/gm;
const EXPORT_LIST = /^export\s*\{([^}]*)\}\s*;?[ \t]*$/gm;
const EXPORT_DEFAULT = /^export\s+default\s+([A-Za-z_$][\w$]*)\s*;[ \t]*$/gm;
const EXPORT_DEFAULT_DECL = /^export\s+default\s+((?:async\s+)?function\*?|class)\s+([A-Za-z_$][\w$]*)/gm;
const IMPORT_META = /import\.meta\.url/g;
const IDENT = /^[A-Za-z_$][\w$]*$/;

function fail(file, message) {
  throw new Error(`${relative(ROOT, file)}: ${message}`);
}

/** `a, b as c` → [['a', 'a'], ['b', 'c']] (exported/imported name, local name). */
function specifiers(file, list) {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [name, local = name, extra] = s.split(/\s+as\s+/);
      if (extra !== undefined || !IDENT.test(name) && name !== 'default' || !IDENT.test(local)) {
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

/**
 * Bundles `entry` into one classic script.
 * @param {string} entry
 * @param {Map<string, string>} inline specifier → file whose bytes become `export const base64`
 */
export function bundle(entry, inline = new Map()) {
  /** @type {Map<string, string>} id → wrapped module, in dependency order */
  const done = new Map();
  const visiting = new Set();

  function visit(file) {
    const id = relative(ROOT, file);
    if (done.has(id)) return id;
    if (visiting.has(id)) fail(file, 'import cycle');
    visiting.add(id);
    let source = readFileSync(file, 'utf8');
    const header = [];
    source = source.replace(IMPORT, (_, clause, spec) => {
      let depId;
      if (inline.has(spec)) {
        depId = spec;
        if (!done.has(depId)) {
          const base64 = readFileSync(inline.get(spec)).toString('base64');
          done.set(depId, `Object.freeze({ base64: ${JSON.stringify(base64)} })`);
        }
      } else {
        if (!spec.startsWith('.')) fail(file, `bare import '${spec}' (only relative imports are bundled)`);
        depId = visit(resolve(dirname(file), spec));
      }
      const dep = `__modules[${JSON.stringify(depId)}]`;
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
    const code = source.split('\n').filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line));
    if (code.some((line) => /\bimport\s*\(/.test(line))) fail(file, 'dynamic import()');
    source = source.replace(IMPORT_META, 'document.baseURI');
    // Getters keep the bindings live, as ES module exports are.
    const getters = exported.map(([name, local]) => `  get ${JSON.stringify(name)}() { return ${local}; },`);
    done.set(
      id,
      `(function () {\n${header.join('\n')}\n${source}\nreturn Object.freeze({\n${getters.join('\n')}\n});\n})()`,
    );
    visiting.delete(id);
    return id;
  }

  const entryId = visit(resolve(entry));
  const modules = [...done].map(([id, code]) => `// ---- ${id}\n__modules[${JSON.stringify(id)}] = ${code};`);
  return [
    `// Generated by tools/bundle-web.mjs from ${entryId} and its imports; do not edit.`,
    '(function () {',
    "'use strict';",
    'const __modules = Object.create(null);',
    ...modules,
    '})();',
    '',
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const args = process.argv.slice(2);
  const inline = new Map();
  const positional = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--inline') {
      const [spec, file] = (args[++i] ?? '').split('=');
      if (!spec || !file) throw new Error('--inline needs SPEC=FILE');
      inline.set(spec, resolve(file));
    } else {
      positional.push(args[i]);
    }
  }
  if (positional.length !== 2) {
    console.error('usage: node tools/bundle-web.mjs ENTRY.js OUT.js [--inline SPEC=FILE]…');
    process.exit(2);
  }
  try {
    writeFileSync(positional[1], bundle(positional[0], inline));
  } catch (err) {
    console.error(`bundle-web: ${err.message}`);
    process.exit(1);
  }
}

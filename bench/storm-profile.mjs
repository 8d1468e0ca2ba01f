// Where a storm's CPU goes: `node bench/storm-profile.mjs EXT [N] [--out DIR] [--no-profile]`
// storms one build (a dist/chrome-test directory, or bench/observer, or `none`) once, like
// bench/storm.mjs (the same page, mock Okta and undriven Chromium), and prints
//   - the CPU time (user + system) of each of Chromium's processes during the storm, by kind
//     (browser, network service, the page's renderer, the extension's renderer, …): is the
//     extension's cost in its own JS, or in the browser process dispatching events to it?
//   - the service worker's own JS, sampled by V8's CPU profiler over the DevTools protocol
//     (attached to the worker target alone, not to the page: a driver on the page costs more than
//     any extension), by function (self and total time) and by kind (GC, wasm, chrome.* glue)
//   - how many times the worker called each chrome.* API we count (storage, action, tabs), per request
// `--out DIR` also writes the .cpuprofile (open it in Chromium's DevTools, Performance panel);
// `--read FILE [N]` prints a written one again; `--trace` adds a trace of the browser's processes
// (categories toplevel, mojom, ipc, extensions, or `--trace-categories CATS`: every task, by thread,
// its thread time and wall time, nested events counted in their parents too; `--trace-thread NAME`
// prints only the threads whose name holds NAME, e.g. ServiceWorker). `--time-core` storms a timed test copy instead (bench/storm-timed.mjs: each
// core call's performance.now() sum, by its rank in the storm, and the storm's folds replayed warm in
// the worker; `--save-args FILE` keeps the folds' arguments for bench/fold-replay.mjs in Node);
// `--again` then stops the worker and storms again in the same browser (a fresh worker, the
// profile's caches kept); `--ablate-fold` makes that copy's liveFoldFields do nothing (what the fold costs the worker
// thread is the difference in its CPU); `--js-flags FLAGS` passes V8 flags to Chromium (a diagnosis, e.g. `--no-liftoff`: users'
// browsers run with the defaults).
// The profiler's sampling costs the worker time too: read the split, not the storm's rate.
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { makeCertificate } from '../tests/mock-okta/tls.mjs';
import { launchChromiumDirect } from '../tests/e2e/browsers.mjs';
import { startStormOkta } from '../tests/e2e/storm-okta.mjs';
import { startStormPage } from '../tests/e2e/storm-page.mjs';
import { cpuByKind, processCpu } from './storm.mjs';
import { READ_FOLDS, READ_TIMES, printTimes, timedCopy } from './storm-timed.mjs';

const HOST = 'dev-9012.okta.com';
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return null;
  const [, value] = args.splice(i, 2);
  return value ?? null;
};
const outDir = flag('--out');
const saved = flag('--read');
const noProfile = args.includes('--no-profile');
const traceBrowser = ['--trace', '--trace-categories', '--trace-thread'].some((a) => args.includes(a));
const ablateFold = args.includes('--ablate-fold');
const again = args.includes('--again');
const timeCore = args.includes('--time-core') || ablateFold;
const jsFlags = flag('--js-flags');
const saveArgs = flag('--save-args');
const traceCategories = flag('--trace-categories');
const traceThread = flag('--trace-thread');
const positional = args.filter((a) => !a.startsWith('--'));
const [ext, n = '3000'] = saved ? [null, ...positional] : positional;
if (!ext && !saved) {
  console.error('usage: node bench/storm-profile.mjs EXT|none [N] [--out DIR] [--no-profile] [--trace] [--time-core [--save-args FILE]] [--js-flags FLAGS]\n' +
    '       node bench/storm-profile.mjs --read FILE.cpuprofile [N]');
  process.exit(2);
}
const N = Number(n);
const built = ext === 'none' || !ext ? null : resolve(ext);
const extension = built && timeCore ? timedCopy(built, { ablateFold }) : built;

// ---- the DevTools protocol, raw (ws), on one target

function cdp(url) {
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 512 * 1024 * 1024 });
  let id = 0;
  const waiting = new Map();
  ws.on('message', (data) => {
    const m = JSON.parse(data.toString());
    if (m.method) {
      api.onEvent?.(m);
      return;
    }
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error) w.reject(new Error(`${w.method}: ${m.error.message}`));
    else w.resolve(m.result);
  });
  const opened = new Promise((res, rej) => {
    ws.once('open', res);
    ws.once('error', rej);
  });
  const api = {
    onEvent: null,
    opened,
    send: (method, params = {}) =>
      new Promise((res, rej) => {
        const msg = { id: ++id, method, params };
        waiting.set(msg.id, { resolve: res, reject: rej, method });
        ws.send(JSON.stringify(msg));
      }),
    close: () => ws.close(),
  };
  return api;
}

async function devtoolsEndpoint(dir) {
  const file = join(dir, 'DevToolsActivePort');
  const deadline = Date.now() + 15_000;
  while (!existsSync(file) || readFileSync(file, 'utf8').split('\n').length < 2) {
    if (Date.now() > deadline) throw new Error('Chromium wrote no DevToolsActivePort');
    await new Promise((r) => setTimeout(r, 50));
  }
  return `http://127.0.0.1:${readFileSync(file, 'utf8').split('\n')[0]}`;
}

async function workerTarget(endpoint) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const list = await fetch(`${endpoint}/json/list`).then((r) => r.json()).catch(() => []);
    const sw = list.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
    if (sw) return sw;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('no extension service worker target');
}

// Wraps the chrome.* calls the capture makes, in the worker, to count them (a test-only patch
// applied over CDP before the storm; the extension's files are not changed).
const COUNT_CALLS = `(() => {
  const counts = (globalThis.__stormCounts = {});
  const wrap = (path) => {
    const parts = path.split('.');
    let owner = chrome;
    for (const p of parts.slice(0, -1)) owner = owner?.[p];
    const name = parts.at(-1);
    const fn = owner?.[name];
    if (typeof fn !== 'function') return;
    counts[path] = 0;
    owner[name] = function (...a) { counts[path]++; return fn.apply(this, a); };
  };
  ['storage.session.set', 'storage.session.get', 'storage.session.remove', 'storage.local.get',
   'action.setBadgeText', 'action.setBadgeBackgroundColor', 'action.setTitle', 'action.setBadgeTextColor',
   'tabs.get', 'tabs.query', 'permissions.contains'].forEach(wrap);
  return Object.keys(counts).length;
})()`;

// ---- the profile: self and total time per function, and kinds

function analyse(profile) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const dt = profile.timeDeltas;
  const selfUs = new Map(); // node id → µs
  for (let i = 0; i < profile.samples.length; i++) {
    const d = dt[i + 1] ?? 0; // the time until the next sample belongs to this one
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + d);
  }
  const label = (cf) => {
    const file = cf.url ? cf.url.replace(/^chrome-extension:\/\/[a-z]+\//, '') : '';
    return `${cf.functionName || '(anonymous)'} ${file}${file ? `:${cf.lineNumber + 1}` : ''}`;
  };
  const self = new Map();
  const total = new Map();
  let all = 0;
  const kinds = {};
  const stages = {};
  for (const [id, us] of selfUs) {
    const node = nodes.get(id);
    const cf = node.callFrame;
    all += us;
    const l = label(cf);
    self.set(l, (self.get(l) ?? 0) + us);
    let kind;
    if (cf.functionName === '(idle)') kind = 'idle';
    else if (cf.functionName === '(garbage collector)') kind = 'GC';
    else if (cf.functionName === '(program)') kind = 'program (native, outside JS)';
    else if (cf.url.includes('.wasm') || /^\$?(wasm-function|func)/.test(cf.functionName)) kind = 'wasm';
    else if (!cf.url) kind = 'native / builtins';
    else if (cf.url.includes('/pkg/')) kind = 'wasm-bindgen glue';
    else kind = `js ${cf.url.replace(/^chrome-extension:\/\/[a-z]+\//, '')}`;
    kinds[kind] = (kinds[kind] ?? 0) + us;
    // total: every distinct frame on the stack, once
    const seen = new Set();
    const stack = [];
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const lab = label(nodes.get(at).callFrame);
      stack.push(nodes.get(at).callFrame);
      if (seen.has(lab)) continue;
      seen.add(lab);
      total.set(lab, (total.get(lab) ?? 0) + us);
    }
    const stage = stageOf(cf, stack);
    stages[stage] = (stages[stage] ?? 0) + us;
  }
  return { all, self, total, kinds, stages };
}

/** What a sample was doing, from its whole stack (the first rule that holds). */
function stageOf(leaf, stack) {
  const has = (name, url = '') => stack.some((f) => f.functionName === name && f.url.includes(url));
  const fromUrl = (prefix) => stack.some((f) => f.url.startsWith(prefix) || f.url.includes(`/${prefix}`));
  if (leaf.functionName === '(idle)') return 'idle';
  if (leaf.functionName === '(garbage collector)') return 'GC';
  if (leaf.functionName === '(program)') return 'program (native, outside JS)';
  if (has('liveFoldFields')) return 'the fold (core: liveFoldFields, its glue)';
  if (has('write', 'tab-store.js')) return 'tab-store write (core snapshot + storage.session.set)';
  if (has('refreshBadge') || has('clear', 'capture.js')) return 'badge (core + chrome.action)';
  if (fromUrl('lib/') || fromUrl('background.js')) return 'capture JS (listeners, exchange, hosts, body-join, store queue)';
  if (fromUrl('extensions::webRequest')) return "Chromium's webRequest event bindings (details copy, dispatch)";
  if (fromUrl('extensions::')) return "Chromium's other extension bindings";
  return 'other';
}

const ms = (us) => (us / 1000).toFixed(1).padStart(8);

// ---- the extension renderer's threads: CPU time and time spent runnable but waiting for a core
// (/proc/PID/task/TID/schedstat: ns on a CPU, ns waiting on a run queue), by thread name. Wall
// time in the worker (performance.now(), the profiler's samples) is the two together.

function threadTimes(cpu) {
  const out = new Map(); // `pid/tid` → {name, run, wait} in ms
  for (const [pid, { kind }] of Object.entries(cpu)) {
    if (kind !== 'extension') continue;
    let tids = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // gone meanwhile
    }
    for (const tid of tids) {
      try {
        const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
        const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
        out.set(`${pid}/${tid}`, { name, run: run / 1e6, wait: wait / 1e6 });
      } catch {
        // gone meanwhile
      }
    }
  }
  return out;
}

function printThreads(before, after) {
  const byName = new Map();
  for (const [id, t] of after) {
    const b = before.get(id) ?? { run: 0, wait: 0 };
    const v = byName.get(t.name) ?? { n: 0, run: 0, wait: 0 };
    v.n++;
    v.run += t.run - b.run;
    v.wait += t.wait - b.wait;
    byName.set(t.name, v);
  }
  console.log('\nthe extension renderer by thread (ms on a CPU, ms runnable but waiting for one):');
  for (const [name, v] of [...byName].sort((a, b) => b[1].run - a[1].run)) {
    if (v.run + v.wait >= 1) console.log(`  ${name.padEnd(24)} ×${v.n}  ${v.run.toFixed(0).padStart(6)} ms on CPU  ${v.wait.toFixed(0).padStart(6)} ms waiting`);
  }
}
const top = (map, k) => [...map].sort((a, b) => b[1] - a[1]).slice(0, k);

// ---- a trace of Chromium's processes (--trace): where the browser process's main thread and IO
// thread spend their time, by task (the mojo message or the posted task's source location)

const TRACE_CATEGORIES = 'toplevel,mojom,ipc,extensions';

async function endTrace(tracer) {
  const complete = new Promise((res) => {
    tracer.onEvent = (m) => {
      if (m.method === 'Tracing.tracingComplete') res(m.params.stream);
    };
  });
  await tracer.send('Tracing.end');
  const stream = await complete;
  let text = '';
  for (;;) {
    const chunk = await tracer.send('IO.read', { handle: stream, size: 1 << 20 });
    text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
    if (chunk.eof) break;
  }
  await tracer.send('IO.close', { handle: stream });
  const parsed = JSON.parse(text);
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

function printTrace(events) {
  const names = new Map(); // pid → process name, tid → thread name
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'process_name') names.set(`p${e.pid}`, e.args.name);
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`t${e.pid}:${e.tid}`, e.args.name);
  }
  // Every complete event's thread time (its wall time when the trace has none), by thread, category
  // and what it ran (the posted task's source, the mojo interface): nested events are counted in
  // their parents too, so compare rows across builds, don't add them up.
  const byTask = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || !Number.isFinite(e.dur)) continue;
    const thread = `${names.get(`p${e.pid}`) ?? e.pid} / ${names.get(`t${e.pid}:${e.tid}`) ?? e.tid}`;
    const what =
      e.args?.src_func ? `${e.name} ${e.args.src_file?.split('/').slice(-2).join('/')}:${e.args.src_func}`
      : e.args?.chrome_mojo_event_info ? `${e.name} ${JSON.stringify(e.args.chrome_mojo_event_info)}`
      : `${e.name}${e.args?.interface ? ` ${e.args.interface}` : ''}`;
    const key = `${thread} | ${e.cat} | ${what}`;
    const v = byTask.get(key) ?? { n: 0, us: 0, wall: 0 };
    v.n++;
    v.us += e.tdur ?? e.dur;
    v.wall += e.dur;
    byTask.set(key, v);
  }
  // Thread time against wall time: a task whose wall time is far above its thread time waited for
  // a core (the thread was descheduled) or for a lock, rather than computing.
  const rows = [...byTask].filter(([k]) => !traceThread || k.split(' | ')[0].includes(traceThread));
  console.log(`\nbrowser trace: events by thread, category and task (thread ms, wall ms, count), top 60${traceThread ? ` of threads named *${traceThread}*` : ''}:`);
  for (const [k, v] of rows.sort((a, b) => b[1].us - a[1].us).slice(0, 60)) {
    console.log(`  ${(v.us / 1000).toFixed(1).padStart(8)} ms ${(v.wall / 1000).toFixed(1).padStart(8)} ms ${String(v.n).padStart(7)}  ${k}`);
  }
}

function printProfile(profile, n) {
  const { all, self, total, kinds, stages } = analyse(profile);
  const busy = all - (kinds.idle ?? 0);
  console.log(`\nworker JS profile: ${ms(all)} ms sampled, busy ${ms(busy)} ms = ${((busy * 1000) / n / 1000).toFixed(0)} µs/request`);
  console.log('  by stage (from each sample\'s stack):');
  for (const [k, v] of top(new Map(Object.entries(stages)), 20)) if (k !== 'idle') console.log(`   ${ms(v)} ms  ${((v / busy) * 100).toFixed(0).padStart(3)} %  ${k}`);
  console.log('  by kind:');
  for (const [k, v] of top(new Map(Object.entries(kinds)), 20)) console.log(`   ${ms(v)} ms  ${k}`);
  console.log('  self time, top 25 (ms):');
  for (const [k, v] of top(self, 25)) console.log(`   ${ms(v)}  ${k}`);
  console.log('  total time (ms; self + callees), top 30:');
  for (const [k, v] of top(total, 30)) console.log(`   ${ms(v)}  ${k}`);
}

// ---- a saved profile only: `node bench/storm-profile.mjs --read FILE.cpuprofile [N]`
if (saved) {
  printProfile(JSON.parse(readFileSync(saved, 'utf8')), N);
  process.exit(0);
}

// ---- `--again`: the worker stopped (as Chromium stops an idle one after 30 s), then a second
// storm in the same browser and profile, which starts a fresh worker: does it compile the wasm
// again (the pool threads' CPU) and fold as slowly at first, or does Chromium keep the code?

/**
 * Opens the storm page (N requests to HOST) in the browser and waits until it starts: the page
 * waits 1.5 s idle before it POSTs /started, then storms, so measuring starts here. Answers the
 * storm's result (a promise) and the processes' and threads' CPU before it.
 */
async function startStorm() {
  const result = page.result();
  const started = page.started();
  await browser.openAgain(page.autoUrl(N, `https://${HOST}`));
  await started;
  const before = processCpu(browser.dir);
  return { result, before, threadsBefore: threadTimes(before) };
}

async function stormAgain(endpoint, firstWorker) {
  const version = await fetch(`${endpoint}/json/version`).then((r) => r.json());
  const b = cdp(version.webSocketDebuggerUrl);
  await b.opened;
  const swTargets = async () => (await b.send('Target.getTargets')).targetInfos.filter((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
  firstWorker?.close();
  for (const t of await swTargets()) await b.send('Target.closeTarget', { targetId: t.targetId }).catch((e) => console.warn(`closeTarget: ${e.message}`));
  const deadline = Date.now() + 15_000;
  while ((await swTargets()).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  console.log(`\n==== again: the worker ${(await swTargets()).length === 0 ? 'stopped' : 'still running (closeTarget did not stop it)'}; a second storm in the same browser`);
  const { result, before, threadsBefore } = await startStorm();
  const done = await result;
  const after = processCpu(browser.dir);
  console.log(`storm: ${N} requests in ${Math.round(done.ms)} ms = ${Math.round((N / done.ms) * 1000)}/s (answered ${done.answered}, failed ${done.failed})`);
  console.log(`  the extension renderer: ${Math.round(cpuByKind(before, after).extension ?? 0)} ms CPU`);
  printThreads(threadsBefore, threadTimes(after));
  const target = await workerTarget(endpoint);
  const worker = cdp(target.webSocketDebuggerUrl);
  await worker.opened;
  if (timeCore) {
    const got = await worker.send('Runtime.evaluate', { expression: READ_TIMES(0), returnByValue: true });
    printTimes(JSON.parse(got.result.value ?? '{}'), N);
  }
  worker.close();
  b.close();
}

// ---- one storm

const page = await startStormPage();
const mock = await startStormOkta({ tls: makeCertificate([HOST]), cors: [page.origin], host: HOST });
const browser = await launchChromiumDirect(extension, {
  name: 'storm-profile',
  url: 'about:blank',
  args: [`--host-resolver-rules=MAP ${HOST}:443 127.0.0.1:${mock.port}`, '--ignore-certificate-errors', ...(jsFlags ? [`--js-flags=${jsFlags}`] : [])],
});
try {
  const endpoint = await devtoolsEndpoint(browser.dir);
  let worker = null;
  if (extension) {
    const target = await workerTarget(endpoint);
    worker = cdp(target.webSocketDebuggerUrl);
    await worker.opened;
    await worker.send('Runtime.enable');
    // A worker target listed before its script has run has no chrome.* yet (0 wrapped, in 3 of 14
    // runs on 2026-12-06): try again until it has, for up to 5 s (none wrapped: no double wrapping).
    let wrapped;
    for (let tries = 0; tries < 25; tries++) {
      wrapped = await worker.send('Runtime.evaluate', { expression: COUNT_CALLS, returnByValue: true });
      if (wrapped.result.value > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (!noProfile) {
      await worker.send('Profiler.enable');
      await worker.send('Profiler.setSamplingInterval', { interval: 100 });
    }
    console.log(`worker ${target.url}: ${wrapped.result.value ?? 0} chrome.* functions counted`);
  }
  let tracer = null;
  if (traceBrowser) {
    const version = await fetch(`${endpoint}/json/version`).then((r) => r.json());
    tracer = cdp(version.webSocketDebuggerUrl);
    await tracer.opened;
  }
  const { result, before, threadsBefore } = await startStorm();
  if (worker && !noProfile) await worker.send('Profiler.start');
  if (tracer) await tracer.send('Tracing.start', { categories: traceCategories ?? TRACE_CATEGORIES, transferMode: 'ReturnAsStream' });
  const done = await result;
  const trace = tracer ? await endTrace(tracer) : null;
  const after = processCpu(browser.dir);
  const threadsAfter = threadTimes(after);
  let profile = null;
  if (worker && !noProfile) ({ profile } = await worker.send('Profiler.stop'));
  console.log(`storm: ${N} requests in ${Math.round(done.ms)} ms = ${Math.round((N / done.ms) * 1000)}/s (answered ${done.answered}, failed ${done.failed})`);

  const split = cpuByKind(before, after);
  const cpuTotal = Object.values(split).reduce((s, v) => s + v, 0);
  console.log(`\nCPU during the storm, by process (ms; per request µs): total ${Math.round(cpuTotal)} ms = ${((cpuTotal * 1000) / N).toFixed(0)} µs/request`);
  for (const [kind, v] of Object.entries(split).sort((a, b) => b[1] - a[1])) {
    if (v > 0) console.log(`  ${kind.padEnd(48)} ${String(Math.round(v)).padStart(6)} ms  ${((v * 1000) / N).toFixed(0).padStart(5)} µs`);
  }

  if (extension) printThreads(threadsBefore, threadsAfter);

  if (worker) {
    // Let the coalesced writes settle, then read the counts.
    await new Promise((r) => setTimeout(r, 1500));
    const counts = await worker.send('Runtime.evaluate', { expression: 'JSON.stringify(globalThis.__stormCounts ?? {})', returnByValue: true });
    const c = JSON.parse(counts.result.value ?? '{}');
    console.log('\nchrome.* calls by the worker during the storm (per 1,000 requests):');
    for (const [name, v] of Object.entries(c)) if (v > 0) console.log(`  ${name.padEnd(36)} ${String(v).padStart(6)}  ${((v * 1000) / N).toFixed(1).padStart(7)}`);
    if (timeCore) {
      const got = await worker.send('Runtime.evaluate', { expression: READ_TIMES(again ? 0 : 3), returnByValue: true });
      printTimes(JSON.parse(got.result.value ?? '{}'), N);
      if (saveArgs) {
        const folds = await worker.send('Runtime.evaluate', { expression: READ_FOLDS, returnByValue: true });
        writeFileSync(saveArgs, folds.result.value ?? '[]');
      }
    }
  }

  if (profile) {
    printProfile(profile, N);
    if (outDir) {
      mkdirSync(outDir, { recursive: true });
      const file = join(outDir, `storm-${ext === 'none' ? 'none' : ext.split('/').filter(Boolean).at(-1)}-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      console.log(`\nprofile written: ${file}`);
    }
  }
  if (trace) printTrace(trace);
  if (again && extension) await stormAgain(endpoint, worker);
  worker?.close();
  tracer?.close();
} finally {
  await browser.close();
  await mock.close();
  await page.close();
}

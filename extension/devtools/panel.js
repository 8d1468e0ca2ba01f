// The Okta panel: wires the page to a session (session.js) and renders it (views.js). In DevTools
// it follows the inspected tab live (live.js); opened as a plain extension page (no
// `devtools` API) it analyses HAR files only, through the same code path, which is how the
// browser tests drive it. The core is loaded here, in the panel page itself.
import { load, uiCore } from '../lib/core.js';
import { api } from '../lib/api.js';
import { el, pageChrome } from '../lib/dom.js';
import { flowsNode } from '../lib/flow-view.js';
import { renderError, renderReport, setClipboardWriter } from '../lib/render.js';
import { loadSettings } from '../lib/settings.js';
import { copyText, downloadText, fileName } from './exports.js';
import { startLive } from './live.js';
import { Session, filterChoices, filterRows, newestAt, sessionFromHar } from './session.js';
import {
  bucketsNode,
  filtersNode,
  groupsNode,
  receiptNode,
  requestsTable,
  summaryNode,
  tokensNode,
} from './views.js';

/** Rows the table shows at most (the newest); counts and groups always cover every request. */
const MAX_TABLE_ROWS = 1000;
const RENDER_DELAY_MS = 250;

const $ = (id) => document.getElementById(id);
const network = api?.devtools?.network;

let live = null;
/** @type {Session | null} */
let current = null;
let selected = null;
let filter = { status: '', finding: '', bucket: '', within: '' };
let renderTimer;

setClipboardWriter(copyText);

function announce(text) {
  const status = $('status');
  status.textContent = '';
  setTimeout(() => {
    status.textContent = text;
  }, 50);
}

function showError(message) {
  const node = $('load-error');
  node.textContent = message;
  node.hidden = !message;
}

function select(row) {
  selected = row;
  const detail = $('detail');
  detail.replaceChildren(el('h2', { text: 'Request report' }));
  if (row) detail.append(renderReport(current.rowReport(row), { announce }));
  for (const tr of document.querySelectorAll('table.requests tbody tr')) {
    tr.setAttribute('aria-selected', String(tr.dataset.index === String(row?.index)));
  }
}

function renderTable() {
  const anchor = current.source === 'live' ? Date.now() : newestAt(current.rows);
  const shown = filterRows(current.rows, filter, anchor);
  const visible = shown.slice(-MAX_TABLE_ROWS);
  $('request-count').textContent =
    shown.length === current.rows.length ? `(${shown.length})` : `(${shown.length} of ${current.rows.length})`;
  $('filters').replaceChildren(
    filtersNode(filterChoices(current.rows), filter, (name, value) => {
      filter = { ...filter, [name]: value };
      renderTable();
    }),
  );
  const table = requestsTable(visible, { selected, onSelect: select, announce });
  const note = shown.length > visible.length ? el('p', { className: 'hint', text: `Showing the newest ${visible.length}.` }) : null;
  $('requests').replaceChildren(table, ...(note ? [note] : []));
}

function render() {
  clearTimeout(renderTimer);
  const standalone = !network;
  $('show-live').hidden = standalone || current === live;
  $('source').textContent = current ? (current.source === 'live' ? 'Inspected tab' : current.name) : '';
  const hasRows = current !== null && current.rows.length > 0;
  $('empty').hidden = hasRows;
  $('empty-live').hidden = standalone || current?.source !== 'live';
  $('empty-firefox').hidden = standalone || current?.source !== 'live';
  $('empty-standalone').hidden = !standalone || current !== null;
  $('exports').hidden = current === null || current.entries === 0;
  $('content').hidden = !hasRows;
  if (!current) {
    $('summary').replaceChildren();
    return;
  }
  const report = current.report;
  const timeline = report.timeline;
  // Without a timeline the core refused the input (e.g. input.too_large): show its report.
  $('summary').replaceChildren(timeline ? summaryNode(report) : renderReport(report, { announce }));
  document.body.dataset.rows = String(current.rows.length);
  if (!hasRows) return;
  renderTable();
  $('groups').replaceChildren(
    groupsNode(timeline?.digest?.groups, {
      announce,
      onFilter: (id) => {
        filter = { ...filter, finding: id };
        renderTable();
        $('requests-title').scrollIntoView({ block: 'start' });
        announce(`Requests with ${id}`);
      },
    }),
  );
  // The sign-in story (the report's flows), the broken step linking to its finding's card.
  const story = flowsNode(report.flows ?? timeline?.flows, {
    chrome: (k) => pageChrome('panel-chrome', k),
    findCard: (id) => $('groups').querySelector(`[data-finding-id="${CSS.escape(id)}"]`),
    announce,
  });
  $('flows-pane').hidden = !story;
  $('flows').replaceChildren(...(story ? [story] : []));
  $('rate-summary').textContent = timeline?.rateLimits?.summary ?? '';
  $('buckets').replaceChildren(bucketsNode(timeline?.rateLimits));
  $('tokens').replaceChildren(tokensNode(timeline?.digest?.tokens, current.rows));
  if (selected && !current.rows.includes(selected)) select(null);
}

function scheduleRender() {
  if (current !== live) return;
  clearTimeout(renderTimer);
  renderTimer = setTimeout(render, RENDER_DELAY_MS);
}

function show(session) {
  // A file session that is no longer shown is freed in the core (the live one keeps running).
  if (current && current !== live && current !== session) current.close();
  current = session;
  selected = null;
  filter = { status: '', finding: '', bucket: '', within: '' };
  select(null);
  $('export-result').replaceChildren();
  render();
}

async function loadFile(file) {
  if (!file) return;
  showError('');
  const progress = $('progress');
  progress.hidden = false;
  progress.textContent = `Reading ${file.name}…`;
  document.body.dataset.loaded = '';
  try {
    const text = await file.text();
    const { session, error } = await sessionFromHar(core, file.name, text, {
      onProgress: (done, total) => {
        progress.textContent = `Analysing ${file.name}: ${done} of ${total} entries`;
      },
    });
    if (error) {
      showError(`${file.name}: ${error}`);
      return;
    }
    show(session);
    announce(session.report.summary);
    document.body.dataset.loaded = file.name;
  } catch (err) {
    showError(`${file.name}: ${err?.message ?? err}`);
  } finally {
    progress.hidden = true;
  }
}

function exportResult(...nodes) {
  $('export-result').replaceChildren(...nodes);
}

function wireExports() {
  $('copy-markdown').addEventListener('click', () => {
    const text = current.markdown();
    const preview = el('details', { className: 'snippet' }, el('summary', { text: 'Support snippet' }), el('pre', {}, el('code', { text })));
    preview.open = true;
    copyText(text).then(
      () => {
        announce('Support snippet copied');
        exportResult(el('p', { className: 'export-status', text: 'Copied the support snippet.' }), preview);
      },
      (err) => exportResult(el('p', { className: 'export-status sev-error', text: `Copy failed: ${err?.message ?? err}` }), preview),
    );
  });
  $('download-json').addEventListener('click', () => {
    const name = fileName('report', 'json');
    downloadText(name, current.json(), 'application/json');
    exportResult(el('p', { className: 'export-status', text: `Saved ${name}.` }));
  });
  $('download-har').addEventListener('click', () => {
    const result = current.sanitisedHar();
    if (result?.error !== undefined || typeof result?.har !== 'string') {
      exportResult(renderError(result?.error ?? 'The HAR could not be sanitised.'));
      return;
    }
    const name =
      current.source === 'file' ? `${current.name.replace(/\.(har|json)$/i, '')}.sanitised.har` : fileName('session', 'sanitised.har');
    downloadText(name, result.har, 'application/json');
    exportResult(el('p', { className: 'export-status', text: `Saved ${name}.` }), receiptNode(result.receipt));
    announce(`Saved ${name}`);
  });
}

function wireFiles() {
  const input = /** @type {HTMLInputElement} */ ($('har-file'));
  input.addEventListener('change', () => {
    const [file] = input.files;
    loadFile(file).finally(() => {
      input.value = ''; // picking the same file again reloads it
    });
  });
  const hint = $('drop-hint');
  const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  document.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    hint.hidden = false;
  });
  document.addEventListener('dragleave', (event) => {
    if (event.relatedTarget === null) hint.hidden = true;
  });
  document.addEventListener('drop', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    hint.hidden = true;
    loadFile(event.dataTransfer.files[0]);
  });
}

function wireToolbar() {
  // Info and ok ids stay in each row, hidden until asked for (CSS on #requests).
  const quiet = /** @type {HTMLInputElement} */ ($('show-quiet-ids'));
  quiet.addEventListener('change', () => $('requests').classList.toggle('show-quiet', quiet.checked));
  $('show-live').addEventListener('click', () => show(live));
  $('clear').addEventListener('click', () => {
    if (current === live && live) {
      live.close();
      live = new Session(core);
      show(live);
    } else {
      show(live);
    }
    showError('');
    announce('Cleared');
  });
}

// The core as the sessions use it. Commands in its reports may name the org's custom domains
// (the options page's list) besides Okta's hosts: the core decides, this only passes the list.
let customDomains = [];
const core = uiCore(() => customDomains);

async function main() {
  wireFiles();
  wireToolbar();
  wireExports();
  try {
    await load();
    customDomains = await loadSettings().then((s) => s.customDomains, () => []);
  } catch (err) {
    showError(`The analysis core failed to load: ${err?.message ?? err}`);
    return;
  }
  $('version').textContent = `v${core.coreVersion()}`;
  if (network) {
    live = new Session(core);
    startLive(network, {
      isOkta: (entry) => live.isOkta(entry),
      onOkta: (entry) => {
        live.addOkta(entry);
        scheduleRender();
      },
      onOther: () => {
        live.addOther();
        scheduleRender();
      },
    });
  }
  show(live);
  document.body.dataset.ready = 'true';
}

main();

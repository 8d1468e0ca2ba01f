// The HAR view: one session (a HAR file, or DevTools' inspected tab) shown as its summary, the
// sign-in story, the findings by id, the filterable requests with a request's full report, the
// rate-limit buckets and the tokens, with the exports (support snippet, JSON report, sanitised
// HAR), the file picker and the file drop. The DevTools panel (devtools/panel.js) and the offline
// page (web/app.js, bundled into a classic script) both mount it on the same markup, the
// `har-toolbar` and `har-view` parts of devtools/panel.html (tools/bundle.mjs --html copies
// them into the page). What differs is a parameter: only the panel follows a live session; the
// page has no network (its CSP forbids any) and needs none here.
import { copyText, downloadText, fileName } from '../devtools/exports.js';
import { Session, filterChoices, filterRows, newestAt, sessionFromHar } from '../devtools/session.js';
import {
  bucketsNode,
  filtersNode,
  groupsNode,
  receiptNode,
  requestsTable,
  summaryNode,
  tokensNode,
} from '../devtools/views.js';
import { el, pageChrome } from './dom.js';
import { flowsNode } from './flow-view.js';
import { renderError, renderReport } from './render.js';

/** Rows the table shows at most (the newest); counts and groups always cover every request. */
const MAX_TABLE_ROWS = 1000;
/** A live session renders at most this often while DevTools records. */
const RENDER_DELAY_MS = 250;
const NO_FILTER = Object.freeze({ status: '', finding: '', bucket: '', within: '' });

const $ = (id) => document.getElementById(id);

/**
 * Wires the view to the page's markup and shows its first session once `ready` resolves.
 * @param {{ core: object, ready: Promise<unknown>, announce: (text: string) => void,
 *   live?: boolean }} options
 *   core: the UI calls (lib/core.js `compose`); ready: resolves when the core is loaded;
 *   live: follow DevTools' inspected tab (a live session, opened when the core is ready, shown
 *   first and again by "Back to this tab" and Clear); without it the view shows files only.
 * @returns {{ started: Promise<void>, live: () => Session | null, changed: () => void,
 *   showError: (message: string) => void }} started: the first session is shown (rejects
 *   with `ready`); live: the live session, to feed; changed: the live session grew (renders
 *   soon); showError: a message in the view's alert line ('' hides it)
 */
export function mountHarView({ core, ready, announce, live: following = false }) {
  let live = null;
  /** @type {Session | null} */
  let current = null;
  let selected = null;
  let filter = NO_FILTER;
  let renderTimer;

  function showError(message) {
    const node = $('load-error');
    node.textContent = message;
    node.hidden = !message;
  }

  function select(row) {
    selected = row;
    // The heading stays (the markup's, at the page's level); the report replaces the hint.
    $('detail').replaceChildren($('detail-title'));
    if (row) $('detail').append(renderReport(current.rowReport(row), { announce }));
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
    $('show-live').hidden = !following || current === live;
    $('source').textContent = current ? (current.source === 'live' ? 'Inspected tab' : current.name) : '';
    const hasRows = current !== null && current.rows.length > 0;
    $('empty').hidden = hasRows;
    $('empty-live').hidden = !following || current?.source !== 'live';
    $('empty-firefox').hidden = !following || current?.source !== 'live';
    $('empty-standalone').hidden = following || current !== null;
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
    filter = NO_FILTER;
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
      await ready; // a file picked while the core loads waits for it
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

  const exportResult = (...nodes) => $('export-result').replaceChildren(...nodes);

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

  const started = ready.then(() => {
    if (following) live = new Session(core);
    show(live);
  });
  return { started, live: () => live, changed: scheduleRender, showError };
}

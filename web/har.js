// The offline page's HAR analysis: the DevTools panel's file path (extension/devtools/panel.js
// without the live capture and the filters). A HAR file, picked or dropped, becomes a session in
// the core (devtools/session.js: the fold `okta-medic har` uses); the page shows its summary, the
// sign-in story, the findings by id, the requests, the rate-limit buckets and the tokens, and
// offers the panel's exports: the support snippet, the JSON report and the sanitised HAR.
import { el, pageChrome } from '../extension/lib/dom.js';
import { flowsNode } from '../extension/lib/flow-view.js';
import { renderError, renderReport } from '../extension/lib/render.js';
import { copyText, downloadText } from '../extension/devtools/exports.js';
import { sessionFromHar } from '../extension/devtools/session.js';
import { bucketsNode, groupsNode, receiptNode, requestsTable, summaryNode, tokensNode } from '../extension/devtools/views.js';

/** Rows the table shows at most (the newest); counts and groups always cover every request. */
const MAX_TABLE_ROWS = 1000;

/**
 * @param {{$: (id: string) => HTMLElement, core: object, ready: Promise<unknown>,
 *   announce: (text: string) => void}} options
 */
export function mountHar({ $, core, ready, announce }) {
  let current = null;
  let selected = null;
  let finding = '';

  function showError(message) {
    $('har-error').textContent = message;
    $('har-error').hidden = !message;
  }

  function select(row) {
    selected = row;
    const detail = $('detail');
    detail.replaceChildren(el('h3', { text: 'Request report' }));
    if (row) detail.append(renderReport(current.rowReport(row), { announce }));
    for (const tr of document.querySelectorAll('table.requests tbody tr')) {
      tr.setAttribute('aria-selected', String(tr.dataset.index === String(row?.index)));
    }
  }

  function renderTable() {
    const shown = finding === '' ? current.rows : current.rows.filter((r) => [...r.findingIds, ...(r.foldedIds ?? [])].includes(finding));
    const visible = shown.slice(-MAX_TABLE_ROWS);
    $('request-count').textContent =
      shown.length === current.rows.length ? `(${shown.length})` : `(${shown.length} of ${current.rows.length})`;
    const table = requestsTable(visible, { selected, onSelect: select, announce });
    const note = shown.length > visible.length ? el('p', { className: 'hint', text: `Showing the newest ${visible.length}.` }) : null;
    $('requests').replaceChildren(table, ...(note ? [note] : []));
  }

  function render() {
    const hasRows = current !== null && current.rows.length > 0;
    $('har-name').textContent = current?.name ?? '';
    $('har-empty').hidden = current !== null;
    $('exports').hidden = current === null || current.entries === 0;
    $('content').hidden = !hasRows;
    if (!current) return;
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
          finding = id;
          renderTable();
          $('requests-title').scrollIntoView({ block: 'start' });
          announce(`Requests with ${id}`);
        },
      }),
    );
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
  }

  async function loadFile(file) {
    if (!file) return;
    showError('');
    const progress = $('progress');
    progress.hidden = false;
    progress.textContent = `Reading ${file.name}…`;
    document.body.dataset.loaded = '';
    try {
      await ready;
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
      current?.close();
      current = session;
      finding = '';
      $('export-result').replaceChildren();
      select(null);
      render();
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
    const name = `${current.name.replace(/\.(har|json)$/i, '')}.report.json`;
    downloadText(name, current.json(), 'application/json');
    exportResult(el('p', { className: 'export-status', text: `Saved ${name}.` }));
  });
  $('download-har').addEventListener('click', () => {
    const result = current.sanitisedHar();
    if (result?.error !== undefined || typeof result?.har !== 'string') {
      exportResult(renderError(result?.error ?? 'The HAR could not be sanitised.'));
      return;
    }
    const name = `${current.name.replace(/\.(har|json)$/i, '')}.sanitised.har`;
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
}

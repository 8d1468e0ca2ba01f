// Renders any Report (DESIGN.md § The contract) into DOM nodes, generically: it knows the
// Report's shape, never a kind or a finding id, because the core writes every word. It builds
// with createElement + textContent only: claims, error text and URLs are attacker-controlled.
// A decoded token gets its own views (token-view.js); a finding's `action` becomes a button whose
// behaviour the caller supplies (the popup maps action kinds in actions.js).
import { el, isPlainObject } from './dom.js';
import { localDateTime } from './time.js';
import { TOKEN_VIEW_FIELDS, claimsTableNode, liveClock, timelineNode } from './token-view.js';

/**
 * @typedef {'ok' | 'info' | 'warning' | 'error'} Severity
 * @typedef {{label: string, command: string}} Command
 * @typedef {{source: string, name: string, value: string}} Evidence
 * @typedef {{kind: string, label: string, origin?: string}} Action
 * @typedef {{id: string, severity: Severity, title: string, detail: string, fix: string[],
 *   commands: Command[], docsUrl?: string, evidence: Evidence[], action?: Action,
 *   quote?: Quote}} Finding
 * @typedef {{label: string, text: string}} Quote
 * @typedef {{schemaVersion: number, input: {kind: string}, severity: Severity, summary: string,
 *   findings: Finding[], token?: object, rateLimit?: object, request?: object}} Report
 */

const SEVERITIES = new Set(['ok', 'info', 'warning', 'error']);
const REPORT_FIELDS = new Set(['schemaVersion', 'input', 'severity', 'summary', 'findings']);
const FINDING_FIELDS = new Set([
  'id', 'severity', 'title', 'detail', 'fix', 'commands', 'docsUrl', 'evidence', 'action',
  'quote',
]);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const NESTED_DEPTH = 2; // deeper values are shown as JSON text

function severityOf(value) {
  return SEVERITIES.has(value) ? value : 'info';
}

function badge(severity) {
  return el('span', { className: `badge sev-${severity}`, text: severity });
}

/** "rateLimit" → "Rate limit", "x_okta_thing" → "X okta thing". */
function humanize(key) {
  const words = String(key)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function jsonText(value) {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value); // e.g. nesting deeper than the engine's stack allows
  }
}

/** A scalar (or too-deep) value: strings as they are, everything else as JSON. */
function valueNode(value) {
  const text = typeof value === 'string' ? value : jsonText(value);
  const node = el('span', { className: 'value', text });
  if (typeof value === 'string' && ISO_UTC.test(value)) {
    const local = localDateTime(value);
    if (local) node.append(' ', el('span', { className: 'local-time', text: `(${local})` }));
  }
  return node;
}

/** A generic key/value view: nested objects become nested lists up to NESTED_DEPTH. */
function keyValues(object, depth = 0) {
  const list = el('dl', { className: 'kv' });
  for (const [key, value] of Object.entries(object)) {
    const nested = isPlainObject(value) && depth < NESTED_DEPTH && Object.keys(value).length > 0;
    list.append(
      el('dt', { text: key }),
      el('dd', {}, nested ? keyValues(value, depth + 1) : valueNode(value)),
    );
  }
  return list;
}

/** Only http(s) links are followed; anything else is shown as text. */
function safeHttpUrl(raw) {
  try {
    const url = new URL(String(raw));
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

let writeClipboard = (text) => navigator.clipboard.writeText(text);

/**
 * Replaces how Copy buttons write to the clipboard: `write(text)` returns a promise. The DevTools
 * panel needs this (devtools/exports.js: Chromium blocks the Clipboard API in DevTools panels).
 */
export function setClipboardWriter(write) {
  writeClipboard = write;
}

/**
 * A small Copy button for `text`, named `ariaLabel` for screen readers; it writes with the
 * clipboard writer (setClipboardWriter) and says "Copied" or why not through `announce`. The
 * click stops there: a Copy inside a selectable row doesn't select the row.
 */
export function copyButton(text, ariaLabel, announce = () => {}) {
  const button = el('button', { className: 'copy', text: 'Copy' });
  button.type = 'button';
  button.setAttribute('aria-label', ariaLabel);
  button.addEventListener('click', (event) => {
    event.stopPropagation();
    writeClipboard(text).then(
      () => {
        button.textContent = 'Copied';
        announce('Copied');
        setTimeout(() => {
          button.textContent = 'Copy';
        }, 1500);
      },
      (err) => announce(`Copy failed: ${err?.message ?? err}`),
    );
  });
  return button;
}

function commandsNode(commands, announce) {
  if (!Array.isArray(commands) || commands.length === 0) return null;
  const list = el('ul', { className: 'commands' });
  for (const { label, command } of commands) {
    list.append(
      el(
        'li',
        { className: 'command' },
        el('p', { className: 'command-label', text: label }),
        el(
          'div',
          { className: 'command-row' },
          el('pre', {}, el('code', { text: command })),
          copyButton(command, `Copy command: ${label}`, announce),
        ),
      ),
    );
  }
  return el('div', {}, el('h4', { text: 'Commands' }), list);
}

function fixNode(steps) {
  if (!Array.isArray(steps) || steps.length === 0) return null;
  const list = el('ol', { className: 'fix' });
  for (const step of steps) list.append(el('li', { text: step }));
  return el('div', {}, el('h4', { text: 'Fix' }), list);
}

function docsNode(raw) {
  if (!raw) return null;
  const url = safeHttpUrl(raw);
  if (!url) return el('p', { className: 'docs', text: `Documentation: ${raw}` });
  const link = el('a', { text: `Documentation (${url.host})` });
  link.href = url.href;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  return el('p', { className: 'docs' }, link);
}

function evidenceNode(evidence) {
  if (!Array.isArray(evidence) || evidence.length === 0) return null;
  const head = el('tr');
  for (const name of ['Source', 'Name', 'Value']) {
    const th = el('th', { text: name });
    th.scope = 'col';
    head.append(th);
  }
  const body = el('tbody');
  for (const item of evidence) {
    body.append(
      el(
        'tr',
        {},
        el('td', { text: item.source }),
        el('td', { text: item.name }),
        el('td', {}, valueNode(item.value)),
      ),
    );
  }
  return el('table', { className: 'evidence' }, el('caption', { text: 'Evidence' }), el('thead', {}, head), body);
}

/** Fields a finding carries beyond the common ones (e.g. `oktaCause`), shown generically. */
function extraFieldsNode(finding) {
  const extra = Object.entries(finding).filter(([k, v]) => !FINDING_FIELDS.has(k) && v != null);
  if (extra.length === 0) return null;
  const list = el('dl', { className: 'kv extra' });
  for (const [key, value] of extra) {
    list.append(el('dt', { text: humanize(key) }), el('dd', {}, valueNode(value)));
  }
  return list;
}

/**
 * The button for a finding's `action`, when the caller knows its kind. The label is the core's;
 * the status line under it is where the behaviour reports progress or refusal.
 */
function actionNode(action, actionFor) {
  if (!isPlainObject(action) || typeof action.kind !== 'string' || typeof action.label !== 'string') return null;
  const run = actionFor(action);
  if (typeof run !== 'function') return null;
  const button = el('button', { className: 'action', text: action.label });
  button.type = 'button';
  const status = el('p', { className: 'action-status' });
  status.setAttribute('role', 'status');
  button.addEventListener('click', (event) => run({ button, status, event }));
  const row = el('div', { className: 'action-row' }, button, status);
  row.dataset.actionKind = action.kind;
  return row;
}

/**
 * One finding (title, detail, action, fix, commands, docs, evidence, extra fields) as an
 * `<article class="finding sev-…" data-finding-id="…">`; options as for {@link renderReport}.
 */
export function renderFinding(finding, { announce = () => {}, actionFor = () => null } = {}) {
  return findingNode(finding, { announce, actionFor });
}

function findingNode(finding, { announce, actionFor }) {
  const severity = severityOf(finding.severity);
  const node = el(
    'article',
    { className: `finding sev-${severity}` },
    el('h3', {}, badge(severity), ' ', el('span', { className: 'title', text: finding.title })),
    finding.detail ? el('p', { className: 'detail', text: finding.detail }) : null,
    quoteNode(finding.quote),
    actionNode(finding.action, actionFor),
    fixNode(finding.fix),
    commandsNode(finding.commands, announce),
    docsNode(finding.docsUrl),
    evidenceNode(finding.evidence),
    extraFieldsNode(finding),
  );
  node.dataset.findingId = finding.id;
  return node;
}

/**
 * What the server or a token wrote, as a labelled block quote apart from the core's own
 * words: a hostile error_description must not read like our advice.
 */
function quoteNode(quote) {
  if (!quote || typeof quote.text !== 'string' || quote.text === '') return null;
  return el(
    'figure',
    { className: 'quote' },
    el('figcaption', { text: String(quote.label ?? '') }),
    el('blockquote', { text: quote.text }),
  );
}

/** A decoded token: the claims table, then its other fields (format, okta, …) generically. */
function tokenBody(token, clock) {
  const table = claimsTableNode(token, clock);
  if (!table) return [keyValues(token)];
  const rest = Object.fromEntries(Object.entries(token).filter(([k]) => !TOKEN_VIEW_FIELDS.has(k)));
  return [table, Object.keys(rest).length > 0 ? keyValues(rest) : null];
}

/** `token`, `rateLimit`, `request` and any later top-level section, as key/value views. */
function sectionNode(key, value, clock) {
  let body;
  if (key === 'token' && isPlainObject(value)) body = tokenBody(value, clock);
  else body = [isPlainObject(value) ? keyValues(value) : valueNode(value)];
  const details = el(
    'details',
    { className: `section section-${key}` },
    el('summary', { text: humanize(key) }),
    ...body,
  );
  details.open = true;
  details.dataset.section = key;
  return details;
}

/**
 * Builds the DOM for a report. Times in it (the token timeline, relative labels) stay live while
 * the returned node is in the document.
 * @param {Report} report
 * @param {{announce?: (text: string) => void,
 *   actionFor?: (action: Action) => ((ui: {button: HTMLButtonElement, status: HTMLElement,
 *     event: Event}) => void) | null}} [options]
 *   announce: tells assistive technology about transient events (e.g. "Copied"), typically by
 *   writing to an aria-live region. actionFor: the click behaviour for a finding's action, or
 *   null to show no button (the default: no actions).
 * @returns {HTMLElement}
 */
export function renderReport(report, { announce = () => {}, actionFor = () => null } = {}) {
  const severity = severityOf(report.severity);
  const root = el('section', { className: `report sev-${severity}` });
  root.dataset.severity = severity;
  const clock = liveClock(root);
  root.append(
    el(
      'h2',
      { className: 'summary' },
      badge(severity),
      ' ',
      el('span', { className: 'summary-text', text: report.summary }),
    ),
    el('p', { className: 'kind', text: `Input: ${report.input?.kind ?? 'unknown'}` }),
  );
  if (isPlainObject(report.token)) {
    const timeline = timelineNode(report.token.times, clock);
    if (timeline) root.append(timeline);
  }
  for (const finding of report.findings ?? []) root.append(findingNode(finding, { announce, actionFor }));
  for (const [key, value] of Object.entries(report)) {
    if (!REPORT_FIELDS.has(key) && value != null) root.append(sectionNode(key, value, clock));
  }
  return root;
}

/** An error the UI itself hit (the core failed to load, …), shown where the report goes. */
export function renderError(message) {
  const node = el('p', { className: 'load-error sev-error', text: message });
  node.setAttribute('role', 'alert');
  return node;
}

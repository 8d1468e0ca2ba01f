// Renders any Report (DESIGN.md § The contract) into DOM nodes, generically: it knows the
// Report's shape, never a kind or a finding id, because the core writes every word. It builds
// with createElement + textContent only: claims, error text and URLs are attacker-controlled.
// A decoded token gets its own views (token-view.js); a finding's `action` becomes a button whose
// behaviour the caller supplies (the popup maps action kinds in actions.js).
// The action first: a report and each finding open with the core's `todo` (bold, one line) and a
// finding with its `why`; the detail, fix steps, commands and evidence sit behind "More", and the
// report's data (kind, token fields, rate-limit numbers, internal codes) in one collapsed "Raw data
// (JSON)" section without nulls.
import { el, isPlainObject } from './dom.js';
import { withLocalDateTime } from './time.js';
import { claimsStripNode, claimsTableNode, liveClock, timelineNode } from './token-view.js';

/**
 * @typedef {'ok' | 'info' | 'warning' | 'error'} Severity
 * @typedef {{label: string, command: string}} Command
 * @typedef {{source: string, name: string, value: string}} Evidence
 * @typedef {{kind: string, label: string, origin?: string}} Action
 * @typedef {{id: string, severity: Severity, title: string, detail: string, fix: string[],
 *   commands: Command[], docsUrl?: string, evidence: Evidence[], action?: Action,
 *   quote?: Quote, todo?: string, why?: string, oktaCause?: string}} Finding
 * @typedef {{label: string, text: string}} Quote
 * @typedef {{schemaVersion: number, input: {kind: string}, severity: Severity, summary: string,
 *   todo?: string, findings: Finding[], token?: object, rateLimit?: object, request?: object}} Report
 */

const SEVERITIES = new Set(['ok', 'info', 'warning', 'error']);
const FINDING_FIELDS = new Set([
  'id', 'severity', 'title', 'detail', 'fix', 'commands', 'docsUrl', 'evidence', 'action',
  'quote', 'todo', 'why',
  // Okta's internal code for an error description: data, shown only in the raw JSON.
  'oktaCause',
]);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

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
    withLocalDateTime(value, (local) => {
      if (local) node.append(' ', el('span', { className: 'local-time', text: `(${local})` }));
    });
  }
  return node;
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
  const more = moreNode(
    finding.detail ? el('p', { className: 'detail', text: finding.detail }) : null,
    fixNode(finding.fix),
    commandsNode(finding.commands, announce),
    docsNode(finding.docsUrl),
    evidenceNode(finding.evidence),
    extraFieldsNode(finding),
  );
  const node = el(
    'article',
    { className: `finding sev-${severity}` },
    todoNode(finding.todo, severity, actionNode(finding.action, actionFor)),
    el('h3', {}, finding.todo ? null : badge(severity), finding.todo ? null : ' ', el('span', { className: 'title', text: finding.title })),
    typeof finding.why === 'string' && finding.why ? el('p', { className: 'why', text: finding.why }) : null,
    quoteNode(finding.quote),
    more,
  );
  node.dataset.findingId = finding.id;
  return node;
}

/**
 * The first line of a finding or a report: what to do now, bold, after the severity badge; a
 * finding's action button sits on the same line (the way to do it).
 */
function todoNode(todo, severity, action) {
  if (typeof todo !== 'string' || todo === '') return action;
  return el('div', { className: 'todo' }, badge(severity), ' ', el('strong', { className: 'todo-text', text: todo }), action);
}

/** Everything after the lead, behind one closed "More" disclosure; null when there is nothing. */
function moreNode(...children) {
  const shown = children.filter(Boolean);
  if (shown.length === 0) return null;
  return el('details', { className: 'more' }, el('summary', { text: 'More' }), ...shown);
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

/**
 * A decoded token's full claims table (header and claims with the core's notes), after the cards:
 * open, since the cards above it are short; the strip under the timeline has the main claims.
 */
function claimsSection(token, clock) {
  const table = claimsTableNode(token, clock);
  if (!table) return null;
  const details = el('details', { className: 'section section-token' }, el('summary', { text: 'All claims' }), table);
  details.open = true;
  details.dataset.section = 'token';
  return details;
}

/** `value` without null members (and without the words the cards already show). */
function withoutNulls(value) {
  if (Array.isArray(value)) return value.filter((v) => v != null).map(withoutNulls);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v != null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

/** The whole report as indented JSON, nulls dropped, in one collapsed section. */
function rawDataNode(report) {
  let text;
  try {
    text = JSON.stringify(withoutNulls(report), null, 2);
  } catch {
    text = jsonText(report); // e.g. nesting deeper than the engine's stack allows
  }
  const details = el(
    'details',
    { className: 'section section-raw' },
    el('summary', { text: 'Raw data (JSON)' }),
    el('pre', { className: 'raw-json' }, el('code', { text })),
  );
  details.dataset.section = 'raw';
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
  const lead = typeof report.todo === 'string' && report.todo !== '';
  root.append(
    lead ? el('p', { className: 'report-todo', text: report.todo }) : null,
    el(
      'h2',
      { className: 'summary' },
      badge(severity),
      ' ',
      el('span', { className: 'summary-text', text: report.summary }),
    ),
  );
  if (isPlainObject(report.token)) {
    const timeline = timelineNode(report.token.times, clock);
    if (timeline) root.append(timeline);
    const strip = claimsStripNode(report.token, clock);
    if (strip) root.append(strip);
  }
  for (const finding of report.findings ?? []) root.append(findingNode(finding, { announce, actionFor }));
  if (isPlainObject(report.token)) {
    const claims = claimsSection(report.token, clock);
    if (claims) root.append(claims);
  }
  root.append(rawDataNode(report));
  return root;
}

/** An error the UI itself hit (the core failed to load, …), shown where the report goes. */
export function renderError(message) {
  const node = el('p', { className: 'load-error sev-error', text: message });
  node.setAttribute('role', 'alert');
  return node;
}

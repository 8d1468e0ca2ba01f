// The panel's views of a session, as DOM: the filter bar, the requests table, findings grouped
// by id, rate-limit buckets with their trajectory charts, tokens with their expiry at each
// request, and a redaction receipt. Every domain word shown comes from the core's reports (titles,
// details, ids, summaries); this file adds only labels and numbers, via textContent.
import { el } from '../lib/dom.js';
import { copyButton } from '../lib/render.js';
import { localDateTime, relativeTime } from '../lib/time.js';
import { trajectoryChart } from './chart.js';
import { TIME_WINDOWS } from './session.js';

const SEVERITIES = new Set(['ok', 'info', 'warning', 'error']);
const sev = (s) => (SEVERITIES.has(s) ? s : 'info');

let clockFormat;
/** "10:00:04.250" in the user's locale and zone. */
export function clockTime(ms) {
  clockFormat ??= new Intl.DateTimeFormat(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    hour12: false,
  });
  return Number.isFinite(ms) && ms > 0 ? clockFormat.format(new Date(ms)) : '–';
}

/** A local date and time for an epoch-ms instant, '–' when there is none. */
export function dateTime(ms) {
  return Number.isFinite(ms) && ms > 0 ? (localDateTime(new Date(ms).toISOString()) ?? '–') : '–';
}

function badge(severity) {
  return el('span', { className: `badge sev-${sev(severity)}`, text: sev(severity) });
}

function headRow(names) {
  const tr = el('tr');
  for (const name of names) {
    const th = el('th', { text: name });
    th.scope = 'col';
    tr.append(th);
  }
  return el('thead', {}, tr);
}

/** The session's summary line: the core's summary with its severity. */
export function summaryNode(report) {
  const node = el(
    'h2',
    { className: `summary sev-${sev(report?.severity)}` },
    badge(report?.severity),
    ' ',
    el('span', { className: 'summary-text', text: report?.summary ?? '' }),
  );
  node.dataset.severity = sev(report?.severity);
  return node;
}

function select(id, label, options, value, onChange) {
  const node = el('select');
  node.id = id;
  for (const o of options) {
    const option = el('option', { text: o.count === undefined ? o.label : `${o.label} (${o.count})` });
    option.value = o.value;
    node.append(option);
  }
  node.value = options.some((o) => o.value === value) ? value : '';
  node.addEventListener('change', () => onChange(node.value));
  const lab = el('label', { text: label });
  lab.htmlFor = id;
  return el('div', { className: 'filter' }, lab, node);
}

/**
 * The filter bar for `choices` (session.js filterChoices); `onChange(name, value)` on each edit.
 */
export function filtersNode(choices, filter, onChange) {
  return el(
    'div',
    { className: 'filters' },
    select(
      'filter-status',
      'Status',
      [{ value: '', label: 'Any' }, { value: 'failed', label: 'Failed (≥ 400)', count: choices.failed }, ...choices.statuses],
      filter.status,
      (v) => onChange('status', v),
    ),
    select('filter-finding', 'Finding', [{ value: '', label: 'Any' }, ...choices.findings], filter.finding, (v) => onChange('finding', v)),
    select('filter-bucket', 'Bucket', [{ value: '', label: 'Any' }, ...choices.buckets], filter.bucket, (v) => onChange('bucket', v)),
    select('filter-time', 'Time', TIME_WINDOWS, filter.within, (v) => onChange('within', v)),
  );
}

/** A URL's path and query (the host is in the row's tooltip and the bucket column). */
function pathOf(url) {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

function urlCell(url, path) {
  const td = el('td', { className: 'url', text: path });
  td.title = url;
  return td;
}

/**
 * A row's cause: its severity mark and headline (the core's title of its worst finding), then
 * its warning and error ids, then its info and ok ids (`.quiet-ids`, shown when asked for).
 */
function causeCell(row) {
  const td = el('td', { className: 'cause' });
  if (row.headline) {
    td.append(el('p', { className: 'headline' }, badge(row.severity), ' ', el('span', { className: 'headline-text', text: row.headline })));
  }
  const ids = (list, className) => {
    if (!list?.length) return null;
    const node = el('p', { className });
    for (const id of list) node.append(el('code', { text: id }), ' ');
    return node;
  };
  const problems = ids(row.problemIds, 'ids problem-ids');
  const quiet = ids(row.quietIds, 'ids quiet-ids');
  if (problems) td.append(problems);
  if (quiet) td.append(quiet);
  return td;
}

/**
 * The requests table. Clicking a row (or Enter/Space on it) calls `onSelect(row)`.
 * @param {import('./session.js').Row[]} rows
 */
export function requestsTable(rows, { selected, onSelect, announce }) {
  const body = el('tbody');
  for (const row of rows) {
    const path = pathOf(row.url ?? '');
    const requestId = el('td', { className: 'request-id' });
    if (row.requestId) {
      requestId.append(el('code', { text: row.requestId }), ' ', copyButton(row.requestId, `Copy request id ${row.requestId}`, announce));
    }
    const status = el('td', { className: 'status', text: row.statusCode === undefined ? '–' : String(row.statusCode) });
    const tr = el(
      'tr',
      { className: `row sev-${sev(row.severity)}` },
      el('td', { className: 'time', text: clockTime(row.observedAt) }),
      el('td', { className: 'method', text: row.method ?? '' }),
      urlCell(row.url ?? '', path),
      status,
      causeCell(row),
      el('td', { className: 'bucket', text: row.bucket?.name ?? '' }),
      requestId,
    );
    tr.tabIndex = 0;
    tr.dataset.index = String(row.index);
    tr.dataset.status = row.statusCode === undefined ? '' : String(row.statusCode);
    tr.dataset.severity = sev(row.severity);
    tr.setAttribute('aria-selected', String(row === selected));
    tr.title = `${dateTime(row.observedAt)} · ${row.url ?? ''}`;
    tr.addEventListener('click', () => onSelect(row));
    tr.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        onSelect(row);
      }
    });
    body.append(tr);
  }
  const table = el(
    'table',
    { className: 'requests' },
    el('caption', { className: 'visually-hidden', text: 'Okta requests' }),
    headRow(['Time', 'Method', 'URL', 'Status', 'Findings', 'Bucket', 'Request id']),
    body,
  );
  table.dataset.rows = String(rows.length);
  return table;
}

/**
 * Findings grouped by id (the timeline's digest): severity, the core's title, how many times,
 * first and last seen, and the request ids to quote to support, each with a Copy button.
 * `onFilter(id)` shows that finding's requests in the table.
 */
export function groupsNode(groups, { announce, onFilter }) {
  const list = el('ol', { className: 'groups' });
  for (const g of groups ?? []) {
    const ids = el('ul', { className: 'group-requests' });
    for (const id of g.requestIds ?? []) {
      ids.append(el('li', {}, el('code', { text: id }), ' ', copyButton(id, `Copy request id ${id}`, announce)));
    }
    const show = el('button', { className: 'show-requests', text: 'Show requests' });
    show.type = 'button';
    show.addEventListener('click', () => onFilter(g.id));
    const item = el(
      'li',
      { className: `group finding sev-${sev(g.severity)}` },
      el(
        'h3',
        {},
        badge(g.severity),
        ' ',
        el('span', { className: 'title', text: g.finding?.title ?? g.id }),
        ' ',
        el('span', { className: 'count', text: `×${g.count}` }),
      ),
      el(
        'p',
        { className: 'group-meta' },
        el('code', { className: 'group-id', text: g.id }),
        ` · first seen ${dateTime(g.firstSeen)} · last seen ${dateTime(g.lastSeen)}`,
      ),
      g.finding?.detail ? el('p', { className: 'detail', text: g.finding.detail }) : null,
      (g.requestIds ?? []).length ? el('div', {}, el('h4', { text: 'Request ids' }), ids) : null,
      show,
    );
    item.dataset.findingId = g.id;
    item.dataset.count = String(g.count);
    list.append(item);
  }
  return list;
}

/** Rate-limit buckets over time (`timeline.rateLimits`): the core's title and detail, a chart. */
export function bucketsNode(rateLimits) {
  const list = el('ul', { className: 'buckets' });
  for (const b of rateLimits?.buckets ?? []) {
    const chart = trajectoryChart(b.trajectory, { label: b.title, timeText: clockTime });
    const item = el(
      'li',
      { className: `bucket-view finding sev-${sev(b.severity)}` },
      el('h3', {}, badge(b.severity), ' ', el('span', { className: 'title', text: b.title })),
      el('p', { className: 'bucket-meta' }, el('code', { text: b.host }), ` · ${b.method} ${b.path}`),
      b.detail ? el('p', { className: 'detail', text: b.detail }) : null,
      chart ? el('figure', { className: 'chart' }, chart, el('figcaption', { text: 'X-Rate-Limit-Remaining per reading; the top line is the limit.' })) : null,
    );
    item.dataset.bucket = b.bucket;
    list.append(item);
  }
  return list;
}

/**
 * Tokens sent with the requests (the digest's, keyed by jti): when each was seen and, for every
 * request that carried it, how far from its expiry that request was.
 */
export function tokensNode(tokens, rows) {
  const list = el('ul', { className: 'tokens' });
  for (const t of tokens ?? []) {
    const exp = t.view?.times?.exp?.iso;
    const body = el('tbody');
    for (const r of rows.filter((row) => row.token?.key === t.key)) {
      const left = r.token.expiresIn;
      body.append(
        el(
          'tr',
          { className: Number.isFinite(left) && left <= 0 ? 'expired' : '' },
          el('td', { text: clockTime(r.observedAt) }),
          el('td', { text: `${r.method ?? ''} ${r.url ?? ''}` }),
          el('td', { text: r.statusCode === undefined ? '–' : String(r.statusCode) }),
          el('td', { className: 'expiry', text: Number.isFinite(left) ? `expires ${relativeTime(left)}` : '–' }),
        ),
      );
    }
    const item = el(
      'li',
      { className: 'token' },
      el('h3', {}, el('code', { className: 'token-key', text: t.key })),
      el('p', { className: 'token-meta', text: `${t.requests} request${t.requests === 1 ? '' : 's'} · first ${dateTime(t.firstSeen)} · last ${dateTime(t.lastSeen)}${exp ? ` · exp ${exp}` : ''}` }),
      body.childElementCount
        ? el('table', { className: 'token-requests' }, headRow(['Time', 'Request', 'Status', 'Expiry at that request']), body)
        : null,
    );
    item.dataset.key = t.key;
    list.append(item);
  }
  return list;
}

/** What `redactHar` changed and where. */
export function receiptNode(receipt) {
  const redactions = receipt?.redactions ?? [];
  const body = el('tbody');
  for (const r of redactions) body.append(el('tr', {}, el('td', {}, el('code', { text: r.location })), el('td', { text: r.what })));
  const details = el(
    'details',
    { className: 'receipt' },
    el('summary', { text: `Redaction receipt: ${redactions.length} change${redactions.length === 1 ? '' : 's'}` }),
    redactions.length ? el('table', {}, headRow(['Where', 'What']), body) : el('p', { text: 'Nothing needed redacting.' }),
  );
  details.open = true;
  details.dataset.count = String(redactions.length);
  return details;
}

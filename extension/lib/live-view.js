// DOM views of a tab's live capture (lib/tab-state.js), generic over the core's data: a finding
// group (count, first/last seen, request ids, the latest finding in full), a rate-limit bucket
// (the core's title and detail, a gauge, a countdown timed in JS on the core's `resetAtMs`), a
// token seen (its claims table), a request line, a request that got no response. The words about
// Okta are the core's; this file adds counts, times and "Copy". Times read relative ("2 minutes
// ago"), with the local date-time on hover (`title`). createElement + textContent only.
import { el } from './dom.js';
import { copyButton, renderFinding } from './render.js';
import { localDateTime, relativeTime } from './time.js';
import { claimsTableNode } from './token-view.js';

const SEVERITIES = new Set(['ok', 'info', 'warning', 'error']);
export const severityOf = (s) => (SEVERITIES.has(s) ? s : 'info');

/** A `<time>` for epoch milliseconds: relative to `now`, the local date-time on hover. */
export function timeNode(ms, now = Date.now()) {
  if (!Number.isFinite(ms)) return el('span', { text: '—' });
  const iso = new Date(ms).toISOString();
  const node = el('time', { className: 'when', text: relativeTime((ms - now) / 1000) });
  node.dateTime = iso;
  node.title = localDateTime(iso) ?? iso;
  return node;
}

/** Brings every relative time under `root` (made by `timeNode`) up to `now`. */
export function refreshTimes(root, now = Date.now()) {
  for (const node of root.querySelectorAll('time.when[datetime]')) {
    const ms = Date.parse(node.dateTime);
    const text = relativeTime((ms - now) / 1000);
    if (Number.isFinite(ms) && node.textContent !== text) node.textContent = text;
  }
}

/** Request ids, each with a Copy button. */
export function idList(ids, announce, label = 'request id') {
  const list = el('ul', { className: 'ids' });
  for (const id of ids) {
    if (typeof id !== 'string' || id === '') continue;
    list.append(el('li', {}, el('code', { text: id }), ' ', copyButton(id, `Copy ${label} ${id}`, announce)));
  }
  return list.childElementCount > 0 ? list : null;
}

/**
 * One finding group of the digest, as a disclosure: the summary says how often, what to do now
 * (bold), the title and when; opened, the request ids (copyable) and the latest finding in full.
 */
export function groupNode(group, { announce, now = Date.now(), open = false } = {}) {
  const severity = severityOf(group.severity);
  const finding = renderFinding({ ...group.finding, severity }, { announce });
  const once = group.count === 1 || group.firstSeen === group.lastSeen;
  const when = once
    ? ['seen ', timeNode(group.lastSeen, now)]
    : ['first seen ', timeNode(group.firstSeen, now), ' · last seen ', timeNode(group.lastSeen, now)];
  const summary = el(
    'summary',
    {},
    el('span', { className: 'count', text: `×${group.count}` }),
    ' ',
    el('span', { className: `badge sev-${severity}`, text: severity }),
    ' ',
    // What to do now leads the card (the core's todo); the title, then when, below it.
    typeof group.finding?.todo === 'string' && group.finding.todo !== ''
      ? el('strong', { className: 'group-todo', text: group.finding.todo })
      : null,
    el('span', { className: 'group-title', text: String(group.finding?.title ?? group.id) }),
    el('span', { className: 'group-meta' }, ...when),
  );
  const ids = idList(group.requestIds ?? [], announce);
  const node = el('details', { className: `group sev-${severity}` }, summary, ids, finding);
  node.open = open;
  node.dataset.groupId = group.id;
  node.dataset.count = String(group.count);
  return node;
}

/** The countdown text of a bucket at `nowMs`, from the core's template and reset time. */
export function countdownText(bucket, nowMs) {
  if (!Number.isFinite(bucket.resetAtMs) || typeof bucket.countdownTemplate !== 'string') return '';
  const seconds = Math.ceil((bucket.resetAtMs - nowMs) / 1000);
  return seconds > 0 ? bucket.countdownTemplate.replace('{s}', String(seconds)) : String(bucket.countdownDone ?? '');
}

/**
 * One rate-limit bucket as a gauge. Returns the node and `tick(nowMs)`, which updates the
 * countdown and says whether the window just ended (the caller then asks the core for a new view).
 */
export function bucketNode(bucket, nowMs = Date.now()) {
  const severity = severityOf(bucket.severity);
  const used = Number.isFinite(bucket.usedPercent) ? Math.min(100, Math.max(0, bucket.usedPercent)) : null;
  const fill = el('div', { className: 'gauge-fill' });
  const gauge = el('div', { className: 'gauge' }, fill);
  gauge.setAttribute('role', 'meter');
  gauge.setAttribute('aria-valuemin', '0');
  gauge.setAttribute('aria-valuemax', '100');
  if (used !== null) {
    fill.style.width = `${used}%`;
    gauge.setAttribute('aria-valuenow', String(used));
  } else {
    gauge.classList.add('no-reading');
  }
  gauge.setAttribute('aria-label', String(bucket.title ?? ''));
  const countdown = el('p', { className: 'countdown' });
  const node = el(
    'section',
    { className: `bucket sev-${severity}` },
    el('h4', { className: 'bucket-title', text: String(bucket.title ?? '') }),
    gauge,
    countdown,
    bucket.detail ? el('p', { className: 'detail', text: String(bucket.detail) }) : null,
  );
  node.dataset.bucket = String(bucket.key ?? bucket.bucket ?? '');
  let ended = !(bucket.resetAtMs > nowMs);
  const tick = (now) => {
    countdown.textContent = countdownText(bucket, now);
    const over = !(bucket.resetAtMs > now);
    const justEnded = over && !ended;
    ended = over;
    return justEnded;
  };
  tick(nowMs);
  return { node, tick };
}

/** A token seen in the tab's requests: use count, times, expiry at last use, its claims. */
export function tokenSeenNode(token, clock, now = Date.now()) {
  const facts = el(
    'p',
    { className: 'token-meta' },
    el('code', { className: 'token-key', text: String(token.key ?? '') }),
    ` · sent with ${token.requests} request${token.requests === 1 ? '' : 's'} · last `,
    timeNode(token.lastSeen, now),
  );
  if (Number.isFinite(token.expiresInAtLastUse)) {
    const expired = token.expiresInAtLastUse <= 0;
    facts.append(
      el('br'),
      el('span', {
        className: expired ? 'expiry sev-error' : 'expiry',
        text: `exp at its last use: ${relativeTime(token.expiresInAtLastUse)}`,
      }),
    );
  }
  const table = claimsTableNode(token.view, clock);
  const details = el('details', { className: 'token-seen' }, el('summary', {}, facts));
  if (table) details.append(table);
  details.dataset.tokenKey = String(token.key ?? '');
  return details;
}

/** One request of the digest: method, redacted URL, status, request id (copyable). */
export function requestNode(request, announce, now = Date.now()) {
  const severity = severityOf(request.severity);
  const line = el(
    'li',
    { className: `request sev-${severity}` },
    el('span', { className: 'status', text: String(request.statusCode ?? '—') }),
    ' ',
    el('code', { className: 'method', text: String(request.method ?? '') }),
    ' ',
    el('span', { className: 'url', text: String(request.url ?? '') }),
    ' ',
    timeNode(request.observedAt, now),
  );
  if (request.requestId) line.append(' ', el('code', { text: request.requestId }), ' ', copyButton(request.requestId, `Copy request id ${request.requestId}`, announce));
  return line;
}

/** Requests to a watched host that got no response (the browser's error text). */
export function networkErrorNode(entry, now = Date.now()) {
  return el(
    'li',
    { className: 'network-error' },
    el('code', { text: String(entry.host ?? '') }),
    ` ${String(entry.error ?? '')} ×${entry.count} · last `,
    timeNode(entry.lastSeen, now),
  );
}

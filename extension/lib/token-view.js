// The decoded-token views of a report (DESIGN.md § The contract: `report.token`): the claims table
// (every header parameter and claim with its value and the core's one-line note, times as local
// time next to ISO UTC) and the iat → now → exp timeline, both kept live by a one-second clock —
// unless the core measured them from another moment (`times.asOf`, a recording's request): then
// its label stands where "now" would, and its words (`relativeText`) stay as written.
// It reads the contract's fields (`header`, `claims`, `notes`, `times`), never a claim's meaning:
// every explanation comes from the core. Text only via textContent (claims are attacker-controlled).
import { el, isPlainObject, own } from './dom.js';
import { afterFormats, relativeTime, withLocalDateTime } from './time.js';

/**
 * The claims a reader looks for first, in this order: the claims strip under the timeline. The
 * CLI prints the same ones (crate/src/cli/render.rs MAIN_CLAIMS; tests/extension keeps them equal).
 */
export const MAIN_CLAIMS = ['sub', 'aud', 'scp', 'cid', 'iss', 'exp'];

const TICK_MS = 1000;

/**
 * A clock for one rendered report: updaters get the seconds elapsed since rendering, once a
 * second, until `root` leaves the document (the next report replaces it).
 */
export function liveClock(root) {
  const updaters = [];
  const started = performance.now();
  let timer;
  return {
    add(update) {
      afterFormats(() => update(0)); // its labels need Intl: after the first paint on a first open
      updaters.push(update);
      timer ??= setInterval(() => {
        if (!root.isConnected) {
          clearInterval(timer);
          return;
        }
        const elapsed = (performance.now() - started) / 1000;
        for (const u of updaters) u(elapsed);
      }, TICK_MS);
    },
  };
}

/** A `times` entry the core wrote: {epoch, iso, relativeSeconds}. */
function validTime(t) {
  return isPlainObject(t) && Number.isFinite(t.epoch) && Number.isFinite(t.relativeSeconds);
}

/** The core's words for a time measured from another moment than now, else null. */
function fixedText(time) {
  return typeof time?.relativeText === 'string' ? time.relativeText : null;
}

/**
 * The iat → now → exp bar, or null when the token lacks either time or they are out of order.
 * `data-fraction` is the share of the lifetime that has passed (below 0: not yet issued; above
 * 1: expired), updated live — or, for times measured from another moment (`times.asOf`), fixed
 * there, under that moment's label.
 */
export function timelineNode(times, clock) {
  const asOf = own(times, 'asOf');
  const fixed = isPlainObject(asOf) && typeof asOf.label === 'string';
  const start = own(times, 'iat');
  const end = own(times, 'exp');
  if (!validTime(start) || !validTime(end) || end.epoch <= start.epoch) return null;
  const span = end.epoch - start.epoch;

  const elapsedBar = el('div', { className: 'timeline-elapsed' });
  const marker = el('div', { className: 'timeline-now' });
  const nowLabel = el('span', { className: 'timeline-now-label' });
  const startRelative = el('span', { className: 'relative' });
  const endRelative = el('span', { className: 'relative' });
  const node = el(
    'figure',
    { className: 'timeline' },
    el('div', { className: 'timeline-marker-row' }, nowLabel),
    el('div', { className: 'timeline-track' }, elapsedBar, marker),
    el(
      'div',
      { className: 'timeline-ends' },
      el('span', { className: 'timeline-start' }, el('code', { text: 'iat' }), ' ', startRelative),
      el('span', { className: 'timeline-end' }, el('code', { text: 'exp' }), ' ', endRelative),
    ),
  );
  marker.setAttribute('aria-hidden', 'true');

  clock.add((ticked) => {
    const elapsed = fixed ? 0 : ticked;
    const sinceStart = elapsed - start.relativeSeconds; // now − iat
    const untilEnd = end.relativeSeconds - elapsed; // exp − now
    const fraction = sinceStart / span;
    const clamped = Math.min(1, Math.max(0, fraction));
    const percent = `${(clamped * 100).toFixed(2)}%`;
    elapsedBar.style.width = percent;
    marker.style.left = percent;
    nowLabel.style.left = percent;
    // Near an end the label hangs inward instead of centring on the marker and overflowing.
    nowLabel.classList.toggle('near-start', clamped < 0.08);
    nowLabel.classList.toggle('near-end', clamped > 0.92);
    nowLabel.textContent = fixed ? asOf.label : relativeTime(0); // "now", in the user's language
    startRelative.textContent = (fixed && fixedText(start)) || relativeTime(-sinceStart);
    endRelative.textContent = (fixed && fixedText(end)) || relativeTime(untilEnd);
    node.dataset.fraction = fraction.toFixed(4);
    node.classList.toggle('before-start', sinceStart < 0);
    node.classList.toggle('past-end', untilEnd <= 0);
  });
  return node;
}

function jsonText(value) {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A claim's value: strings as they are, arrays of scalars as chips, anything else as JSON. */
function valueNode(value) {
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) {
    const list = el('ul', { className: 'chips' });
    for (const item of value) list.append(el('li', { text: item }));
    return list;
  }
  return el('span', { className: 'value', text: typeof value === 'string' ? value : jsonText(value) });
}

/** A time claim: local time and a live relative label, then the raw epoch and ISO UTC. */
function timeNode(raw, time, clock) {
  const relative = el('span', { className: 'relative' });
  const when = el('time', { className: 'local-time', text: time.iso });
  when.dateTime = time.iso;
  withLocalDateTime(time.iso, (local) => {
    if (local) when.textContent = local;
  });
  const fixed = fixedText(time);
  if (fixed) relative.textContent = fixed;
  else clock.add((elapsed) => {
    relative.textContent = relativeTime(time.relativeSeconds - elapsed);
  });
  return el(
    'div',
    { className: 'claim-time' },
    el('div', {}, when, ' ', relative),
    el('div', { className: 'raw' }, el('code', { text: jsonText(raw) }), ' · ', el('code', { text: time.iso })),
  );
}

function rowsFor(part, object, notes, times, clock) {
  const body = el('tbody');
  body.dataset.part = part;
  const heading = el('th', { text: part.charAt(0).toUpperCase() + part.slice(1) });
  heading.colSpan = 2;
  heading.scope = 'colgroup';
  body.append(el('tr', { className: 'part' }, heading));
  for (const [name, value] of Object.entries(object)) {
    const note = own(notes, name);
    const time = own(times, name);
    const th = el('th', {}, el('code', { text: name }));
    th.scope = 'row';
    const row = el(
      'tr',
      {},
      th,
      el(
        'td',
        {},
        validTime(time) && typeof time.iso === 'string' ? timeNode(value, time, clock) : valueNode(value),
        typeof note === 'string' ? el('p', { className: 'note', text: note }) : null,
      ),
    );
    row.dataset.claim = name;
    body.append(row);
  }
  return body;
}

/** A claim's value on one line: arrays joined with spaces, objects as JSON. */
function flatText(value) {
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : jsonText(v))).join(' ');
  return typeof value === 'string' ? value : jsonText(value);
}

/**
 * The token at a glance: the main claims (MAIN_CLAIMS) the token has, one short row each, a
 * time as its live relative label with the local time on hover. Null when it has none of them.
 */
export function claimsStripNode(token, clock) {
  const claims = own(token, 'claims');
  if (!isPlainObject(claims)) return null;
  const times = own(token, 'times');
  const list = el('dl', { className: 'claims-strip' });
  for (const name of MAIN_CLAIMS) {
    if (!Object.hasOwn(claims, name)) continue;
    const value = claims[name];
    const time = own(times, name);
    let shown;
    if (validTime(time) && typeof time.iso === 'string') {
      shown = el('time', { className: 'relative' });
      shown.dateTime = time.iso;
      shown.title = time.iso;
      withLocalDateTime(time.iso, (local) => {
        if (local) shown.title = local;
      });
      clock.add((elapsed) => {
        shown.textContent = relativeTime(time.relativeSeconds - elapsed);
      });
    } else {
      shown = el('span', { className: 'value', text: flatText(value) });
      shown.title = flatText(value);
    }
    const row = el('div', { className: 'claim' }, el('dt', {}, el('code', { text: name })), el('dd', {}, shown));
    row.dataset.claim = name;
    list.append(row);
  }
  return list.childElementCount > 0 ? list : null;
}

/**
 * The claims table: a row per header parameter, then a row per claim, each with the core's note
 * when it has one. Null when the token has neither a decoded header nor claims.
 */
export function claimsTableNode(token, clock) {
  const header = own(token, 'header');
  const claims = own(token, 'claims');
  if (!isPlainObject(header) && !isPlainObject(claims)) return null;
  const notes = own(token, 'notes');
  // Fixed layout takes column widths from the first row, which spans both columns: set them here.
  const table = el('table', { className: 'claims' }, el('colgroup', {}, el('col', { className: 'name' }), el('col')));
  if (isPlainObject(header)) table.append(rowsFor('header', header, own(notes, 'header'), undefined, clock));
  if (isPlainObject(claims)) table.append(rowsFor('claims', claims, own(notes, 'claims'), own(token, 'times'), clock));
  return table;
}

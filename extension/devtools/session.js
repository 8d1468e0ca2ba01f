// A panel session: the Okta exchanges of one inspected tab (live) or of one HAR file, as table
// rows, and the timeline report the core makes of them. The session itself lives in the core
// (crate/src/session.rs, the fold the live listener and `okta-medic har` use): each entry is
// handed to it once (`sessionAdd`), which answers the entry's row and its full report, or null
// when it is not Okta traffic; the timeline report (`sessionReport`) is the report of the whole
// HAR (`okta-medic har FILE`). This file only keeps the rows and the entries (for the sanitised
// export) and asks. No DOM and no browser API, so Node tests drive it with the built wasm core.
import { exportHarText, slimEntry } from './har-entry.js';

/**
 * @typedef {{sessionOpen: Function, sessionAdd: Function, sessionReport: Function, sessionClose: Function,
 *   entryIsOkta: Function, exportMarkdown: Function, exportJson: Function, redactHar: Function}} Core
 *   the wasm exports the panel uses
 * @typedef {{index: number, entry: object, report: object, observedAt: number, method?: string, url?: string,
 *   statusCode?: number, requestId?: string, severity: string, headline?: string, findingIds: string[],
 *   problemIds: string[], quietIds: string[], foldedIds?: string[],
 *   bucket: {key: string, name: string, host: string} | null,
 *   token: {key: string, expiresIn?: number, view: object} | null}} Row  the core's row, its report
 *   and the entry it came from
 */

const CREATOR = { name: 'Okta Medic DevTools panel', version: '1' };
/** Bodies up to this many characters ride along when an entry is judged (see `add`). */
const JUDGE_WITH_BODY_BELOW = 64 * 1024;

export class Session {
  /**
   * @param {Core} core
   * @param {{source?: 'live' | 'file', name?: string, text?: string}} [options] a file session
   *   keeps the file's text for the sanitised export (the whole file, as the CLI redacts it)
   */
  constructor(core, { source = 'live', name = '', text } = {}) {
    this.core = core;
    this.id = core.sessionOpen();
    this.source = source;
    this.name = name;
    this.text = text;
    /** @type {Row[]} */
    this.rows = [];
    this.others = 0;
    this.cached = null;
  }

  get entries() {
    return this.rows.length + this.others;
  }

  /** Whether the core counts this entry as Okta traffic (judged on its URL and headers). */
  isOkta(entry) {
    return this.core.entryIsOkta(slimEntry(entry, { withBody: false }));
  }

  /** Counts an entry that is not Okta traffic. */
  addOther() {
    this.core.sessionAdd(this.id, null);
    this.others += 1;
    this.cached = null;
  }

  /** Hands an entry (with its body, when there is one) to the core: a row when it is Okta
   * traffic, else counted. */
  addOkta(entry) {
    this.cached = null;
    const added = this.core.sessionAdd(this.id, slimEntry(entry));
    if (!added) {
      this.others += 1;
      return null;
    }
    const row = { index: this.rows.length, entry, ...added.row, report: added.report };
    this.rows.push(row);
    return row;
  }

  /**
   * Adds any entry whose body is already in it (a HAR file's). A big body is first judged
   * without it, so an app's bundles aren't copied into the core only to be ignored.
   */
  add(entry) {
    const body = entry?.response?.content?.text;
    if (typeof body !== 'string' || body.length <= JUDGE_WITH_BODY_BELOW || this.isOkta(entry)) return this.addOkta(entry);
    this.addOther();
    return null;
  }

  /** The timeline report (`input.kind` = `har`): summary, grouped findings, `timeline`. */
  get report() {
    this.cached ??= this.core.sessionReport(this.id);
    return this.cached;
  }

  /** The full report of one row's exchange (made when the entry was added). */
  rowReport(row) {
    return row.report;
  }

  /** Frees the core's copy of the session (its rows and report stay readable here). */
  close() {
    this.core.sessionClose(this.id);
  }

  markdown() {
    return this.core.exportMarkdown(this.report);
  }

  json() {
    return this.core.exportJson(this.report);
  }

  /**
   * `redactHar` of the file as loaded, or of the live session's Okta entries: `{har, receipt}`
   * or `{error}`.
   */
  sanitisedHar() {
    const text = this.source === 'file' && this.text !== undefined ? this.text : exportHarText(this.rows.map((r) => r.entry), CREATOR);
    return this.core.redactHar(text);
  }
}

/** Yields to the event loop every `chunk` entries so a big file doesn't freeze the page. */
export async function addAll(session, entries, { chunk = 200, onProgress = () => {} } = {}) {
  for (let i = 0; i < entries.length; i++) {
    session.add(entries[i]);
    if ((i + 1) % chunk === 0) {
      onProgress(i + 1, entries.length);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  onProgress(entries.length, entries.length);
}

/**
 * A session from a HAR file's text, or `{error}` when it isn't one (the core's words when it can
 * say; JSON.parse's otherwise).
 */
export async function sessionFromHar(core, name, text, options) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { error: core.redactHar(text).error ?? String(err?.message ?? err) };
  }
  // A HAR's entries, or the entries a SAML-tracer export records (the core converts them).
  const entries = doc?.log?.entries ?? core.traceEntries(doc);
  if (!Array.isArray(entries)) return { error: core.redactHar(text).error ?? 'not a HAR file' };
  const session = new Session(core, { source: 'file', name, text });
  await addAll(session, entries, options);
  return { session };
}

export const TIME_WINDOWS = Object.freeze([
  { value: '', label: 'Any time' },
  { value: '60', label: 'Last minute' },
  { value: '300', label: 'Last 5 minutes' },
  { value: '900', label: 'Last 15 minutes' },
  { value: '3600', label: 'Last hour' },
]);

/** A row's finding ids and those the core folded into them: every id stays searchable. */
const idsOf = (r) => [...r.findingIds, ...(r.foldedIds ?? [])];

/**
 * The rows a filter keeps. `status`: '' (any), 'failed' (≥ 400) or a status code; `finding`: a
 * finding id; `bucket`: a bucket key; `within`: seconds before `anchorMs` (the newest request of
 * a file, now for a live tab).
 * @param {Row[]} rows
 */
export function filterRows(rows, { status = '', finding = '', bucket = '', within = '' } = {}, anchorMs = 0) {
  const since = within ? anchorMs - Number(within) * 1000 : -Infinity;
  return rows.filter(
    (r) =>
      (status === '' ||
        (status === 'failed' ? (r.statusCode ?? 0) >= 400 : String(r.statusCode ?? '') === status)) &&
      (finding === '' || idsOf(r).includes(finding)) &&
      (bucket === '' || r.bucket?.key === bucket) &&
      r.observedAt >= since,
  );
}

/** The choices each filter offers for these rows, with how many rows each keeps. */
export function filterChoices(rows) {
  const count = (map, key, label) => {
    const e = map.get(key) ?? { value: key, label, count: 0 };
    e.count += 1;
    map.set(key, e);
  };
  const statuses = new Map();
  const findings = new Map();
  const buckets = new Map();
  const hosts = new Set(rows.map((r) => r.bucket?.host).filter(Boolean));
  for (const r of rows) {
    if (r.statusCode !== undefined) count(statuses, String(r.statusCode), String(r.statusCode));
    for (const id of new Set(idsOf(r))) count(findings, id, id);
    if (r.bucket) count(buckets, r.bucket.key, hosts.size > 1 ? `${r.bucket.name} (${r.bucket.host})` : r.bucket.name);
  }
  const byValue = (a, b) => a.value.localeCompare(b.value);
  return {
    statuses: [...statuses.values()].sort(byValue),
    failed: rows.filter((r) => (r.statusCode ?? 0) >= 400).length,
    findings: [...findings.values()].sort(byValue),
    buckets: [...buckets.values()].sort(byValue),
  };
}

/** The newest request time of the rows (0 when none). */
export function newestAt(rows) {
  return rows.reduce((max, r) => Math.max(max, r.observedAt), 0);
}

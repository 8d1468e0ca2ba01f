// HAR 1.2 entries (http://www.softwareishard.com/blog/har-12-spec/) as the panel handles them:
// the slim copy the core reads (crate/src/har.rs `exchange`: startedDateTime, request method,
// url and headers, response status, headers and content), one-entry documents for asking the core
// about a single entry, the exchange (webRequest field names) for a row's full report, and the
// HAR documents the panel hands to `analyzeText` and `redactHar`. Plain data, no DOM, no browser
// API, nothing about Okta: which entries are Okta traffic is the core's call.

/** Response bodies above this are not analysed by the core (har.rs MAX_BODY_BYTES). */
export const MAX_BODY_BYTES = 1024 * 1024;

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function headerList(headers) {
  if (!Array.isArray(headers)) return [];
  return headers
    .filter((h) => isObject(h) && typeof h.name === 'string')
    .map((h) => (typeof h.value === 'string' ? { name: h.name, value: h.value } : { name: h.name }));
}

/**
 * The entry reduced to what the core reads, values untouched; `withBody: false` leaves the
 * response content out (recognising Okta traffic needs only the URL and the headers). A body
 * longer than MAX_BODY_BYTES is left out too: the core would ignore it (a string of n UTF-16
 * units is at least n UTF-8 bytes). `null` when the entry is not an object.
 */
export function slimEntry(entry, { withBody = true } = {}) {
  if (!isObject(entry)) return null;
  const out = {};
  if (entry.startedDateTime !== undefined) out.startedDateTime = entry.startedDateTime;
  if (isObject(entry.request)) {
    const { method, url, headers } = entry.request;
    out.request = { method, url, headers };
  }
  if (isObject(entry.response)) {
    const { status, headers, content } = entry.response;
    out.response = { status, headers };
    if (withBody && isObject(content) && typeof content.text === 'string' && content.text.length <= MAX_BODY_BYTES) {
      out.response.content = { text: content.text, ...(content.encoding !== undefined && { encoding: content.encoding }) };
    }
  }
  return out;
}

/** A HAR document (JSON text) around `entries`, plus `others` placeholder entries that are not
 * requests: the core counts them in `entries` and reads nothing else from them. */
export function harText(entries, others = 0) {
  const parts = entries.map((e) => JSON.stringify(e));
  if (others > 0) parts.push(new Array(others).fill('0').join(','));
  return `{"log":{"version":"1.2","entries":[${parts.join(',')}]}}`;
}

/** A one-entry HAR document for the core to judge a single entry. */
export function probeText(entry, { withBody = true } = {}) {
  return harText([slimEntry(entry, { withBody }) ?? null]);
}

/**
 * What the core made of a one-entry HAR (`analyzeText(probeText(entry))`): null when the entry
 * is not Okta traffic, else the entry's request reference (observedAt, method, redacted url,
 * statusCode, requestId, severity, findingIds), its rate-limit bucket and the token it carried.
 */
export function probeResult(report) {
  const timeline = report?.timeline;
  if (!isObject(timeline) || timeline.oktaEntries !== 1) return null;
  const request = timeline.digest?.requests?.[0] ?? {};
  const bucket = timeline.rateLimits?.buckets?.[0] ?? null;
  const token = timeline.digest?.tokens?.[0] ?? null;
  return {
    observedAt: Number.isFinite(request.observedAt) ? request.observedAt : 0,
    method: request.method,
    url: request.url,
    statusCode: request.statusCode,
    requestId: request.requestId,
    severity: request.severity ?? 'info',
    findingIds: Array.isArray(request.findingIds) ? request.findingIds : [],
    bucket: bucket && { key: bucket.key, name: bucket.bucket, host: bucket.host },
    token: token && { key: token.key, expiresIn: token.expiresInAtLastUse, view: token.view },
  };
}

/** Standard or URL-safe base64 → UTF-8 text, or undefined when it is neither. */
export function decodeBase64Text(text) {
  const body = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*$/.test(body) || body.length % 4 === 1) return undefined;
  try {
    const binary = atob(body.padEnd(Math.ceil(body.length / 4) * 4, '='));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The exchange the browser saw (DESIGN.md § The contract), for `analyzeExchange`. The time and
 * status are the values the core itself read from the entry (its probe), so a row's report and
 * the timeline agree; the body is decoded as har.rs does (base64 when `encoding` says so).
 */
export function exchangeOf(entry, probe) {
  const request = isObject(entry?.request) ? entry.request : {};
  const response = isObject(entry?.response) ? entry.response : {};
  const exchange = {
    method: typeof request.method === 'string' ? request.method : undefined,
    url: typeof request.url === 'string' ? request.url : undefined,
    requestHeaders: headerList(request.headers),
    responseHeaders: headerList(response.headers),
  };
  if (probe?.observedAt) exchange.observedAt = probe.observedAt;
  if (Number.isInteger(probe?.statusCode)) exchange.statusCode = probe.statusCode;
  const content = response.content;
  if (isObject(content) && typeof content.text === 'string' && content.text.length <= MAX_BODY_BYTES) {
    exchange.body = content.encoding === 'base64' ? decodeBase64Text(content.text) : content.text;
    if (exchange.body === undefined) delete exchange.body;
  }
  return exchange;
}

/**
 * A HAR document (JSON text) of whole entries for a sanitised export: the browser's private
 * `_`-prefixed members (initiator stacks, resource types) are left out, everything else is
 * passed to `redactHar` as recorded.
 */
export function exportHarText(entries, creator) {
  const clean = (value) => {
    if (Array.isArray(value)) return value.map(clean);
    if (!isObject(value)) return value;
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (!k.startsWith('_') && typeof v !== 'function') out[k] = clean(v);
    }
    return out;
  };
  return JSON.stringify({ log: { version: '1.2', creator, pages: [], entries: entries.map(clean) } });
}

/** The response body DevTools gave for an entry, put where a HAR file keeps it. */
export function withContent(entry, text, encoding) {
  if (typeof text !== 'string') return entry;
  const response = isObject(entry.response) ? entry.response : {};
  const content = { ...(isObject(response.content) ? response.content : {}), text };
  if (encoding === 'base64') content.encoding = 'base64';
  else delete content.encoding;
  return { ...entry, response: { ...response, content } };
}

// HAR 1.2 entries (http://www.softwareishard.com/blog/har-12-spec/) as the panel hands them on:
// the slim copy the core reads (crate/src/har.rs `exchange`: startedDateTime, request method,
// url, headers and form, the initiator's URL, response status, headers and content; the core
// parses it), the response body
// DevTools gives put where a HAR keeps it, and the HAR document the panel hands to `redactHar`.
// Plain data, no DOM, no browser API, nothing about Okta: what an entry means is the core's call.

/** Response bodies above this are not analysed by the core (har.rs MAX_BODY_BYTES). */
export const MAX_BODY_BYTES = 1024 * 1024;

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

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
    const { method, url, headers, postData } = entry.request;
    out.request = { method, url, headers };
    // The request's form (POST /token): the core reads its fields for the sign-in flow and
    // keeps only digests of the secrets in it.
    if (withBody && isObject(postData)) {
      const form = {};
      if (postData.mimeType !== undefined) form.mimeType = postData.mimeType;
      if (Array.isArray(postData.params)) form.params = postData.params;
      if (typeof postData.text === 'string' && postData.text.length <= MAX_BODY_BYTES) form.text = postData.text;
      out.request.postData = form;
    }
  }
  // The document that started the request (Chromium's HAR): the flow's third-party judgement.
  if (isObject(entry._initiator) && typeof entry._initiator.url === 'string') {
    out._initiator = { url: entry._initiator.url };
  }
  if (isObject(entry.response)) {
    const { status, headers, content, _error: error } = entry.response;
    out.response = { status, headers };
    // Chromium's record of a request it failed (a CORS block): the core quotes it.
    if (typeof error === 'string' && error !== '') out.response._error = error;
    if (withBody && isObject(content) && typeof content.text === 'string' && content.text.length <= MAX_BODY_BYTES) {
      out.response.content = { text: content.text, ...(content.encoding !== undefined && { encoding: content.encoding }) };
    }
  }
  return out;
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

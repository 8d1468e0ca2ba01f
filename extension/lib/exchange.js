// Assembles one exchange (DESIGN.md § The contract: webRequest's field names) from the several
// webRequest events of a request: onBeforeSendHeaders gives the request headers, onHeadersReceived
// the status and response headers, onBeforeRedirect / onCompleted / onErrorOccurred end it. The
// pieces live in memory only, for the request's lifetime (they hold the Authorization header);
// what is kept after that is the core's sealed report, never this. Pure: no browser API.
//
// A worker restarted mid-request loses the request headers; onCompleted alone still makes an
// exchange (status and response headers), so nothing is dropped, only less is known.
//
// A request's form body (onBeforeRequest's `requestBody.formData`: a POST /token's `code`,
// `code_verifier`, `refresh_token`) is flattened generically into `requestForm` — which fields
// matter is the core's to decide, and the core digests the secrets as it reads them. The raw
// values live only in this map, for the request's lifetime, and in the one exchange handed to
// the core; nothing here stores, logs or sends them.
//
// SAML (issue 17): the browser's form POST of a `SAMLResponse` from Okta's page to the app's
// Assertion Consumer Service goes to the APP's origin, not Okta's. Such a form is kept too (when
// the browser shows the request at all: the app's origin is a host permission the user granted),
// recognised by its field names alone (SAML 2.0 Bindings §3.5.4: `SAMLResponse` / `SAMLRequest`);
// what it says is the core's to read. The value (~5–15 KB of base64, a bearer credential) lives
// only in this map until the core has read it, like a /token form.

import { exchangeArgs } from './exchange-args.js';

/** At most this many requests in flight are remembered (the oldest are forgotten). */
export const MAX_PENDING = 500;
/**
 * Preflights the browser looks to have let through, kept apart until an error ends them or the
 * newest 64 push them out: Chromium's onCompleted (without 'extraHeaders') never ends them, and in
 * the pending map they would push out requests still in flight.
 */
export const MAX_PARKED_PREFLIGHTS = 64;

/** webRequest's header list → the contract's `[{name, value}]` (binary values skipped). */
export function headerList(headers) {
  if (!Array.isArray(headers)) return [];
  return headers
    .filter((h) => h && typeof h.name === 'string' && typeof h.value === 'string')
    .map((h) => ({ name: h.name, value: h.value }));
}

/** At most this many form fields per request, each value at most MAX_FORM_VALUE characters. */
export const MAX_FORM_FIELDS = 64;
export const MAX_FORM_VALUE = 64 * 1024;

/**
 * webRequest's `requestBody` → the contract's `requestForm: [{name, value}]`, fields in the
 * order the browser gives them (`formData` maps each name to its values, in form order), or null
 * when the body is not a form. A value longer than MAX_FORM_VALUE is left out rather than cut
 * (a cut secret would digest to a wrong value).
 */
export function formFields(requestBody) {
  const data = requestBody?.formData;
  if (!data || typeof data !== 'object') return null;
  const fields = [];
  for (const [name, values] of Object.entries(data)) {
    for (const value of Array.isArray(values) ? values : [values]) {
      if (typeof value !== 'string' || value.length > MAX_FORM_VALUE) continue;
      if (fields.length >= MAX_FORM_FIELDS) return fields;
      fields.push({ name, value });
    }
  }
  return fields.length > 0 ? fields : null;
}

/** The form fields that carry a SAML message (HTTP-POST binding). */
export const SAML_FIELDS = Object.freeze(['SAMLResponse', 'SAMLRequest']);

/** True when a `requestForm` carries a SAML message (a POST to an ACS, or to Okta's SSO URL). */
export function carriesSaml(form) {
  return Array.isArray(form) && form.some((f) => SAML_FIELDS.includes(f?.name));
}

/**
 * The SAML fields of a form body left out for their size (over MAX_FORM_VALUE): `[{name, length}]`,
 * or null. Only the length goes to the core — a Response is a bearer credential, and one this large
 * isn't read — so that it can say a Response was seen but was too large to check, instead of nothing.
 */
export function omittedSamlFields(requestBody) {
  const data = requestBody?.formData;
  if (!data || typeof data !== 'object') return null;
  const omitted = [];
  for (const name of SAML_FIELDS) {
    const values = Object.hasOwn(data, name) ? data[name] : [];
    for (const value of Array.isArray(values) ? values : [values]) {
      if (typeof value === 'string' && value.length > MAX_FORM_VALUE) omitted.push({ name, length: value.length });
    }
  }
  return omitted.length > 0 ? omitted : null;
}

/** True when an exchange (or a pending one) carries a SAML message, read or left out for its size. */
export function exchangeCarriesSaml(e) {
  return carriesSaml(e?.requestForm) || Array.isArray(e?.requestFormOmitted);
}

/**
 * The origin of the page that made a request, when the browser says: Chromium's `initiator`
 * (an origin), Firefox's `documentUrl` / `originUrl` (URLs). Null for opaque or unknown ones.
 */
export function initiatorOrigin(details) {
  const candidates = [details?.initiator, details?.documentUrl, details?.originUrl];
  for (const c of candidates) {
    if (typeof c !== 'string') continue;
    const origin = webOrigin(c);
    if (origin !== null) return origin;
  }
  return null;
}

// A page's requests name the same initiator event after event: the last answer is kept.
let lastUrl = null;
let lastOrigin = null;

/** The http(s) origin of `url`, or null ("null" for an opaque origin, junk). */
function webOrigin(url) {
  if (url === lastUrl) return lastOrigin;
  let origin = null;
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') origin = u.origin;
  } catch {
    // not a URL: null
  }
  lastUrl = url;
  lastOrigin = origin;
  return origin;
}

/**
 * A CORS preflight the browser let through (an ok status, an Access-Control-Allow-Origin, no
 * browser error): nothing to explain, not worth a row. Any other preflight (refused, answered
 * without CORS headers, failed by the browser) goes to the core, which judges it.
 */
export function preflightLetThrough(exchange) {
  const { statusCode, responseHeaders = [], error } = exchange;
  const allowOrigin = responseHeaders.some((h) => h.name.toLowerCase() === 'access-control-allow-origin');
  return statusCode >= 200 && statusCode < 300 && allowOrigin && error === undefined;
}

export class PendingExchanges {
  constructor(max = MAX_PENDING) {
    this.max = max;
    /** @type {Map<string, object>} requestId → partial exchange */
    this.map = new Map();
    /** @type {Map<string, object>} requestId → a preflight let through so far (MAX_PARKED_PREFLIGHTS) */
    this.preflights = new Map();
  }

  get size() {
    return this.map.size;
  }

  /** True when the pending request `requestId` holds a SAML form (kept whatever its host). */
  holdsSaml(requestId) {
    return exchangeCarriesSaml(this.map.get(requestId));
  }

  #entry(details) {
    let e = this.map.get(details.requestId);
    if (!e) {
      e = {
        requestId: details.requestId,
        tabId: details.tabId,
        method: details.method,
        url: details.url,
        type: details.type,
        initiator: initiatorOrigin(details),
        requestHeaders: [],
        responseHeaders: [],
      };
      this.map.set(details.requestId, e);
      if (this.map.size > this.max) this.map.delete(this.map.keys().next().value);
    }
    return e;
  }

  /**
   * onBeforeRequest with 'requestBody': the hop's form fields, when its body is a form (with
   * `samlOnly`, only a form carrying a SAML message). Called before onBeforeSendHeaders (`begin`
   * keeps them); a redirect's next hop starts a new entry.
   */
  body(details, { samlOnly = false } = {}) {
    const form = formFields(details.requestBody);
    const omitted = omittedSamlFields(details.requestBody);
    if (!form && !omitted) return null;
    if (samlOnly && !carriesSaml(form) && !omitted) return null;
    const e = this.#entry(details);
    if (form) e.requestForm = form;
    if (omitted) e.requestFormOmitted = omitted;
    return e;
  }

  /** onBeforeSendHeaders: a (possibly redirected) request starts; earlier hops are done. */
  begin(details) {
    const e = this.#entry(details);
    Object.assign(e, {
      method: details.method,
      url: details.url,
      requestHeaders: headerList(details.requestHeaders),
      responseHeaders: [],
      statusCode: undefined,
    });
    return e;
  }

  /** onHeadersReceived: status and response headers. */
  headers(details) {
    const e = this.#entry(details);
    e.url = details.url;
    e.statusCode = details.statusCode;
    e.responseHeaders = headerList(details.responseHeaders);
    e.observedAt = details.timeStamp;
    if (e.method === 'OPTIONS' && preflightLetThrough(e)) this.#park(e);
    return e;
  }

  /** A preflight let through so far leaves the pending map for the preflights' own. */
  #park(e) {
    this.map.delete(e.requestId);
    this.preflights.set(e.requestId, e);
    if (this.preflights.size > MAX_PARKED_PREFLIGHTS) this.preflights.delete(this.preflights.keys().next().value);
  }

  /** The pending entry of `details`' request, parked or not, taken out of the maps. */
  #take(details) {
    const parked = this.preflights.get(details.requestId);
    if (parked) {
      this.preflights.delete(details.requestId);
      return parked;
    }
    const e = this.#entry(details);
    this.map.delete(details.requestId);
    return e;
  }

  /**
   * onBeforeRedirect / onCompleted: the exchange for this hop, finished and forgotten (a redirect's
   * next hop starts again with onBeforeSendHeaders under the same requestId).
   */
  finish(details) {
    const e = this.#take(details);
    // The headers onHeadersReceived saw (with every header: Chromium's listener asks for
    // 'extraHeaders'); the ending event's own only when they were lost (a restarted worker).
    const responseHeaders = e.responseHeaders.length > 0 ? e.responseHeaders : headerList(details.responseHeaders);
    const type = details.type ?? e.type;
    const initiator = initiatorOrigin(details) ?? e.initiator;
    return {
      requestId: e.requestId,
      tabId: details.tabId ?? e.tabId,
      type,
      initiator,
      redirectUrl: typeof details.redirectUrl === 'string' ? details.redirectUrl : undefined,
      exchange: {
        observedAt: Number.isFinite(details.timeStamp) ? details.timeStamp : e.observedAt ?? Date.now(),
        method: details.method ?? e.method,
        url: details.url ?? e.url,
        statusCode: details.statusCode ?? e.statusCode,
        requestHeaders: e.requestHeaders,
        responseHeaders,
        // webRequest's resource type: the core applies no CORS check to a navigation.
        ...(typeof type === 'string' ? { type } : {}),
        // The page (or frame) that made the request, and Firefox's `thirdParty` (absent on
        // Chromium): a silent renewal in a third-party frame is told apart by them.
        ...(initiator ? { initiator } : {}),
        ...(typeof details.thirdParty === 'boolean' ? { thirdParty: details.thirdParty } : {}),
        // The form body's fields (raw: the core digests the secrets among them as it reads).
        ...(e.requestForm ? { requestForm: e.requestForm } : {}),
        // A SAML field too large to keep: its name and length only (the core says so).
        ...(e.requestFormOmitted ? { requestFormOmitted: e.requestFormOmitted } : {}),
        // onErrorOccurred's error, when the browser failed a request Okta had answered (a CORS
        // block): quoted by the core, never parsed.
        ...(typeof details.error === 'string' ? { error: details.error } : {}),
      },
    };
  }

  /**
   * onErrorOccurred: the finished exchange when a response had arrived (e.g. a CORS failure after
   * Okta answered), else null; either way the request is forgotten.
   */
  fail(details) {
    const e = this.map.get(details.requestId) ?? this.preflights.get(details.requestId);
    if (!e) return null;
    if (!Number.isFinite(e.statusCode)) {
      this.map.delete(details.requestId);
      return null;
    }
    return this.finish({ ...details, statusCode: e.statusCode, responseHeaders: e.responseHeaders });
  }
}

/** liveFold(tab, exchange, redirectUrl) on the core's liveFoldFields (crate/src/wasm/live.rs). */
export function foldCall(fields) {
  return (tab, e, redirectUrl) => fields(tab, ...exchangeArgs(e), redirectUrl);
}

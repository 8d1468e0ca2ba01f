// The messages background.js answers, as constants plus JSDoc: the one place a sender or the
// background looks up a message's type and shape. Replies are plain JSON-compatible objects.

/**
 * @typedef {import('./render.js').Report} Report
 *
 * @typedef {{type: 'report:analyze-text', text: string, now: number}} AnalyzeTextRequest
 *   Analyse anything a user may paste. `now` is the caller's clock in epoch seconds
 *   (`Math.floor(Date.now() / 1000)`); the core reads no clock of its own.
 * @typedef {{type: 'report:analyze-exchange', exchange: Exchange}} AnalyzeExchangeRequest
 *   Analyse one observed request/response pair.
 * @typedef {{type: 'core:version'}} CoreVersionRequest
 * @typedef {{type: 'capture:body', url: string, status: number, method: string, body: string}}
 *   CaptureBodyRequest  From content/relay.js (Chromium, opted-in sites): the body of an Okta
 *   error response the page read; the background attaches it to the exchange webRequest saw on
 *   the sender's tab (same URL and status) and drops it otherwise.
 * @typedef {{type: 'tab:clear', tabId: number}} ClearTabRequest
 *   Forget everything captured on a tab (the popup's Clear button) and reset its badge.
 *
 * @typedef {{observedAt?: number, method: string, url: string, statusCode: number,
 *   requestHeaders?: {name: string, value: string}[],
 *   responseHeaders?: {name: string, value: string}[], body?: string}} Exchange
 *   webRequest's field names (DESIGN.md § The contract).
 *
 * @typedef {{ok: true, report: Report}} ReportReply
 * @typedef {{ok: true, version: string}} VersionReply
 * @typedef {{ok: true}} DoneReply
 * @typedef {{ok: false, error: string}} ErrorReply   the message was malformed or the core failed
 */

/** Message types, by name. */
export const MSG = Object.freeze({
  /** {@link AnalyzeTextRequest} → {@link ReportReply} | {@link ErrorReply} */
  ANALYZE_TEXT: 'report:analyze-text',
  /** {@link AnalyzeExchangeRequest} → {@link ReportReply} | {@link ErrorReply} */
  ANALYZE_EXCHANGE: 'report:analyze-exchange',
  /** {@link CoreVersionRequest} → {@link VersionReply} | {@link ErrorReply} */
  CORE_VERSION: 'core:version',
  /** {@link CaptureBodyRequest} → {@link DoneReply} | {@link ErrorReply} */
  CAPTURE_BODY: 'capture:body',
  /** {@link ClearTabRequest} → {@link DoneReply} | {@link ErrorReply} */
  CLEAR_TAB: 'tab:clear',
});

const KNOWN = new Set(Object.values(MSG));

/** True when `message` is one of ours (the background leaves other messages alone). */
export function isKnownMessage(message) {
  return message !== null && typeof message === 'object' && KNOWN.has(message.type);
}

// The messages background.js answers, as constants plus JSDoc: the one place a sender or the
// background looks up a message's type and shape. Replies are plain JSON-compatible objects.

/**
 * @typedef {{type: 'capture:body', url: string, status: number, method: string, body: string}}
 *   CaptureBodyRequest  From content/relay.js (Chromium, opted-in sites): the body of an Okta
 *   error response the page read; the background attaches it to the response webRequest saw in
 *   the sender's tab and frame (same URL, method and status; once) and drops it otherwise.
 * @typedef {{type: 'tab:clear', tabId: number}} ClearTabRequest
 *   Forget everything captured on a tab (the popup's Clear button) and reset its badge.
 *
 * @typedef {{ok: true}} DoneReply
 * @typedef {{ok: false, error: string}} ErrorReply   the message was malformed or the core failed
 */

/** Message types, by name. */
export const MSG = Object.freeze({
  /** {@link CaptureBodyRequest} → {@link DoneReply} | {@link ErrorReply} */
  CAPTURE_BODY: 'capture:body',
  /** {@link ClearTabRequest} → {@link DoneReply} | {@link ErrorReply} */
  CLEAR_TAB: 'tab:clear',
  /** `{type, text}` → {@link DoneReply}: the popup's paste box, kept in memory (lib/draft.js) */
  DRAFT_PUT: 'draft:put',
  /** `{type}` → `{ok: true, text: string|null}` */
  DRAFT_GET: 'draft:get',
});

/**
 * The contexts that send messages. `extension-page`: the popup, the options page, the DevTools
 * panel (a page of the extension's own origin, in a tab or not). `content-script`: relay.js, in
 * a frame of a web page (`sender.tab` and `sender.frameId` set, its URL http(s)).
 */
export const CONTEXT = Object.freeze({ EXTENSION_PAGE: 'extension-page', CONTENT_SCRIPT: 'content-script' });

/**
 * Who may send each message: the one place the background's answers are gated. A content
 * script runs next to the page's scripts and relays what they say, so it may only hand in a
 * body; it may not analyse, verify, export or clear anything.
 */
export const SENDERS = Object.freeze({
  [MSG.CAPTURE_BODY]: CONTEXT.CONTENT_SCRIPT,
  [MSG.CLEAR_TAB]: CONTEXT.EXTENSION_PAGE,
  [MSG.DRAFT_PUT]: CONTEXT.EXTENSION_PAGE,
  [MSG.DRAFT_GET]: CONTEXT.EXTENSION_PAGE,
});

/** True when `message` is one of ours (the background leaves other messages alone). */
export function isKnownMessage(message) {
  return message !== null && typeof message === 'object' && Object.hasOwn(SENDERS, message.type);
}

const isHttp = (url) => {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
};

/**
 * The context `sender` (runtime.onMessage's MessageSender) is, or null when it is none we
 * answer. `self` is this extension: `{id: runtime.id, origin: runtime.getURL('')}`.
 */
export function senderContext(sender, self) {
  if (!sender || typeof sender !== 'object' || sender.id !== self.id || typeof self.origin !== 'string') return null;
  const url = typeof sender.url === 'string' ? sender.url : '';
  if (self.origin.length > 0 && url.startsWith(self.origin)) return CONTEXT.EXTENSION_PAGE;
  const tabId = sender.tab?.id;
  if (Number.isInteger(tabId) && tabId >= 0 && Number.isInteger(sender.frameId) && sender.frameId >= 0 && isHttp(url)) {
    return CONTEXT.CONTENT_SCRIPT;
  }
  return null;
}

/** Whether the background answers `message` from `sender` (see {@link SENDERS}). */
export function allowedFrom(message, sender, self) {
  return isKnownMessage(message) && senderContext(sender, self) === SENDERS[message.type];
}

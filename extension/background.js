// Background (Chromium: module service worker; Firefox: module event page). Owns the core for
// message senders (the messages documented in lib/messages.js) and the live capture: webRequest
// events for Okta's hosts (and the user's custom domains) become analysed exchanges in each tab's
// state (lib/capture.js), kept in storage.session and shown by the badge and the popup.
//
// Every listener is registered synchronously at top level (MV3 may wake the worker for an event
// and drop it otherwise); the wasm is initialised lazily inside the handlers, because a service
// worker can neither `await` at top level nor use dynamic `import()`. Nothing lives only in
// globals: the tab store writes to storage.session, which survives the worker being stopped (the
// core's copy of each tab's digest, timeline and reports only spares re-reading them per event).
import init, * as sw from './pkg/okta_medic.js';
import initUi, * as ui from './pkg/okta_medic_ui.js';
import { api } from './lib/api.js';
import { syncBodyCapture } from './lib/body-capture.js';
import { createCapture } from './lib/capture.js';
import { createDraftKeeper } from './lib/draft.js';
import { createLiveCore } from './lib/live-core.js';
import { MSG, allowedFrom, isKnownMessage } from './lib/messages.js';
import { SETTINGS_KEY } from './lib/settings.js';
import { withLive } from './lib/tab-state.js';
import { createTabStore } from './lib/tab-store.js';

/** @type {Promise<unknown> | undefined} */
let ready;
/** Whether the wasm is initialised: before that the core holds no tab, and must not be called. */
let coreLoaded = false;

function loadCore() {
  ready ??= init({ module_or_path: new URL('./pkg/okta_medic_bg.wasm', import.meta.url) }).then(
    (exports) => {
      coreLoaded = true;
      return exports;
    },
    (err) => {
      ready = undefined; // let the next event retry instead of caching the failure
      throw err;
    },
  );
  return ready;
}

// The worker's own module folds the tabs' exchanges; the first one it declines (crate/src/wasm/live.rs
// says which) moves the tabs to the UI pages' module, which folds everything (lib/live-core.js).
// Both glues are imported here, up front: a service worker cannot import() later.
const core = createLiveCore(
  { exports: sw, load: loadCore },
  { exports: ui, load: () => initUi({ module_or_path: new URL('./pkg/okta_medic_ui_bg.wasm', import.meta.url) }) },
);

const logError = (err) => console.warn('Okta Medic live capture:', err);

const store = createTabStore({
  area: api.storage.session,
  materialise: (state) => (coreLoaded ? withLive(state, core) : state),
  forget: (tabId) => {
    if (coreLoaded) core.liveForget(tabId);
  },
  onFlushed: (tabIds) => {
    for (const tabId of tabIds) capture.refreshBadge(tabId).catch(logError);
  },
});

const capture = createCapture({
  api,
  core,
  loadCore,
  store,
  onError: logError,
});

// ---- webRequest: every HTTPS request the extension may see; capture.js keeps the watched
// hosts'. Custom domains live in storage, which a waking worker can't read before registering,
// so the filter is broad and the host test happens in the handlers; Okta and custom domains are
// HTTPS only, so an enabled app on plain http (localhost) never wakes the worker with its own
// requests. Chromium 156 shows the Authorization request header without 'extraHeaders'
// (measured), but withholds the request's Origin header and every CORS preflight from listeners
// without it (https://developer.chrome.com/docs/extensions/reference/api/webRequest, "since
// Chrome 79"), so Chromium's listeners ask for 'extraHeaders' (an option, not a permission):
// CORS diagnosis needs the page's origin and the preflights. Firefox has no such option (its
// listeners see both) and rejects unknown ones, so it is asked for only where the browser
// declares it. Firefox reads error bodies from a blocking onHeadersReceived listener.
const ALL = { urls: ['https://*/*'] };
const firefoxBlocking = typeof api.webRequest.filterResponseData === 'function' ? ['blocking'] : [];
const extra = api.webRequest.OnBeforeSendHeadersOptions?.EXTRA_HEADERS === 'extraHeaders' ? ['extraHeaders'] : [];

// A form body's fields: 'requestBody' is an option of onBeforeRequest in both browsers, not a
// permission (https://developer.chrome.com/docs/extensions/reference/api/webRequest#type-OnBeforeRequestOptions).
// The core reads a form in two places only, so the browser is asked for no other request's: a
// token request (`POST …/v1/token`: grant_type, code, code_verifier, refresh_token …, the sign-in
// flow checks; crate/src/exchange/flow.rs) and a navigation (a form posting a SAML message, or a
// sign-in page's own form). An app's API calls — a storm's — then raise three events in the worker,
// not four. A match pattern's path is matched with the query, hence the second token pattern. Only
// watched hosts' form bodies are kept, in memory, until the core has digested them; a navigation
// that is also a token request is heard twice and kept once (exchange.js `body`).
const FORM_REQUESTS = [
  { urls: ['https://*/*/v1/token', 'https://*/*/v1/token?*'] },
  { urls: ['https://*/*'], types: ['main_frame', 'sub_frame'] },
];
for (const filter of FORM_REQUESTS) {
  api.webRequest.onBeforeRequest.addListener((d) => capture.beforeRequest(d), filter, ['requestBody']);
}
api.webRequest.onBeforeSendHeaders.addListener(
  (d) => {
    watchNavigations();
    capture.beforeSendHeaders(d);
  },
  ALL,
  ['requestHeaders', ...extra],
);
api.webRequest.onHeadersReceived.addListener(
  (d) => {
    capture.headersReceived(d);
  },
  ALL,
  ['responseHeaders', ...firefoxBlocking, ...extra],
);
api.webRequest.onBeforeRedirect.addListener((d) => capture.hopFinished(d), ALL, ['responseHeaders', ...extra]);
// onCompleted without 'extraHeaders': the hop's headers, Set-Cookie and all, came with
// onHeadersReceived (exchange.js `finish` keeps those); onCompleted's own are read only after a
// worker restart lost them. Its details are the largest of a request's events and the browser
// builds and copies them per listener: −8 % of the storm's CPU (docs/performance-log.md). Chromium
// still sends every request through its header client while any listener asks for 'extraHeaders'.
// A preflight reaches only listeners that ask for it, so this one no longer sees a preflight end
// well (one the browser let through: never reported, preflightLetThrough); its entry (no
// credentials: a preflight carries none) is parked apart once its headers look let through, the
// newest 64 kept (exchange.js MAX_PARKED_PREFLIGHTS), so it never pushes out a request in flight.
// A refused or failed preflight ends in onErrorOccurred, which still asks for 'extraHeaders'.
api.webRequest.onCompleted.addListener((d) => capture.hopFinished(d), ALL, ['responseHeaders']);
const onError = (d) => capture.errorOccurred(d);
if (extra.length > 0) api.webRequest.onErrorOccurred.addListener(onError, ALL, extra);
else api.webRequest.onErrorOccurred.addListener(onError, ALL);

// SAML (issue 17): Okta's page posts the SAMLResponse to the app's ACS, a top-level (or frame)
// form navigation to the APP's origin; an app on plain http (a developer's localhost) is seen
// only through a second filter, navigations only, so its own requests still don't wake the
// worker. capture.js keeps such a request only when its form carries a SAML message (and the
// browser shows it only on an origin the user granted). These listeners are added once the
// worker is handling an https request (Okta's SAML page always comes first, so the worker is
// awake), not at top level: registered at top level, Chromium 156 started with an http page
// never loaded it (tests/e2e/storm-chromium.spec.mjs, 3 starts of 3; without them it loads).
const NAVIGATIONS = { urls: ['http://*/*'], types: ['main_frame', 'sub_frame'] };
let navigationsWatched = false;
function watchNavigations() {
  if (navigationsWatched) return;
  navigationsWatched = true;
  api.webRequest.onBeforeRequest.addListener((d) => capture.beforeRequest(d), NAVIGATIONS, ['requestBody']);
  api.webRequest.onBeforeSendHeaders.addListener((d) => capture.beforeSendHeaders(d), NAVIGATIONS, ['requestHeaders']);
  api.webRequest.onHeadersReceived.addListener((d) => capture.headersReceived(d), NAVIGATIONS, ['responseHeaders']);
  api.webRequest.onBeforeRedirect.addListener((d) => capture.hopFinished(d), NAVIGATIONS, ['responseHeaders']);
  api.webRequest.onCompleted.addListener((d) => capture.hopFinished(d), NAVIGATIONS, ['responseHeaders']);
  api.webRequest.onErrorOccurred.addListener((d) => capture.errorOccurred(d), NAVIGATIONS);
}

// ---- tabs: state dies with its tab; both browsers reset a tab's badge on navigation.
api.tabs.onRemoved.addListener((tabId) => {
  store.remove(tabId).catch(logError);
});
api.tabs.onUpdated.addListener((tabId, change) => {
  if (change.status === 'loading' || change.status === 'complete') {
    capture.refreshBadge(tabId, { skipEmpty: true }).catch(logError);
  }
});

// ---- settings and permissions: custom domains, body-capture sites, revoked origins.
api.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes[SETTINGS_KEY]) capture.settingsChanged(changes[SETTINGS_KEY].newValue);
});
api.permissions.onRemoved.addListener(() => {
  syncBodyCapture().catch(logError);
});
api.runtime.onInstalled.addListener(() => {
  syncBodyCapture().catch(logError);
});
api.runtime.onStartup.addListener(() => {
  syncBodyCapture().catch(logError);
});

// ---- messages (lib/messages.js)

/** @returns {Promise<object>} the reply for a known message; throws on malformed input. */
// The popup's paste box, so it survives closing the popup and "Open in a tab" (memory only).
const draft = createDraftKeeper();

async function answer(message, sender) {
  switch (message.type) {
    case MSG.DRAFT_PUT:
      draft.put(message.text);
      return { ok: true };
    case MSG.DRAFT_GET:
      return { ok: true, text: draft.get() };
    case MSG.CAPTURE_BODY:
      return { ok: true, attached: await capture.relayedBody(message, sender) };
    case MSG.CLEAR_TAB: {
      if (!Number.isInteger(message.tabId)) throw new TypeError('tabId must be an integer');
      await capture.clear(message.tabId);
      return { ok: true };
    }
    default:
      throw new TypeError(`unknown message type ${String(message.type)}`);
  }
}

// Chromium keeps the channel open only when the listener returns `true` and later calls
// sendResponse (https://developer.chrome.com/docs/extensions/develop/concepts/messaging);
// Firefox honours the same protocol (and would also accept a returned promise), so one path
// serves both. Messages that are not ours return undefined so another listener may answer.
// Each message is answered only from the context meant to send it (lib/messages.js SENDERS):
// a content script may hand in a body and nothing else; Clear answers extension pages.
api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (!isKnownMessage(message)) return undefined;
  if (!allowedFrom(message, sender, { id: api.runtime.id, origin: api.runtime.getURL('') })) {
    sendResponse({ ok: false, error: 'not allowed from this sender' });
    return undefined;
  }
  answer(message, sender).then(sendResponse, (err) =>
    sendResponse({ ok: false, error: String(err?.message ?? err) }),
  );
  return true;
});

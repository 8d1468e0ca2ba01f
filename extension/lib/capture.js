// Live capture: turns the webRequest events background.js receives into analysed exchanges
// folded into each tab's state. For every request to a watched host (the manifest's Okta host
// permissions and the user's custom domains) on a tab, and for a form POST carrying a SAML
// message to any host the browser shows us (Okta's page posting SAMLResponse to the app's ACS, on
// an origin the user granted from the options page): the exchange is assembled (exchange.js,
// with a POST's form fields from onBeforeRequest, held in memory only until the core reads them),
// its error body joined when one is read (body-join.js; Firefox's stream filter or Chromium's
// opted-in page relay), then analysed and folded into the tab's state by the core in one call
// (`liveFold`, through tab-state.js; the core also reads a redirect's target, e.g. `/authorize`
// sending `error=access_denied` back to the app) inside the write-coalescing store's update
// (tab-store.js), whose flushes update the badge. Only the core's sealed output is stored.
import { applyBadge, badgeOf } from './badge.js';
import { BODY_CAP, createBodyJoin } from './body-join.js';
import { filtersBodies, relaysBodies } from './body-capture.js';
import { PendingExchanges, exchangeCarriesSaml, preflightLetThrough } from './exchange.js';
import { matcher, originPattern } from './hosts.js';
import { readResponseBody } from './response-filter.js';
import { loadSettings, normalise, oktaPatterns } from './settings.js';
import { emptyState, foldOrSwitch, withNetworkError, withOrigin } from './tab-state.js';

/** Requests the browser itself abandoned (navigation away, tab closed): not a failure to report. */
const ABORTED = new Set(['net::ERR_ABORTED', 'NS_BINDING_ABORTED']);

const originOf = (url) => {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
};

/**
 * @param {{api: object, core: object, loadCore: () => Promise<unknown>, store: object,
 *   now?: () => number, onError?: (err: unknown) => void}} deps
 */
export function createCapture({ api, core, loadCore, store, now = Date.now, onError = () => {} }) {
  const pending = new PendingExchanges();
  // The host tests run several times per event: each pattern list is parsed once (hosts.js).
  const okta = matcher(oktaPatterns(api.runtime.getManifest()));
  let custom = matcher([]);
  const firefox = filtersBodies();
  const chromiumRelay = relaysBodies();
  let settings = null;
  let settingsLoading = null;

  const useSettings = (s) => {
    settings = s;
    custom = matcher(s.customDomains);
    return s;
  };

  const loadCurrentSettings = () => {
    settingsLoading ??= loadSettings()
      .catch(() => normalise({}))
      .then(useSettings);
    return settingsLoading;
  };

  /** Synchronous host test; before the settings are loaded, custom domains are unknown. */
  const watched = (url) => okta(url) || custom(url);
  /** Worth remembering while the settings are still loading. */
  const mayBeWatched = (url) => (settings ? watched(url) : true);
  /**
   * A request followed: a watched host's, or any host's that the browser showed us carrying a
   * SAML form (the POST from Okta's page to the app's ACS; exchange.js).
   */
  const followed = (details) => mayBeWatched(details.url) || pending.holdsSaml(details.requestId);

  async function commit(item) {
    await loadCore();
    const { exchange, tabId, redirectUrl = null } = item;
    const redirectOrigin = redirectUrl && !watched(redirectUrl) ? originOf(redirectUrl) : null;
    const pageOrigin = item.initiator && !watched(item.initiator) ? item.initiator : null;
    // Inside the update: the store serialises a tab's updates, so the core's copy of the tab is
    // restored from the stored state (when it has none) and folded in order.
    await store.update(tabId, (state) => {
      const done = (folded) => (redirectOrigin ? withOrigin(folded, redirectOrigin) : folded);
      // A promise when the core moved to another module first: the tab's later updates wait.
      const folded = foldOrSwitch(state ?? emptyState(tabId, exchange.observedAt), { exchange, redirectUrl, pageOrigin }, core, () => store.current());
      return folded instanceof Promise ? folded.then(done) : done(folded);
    });
  }

  const join = createBodyJoin({
    onReady: (item) => {
      commit(item).catch(onError);
    },
  });

  async function finished(item) {
    const s = await loadCurrentSettings();
    const { url, statusCode, method } = item.exchange;
    if (!watched(url) && !exchangeCarriesSaml(item.exchange)) {
      join.forget(item.requestId);
      return;
    }
    if (method === 'OPTIONS' && preflightLetThrough(item.exchange)) return;
    const relay = chromiumRelay && statusCode >= 400 && s.bodySites.length > 0 && bodySite(s, item.initiator);
    join.complete(item, { relay });
  }

  /** Whether the page origin `initiator` is a site the user opted in to relay bodies from. */
  const bodySite = (s, initiator) => {
    const site = initiator ? originPattern(initiator) : null;
    return site !== null && s.bodySites.includes(site);
  };

  /** Sets the tab's badge from its state; with `skipEmpty`, a tab with no state is left alone. */
  async function refreshBadge(tabId, { skipEmpty = false } = {}) {
    const state = await store.read(tabId);
    if (!state && skipEmpty) return;
    await loadCore();
    await applyBadge(api.action, tabId, badgeOf(state, core, now()));
  }

  return {
    refreshBadge,

    settingsChanged(value) {
      settingsLoading = Promise.resolve(useSettings(normalise(value)));
    },

    /**
     * onBeforeRequest with 'requestBody': a watched host's form body (POST /token), or any
     * host's form carrying a SAML message (Okta's page posting SAMLResponse to the app's ACS), is
     * remembered with its pending request until the hop ends, then handed to the core once, and
     * forgotten.
     */
    beforeRequest(details) {
      if (details.tabId < 0 || !details.requestBody?.formData) return;
      pending.body(details, { samlOnly: !mayBeWatched(details.url) });
    },

    beforeSendHeaders(details) {
      if (details.tabId < 0 || !followed(details)) return;
      pending.begin(details);
      loadCurrentSettings();
    },

    headersReceived(details) {
      if (details.tabId < 0 || !followed(details)) return;
      pending.headers(details);
      // Chromium: only an error response seen here may later be given a body by a page — when a
      // site relays bodies at all (or the settings, which say, are not loaded yet).
      const mayRelay = settings === null || settings.bodySites.length > 0;
      if (chromiumRelay && mayRelay && details.statusCode >= 400 && details.method !== 'OPTIONS') join.saw(details);
      // Firefox's stream filter must start now, inside this (blocking) listener.
      const readBodies = settings?.readBodies ?? true;
      if (firefox && readBodies && details.statusCode >= 400 && details.method !== 'OPTIONS' && watched(details.url)) {
        const { requestId, tabId } = details;
        const started = readResponseBody(api.webRequest, requestId, {
          cap: BODY_CAP,
          onDone: (body) => join.bodyFor(requestId, body),
        });
        if (started) join.expect(requestId, tabId);
      }
    },

    /** onBeforeRedirect and onCompleted: one hop of the request is over. */
    hopFinished(details) {
      if (details.tabId < 0 || !followed(details)) return;
      finished(pending.finish(details)).catch(onError);
    },

    errorOccurred(details) {
      if (details.tabId < 0) return;
      join.forget(details.requestId);
      const item = pending.fail(details);
      if (item) {
        finished(item).catch(onError);
        return;
      }
      if (ABORTED.has(details.error)) return;
      loadCurrentSettings()
        .then(() => {
          if (!watched(details.url)) return undefined;
          const host = new URL(details.url).host;
          return store.update(details.tabId, (state) =>
            withNetworkError(state ?? emptyState(details.tabId, now()), { host, error: String(details.error), at: now() }),
          );
        })
        .catch(onError);
    },

    /**
     * A body relayed from an opted-in page (content/relay.js), for `sender`'s tab and frame (the
     * frame's own origin must be an opted-in site). body-join.js accepts it only for a response
     * webRequest saw on that tab, once.
     */
    async relayedBody(message, sender) {
      const tabId = sender?.tab?.id;
      const { frameId } = sender ?? {};
      if (!chromiumRelay || !Number.isInteger(tabId) || tabId < 0 || !Number.isInteger(frameId)) return false;
      const s = await loadCurrentSettings();
      const site = originPattern(sender.url ?? sender.origin ?? '');
      const { url, status, method, body } = message;
      if (!site || !s.bodySites.includes(site)) return false;
      if (typeof url !== 'string' || !watched(url) || !Number.isInteger(status) || status < 400) return false;
      if (typeof method !== 'string' || typeof body !== 'string') return false;
      return join.relayed({ tabId, frameId, url, method, status, body });
    },

    async clear(tabId) {
      await store.remove(tabId);
      await loadCore();
      await applyBadge(api.action, tabId, badgeOf(null, core, now()));
    },
  };
}

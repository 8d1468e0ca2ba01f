// The user's live-capture settings in storage.local, and what follows from them:
//   customDomains  host patterns of the org's custom URL domains (each also an optional host
//                  permission the user granted; the options page adds and removes both)
//   bodySites      app origins (patterns) whose page may relay Okta error bodies (Chromium's
//                  opt-in: a MAIN-world hook registered for that site, see body-capture.js)
//   readBodies     Firefox reads Okta error bodies with webRequest.filterResponseData (on unless
//                  turned off)
// The watched hosts are the manifest's host_permissions (Okta's domains) plus customDomains.
import { api } from './api.js';

export const SETTINGS_KEY = 'settings';
const DEFAULTS = Object.freeze({ customDomains: [], bodySites: [], readBodies: true });

const strings = (v) => (Array.isArray(v) ? v.filter((s) => typeof s === 'string') : []);

/** Stored settings → a complete, well-typed settings object. */
export function normalise(stored) {
  const s = stored && typeof stored === 'object' ? stored : {};
  return {
    customDomains: strings(s.customDomains),
    bodySites: strings(s.bodySites),
    readBodies: typeof s.readBodies === 'boolean' ? s.readBodies : DEFAULTS.readBodies,
  };
}

export async function loadSettings(area = api.storage.local) {
  const got = await area.get(SETTINGS_KEY);
  return normalise(got?.[SETTINGS_KEY]);
}

/** Applies `fn(settings) → settings` and stores the result. */
export async function updateSettings(fn, area = api.storage.local) {
  const next = normalise(fn(await loadSettings(area)));
  await area.set({ [SETTINGS_KEY]: next });
  return next;
}

/**
 * The Okta domains the listener always watches: the manifest's required host permissions, all
 * HTTPS (Okta serves nothing over plain HTTP). The E2E test builds add http loopback origins to
 * host_permissions; those stand for an app's or an issuer's origin, not for Okta, so they are not
 * watched.
 */
export function oktaPatterns(manifest = api.runtime.getManifest()) {
  return strings(manifest.host_permissions).filter((p) => p.startsWith('https://'));
}

/** Host permissions granted at install (they can't be revoked from the options page). */
export function requiredPatterns(manifest = api.runtime.getManifest()) {
  return strings(manifest.host_permissions);
}

/** Every pattern the listener watches for these settings. */
export function watchedPatterns(settings, manifest) {
  return [...oktaPatterns(manifest), ...settings.customDomains];
}

/** Adds `item` to a list once / removes it. */
export const withItem = (list, item) => (list.includes(item) ? list : [...list, item]);
export const withoutItem = (list, item) => list.filter((x) => x !== item);

// How Okta error bodies are read, per browser:
//   Firefox   webRequest.filterResponseData on the Okta responses themselves (needs the
//             webRequestBlocking and webRequestFilterResponse permissions and a blocking
//             onHeadersReceived listener; see response-filter.js). On unless turned off.
//   Chromium  no response bodies in webRequest; per site, once the user opts in, a MAIN-world
//             hook (content/page-hook.js) wrapping fetch and XHR plus an isolated-world relay
//             (content/relay.js), registered with scripting.registerContentScripts for that site
//             only. Registration needs the site's host permission ("Enable on this site").
// This file keeps the registrations in step with settings.bodySites and the granted origins.
import { api } from './api.js';
import { loadSettings, updateSettings, withItem, withoutItem } from './settings.js';

export const HOOK_PREFIX = 'okta-medic-hook ';
export const RELAY_PREFIX = 'okta-medic-relay ';

/** Firefox: bodies straight from the response stream. */
export const filtersBodies = () => typeof api.webRequest?.filterResponseData === 'function';
/** Chromium: bodies relayed by an opted-in site's page. */
export const relaysBodies = () => !filtersBodies() && typeof api.scripting?.registerContentScripts === 'function';

function scriptsFor(pattern) {
  const common = { matches: [pattern], runAt: 'document_start', allFrames: true, persistAcrossSessions: true };
  return [
    { ...common, id: `${HOOK_PREFIX}${pattern}`, js: ['content/page-hook.js'], world: 'MAIN' },
    { ...common, id: `${RELAY_PREFIX}${pattern}`, js: ['content/relay.js'] },
  ];
}

/**
 * Registers the hook and relay for every opted-in site the extension may still access, and
 * unregisters the rest. Safe to call any time (install, start-up, settings or permission change).
 */
export async function syncBodyCapture() {
  if (!relaysBodies()) return [];
  const settings = await loadSettings();
  const wanted = [];
  for (const pattern of settings.bodySites) {
    if (await api.permissions.contains({ origins: [pattern] })) wanted.push(pattern);
  }
  const registered = await api.scripting.getRegisteredContentScripts();
  const ours = registered.filter((s) => s.id.startsWith(HOOK_PREFIX) || s.id.startsWith(RELAY_PREFIX));
  const have = new Set(ours.map((s) => s.id));
  const wantIds = new Set(wanted.flatMap((p) => scriptsFor(p).map((s) => s.id)));
  const stale = ours.filter((s) => !wantIds.has(s.id)).map((s) => s.id);
  if (stale.length > 0) await api.scripting.unregisterContentScripts({ ids: stale });
  const missing = wanted.flatMap(scriptsFor).filter((s) => !have.has(s.id));
  if (missing.length > 0) await api.scripting.registerContentScripts(missing);
  return wanted;
}

/** Turns a site's body capture on or off (the site's host permission must already be granted). */
export async function setBodyCapture(pattern, on) {
  await updateSettings((s) => ({ ...s, bodySites: on ? withItem(s.bodySites, pattern) : withoutItem(s.bodySites, pattern) }));
  return syncBodyCapture();
}

/** Whether a site relays bodies (Chromium) — the setting, not the registration. */
export async function bodyCaptureOn(pattern) {
  return (await loadSettings()).bodySites.includes(pattern);
}

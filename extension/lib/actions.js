// What a finding's `action` button does, keyed by the action's `kind` only (the core decides
// which finding offers which action and writes its label; see report.rs `Action`). One entry:
//
//   verify_signature  ask for the optional host permission `action.origin` (the browser's
//                     prompt, from the click itself), and only if granted verify the token online
//                     with its issuer's keys, then show the new report. Refused: zero requests.
//
// The few words here are about the browser's permission, never about tokens or Okta.
import { api } from './api.js';

/**
 * A match pattern the browsers accept for `origin` (`https://dev-1.okta.com/*`): scheme, host,
 * `/*`. Firefox rejects patterns with a port ("host must not include a port number",
 * https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/Match_patterns, bug 1362809),
 * and in Chromium a port-less pattern covers every port, so the port is dropped for both.
 * Null for anything that is not an http(s) origin pattern.
 */
export function hostPermissionPattern(origin) {
  if (typeof origin !== 'string') return null;
  let url;
  try {
    url = new URL(origin.replace(/\/\*$/, '/'));
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return null;
  if (url.pathname !== '/' || url.search || url.hash || url.hostname.includes('*')) return null;
  return `${url.protocol}//${url.hostname}/*`;
}

/**
 * @typedef {{button: HTMLButtonElement, status: HTMLElement}} ActionUi  the clicked button and
 *   the status line under it
 * @typedef {{verifyOnline: () => Promise<object>, show: (report: object) => void}} ActionContext
 *   verifyOnline: verifies the token the report is about (the popup binds text and time);
 *   show: replaces the report on screen (ignored when the input changed meanwhile)
 */

function busy(button, on) {
  button.disabled = on;
  button.setAttribute('aria-busy', String(on));
}

/** @param {import('./render.js').Action} action @param {ActionContext} context @param {ActionUi} ui */
function verifySignature(action, context, { button, status }) {
  const pattern = hostPermissionPattern(action.origin);
  if (!pattern) {
    status.textContent = `Cannot ask for access to ${String(action.origin)}: not a web origin.`;
    return;
  }
  // Called synchronously in the click handler: Firefox honours permissions.request only while it
  // handles the user's input, and any `await` before it would end that.
  let request;
  try {
    request = api.permissions.request({ origins: [pattern] });
  } catch (err) {
    status.textContent = `The browser refused to ask: ${err?.message ?? err}`;
    return;
  }
  busy(button, true);
  status.textContent = `Waiting for your answer to the browser's request for ${pattern}…`;
  Promise.resolve(request)
    .then((granted) => {
      if (!granted) {
        status.textContent = 'Not allowed: nothing was sent.';
        return;
      }
      status.textContent = `Allowed: contacting ${pattern.slice(0, -2)}…`;
      return context.verifyOnline().then(context.show);
    })
    .catch((err) => {
      status.textContent = `Could not verify: ${err?.message ?? err}`;
    })
    .finally(() => {
      if (button.isConnected) busy(button, false);
    });
}

const BEHAVIOURS = new Map([['verify_signature', verifySignature]]);

/**
 * The click behaviour for `action`, bound to `context`, or null when its kind is unknown (the
 * renderer then shows no button).
 * @returns {((ui: ActionUi) => void) | null}
 */
export function actionHandler(action, context) {
  const behaviour = BEHAVIOURS.get(action?.kind);
  return behaviour ? (ui) => behaviour(action, context, ui) : null;
}

// The popup's "This tab" panel: what the live capture saw on one tab, read from storage.session
// (the background's tab state) and kept current through storage.onChanged. Problems first: the
// core's summary line, then the finding groups (warning and error) with counts and when they were
// seen; then the set-up controls on one line — site access ("Enable on this site" for a page whose
// own calls to Okta are invisible without it, and on Chromium the per-site opt-in to error-body
// capture), "Read stored tokens", the exports (the core's Markdown / JSON of the tab's latest
// warning and error reports) and Clear; then the sign-in story (each flow's steps, the one that
// broke linked to its card); then rate-limit buckets as gauges with a live countdown,
// tokens seen, the requests with findings and their ids, the quiet findings. The core's tabView of
// the stored tab splits the groups and requests by severity, words the summary and answers the
// badge (re-asked when a window ends). Times read relative, the local date-time on hover. Headings
// and the controls' labels are the page's chrome (popup.html's #live-chrome).
import { api } from '../lib/api.js';
import { applyBadge } from '../lib/badge.js';
import { bodyCaptureOn, filtersBodies, relaysBodies, setBodyCapture } from '../lib/body-capture.js';
import { el, pageChrome } from '../lib/dom.js';
import { flowsNode } from '../lib/flow-view.js';
import { matchesAny, originPattern, patternOrigin } from '../lib/hosts.js';
import {
  bucketNode,
  groupNode,
  networkErrorNode,
  refreshTimes,
  requestNode,
  tokenSeenNode,
} from '../lib/live-view.js';
import { MSG } from '../lib/messages.js';
import { renderError } from '../lib/render.js';
import { loadSettings, watchedPatterns } from '../lib/settings.js';
import { readState, tabKey } from '../lib/tab-state.js';
import { liveClock } from '../lib/token-view.js';
import { pageStorageNode } from './page-storage.js';

const MAX_REQUESTS_SHOWN = 20;
const OPEN_GROUPS = 1;
const RENDER_EVERY_MS = 500;

/** A section of the view under its heading (`key` in popup.html's #live-chrome). */
function section(key, className, ...children) {
  return el('section', { className: `live-section ${className}` }, pageChrome('live-chrome', key), ...children);
}

/** A control whose label is the page's (popup.html's #live-chrome). */
function chromeButton(key, onClick) {
  const b = pageChrome('live-chrome', key);
  b.addEventListener('click', onClick);
  return b;
}

function button(text, className, onClick) {
  const b = el('button', { className, text });
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

/** The page origins of this tab that Okta Medic can't see the calls of, and those it can. */
async function siteAccess(tab, state, okta) {
  const candidates = [];
  const fromTab = tab?.url ? originPattern(tab.url) : null;
  if (fromTab) candidates.push(fromTab);
  for (const origin of state?.pageOrigins ?? []) {
    const p = originPattern(origin);
    if (p && !candidates.includes(p)) candidates.push(p);
  }
  const sites = [];
  for (const pattern of candidates) {
    if (matchesAny(okta, `${patternOrigin(pattern)}/`)) continue; // Okta's own pages need nothing more
    sites.push({ pattern, granted: Boolean(await api.permissions.contains({ origins: [pattern] })) });
  }
  return sites;
}

/**
 * Mounts the live view for `tabId` into `panel`.
 * @param {{panel: HTMLElement, tabId: number, ready: Promise<unknown>,
 *   core: {tabView: Function, digestReport: Function, exportMarkdown: Function, exportJson: Function,
 *     analyzeText: Function, tokenStorageKey: Function},
 *   announce: (text: string) => void}} options
 * @returns {Promise<{hasData: boolean}>} once the first render is done
 */
export async function mountLive({ panel, tabId, ready, core, announce }) {
  const key = tabKey(tabId);
  let tab = null;
  try {
    tab = await api.tabs.get(tabId);
  } catch {
    tab = null;
  }
  let state = null;
  let buckets = [];
  let timer;

  const read = async () => {
    const got = await api.storage.session.get(key);
    state = got?.[key] ? readState(got[key], tabId, Date.now()) : null;
  };

  async function siteNode() {
    const settings = await loadSettings();
    const okta = watchedPatterns(settings, api.runtime.getManifest());
    // One consent and one reload: the site's permission, then (Chromium) its error-body capture
    // turned on, then the page reloaded once so its next calls — and their bodies — show here.
    // Firefox reads the bodies itself unless the options page turned that off.
    const capturesBodies = relaysBodies() || (filtersBodies() && settings.readBodies);
    const sites = await siteAccess(tab, state, okta);
    if (sites.length === 0) return null;
    const box = el('div', { className: 'site-access' });
    for (const { pattern, granted } of sites) {
      const origin = patternOrigin(pattern);
      const status = el('p', { className: 'action-status' });
      status.setAttribute('role', 'status');
      const row = el('div', { className: 'site' });
      row.dataset.site = pattern;
      if (!granted) {
        row.append(
          el('p', { className: 'site-note', text: `Calls this page makes to Okta are invisible to Okta Medic until you allow it on ${origin}.` }),
          el(
            'div',
            { className: 'action-row' },
            button(capturesBodies ? 'Enable and capture error bodies' : 'Enable on this site', 'action enable-site', (event) => {
              // Synchronously in the click: Firefox grants only while handling the user's input.
              let request;
              try {
                request = api.permissions.request({ origins: [pattern] });
              } catch (err) {
                status.textContent = `The browser refused to ask: ${err?.message ?? err}`;
                return;
              }
              event.currentTarget.disabled = true;
              Promise.resolve(request)
                .then(async (ok) => {
                  if (!ok) {
                    status.textContent = 'Not allowed: nothing changed.';
                    return;
                  }
                  if (relaysBodies()) await setBodyCapture(pattern, true);
                  status.textContent = capturesBodies
                    ? `Enabled on ${origin}, with error bodies. The page reloads: its next calls to Okta will show here.`
                    : `Enabled on ${origin}. The page reloads: its next calls to Okta will show here.`;
                  await api.tabs.reload(tabId);
                  render();
                })
                .catch((err) => {
                  status.textContent = `Could not enable: ${err?.message ?? err}`;
                });
            }),
            status,
          ),
        );
      } else {
        row.append(el('p', { className: 'site-note', text: `Enabled on ${origin}: this page's calls to Okta are captured.` }));
        if (relaysBodies()) {
          const box2 = el('input');
          box2.type = 'checkbox';
          box2.className = 'body-capture';
          box2.checked = await bodyCaptureOn(pattern);
          box2.addEventListener('change', () => {
            setBodyCapture(pattern, box2.checked).then(
              () => {
                status.textContent = box2.checked
                  ? 'Error bodies will be captured from the next page load: reload the page.'
                  : 'Error-body capture is off for this site.';
              },
              (err) => {
                status.textContent = `Could not change it: ${err?.message ?? err}`;
              },
            );
          });
          row.append(el('label', { className: 'check' }, box2, ' Capture Okta error bodies on this site'), status);
        }
        row.append(
          button('Reload the page', 'reload-tab', () => {
            api.tabs.reload(tabId).catch(() => {});
          }),
        );
      }
      box.append(row);
    }
    return box;
  }

  function exportsRow() {
    // The tab as one report (groups with counts, failed requests' ids, buckets), then the
    // latest warning/error reports in full, newest first.
    const tabReport = () => (state?.digest ? [core.digestReport(state.digest, state.timeline, Date.now())] : []);
    const reports = [...(state?.reports ?? [])].reverse();
    const status = el('span', { className: 'action-status' });
    status.setAttribute('role', 'status');
    const copy = chromeButton('export-markdown', async () => {
      await ready;
      const text = [...tabReport(), ...reports].map((r) => core.exportMarkdown(r)).join('\n\n---\n\n');
      navigator.clipboard.writeText(text).then(
        () => {
          status.textContent = 'Copied (Markdown, redacted).';
          announce('Copied');
        },
        (err) => {
          status.textContent = `Copy failed: ${err?.message ?? err}`;
        },
      );
    });
    const download = chromeButton('export-json', async () => {
      await ready;
      const text = `[\n${[...tabReport(), ...reports].map((r) => core.exportJson(r)).join(',\n')}\n]\n`;
      const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
      const a = el('a');
      a.href = url;
      a.download = `okta-medic-tab-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      status.textContent = 'Downloaded (JSON, redacted).';
    });
    copy.disabled = download.disabled = reports.length === 0 && !state?.digest;
    const clear = chromeButton('clear-tab', () => {
      api.runtime.sendMessage({ type: MSG.CLEAR_TAB, tabId }).then(
        () => announce('Cleared'),
        (err) => {
          status.textContent = `Could not clear: ${err?.message ?? err}`;
        },
      );
    });
    return el('div', { className: 'live-actions' }, copy, download, clear, status);
  }

  function bucketsSection(now, tabView = core.tabView(state.digest, state.timeline, now)) {
    // The background sets the badge when it writes; a bucket's window may have ended since.
    applyBadge(api.action, tabId, tabView.badge);
    const view = tabView.rateLimits;
    buckets = [];
    if (!view?.buckets?.length) return null;
    const list = el('div', { className: 'buckets' });
    for (const b of view.buckets) {
      const made = bucketNode(b, now);
      buckets.push(made);
      list.append(made.node);
    }
    const node = section('rate-limits', 'rate-limits', el('p', { className: 'hint', text: view.summary }), list);
    node.id = 'live-buckets';
    return node;
  }

  /** Which disclosures the person opened or closed, so a re-render keeps them as they were. */
  const disclosures = new Map();
  const remembered = (node, key, fallback) => {
    const initial = disclosures.has(key) ? disclosures.get(key) : fallback;
    node.open = initial;
    // Setting `open` fires a toggle too: only a change from the initial state is the person's.
    node.addEventListener('toggle', () => {
      if (disclosures.has(key) || node.open !== initial) disclosures.set(key, node.open);
    });
    return node;
  };

  let renders = 0;
  let lastSummary = null;
  let storage = null;

  async function render() {
    const mine = ++renders;
    const root = el('div', { className: 'live' });
    const clock = liveClock(root);
    const now = Date.now();
    // The set-up controls, on one line below the problems: site access, stored tokens, exports.
    const controls = el('div', { className: 'live-controls' });
    const site = await siteNode();
    if (site) controls.append(site);
    // Kept across re-renders so a shown result doesn't vanish when new traffic arrives.
    storage ??= /^https?:/.test(tab?.url ?? '') ? pageStorageNode({ tabId, ready, core, announce }) : null;
    if (storage) controls.append(storage);
    const digest = state?.digest;
    if (!state || (!digest && !(state.networkErrors?.length > 0))) {
      root.append(el('p', { className: 'empty', text: 'No requests to Okta seen on this tab yet.' }));
      if (controls.childElementCount > 0) root.append(controls);
      if (mine !== renders) return; // a newer render started meanwhile
      clearInterval(timer);
      panel.replaceChildren(root);
      return;
    }
    await ready;
    const view = core.tabView(state.digest, state.timeline, now);
    const counts = el('p', { className: 'live-summary', text: view.summary });
    counts.dataset.errors = String(view.badge.count);
    counts.dataset.requests = String(view.withFindings.length);
    root.append(counts);
    controls.append(exportsRow());

    const groups = view.problems;
    const quiet = view.quiet;
    if (groups.length > 0) {
      // The worst opens; the rest show their count, title and time until opened.
      const nodes = groups.map((g, i) => remembered(groupNode(g, { announce, now }), `group ${g.id}`, i < OPEN_GROUPS));
      root.append(section('problems', 'groups', ...nodes));
    }
    root.append(controls);
    // The sign-in story: each flow's steps, the broken one linking to its card above.
    const story = flowsNode(view.flows, {
      chrome: (k) => pageChrome('live-chrome', k),
      findCard: (id) => root.querySelector(`[data-group-id="${CSS.escape(id)}"]`),
      announce,
    });
    if (story) root.append(section('flows', 'flows', story));
    const b = bucketsSection(now, view);
    if (b) root.append(b);
    if (digest?.tokens?.length > 0) {
      const nodes = digest.tokens.map((t) => remembered(tokenSeenNode(t, clock, now), `token ${t.key}`, false));
      root.append(section('tokens', 'tokens', ...nodes));
    }
    const flagged = view.withFindings.slice(0, MAX_REQUESTS_SHOWN);
    if (flagged.length > 0) {
      root.append(section('requests', 'requests', el('ul', { className: 'request-list' }, ...flagged.map((r) => requestNode(r, announce, now)))));
    }
    if (state.networkErrors?.length > 0) {
      root.append(section('network-errors', 'network-errors', el('ul', {}, ...state.networkErrors.map((e) => networkErrorNode(e, now)))));
    }
    if (quiet.length > 0) {
      const details = remembered(
        el('details', { className: 'live-section quiet' }, el('summary', { text: `Other findings (${quiet.length})` })),
        'quiet',
        false,
      );
      for (const g of quiet) details.append(remembered(groupNode(g, { announce, now }), `group ${g.id}`, false));
      root.append(details);
    }
    const dropped = digest?.dropped ?? {};
    const lost = (dropped.groups ?? 0) + (dropped.requests ?? 0) + (dropped.tokens ?? 0);
    if (lost > 0) {
      root.append(el('p', { className: 'hint', text: `Older details were dropped to stay small (${dropped.requests ?? 0} requests, ${dropped.groups ?? 0} finding groups, ${dropped.tokens ?? 0} tokens); the counts above are exact.` }));
    }
    if (mine !== renders) return; // a newer render started meanwhile
    clearInterval(timer);
    panel.replaceChildren(root);
    // The panel is not a live region (re-renders would read it all out): say what changed.
    if (lastSummary !== null && lastSummary !== counts.textContent) announce(counts.textContent);
    lastSummary = counts.textContent;
    timer = setInterval(() => {
      if (!root.isConnected) {
        clearInterval(timer);
        return;
      }
      const t = Date.now();
      refreshTimes(root, t);
      if (buckets.map((b) => b.tick(t)).some(Boolean)) {
        const fresh = bucketsSection(t);
        const old = root.querySelector('#live-buckets');
        if (old && fresh) old.replaceWith(fresh);
      }
    }, 1000);
  }

  const refresh = () =>
    render().catch((err) => panel.replaceChildren(renderError(`The live view failed: ${err?.message ?? err}`)));

  await read();
  await refresh();
  // The background writes at most every 250 ms; during a storm, render at most every 500 ms.
  let pendingRender;
  api.storage.onChanged.addListener((changes, area) => {
    if (area !== 'session' || !(key in changes)) return;
    const value = changes[key].newValue;
    state = value ? readState(value, tabId, Date.now()) : null;
    pendingRender ??= setTimeout(() => {
      pendingRender = undefined;
      refresh();
    }, RENDER_EVERY_MS);
  });
  return { hasData: Boolean(state?.digest) };
}

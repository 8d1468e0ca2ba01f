// The toolbar badge for a tab: the number of error findings the core reported on it, coloured by
// the worst severity seen (findings and rate-limit buckets), with a down arrow when a rate-limit
// bucket is low (the core's timeline view says which). `badgeFor` is pure; `applyBadge` writes
// it with the action API. Both browsers reset a tab's badge when the tab navigates (measured:
// Chromium 156, Firefox 153), so the background applies it again on every tab update.
import { errorCount, lowBucket, worstSeverity } from './tab-state.js';

/** Badge colours per severity (the popup's light-theme severity colours). */
export const COLORS = Object.freeze({
  error: '#b3261e',
  warning: '#8a5300',
  info: '#0b57b0',
  ok: '#1b6b35',
});
export const LOW_MARK = '↓';
const MAX_SHOWN = 999;

/**
 * @param {object|null} state  the tab's state (lib/tab-state.js)
 * @param {object|null} view   the core's timelineView of the tab's timeline, now
 * @returns {{text: string, color: string, title: string}}
 */
export function badgeFor(state, view) {
  const errors = errorCount(state);
  const low = lowBucket(view);
  const count = errors === 0 ? '' : errors > MAX_SHOWN ? `${MAX_SHOWN}+` : String(errors);
  const text = low ? `${count}${LOW_MARK}` : count;
  const severity = worstSeverity(state, view);
  const parts = ['Okta Medic'];
  if (errors > 0) parts.push(`${errors} error finding${errors === 1 ? '' : 's'} on this tab`);
  if (low) parts.push(low.title);
  return { text, color: COLORS[severity] ?? COLORS.info, title: parts.join(' — ') };
}

/** Writes a badge for `tabId`; a closed tab's rejection is ignored. */
export async function applyBadge(action, tabId, { text, color, title }) {
  try {
    await Promise.all([
      action.setBadgeText({ tabId, text }),
      action.setBadgeBackgroundColor({ tabId, color }),
      action.setTitle({ tabId, title }),
      action.setBadgeTextColor?.({ tabId, color: '#ffffff' }),
    ]);
  } catch {
    // the tab closed meanwhile
  }
}

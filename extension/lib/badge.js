// The toolbar badge for a tab, as the core answers it (crate/src/session.rs `Badge`: the count of
// error findings, the worst severity among findings and rate-limit buckets, the low-bucket mark,
// the text and the tooltip): `badgeOf` asks the core, `applyBadge` writes it with the action API,
// coloured by severity. Both browsers reset a tab's badge when the tab navigates (measured:
// Chromium 156, Firefox 153), so the background applies it again on every tab update.

/** Badge colours per severity (the popup's light-theme severity colours). */
export const COLORS = Object.freeze({
  error: '#b3261e',
  warning: '#8a5300',
  info: '#0b57b0',
  ok: '#1b6b35',
});

/**
 * The core's badge for a tab's state (lib/tab-state.js) at `now` (epoch ms): from the core's
 * resident copy of the tab when it holds one, else from the stored digest and timeline (`null`:
 * an empty tab's badge).
 * @param {object|null} state
 * @param {{liveHas: Function, liveBadge: Function, tabBadge: Function}} core
 * @returns {{count: number, severity: string, low: boolean, text: string, title: string}}
 */
export function badgeOf(state, core, now) {
  if (state && core.liveHas(state.tabId)) return core.liveBadge(state.tabId, now);
  return core.tabBadge(state?.digest ?? null, state?.timeline ?? null, now);
}

/** Writes the core's `badge` for `tabId`; a closed tab's rejection is ignored. */
export async function applyBadge(action, tabId, { text, severity, title }) {
  try {
    await Promise.all([
      action.setBadgeText({ tabId, text }),
      action.setBadgeBackgroundColor({ tabId, color: COLORS[severity] ?? COLORS.info }),
      action.setTitle({ tabId, title }),
      action.setBadgeTextColor?.({ tabId, color: '#ffffff' }),
    ]);
  } catch {
    // the tab closed meanwhile
  }
}

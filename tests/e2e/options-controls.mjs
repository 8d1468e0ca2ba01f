// The options page's controls as the user sees them: each input, button, select or textarea with
// whether it is rendered (laid out and not hidden by CSS). Shared by the Chromium and Firefox
// specs, which check that each browser shows only the controls it can honour.

/** Runs in the options page. */
export function controlsOnScreen() {
  return [...document.querySelectorAll('input, button, select, textarea')].map((el) => ({
    id: el.id || el.closest('[data-site]')?.dataset.site || el.closest('[data-pattern]')?.dataset.pattern || el.textContent.trim(),
    visible: el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden',
  }));
}

/** The same, as a WebDriver `executeScript` body. */
export const CONTROLS_ON_SCREEN_SCRIPT = `return (${controlsOnScreen.toString()})();`;

/** The visibility of the control `id` in `controls`, failing when there is no such control. */
export function visibleControl(controls, id) {
  const found = controls.find((c) => c.id === id);
  if (!found) throw new Error(`no control ${id} among ${controls.map((c) => c.id).join(', ')}`);
  return found.visible;
}

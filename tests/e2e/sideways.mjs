// What scrolls sideways on a page, for the E2E specs that check a layout at a given width (the
// DevTools panel at 1280 px): run in the page by Playwright (`page.evaluate(SIDEWAYS)`) or by
// selenium (`executeScript(SIDEWAYS_SCRIPT)`).

/**
 * Runs in the page: its width, and every element that scrolls sideways (the document itself, or
 * any box whose content is wider than it and that scrolls or shows the overflow).
 */
export function SIDEWAYS() {
  const root = document.scrollingElement;
  const scrolls = [];
  if (root.scrollWidth > root.clientWidth) scrolls.push(`document: ${root.scrollWidth} > ${root.clientWidth}`);
  for (const node of document.querySelectorAll('body *')) {
    // The content of a closed <details> ("More") is not laid out, so it can't scroll either.
    if (node.closest('details:not([open]) > :not(summary)')) continue;
    const { overflowX } = getComputedStyle(node);
    if (node.clientWidth > 0 && node.scrollWidth > node.clientWidth + 1 && overflowX !== 'hidden' && overflowX !== 'clip') {
      scrolls.push(`${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ''}.${node.getAttribute('class') ?? ''}: ${node.scrollWidth} > ${node.clientWidth}`);
    }
  }
  return { width: window.innerWidth, scrolls };
}

/** The same, as a script for selenium's executeScript. */
export const SIDEWAYS_SCRIPT = `return (${SIDEWAYS.toString()})();`;

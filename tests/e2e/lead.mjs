// The action first and the token at a glance (issue 15 items 2 and 4), as a person sees them in
// the popup: page functions for Playwright's `page.evaluate(fn, arg)` and WebDriver's
// `executeScript('return (' + fn + ')(arguments[0])', arg)`, and the expectations they are
// checked against (the golden fixtures' expected reports).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** A fixture's input and its expected report. */
export function fixture(name) {
  const dir = join(FIXTURES, name);
  return { text: readFileSync(join(dir, 'input.txt'), 'utf8'), report: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) };
}

/**
 * Runs in the popup: each rendered finding card's lead, in order — whether its first element is
 * the action line, the action's text and weight, and whether the action line is the card's
 * topmost line (above the title); whether detail, fix steps and commands all sit in a closed
 * "More"; and the report's own leading action.
 */
export function readLeads() {
  const cards = [...document.querySelectorAll('#report .finding')].map((card) => {
    const todo = card.querySelector(':scope > .todo');
    const text = todo?.querySelector('.todo-text');
    const title = card.querySelector(':scope > h3');
    const more = card.querySelector(':scope > details.more');
    const inside = (sel) => [...card.querySelectorAll(sel)].every((n) => more?.contains(n));
    return {
      id: card.dataset.findingId,
      firstIsTodo: todo !== null && card.firstElementChild === todo,
      todo: text?.textContent ?? null,
      bold: text ? Number(getComputedStyle(text).fontWeight) >= 600 : false,
      todoAboveTitle: todo !== null && title !== null && todo.getBoundingClientRect().top < title.getBoundingClientRect().top,
      restInMore: inside('.detail, .fix, .commands, .evidence') && (more === null || !more.open),
    };
  });
  const lead = document.querySelector('#report .report-todo');
  return { cards, reportTodo: lead?.textContent ?? null, raw: document.querySelectorAll('#report details[data-section="raw"]:not([open])').length };
}

/**
 * Runs in the popup: where the report's leading action line, the first card's action line and
 * (for a token) the claims strip are, against the viewport, with the page scrolled to the top.
 */
export function firstScreen() {
  window.scrollTo(0, 0);
  const view = { width: window.innerWidth, height: window.innerHeight };
  const at = (sel) => {
    const node = document.querySelector(sel);
    if (!node) return null;
    const r = node.getBoundingClientRect();
    const inside = r.top >= 0 && r.left >= 0 && r.bottom <= view.height && r.right <= view.width + 0.5 && r.height > 0;
    return { top: Math.round(r.top), bottom: Math.round(r.bottom), inside };
  };
  return {
    view,
    reportTodo: at('#report .report-todo'),
    firstTodo: at('#report .finding .todo'),
    strip: at('#report .claims-strip'),
    stripClaims: [...document.querySelectorAll('#report .claims-strip [data-claim]')].map((n) => n.dataset.claim),
    sideways: document.documentElement.scrollWidth > view.width + 1,
  };
}

/** Runs in the popup: pastes `text` and resolves once a report with findings is shown. */
export function paste(text) {
  const input = document.getElementById('input');
  const put = (value) => {
    input.value = value;
    input.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
  };
  input.focus();
  put('');
  put(text);
  const started = Date.now();
  return new Promise(function poll(resolve) {
    if (document.querySelector('#report .finding') || Date.now() - started > 5000) resolve(Boolean(document.querySelector('#report .finding')));
    else setTimeout(() => poll(resolve), 20);
  });
}

/** The pasted cases the first-screen checks use: an error body and a token. */
export const FIRST_SCREEN_CASES = ['error-sample-okta-401-e0000011-ajs', 'error-curl-si-401-e0000011-http2'];

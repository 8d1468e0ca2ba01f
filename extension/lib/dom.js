// DOM building shared by the renderers: elements from tag, class and text. Text goes in through
// textContent only (reports carry attacker-controlled strings), never as markup.

/** An element with a class and text; children are appended in order, null/false skipped. */
export function el(tag, { className, text } = {}, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  for (const child of children) if (child) node.append(child);
  return node;
}

export const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `object[key]` only when it is the object's own property (claims named `constructor` etc.). */
export function own(object, key) {
  return isPlainObject(object) && Object.hasOwn(object, key) ? object[key] : undefined;
}

/**
 * A copy of the page's fixed wording (UI chrome kept in the HTML, not in scripts): the element
 * marked `data-chrome="key"` inside `<template id="templateId">`, or null when there is none.
 */
export function pageChrome(templateId, key) {
  const template = document.getElementById(templateId);
  const node = template?.content?.querySelector(`[data-chrome="${key}"]`);
  if (!node) return null;
  const copy = node.cloneNode(true);
  copy.removeAttribute('data-chrome');
  return copy;
}

/**
 * A screen-reader announcer on a live region (`role="status"`): it clears the region first, so
 * that the same message ("Copied" twice) is announced again.
 */
export function announcer(region) {
  return (text) => {
    region.textContent = '';
    setTimeout(() => {
      region.textContent = text;
    }, 50);
  };
}

// Getting an export out of the panel: a download (Blob + a[download], so no `downloads`
// permission) and the clipboard. Chromium blocks the async Clipboard API in DevTools extension
// panels by permissions policy ("The Clipboard API has been blocked because of a permissions
// policy applied to the current document"), so a copy falls back to execCommand('copy') on a
// selected, off-screen textarea, which a click still allows there.

/** Saves `text` as a file named `name` through the browser's normal download flow. */
export function downloadText(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the object URL is not needed after it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function copyBySelection(text) {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'offscreen';
  const focused = document.activeElement;
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } finally {
    area.remove();
    if (focused instanceof HTMLElement) focused.focus();
  }
  if (!ok) throw new Error('the browser refused to copy');
}

/** Copies `text`; resolves when it is on the clipboard, rejects with the reason otherwise. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    copyBySelection(text);
  }
}

/** `okta-medic-<what>-20261127-100004.<ext>` from a local date, for download names. */
export function fileName(what, ext, date = new Date()) {
  const p = (n) => String(n).padStart(2, '0');
  const stamp = `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
  return `okta-medic-${what}-${stamp}.${ext}`;
}

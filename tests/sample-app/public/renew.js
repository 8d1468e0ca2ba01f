// The silent renewal's landing page (fragment response mode): posts the answer to the app.
const answer = Object.fromEntries(new URLSearchParams(window.location.hash.slice(1)));
window.parent.postMessage(answer, window.location.origin);

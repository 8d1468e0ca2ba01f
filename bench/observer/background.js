// Benchmark peer for ./build.sh bench (bench/storm.mjs): an extension that watches requests the
// way SAML-tracer 1.9.5 does in MV3 — non-blocking onBeforeRequest (with the request body),
// onBeforeSendHeaders (request headers) and onHeadersReceived (response headers), each request
// kept in memory — and nothing else. It is what any header-reading observer costs the browser, so
// Okta Medic's storm numbers can be read against it in the same run.
const ALL = { urls: ['https://*.okta.com/*'] };
const requests = new Map();
const MAX = 5000;
globalThis.responses = 0; // read by the bench after the storm, to show the peer saw every request

function entry(d) {
  let e = requests.get(d.requestId);
  if (!e) {
    e = { url: d.url, method: d.method };
    requests.set(d.requestId, e);
    if (requests.size > MAX) requests.delete(requests.keys().next().value);
  }
  return e;
}

chrome.webRequest.onBeforeRequest.addListener((d) => { entry(d).requestBody = d.requestBody ?? null; }, ALL, ['requestBody']);
chrome.webRequest.onBeforeSendHeaders.addListener((d) => { entry(d).requestHeaders = d.requestHeaders; }, ALL, ['requestHeaders']);
chrome.webRequest.onHeadersReceived.addListener((d) => {
  const e = entry(d);
  globalThis.responses++;
  e.statusCode = d.statusCode;
  e.responseHeaders = d.responseHeaders;
}, ALL, ['responseHeaders']);

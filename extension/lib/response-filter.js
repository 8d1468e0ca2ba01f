// Firefox: reads an error response's body as it streams past, with
// webRequest.filterResponseData (https://developer.mozilla.org/docs/Mozilla/Add-ons/WebExtensions/API/webRequest/filterResponseData).
// Every chunk is passed on to the page unchanged as it arrives; a copy of at most `cap` characters
// is kept, and once that much is read the filter disconnects so the rest flows without us.
// Measured in Firefox 153: it must be called from a *blocking* onHeadersReceived listener (a
// non-blocking one gets "Invalid request ID"), which needs the webRequestBlocking permission, and
// MV3 also needs webRequestFilterResponse.

/**
 * Starts reading `requestId`'s body. `onDone(text)` is called once: with the (capped) text, or
 * with undefined when the stream failed. Returns false when the browser refused the filter.
 */
export function readResponseBody(webRequest, requestId, { cap, onDone }) {
  let filter;
  try {
    filter = webRequest.filterResponseData(requestId);
  } catch {
    return false;
  }
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let finished = false;
  const finish = (value) => {
    if (finished) return;
    finished = true;
    onDone(value);
  };
  filter.ondata = (event) => {
    filter.write(event.data);
    if (finished) return;
    text += decoder.decode(event.data, { stream: true });
    if (text.length >= cap) {
      filter.disconnect();
      finish(text.slice(0, cap));
    }
  };
  filter.onstop = () => {
    if (!finished) {
      text += decoder.decode();
      finish(text.slice(0, cap));
    }
    try {
      filter.close();
    } catch {
      // already disconnected
    }
  };
  filter.onerror = () => finish(undefined);
  return true;
}

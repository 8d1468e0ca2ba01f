// MAIN-world content script (Chromium only; registered per site when the user opts in to
// "capture error bodies on this site"; Firefox reads bodies with filterResponseData instead).
// It wraps window.fetch and XMLHttpRequest so that, for every response with a status of 400 or
// more, a copy of the body (at most 64 KiB) goes with its URL, method and status to the
// isolated-world relay (relay.js), which keeps only the watched hosts' and passes them to the
// background. The hook knows no host list: the relay tells the page nothing. Nothing else is
// read, nothing is changed: the page gets its own response untouched.
//
// The page's scripts share this world, so:
// - Bodies travel over a MessageChannel whose port is handed to the relay once, in a window
//   message posted at document_start, before any page script runs; the relay's capture-phase
//   listener (registered first) takes it and stops the event, so no page listener sees it. A
//   window message from the page is never read as a body.
// - Every built-in used later is captured now, before the page can replace it.
// - No global is added. fetch, XMLHttpRequest.prototype.open/send are Proxies of the originals
//   (same name, length, properties), and Function.prototype.toString shows the originals'
//   source for them. What stays detectable is listed in the README ("Live capture").
// Classic script (content scripts can't be modules); no dependency; errors never reach the page.
(() => {
  const CAP = 64 * 1024;
  if (window.location.origin === 'null') return;

  // Built-ins, captured before any page script runs.
  const apply = Reflect.apply;
  const getter = (proto, name) => {
    for (let p = proto; p; p = Object.getPrototypeOf(p)) {
      const d = Object.getOwnPropertyDescriptor(p, name);
      if (d) return d.get;
    }
    return undefined;
  };
  const winPost = window.postMessage;
  const portPost = MessagePort.prototype.postMessage;
  const then = Promise.prototype.then;
  const proxies = new WeakMap();
  const mapGet = WeakMap.prototype.get;
  const mapSet = WeakMap.prototype.set;
  const slice = String.prototype.slice;
  const upper = String.prototype.toUpperCase;
  const stringify = JSON.stringify;
  const captureStack = typeof Error.captureStackTrace === 'function' ? Error.captureStackTrace : null;
  const isFunction = (f) => typeof f === 'function';

  // Method names as fetch and XHR normalise them (https://fetch.spec.whatwg.org/#concept-method-normalize).
  const NORMALISED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
  const normalise = (method) => {
    const m = String(method);
    const u = apply(upper, m, []);
    return NORMALISED.includes(u) ? u : m;
  };

  const channel = new MessageChannel();
  const port = channel.port1;
  apply(winPost, window, [{ 'okta-medic': 'port' }, window.location.origin, [channel.port2]]);

  const post = (url, status, method, body) => {
    if (typeof url !== 'string' || typeof body !== 'string') return;
    try {
      apply(portPost, port, [{ url, status, method, body: apply(slice, body, [0, CAP]) }]);
    } catch {
      // the relay is gone (the frame is being torn down)
    }
  };

  // An error thrown through a wrapper keeps no frame of this script in its stack (which would
  // name the extension); V8 only, which is where this hook runs.
  const hide = (err, fn) => {
    if (captureStack && err !== null && (typeof err === 'object' || isFunction(err))) {
      try {
        captureStack(err, fn);
      } catch {
        // a frozen or exotic object: leave it
      }
    }
    return err;
  };

  /** A Proxy of `target` whose calls go through `around(target, thisArg, args)`. */
  const disguise = (target, around) => {
    const handler = {
      apply: function apply_(t, thisArg, args) {
        try {
          return around(t, thisArg, args);
        } catch (err) {
          throw hide(err, apply_);
        }
      },
    };
    const proxy = new Proxy(target, handler);
    apply(mapSet, proxies, [proxy, target]);
    return proxy;
  };

  const nativeToString = Function.prototype.toString;
  const toString = disguise(nativeToString, (t, thisArg, args) => apply(t, apply(mapGet, proxies, [thisArg]) ?? thisArg, args));
  Function.prototype.toString = toString;

  // ---- fetch
  const responseStatus = getter(Response.prototype, 'status');
  const responseUrl = getter(Response.prototype, 'url');
  const clone = Response.prototype.clone;
  const text = Response.prototype.text;
  const requestMethod = getter(Request.prototype, 'method');
  // The page gets the same rejection; its stack loses this script's frames.
  const rejected = function rejected(err) {
    hide(err, rejected);
  };

  const report = (response, method) => {
    let status;
    let url;
    let copy;
    try {
      status = apply(responseStatus, response, []);
      if (!(status >= 400)) return;
      url = apply(responseUrl, response, []);
      copy = apply(clone, response, []); // now, before the page reads (and locks) the body
    } catch {
      return;
    }
    apply(then, apply(text, copy, []), [(body) => post(url, status, method, body), () => {}]);
  };

  const nativeFetch = window.fetch;
  if (isFunction(nativeFetch)) {
    window.fetch = disguise(nativeFetch, (t, thisArg, args) => {
      const promise = apply(t, thisArg, args);
      try {
        const [input, init] = args;
        let method = 'GET';
        if (init !== null && typeof init === 'object' && init.method !== undefined) method = normalise(init.method);
        else if (typeof input === 'object' && input !== null) {
          try {
            method = apply(requestMethod, input, []); // throws unless input is a real Request
          } catch {
            method = 'GET';
          }
        }
        apply(then, promise, [(response) => report(response, method), rejected]);
      } catch {
        // never disturb the page's own call
      }
      return promise;
    });
  }

  // ---- XMLHttpRequest
  const XHR = window.XMLHttpRequest;
  if (isFunction(XHR)) {
    const proto = XHR.prototype;
    const methods = new WeakMap();
    const xhrStatus = getter(proto, 'status');
    const xhrUrl = getter(proto, 'responseURL');
    const xhrType = getter(proto, 'responseType');
    const xhrText = getter(proto, 'responseText');
    const xhrResponse = getter(proto, 'response');
    const addListener = EventTarget.prototype.addEventListener;

    const loadend = function () {
      try {
        const status = apply(xhrStatus, this, []);
        if (!(status >= 400)) return;
        const type = apply(xhrType, this, []);
        let body;
        if (type === '' || type === 'text') body = apply(xhrText, this, []);
        else if (type === 'json') body = stringify(apply(xhrResponse, this, []));
        post(apply(xhrUrl, this, []), status, apply(mapGet, methods, [this]) ?? 'GET', body);
      } catch {
        // never disturb the page
      }
    };

    proto.open = disguise(proto.open, (t, thisArg, args) => {
      const result = apply(t, thisArg, args);
      try {
        apply(mapSet, methods, [thisArg, normalise(args[0])]);
      } catch {
        // never disturb the page's own call
      }
      return result;
    });
    proto.send = disguise(proto.send, (t, thisArg, args) => {
      try {
        apply(addListener, thisArg, ['loadend', loadend]);
      } catch {
        // not an XMLHttpRequest: the original send says so below
      }
      return apply(t, thisArg, args);
    });
  }
})();

// Hostile input for the popup (issue 9): claims, error summaries, OAuth descriptions, URLs and
// header values carrying HTML and script. A person must see them as text; nothing may run,
// no element may be created from them, and no CSP violation may be reported.
const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
const PWN = (n) => `window.__pwned=${n}`;

export const HOSTILE = [
  {
    name: 'JWT claims',
    marker: '<img src=x onerror=window.__pwned=1>',
    text: `${b64({ alg: 'RS256', kid: '<svg onload=window.__pwned=2>' })}.${b64({
      ver: 1, jti: 'AT.x', cid: '0oa1', exp: 4102444800,
      iss: 'https://dev-1.okta.com/oauth2/default"><script>window.__pwned=3</script>',
      sub: '<img src=x onerror=window.__pwned=1>',
      '<b onclick=window.__pwned=4>claim</b>': '<iframe src=javascript:window.__pwned=5>',
    })}.c2lnbmF0dXJl`,
  },
  {
    name: 'Okta error body',
    marker: '<img src=x onerror=window.__pwned=6>',
    text: JSON.stringify({ errorCode: 'E0000001', errorSummary: `Api validation failed: <img src=x onerror=${PWN(6)}>`, errorId: 'oae<script>x</script>', errorCauses: [{ errorSummary: `login: <svg/onload=${PWN(7)}>` }] }),
  },
  {
    name: 'OAuth error body',
    marker: '<script>window.__pwned=8</script>',
    text: JSON.stringify({ error: 'invalid_request', error_description: `<script>${PWN(8)}</script><a href="javascript:${PWN(9)}">click</a>` }),
  },
  {
    name: 'curl -si with hostile headers',
    marker: '<img src=x onerror=window.__pwned=10>',
    text: `HTTP/1.1 401 Unauthorized\r\nX-Okta-Request-Id: <img src=x onerror=${PWN(10)}>\r\nWWW-Authenticate: Bearer error="invalid_token", error_description="<img src=x onerror=${PWN(10)}>"\r\n\r\n`,
  },
  {
    name: 'redirect URL',
    marker: '<img src=x onerror=window.__pwned=11>',
    text: `https://app.example.com/cb?state=s&error=access_denied&error_description=${encodeURIComponent(`<img src=x onerror=${PWN(11)}>`)}`,
  },
  {
    name: 'Identity Engine message',
    marker: '<svg onload=window.__pwned=12>',
    text: JSON.stringify({ version: '1.0.0', stateHandle: 'x', messages: { type: 'array', value: [{ message: `<svg onload=${PWN(12)}>`, i18n: { key: 'errors.E0000004' }, class: 'ERROR' }] } }),
  },
];

/**
 * Runs in the popup page: pastes `text`, waits for the report, and says what happened:
 * whether the marker is visible as text, any element carrying an event handler or a
 * javascript: URL, any script/iframe/object inside the report, whether `window.__pwned` was
 * set, and the CSP violations reported meanwhile.
 */
export function pasteHostile({ text, marker }) {
  const violations = [];
  document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  const input = document.getElementById('input');
  const report = document.getElementById('report');
  const paste = (value) => {
    input.value = value;
    input.dispatchEvent(new InputEvent('input', { inputType: 'insertFromPaste', bubbles: true }));
  };
  paste('');
  paste(text);
  const started = Date.now();
  return new Promise(function poll(resolve) {
    const ready = report.querySelector('[data-finding-id]');
    if (!ready && Date.now() - started < 5000) {
      setTimeout(() => poll(resolve), 20);
      return;
    }
    // Give any injected handler a chance to fire before judging.
    setTimeout(() => {
      const all = [...report.querySelectorAll('*')];
      resolve({
        rendered: Boolean(ready),
        markerShownAsText: report.textContent.includes(marker),
        handlers: all.filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).map((el) => el.outerHTML.slice(0, 80)),
        scriptUrls: all.filter((el) => /javascript:/i.test(el.getAttribute('href') ?? el.getAttribute('src') ?? '')).length,
        embedded: report.querySelectorAll('script, iframe, object, embed, img').length,
        pwned: window.__pwned ?? null,
        violations,
      });
    }, 300);
  });
}

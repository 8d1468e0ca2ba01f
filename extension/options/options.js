// The options page: custom Okta domains (each an optional host permission the browser asks the
// user for, plus a settings entry the listener reads), the sites enabled for live capture (the
// optional origins granted from the popup, revocable here), and error-body capture (Chromium:
// per enabled site; Firefox: one switch for filterResponseData). Permission requests happen
// synchronously in the click or submit handler: Firefox grants only while handling user input.
import { api } from '../lib/api.js';
import { filtersBodies, relaysBodies, setBodyCapture, syncBodyCapture } from '../lib/body-capture.js';
import { el } from '../lib/dom.js';
import { customDomainPattern, matchesAny, patternHost, patternOrigin } from '../lib/hosts.js';
import { loadSettings, oktaPatterns, requiredPatterns, updateSettings, withItem, withoutItem } from '../lib/settings.js';

const domainList = document.getElementById('domains');
const siteList = document.getElementById('sites');
const domainStatus = document.getElementById('domain-status');
const siteStatus = document.getElementById('sites-status');
const form = document.getElementById('domain-form');
const domainInput = /** @type {HTMLInputElement} */ (document.getElementById('domain'));
const readBodies = /** @type {HTMLInputElement} */ (document.getElementById('read-bodies'));

const okta = oktaPatterns();
const required = requiredPatterns();
document.getElementById('okta-domains').textContent = okta.map(patternHost).join(', ');

const message = (err) => String(err?.message ?? err);

function button(text, onClick) {
  const b = el('button', { text });
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

async function renderDomains(settings) {
  const items = settings.customDomains.map((pattern) => {
    const li = el(
      'li',
      {},
      el('code', { text: patternHost(pattern) }),
      button('Remove', () => {
        Promise.resolve(api.permissions.remove({ origins: [pattern] }))
          .catch(() => false)
          .then(() => updateSettings((s) => ({ ...s, customDomains: withoutItem(s.customDomains, pattern) })))
          .then(render, (err) => {
            domainStatus.textContent = `Could not remove it: ${message(err)}`;
          });
      }),
    );
    li.dataset.pattern = pattern;
    return li;
  });
  domainList.replaceChildren(...(items.length ? items : [el('li', { className: 'empty', text: 'None.' })]));
}

async function renderSites(settings) {
  const granted = (await api.permissions.getAll()).origins ?? [];
  const sites = granted.filter(
    (p) => !settings.customDomains.includes(p) && !okta.includes(p) && !matchesAny(okta, `${patternOrigin(p)}/`),
  );
  const items = sites.map((pattern) => {
    const li = el('li', {}, el('code', { text: patternOrigin(pattern) }));
    li.dataset.site = pattern;
    if (relaysBodies()) {
      const box = el('input');
      box.type = 'checkbox';
      box.checked = settings.bodySites.includes(pattern);
      box.addEventListener('change', () => {
        setBodyCapture(pattern, box.checked).then(
          () => {
            siteStatus.textContent = box.checked
              ? `Error bodies will be captured on ${patternOrigin(pattern)} from its next page load.`
              : `Error-body capture is off on ${patternOrigin(pattern)}.`;
          },
          (err) => {
            siteStatus.textContent = `Could not change it: ${message(err)}`;
          },
        );
      });
      li.append(el('label', { className: 'check' }, box, ' Capture Okta error bodies'));
    }
    if (required.includes(pattern)) {
      li.append(el('span', { className: 'hint', text: 'granted at install' }));
    } else {
      li.append(
        button('Revoke', () => {
          Promise.resolve(api.permissions.remove({ origins: [pattern] }))
            .then(() => updateSettings((s) => ({ ...s, bodySites: withoutItem(s.bodySites, pattern) })))
            .then(() => syncBodyCapture())
            .then(render, (err) => {
              siteStatus.textContent = `Could not revoke it: ${message(err)}`;
            });
        }),
      );
    }
    return li;
  });
  siteList.replaceChildren(...(items.length ? items : [el('li', { className: 'empty', text: 'None yet.' })]));
}

async function render() {
  const settings = await loadSettings();
  await Promise.all([renderDomains(settings), renderSites(settings)]);
  readBodies.checked = settings.readBodies;
  document.body.dataset.ready = 'true';
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const pattern = customDomainPattern(domainInput.value);
  if (!pattern) {
    domainStatus.textContent = 'Enter a host name such as login.example.com (HTTPS, no path or port).';
    return;
  }
  let request;
  try {
    request = api.permissions.request({ origins: [pattern] });
  } catch (err) {
    domainStatus.textContent = `The browser refused to ask: ${message(err)}`;
    return;
  }
  domainStatus.textContent = `Waiting for your answer to the browser's request for ${patternHost(pattern)}…`;
  Promise.resolve(request)
    .then(async (granted) => {
      if (!granted) {
        domainStatus.textContent = 'Not allowed: the domain was not added.';
        return;
      }
      await updateSettings((s) => ({ ...s, customDomains: withItem(s.customDomains, pattern) }));
      domainInput.value = '';
      domainStatus.textContent = `Added ${patternHost(pattern)}.`;
      await render();
    })
    .catch((err) => {
      domainStatus.textContent = `Could not add it: ${message(err)}`;
    });
});

if (filtersBodies()) {
  document.getElementById('bodies-help').textContent =
    'Firefox lets Okta Medic read Okta error responses as they arrive, on every site, without a page script.';
  document.getElementById('read-bodies-row').hidden = false;
  readBodies.addEventListener('change', () => {
    updateSettings((s) => ({ ...s, readBodies: readBodies.checked })).catch(() => {});
  });
} else {
  document.getElementById('bodies-help').textContent =
    "Chromium doesn't give extensions response bodies. On each enabled site you can opt in (above, or in the popup): a small script on that site's pages copies Okta error responses (status 400 and above, at most 64 KiB) to Okta Medic.";
}

api.permissions.onAdded?.addListener(() => render());
api.permissions.onRemoved?.addListener(() => render());
render().catch((err) => {
  siteStatus.textContent = `Could not load the settings: ${message(err)}`;
});

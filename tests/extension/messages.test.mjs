// The background answers each message only from the context meant to send it (lib/messages.js
// SENDERS): extension pages (popup, options, DevTools panel, in a tab or not) may analyse and
// clear; a content script (a frame of a web page) may only hand in a captured body; anything
// else — another extension, a page without a frame id, a URL of another extension — is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTEXT, MSG, SENDERS, allowedFrom, isKnownMessage, senderContext } from '../../extension/lib/messages.js';

const self = { id: 'abcdefghijklmnopabcdefghijklmnop', origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/' };
const firefoxSelf = { id: 'okta-medic@example.org', origin: 'moz-extension://0b6c1a52-aaaa-4bbb-8ccc-0123456789ab/' };

const tab = { id: 12, url: 'https://app.example.com/' };
const SENDER = {
  popup: { id: self.id, url: `${self.origin}popup/popup.html` },
  popupInTab: { id: self.id, url: `${self.origin}popup/popup.html`, tab, frameId: 0 },
  options: { id: self.id, url: `${self.origin}options/options.html`, tab, frameId: 0 },
  devtools: { id: self.id, url: `${self.origin}devtools/panel.html` },
  contentTop: { id: self.id, url: 'https://app.example.com/login', origin: 'https://app.example.com', tab, frameId: 0 },
  contentFrame: { id: self.id, url: 'https://app.example.com/frame', tab, frameId: 3 },
  otherExtension: { id: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', url: 'chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/x.html' },
  otherExtensionPageSameId: { id: self.id, url: 'chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/popup.html' },
  noFrame: { id: self.id, url: 'https://app.example.com/', tab },
  noTab: { id: self.id, url: 'https://app.example.com/', frameId: 0 },
  negativeTab: { id: self.id, url: 'https://app.example.com/', tab: { id: -1 }, frameId: 0 },
  fileScheme: { id: self.id, url: 'file:///tmp/x.html', tab, frameId: 0 },
  noUrl: { id: self.id },
  missing: undefined,
};

test('each sender is the context it claims to be, or none', () => {
  const want = {
    popup: CONTEXT.EXTENSION_PAGE,
    popupInTab: CONTEXT.EXTENSION_PAGE,
    options: CONTEXT.EXTENSION_PAGE,
    devtools: CONTEXT.EXTENSION_PAGE,
    contentTop: CONTEXT.CONTENT_SCRIPT,
    contentFrame: CONTEXT.CONTENT_SCRIPT,
    otherExtension: null,
    otherExtensionPageSameId: null,
    noFrame: null,
    noTab: null,
    negativeTab: null,
    fileScheme: null,
    noUrl: null,
    missing: null,
  };
  for (const [name, sender] of Object.entries(SENDER)) {
    assert.equal(senderContext(sender, self), want[name], name);
  }
  assert.equal(senderContext(SENDER.popup, { id: self.id, origin: '' }), null, 'an unknown own origin matches nothing');
  assert.equal(senderContext({ id: firefoxSelf.id, url: `${firefoxSelf.origin}popup/popup.html` }, firefoxSelf), CONTEXT.EXTENSION_PAGE);
  assert.equal(
    senderContext({ id: firefoxSelf.id, url: 'https://app.example.com/', tab, frameId: 0 }, firefoxSelf),
    CONTEXT.CONTENT_SCRIPT,
  );
});

test('the table: content scripts hand in bodies only; extension pages do everything else', () => {
  const messages = {
    [MSG.CAPTURE_BODY]: { type: MSG.CAPTURE_BODY, url: 'https://dev-1.okta.com/x', status: 401, method: 'GET', body: '{}' },
    [MSG.CLEAR_TAB]: { type: MSG.CLEAR_TAB, tabId: 12 },
    [MSG.DRAFT_PUT]: { type: MSG.DRAFT_PUT, text: 'eyJ…' },
    [MSG.DRAFT_GET]: { type: MSG.DRAFT_GET },
  };
  assert.deepEqual(Object.keys(SENDERS).sort(), Object.values(MSG).sort(), 'every message has a sender rule');
  // The paste box's draft is the person's own text: a web page (content script) may neither
  // read nor replace it.
  const fromPage = [MSG.CLEAR_TAB, MSG.DRAFT_PUT, MSG.DRAFT_GET];
  for (const [type, message] of Object.entries(messages)) {
    const pageAllowed = fromPage.includes(type);
    for (const name of ['popup', 'popupInTab', 'options', 'devtools']) {
      assert.equal(allowedFrom(message, SENDER[name], self), pageAllowed, `${type} from ${name}`);
    }
    for (const name of ['contentTop', 'contentFrame']) {
      assert.equal(allowedFrom(message, SENDER[name], self), type === MSG.CAPTURE_BODY, `${type} from ${name}`);
    }
    for (const name of ['otherExtension', 'otherExtensionPageSameId', 'noFrame', 'noTab', 'negativeTab', 'fileScheme', 'noUrl', 'missing']) {
      assert.equal(allowedFrom(message, SENDER[name], self), false, `${type} from ${name}`);
    }
  }
});

test('unknown messages are not ours, whoever sends them', () => {
  // The analysers and the version were answered until no extension page sent them any more.
  const retired = [{ type: 'report:analyze-text', text: 'eyJ', now: 0 }, { type: 'report:analyze-exchange', exchange: {} }, { type: 'core:version' }];
  for (const m of [null, undefined, 'report:analyze-text', {}, { type: 'toString' }, { type: '__proto__' }, { type: 'verify' }, ...retired]) {
    assert.equal(isKnownMessage(m), false, JSON.stringify(m));
    assert.equal(allowedFrom(m, SENDER.popup, self), false);
  }
});

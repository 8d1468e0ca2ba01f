// The sign-in story renderer (extension/lib/flow-view.js) on a view of the contract's shape
// (`flows: [{client, host, steps: [{step, at, status, ok, findingId, label, detail}]}]`), in a
// minimal DOM: one item per flow with its host and client, its steps in order with the core's
// label, status and detail as text, the broken step marked with the page's chrome, and a control
// that opens and scrolls to that step's finding card; markup in a label stays text; no flows, no
// node. Nothing here ranks or words anything: the view says which step broke.
import { test } from 'node:test';
import assert from 'node:assert/strict';

/** Just enough DOM for lib/dom.js and flow-view.js; innerHTML throws (text only). */
class Node {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.children = [];
    this.dataset = {};
    this.className = '';
    this.listeners = {};
    this.ownText = '';
  }
  append(...items) {
    for (const item of items) this.children.push(typeof item === 'string' ? { text: item } : item);
  }
  set textContent(v) {
    this.ownText = String(v);
    this.children = [];
  }
  get textContent() {
    return this.ownText + this.children.map((c) => (c instanceof Node ? c.textContent : c.text)).join('');
  }
  set innerHTML(_) {
    throw new Error('innerHTML used');
  }
  addEventListener(type, fn) {
    this.listeners[type] = fn;
  }
  click() {
    this.listeners.click?.();
  }
  cloneNode() {
    const copy = new Node(this.tagName);
    Object.assign(copy, { className: this.className, ownText: this.ownText, dataset: { ...this.dataset } });
    return copy;
  }
  all(pred, out = []) {
    for (const c of this.children) {
      if (c instanceof Node) {
        if (pred(c)) out.push(c);
        c.all(pred, out);
      }
    }
    return out;
  }
  byClass(name) {
    return this.all((n) => n.className.split(' ').includes(name));
  }
}
globalThis.document = { createElement: (tag) => new Node(tag) };
const { flowsNode } = await import('../../extension/lib/flow-view.js');

const CHROME = { 'flow-broke': 'Broke here', 'flow-see-finding': 'See the finding' };
const chrome = (key) => {
  const n = new Node(key === 'flow-see-finding' ? 'button' : 'strong');
  n.className = key;
  n.textContent = CHROME[key];
  return n;
};

const VIEW = {
  flows: [
    {
      client: '0oa1spaflows0000h5d7',
      host: 'dev-1234.okta.com',
      steps: [
        { step: 'authorize', at: 1, status: 302, ok: true, findingId: null, label: 'Authorize', detail: 'code sent to http://localhost:5173/callback' },
        { step: 'callback', at: 2, status: null, ok: true, findingId: null, label: 'Callback', detail: 'code and state' },
        { step: 'token', at: 3, status: 400, ok: false, findingId: 'flow.pkce_mismatch', label: 'Token', detail: "400 invalid_grant — PKCE verifier doesn't match the challenge" },
      ],
    },
    { client: null, host: 'dev-5678.oktapreview.com', steps: [{ step: 'refresh', at: 4, status: 200, ok: true, findingId: null, label: '<img src=x onerror=alert(1)>', detail: '' }] },
  ],
};

test('each flow: host and client, its steps in order with label, status and detail; the broken one marked', () => {
  const node = flowsNode(VIEW.flows, { chrome, findCard: () => null });
  const flows = node.byClass('flow');
  assert.equal(flows.length, 2);
  assert.equal(flows[0].className, 'flow flow-broken');
  assert.equal(flows[0].dataset.client, '0oa1spaflows0000h5d7');
  assert.equal(flows[0].byClass('flow-host')[0].textContent, 'dev-1234.okta.com');
  const steps = flows[0].byClass('flow-step');
  assert.deepEqual(steps.map((s) => s.dataset.step), ['authorize', 'callback', 'token']);
  assert.deepEqual(steps.map((s) => s.className), ['flow-step ok', 'flow-step ok', 'flow-step broken']);
  assert.equal(steps[1].byClass('flow-step-status').length, 0, 'no status, none shown');
  // The detail says the status already: it is not repeated (kept as data).
  assert.equal(steps[2].textContent, "Broke hereToken 400 invalid_grant — PKCE verifier doesn't match the challenge See the finding");
  assert.equal(steps[2].dataset.status, '400');
  assert.equal(flows[1].byClass('flow-step-status')[0].textContent, '200', 'a bare status when there is no detail');
  assert.equal(steps[0].byClass('flow-broke').length, 0);
  assert.equal(flows[1].className, 'flow');
  assert.equal(flows[1].byClass('flow-client').length, 0, 'a flow without a client id shows none');
});

test("the broken step's control opens and scrolls to its finding card", () => {
  const card = { open: false, dataset: { groupId: 'flow.pkce_mismatch' }, scrolled: false, focused: false };
  card.scrollIntoView = () => {
    card.scrolled = true;
  };
  card.querySelector = () => ({ focus: () => (card.focused = true) });
  const asked = [];
  const announced = [];
  const node = flowsNode(VIEW.flows, { chrome, findCard: (id) => (asked.push(id), card), announce: (t) => announced.push(t) });
  const [link] = node.byClass('flow-see-finding');
  assert.equal(node.byClass('flow-see-finding').length, 1, 'only the step with a finding links');
  link.click();
  assert.deepEqual(asked, ['flow.pkce_mismatch']);
  assert.deepEqual([card.open, card.scrolled, card.focused], [true, true, true]);
  assert.deepEqual(announced, ['flow.pkce_mismatch']);
  const none = flowsNode(VIEW.flows, { chrome, findCard: () => null });
  none.byClass('flow-see-finding')[0].click(); // no card on the page: nothing happens, nothing throws
});

test('a label with markup stays text; no flows → no node; data without words falls back to the step', () => {
  const node = flowsNode(VIEW.flows, { chrome, findCard: () => null });
  assert.equal(node.byClass('flow-step-label')[3].textContent, '<img src=x onerror=alert(1)>');
  assert.equal(node.all((n) => n.tagName === 'IMG').length, 0);
  assert.equal(flowsNode([], { chrome, findCard: () => null }), null);
  assert.equal(flowsNode(undefined, { chrome, findCard: () => null }), null);
  const bare = flowsNode([{ host: 'h', steps: [{ step: 'token', ok: false }] }], { chrome, findCard: () => null });
  assert.equal(bare.byClass('flow-step-label')[0].textContent, 'token');
});

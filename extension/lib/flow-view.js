// The sign-in story (issue 16 item 3), shared by the popup's "This tab" and the DevTools panel:
// each flow the core followed (`view.flows`: `{client, host, steps: [{step, at, status, ok,
// findingId, label, detail}]}`) as a short sequence — authorize → sign-in → callback → token →
// API calls — each step with the core's label and detail (or its bare HTTP status), and a mark
// on the step that broke. That step's finding is already among the cards: its "see the finding"
// control opens and scrolls to the card (`findCard(findingId)`, the page's own lookup). Nothing is
// decided here (`ok`, `findingId`, `label`, `detail` are the core's); the fixed words (the mark,
// the control) are the page's chrome (`chrome(key)`), text goes in by textContent only.
import { el } from './dom.js';

const text = (v) => (typeof v === 'string' ? v : '');

/**
 * One step of a flow as a list item. `findCard(id)` returns the finding's card, or null.
 * @param {{step?: string, status?: number|null, ok?: boolean, findingId?: string|null, label?: string, detail?: string}} step
 */
function stepNode(step, { chrome, findCard, announce }) {
  const broken = step.ok === false;
  const item = el('li', { className: `flow-step ${broken ? 'broken' : 'ok'}` });
  item.dataset.step = text(step.step);
  if (broken) {
    const mark = chrome('flow-broke');
    if (mark) item.append(mark);
  }
  item.append(el('span', { className: 'flow-step-label', text: text(step.label) || text(step.step) }));
  // The core's detail already says the status ("400 invalid_grant — …"); a bare status only
  // when there is no detail.
  if (Number.isInteger(step.status)) item.dataset.status = String(step.status);
  if (text(step.detail)) item.append(' ', el('span', { className: 'flow-step-detail', text: step.detail }));
  else if (Number.isInteger(step.status)) item.append(' ', el('span', { className: 'flow-step-status', text: String(step.status) }));
  if (typeof step.findingId === 'string' && step.findingId !== '') {
    item.dataset.findingId = step.findingId;
    const link = chrome('flow-see-finding');
    if (link) {
      link.addEventListener('click', () => {
        const card = findCard(step.findingId);
        if (!card) return;
        if ('open' in card) card.open = true;
        card.scrollIntoView?.({ block: 'nearest' });
        (card.querySelector?.('summary') ?? card).focus?.();
        announce?.(text(card.dataset?.groupId ?? card.dataset?.findingId));
      });
      item.append(' ', link);
    }
  }
  return item;
}

/**
 * The flows as a list (newest last, as the core orders them); null when there is none.
 * @param {Array<object>|undefined} flows
 * @param {{chrome: (key: string) => HTMLElement|null, findCard: (findingId: string) => Element|null,
 *   announce?: (text: string) => void}} options
 */
export function flowsNode(flows, options) {
  if (!Array.isArray(flows) || flows.length === 0) return null;
  const list = el('ol', { className: 'flows' });
  for (const flow of flows) {
    const who = el('p', { className: 'flow-who' });
    if (text(flow.host)) who.append(el('code', { className: 'flow-host', text: flow.host }));
    if (text(flow.client)) who.append(' ', el('code', { className: 'flow-client', text: flow.client }));
    const steps = el('ol', { className: 'flow-steps' }, ...(Array.isArray(flow.steps) ? flow.steps : []).map((s) => stepNode(s ?? {}, options)));
    const broke = Array.isArray(flow.steps) && flow.steps.some((s) => s?.ok === false);
    const item = el('li', { className: broke ? 'flow flow-broken' : 'flow' }, who, steps);
    if (text(flow.client)) item.dataset.client = flow.client;
    if (text(flow.host)) item.dataset.host = flow.host;
    list.append(item);
  }
  return list;
}

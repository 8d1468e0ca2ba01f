// An exchange handed to the core as its fields, one argument each: what the field-wise exports
// take (crate/src/wasm/fields.rs: the service worker's liveFoldFields through lib/exchange.js's
// foldCall; the ui module's analyzeExchangeFields / showExchangeFields, which only the benches
// and the contract tests call). Its own file so that they load only this, not the capture's
// request assembly. Pure: no browser API.

/**
 * A webRequest-shaped exchange as the core's field-wise exports take it (crate/src/wasm/fields.rs:
 * liveFoldFields, analyzeExchangeFields, showExchangeFields), one argument per field: observedAt,
 * method, url, statusCode, the request and response headers each joined as `name\0value\0…`,
 * body, bodySource, type, error, initiator, thirdParty, the rare form fields as one object
 * (`{requestForm, requestFormOmitted}`) or undefined, then `wrong`: a bit for each field (its
 * place in this order) that is there but of the wrong type — a string field that is not a
 * string, a number that is not a number, thirdParty not a boolean — which is passed as undefined
 * instead, so that the core can say which field it could not read. The exports take the fields
 * typed: wasm-bindgen's glue copies each string into the module as it calls, which costs the
 * core less than reading each value back out of JS (docs/performance-log.md).
 */
export function exchangeArgs(e) {
  const x = e ?? {};
  let form;
  if (x.requestForm !== undefined) form = { requestForm: x.requestForm };
  if (x.requestFormOmitted !== undefined) form = { ...form, requestFormOmitted: x.requestFormOmitted };
  const args = [x.observedAt, x.method, x.url, x.statusCode, joinHeaders(x.requestHeaders),
    joinHeaders(x.responseHeaders), x.body, x.bodySource, x.type, x.error, x.initiator, x.thirdParty];
  let wrong = 0;
  for (let i = 0; i < args.length; i++) {
    const v = args[i];
    if (v !== undefined && v !== null && typeof v !== TYPES[i]) {
      wrong |= 1 << i;
      args[i] = undefined;
    }
  }
  args.push(form, wrong);
  return args;
}

/** The type of each field in exchangeArgs' order (the form, an object, is read by the core). */
const TYPES = ['number', 'string', 'string', 'number', 'string', 'string', 'string', 'string', 'string', 'string',
  'string', 'boolean'];

/** [{name, value}] → `name\0value\0…` (no header holds NUL); anything else as it is: the core refuses it. */
function joinHeaders(list) {
  if (!Array.isArray(list)) return list;
  let joined = '';
  for (let i = 0; i < list.length; i++) {
    const h = list[i];
    const value = h?.value ?? '';
    if (typeof h?.name !== 'string' || typeof value !== 'string') return list;
    joined += i === 0 ? `${h.name}\0${value}` : `\0${h.name}\0${value}`;
  }
  return joined;
}

// The calls the wasm-level tools repeat (bench/wasm-instructions.mjs counts their instructions,
// bench/wasm-copies.mjs their memory.copy calls and allocations): liveFold folds bench/core.mjs's
// storm (half 429 E0000047, half 401 E0000011) into one tab; analyzeExchange analyses its 429;
// analyzeText its 850-byte token. Each through the export the extension calls.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NOW, oktaToken } from './core.mjs';

export const exchange = {
  observedAt: NOW * 1000, method: 'GET', url: 'https://dev-123456.okta.com/api/v1/users?limit=200', statusCode: 429,
  requestHeaders: [{ name: 'Accept', value: 'application/json' }],
  responseHeaders: [{ name: 'Date', value: new Date(NOW * 1000).toUTCString() }, { name: 'Content-Type', value: 'application/json' },
    { name: 'X-Rate-Limit-Limit', value: '600' }, { name: 'X-Rate-Limit-Remaining', value: '0' },
    { name: 'X-Rate-Limit-Reset', value: String(NOW + 42) }, { name: 'X-Okta-Request-Id', value: 'reqVy8wsvmBQN27h4soUE3ZEnA' }],
  body: '{"errorCode":"E0000047","errorSummary":"API call exceeded rate limit due to too many requests.","errorLink":"E0000047","errorId":"oaetdtoG383SIGVNZ0UKgtRug","errorCauses":[]}',
};
const e11 = '{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011","errorId":"oae6nt1xXA2SmSjkYK4cL1-tA","errorCauses":[]}';
export const storm = (i) => (i % 2 === 0
  ? { ...exchange, observedAt: NOW * 1000 + i }
  : { ...exchange, observedAt: NOW * 1000 + i, url: 'https://dev-123456.okta.com/api/v1/users/me', statusCode: 401, body: e11 });

/** Which module an op runs in: `okta_medic` (sw) or `okta_medic_ui`. */
export const moduleOf = (op) => (op === 'liveFold' ? 'okta_medic' : 'okta_medic_ui');

/**
 * `call(i)`: the i-th call of `op` on the wasm-bindgen package in `pkg` (initialised here).
 * EXCHANGE_ARGS=FILE: an older extension/lib/exchange-args.js, for a package built before the
 * exchange's fields changed (`git show REV:extension/lib/exchange-args.js`).
 */
export async function calls(pkg, op) {
  const { exchangeArgs } = await import(process.env.EXCHANGE_ARGS ? resolve(process.env.EXCHANGE_ARGS) : '../extension/lib/exchange-args.js');
  const name = moduleOf(op);
  const m = await import(join(pkg, `${name}.js`));
  m.initSync({ module: readFileSync(join(pkg, `${name}_bg.wasm`)) });
  if (op === 'liveFold') return (i) => m.liveFoldFields(1, ...exchangeArgs(storm(i)), undefined);
  if (op === 'analyzeExchange') return () => m.analyzeExchangeFields(...exchangeArgs(exchange)).findings.length;
  const token = oktaToken(850);
  return () => m.analyzeText(token, NOW).findings.length;
}

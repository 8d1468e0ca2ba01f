// lib/time.js in Node's ICU (default locale, UTC): relative labels round toward zero
// (59 min 59 s left is "in 59 minutes", never "in 1 hour"), local times format or give null.
import { test } from 'node:test';
import assert from 'node:assert/strict';

process.env.TZ = 'UTC';
const { localDateTime, relativeTime } = await import('../../extension/lib/time.js');

test('relativeTime picks the largest whole unit, rounding toward zero (in the default locale)', () => {
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const cases = [
    [0, 0, 'second'],
    [0.4, 0, 'second'],
    [59, 59, 'second'],
    [-1, -1, 'second'],
    [60, 1, 'minute'],
    [3000, 50, 'minute'],
    [3599, 59, 'minute'],
    [-600, -10, 'minute'],
    [3600, 1, 'hour'],
    [-86400, -1, 'day'],
    [3 * 86400, 3, 'day'],
    [-45 * 86400, -1, 'month'],
    [-400 * 86400, -1, 'year'],
  ];
  for (const [seconds, value, unit] of cases) {
    assert.equal(relativeTime(seconds), format.format(value, unit), `${seconds} s`);
  }
  assert.equal(relativeTime(NaN), '');
  assert.equal(relativeTime(Infinity), '');
  if (format.resolvedOptions().locale.startsWith('en')) {
    assert.equal(relativeTime(3599), 'in 59 minutes');
    assert.equal(relativeTime(0), 'now');
  }
});

test('localDateTime formats a valid instant and refuses nonsense', () => {
  assert.match(localDateTime('2026-11-27T23:50:45Z'), /2026/);
  assert.equal(localDateTime('not a date'), null);
});

test('withLocalDateTime writes after a task until the formatter exists, then at once', async () => {
  // A module instance of its own, so that no other test has created the formatter yet.
  const fresh = await import('../../extension/lib/time.js?fresh');
  const written = [];
  fresh.withLocalDateTime('2026-11-27T23:50:45Z', (local) => written.push(local));
  fresh.withLocalDateTime('not a date', (local) => written.push(local));
  assert.deepEqual(written, [], 'nothing is formatted on the first paint\'s path');
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.deepEqual(written, [localDateTime('2026-11-27T23:50:45Z'), null]);
  fresh.withLocalDateTime('2026-01-02T03:04:05Z', (local) => written.push(local));
  assert.equal(written.length, 3, 'once the formatter exists, the write is synchronous');
  assert.equal(written[2], localDateTime('2026-01-02T03:04:05Z'));
});

test('afterFormats runs its job after a task until both formatters exist, then at once', async () => {
  const fresh = await import('../../extension/lib/time.js?after');
  const ran = [];
  fresh.afterFormats(() => ran.push(fresh.relativeTime(60)));
  assert.deepEqual(ran, []);
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.deepEqual(ran, [relativeTime(60)]);
  fresh.afterFormats(() => ran.push('again'));
  assert.deepEqual(ran, [relativeTime(60), 'again']);
});

// The rate-limit trajectory chart's geometry (extension/devtools/chart.js): time maps to x from
// the first to the last reading, X-Rate-Limit-Remaining to y against the largest limit (0 at
// the bottom), unusable readings are skipped, one reading sits in the middle.
import { test } from 'node:test';
import assert from 'node:assert/strict';

const { CHART, chartGeometry } = await import('../../extension/devtools/chart.js');

const box = { width: 110, height: 60, pad: 5 }; // inner 100 × 50

test('readings span the width; remaining maps to height against the limit', () => {
  const g = chartGeometry(
    [
      { atMs: 1000, limit: 600, remaining: 600 },
      { atMs: 2000, limit: 600, remaining: 300 },
      { atMs: 5000, limit: 600, remaining: 0 },
    ],
    box,
  );
  assert.deepEqual(
    g.points.map(({ x, y, empty }) => [x, y, empty]),
    [
      [5, 5, false],
      [30, 30, false],
      [105, 55, true],
    ],
  );
  assert.equal(g.maxLimit, 600);
  assert.deepEqual([g.top, g.bottom], [5, 55]);
});

test('one reading sits in the middle; bad readings are skipped; nothing gives no points', () => {
  const g = chartGeometry([{ atMs: 7, limit: 100, remaining: 25 }, { atMs: 'x', limit: 1, remaining: 1 }, null], box);
  assert.deepEqual(g.points.map(({ x, y }) => [x, y]), [[55, 42.5]]);
  assert.deepEqual(chartGeometry([], box).points, []);
  assert.deepEqual(chartGeometry(undefined).points, []);
  assert.ok(CHART.width > CHART.height);
});

test('a limit that changes mid-way scales to the largest; remaining above the limit stays inside', () => {
  const g = chartGeometry(
    [
      { atMs: 0, limit: 100, remaining: 50 },
      { atMs: 10, limit: 200, remaining: 250 },
    ],
    box,
  );
  assert.equal(g.maxLimit, 250);
  assert.ok(g.points.every((p) => p.y >= g.top && p.y <= g.bottom));
});

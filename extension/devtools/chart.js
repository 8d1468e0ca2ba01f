// The rate-limit trajectory of one bucket as a small SVG chart: X-Rate-Limit-Remaining over
// time (a line with a dot per reading, 429-level readings at 0 marked), the limit as the top
// line. Built with createElementNS, no chart library; the geometry is a pure function so Node
// tests check it without a DOM. The words around the chart are the core's (the bucket's title).

const SVG = 'http://www.w3.org/2000/svg';

export const CHART = Object.freeze({ width: 320, height: 72, pad: 6 });

/**
 * Points of the chart for a trajectory (`[{atMs, limit, remaining}]`, oldest first): x spans
 * the first to the last reading (a single reading sits in the middle), y is remaining / the
 * largest limit seen (0 at the bottom). Readings with no usable numbers are skipped.
 */
export function chartGeometry(trajectory, { width, height, pad } = CHART) {
  const points = (Array.isArray(trajectory) ? trajectory : []).filter(
    (p) => Number.isFinite(p?.atMs) && Number.isFinite(p?.remaining) && Number.isFinite(p?.limit),
  );
  if (points.length === 0) return { points: [], top: pad, bottom: height - pad, maxLimit: 0 };
  const maxLimit = Math.max(1, ...points.map((p) => Math.max(p.limit, p.remaining)));
  const first = points[0].atMs;
  const span = points[points.length - 1].atMs - first;
  const innerW = width - 2 * pad;
  const innerH = height - 2 * pad;
  const round = (n) => Math.round(n * 10) / 10;
  return {
    top: pad,
    bottom: height - pad,
    maxLimit,
    points: points.map((p) => ({
      x: round(pad + (span > 0 ? ((p.atMs - first) / span) * innerW : innerW / 2)),
      y: round(pad + innerH - (p.remaining / maxLimit) * innerH),
      atMs: p.atMs,
      remaining: p.remaining,
      limit: p.limit,
      empty: p.remaining === 0,
    })),
  };
}

function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/**
 * The chart for a bucket view (`timeline.rateLimits.buckets[i]`), or null when it has no
 * readings. `label` names the chart for assistive technology (the bucket's title); `timeText`
 * formats an epoch-ms instant for each reading's tooltip.
 */
export function trajectoryChart(trajectory, { label, timeText }) {
  const { width, height, pad } = CHART;
  const g = chartGeometry(trajectory);
  if (g.points.length === 0) return null;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', class: 'trajectory' });
  root.append(svg('title'));
  root.firstChild.textContent = label;
  root.append(
    svg('line', { x1: pad, x2: width - pad, y1: g.top, y2: g.top, class: 'limit' }),
    svg('line', { x1: pad, x2: width - pad, y1: g.bottom, y2: g.bottom, class: 'floor' }),
  );
  if (g.points.length > 1) {
    root.append(svg('polyline', { points: g.points.map((p) => `${p.x},${p.y}`).join(' '), class: 'remaining' }));
  }
  for (const p of g.points) {
    const dot = svg('circle', { cx: p.x, cy: p.y, r: 3, class: p.empty ? 'reading empty' : 'reading' });
    const tip = svg('title');
    tip.textContent = `${timeText(p.atMs)}: X-Rate-Limit-Remaining ${p.remaining} of ${p.limit}`;
    dot.append(tip);
    root.append(dot);
  }
  root.dataset.points = String(g.points.length);
  return root;
}

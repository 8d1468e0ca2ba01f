// Time formatting for reports, with the browser's locale and time zone (Intl): local date-time of
// an ISO UTC instant and "in 5 minutes" / "3 days ago" labels from a signed number of seconds.
// The core gives instants and offsets (`relativeSeconds`); only the presentation lives here.

let dateTimeFormat;
let relativeFormat;

/** "Nov 27, 2026, 11:50:45 PM GMT+1" in the user's locale and zone, or null for a bad date. */
export function localDateTime(iso) {
  dateTimeFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long' });
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : dateTimeFormat.format(date);
}

let queued = null;

function flushQueued() {
  const jobs = queued ?? [];
  queued = null;
  localDateTime(''); // both formatters made, in this task
  relativeTime(0);
  for (const job of jobs) job();
}

/**
 * Runs `job` (which formats times) at once when both formatters exist, else right after the next
 * frame is painted. The first Intl formatter a renderer creates loads ICU's locale data: 12–15 ms
 * of a fresh browser's first popup open (bench/popup-cold.mjs), so a report's first paint goes
 * without its times and they fill in a task later. A hidden page paints no frame: a timer
 * flushes too.
 */
export function afterFormats(job) {
  if (dateTimeFormat && relativeFormat) {
    job();
    return;
  }
  if (!queued) {
    queued = [];
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(flushQueued, 0));
    setTimeout(flushQueued, 100);
  }
  queued.push(job);
}

/** Calls `write(localDateTime(iso))` when the formats are ready (afterFormats). */
export function withLocalDateTime(iso, write) {
  afterFormats(() => write(localDateTime(iso)));
}

const UNITS = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/**
 * A relative label for `seconds` from now (negative = past), e.g. "in 50 minutes", "2 hours ago",
 * "now". Picks the largest unit that fits and rounds toward zero, so a token with 59 min 59 s
 * left reads "in 59 minutes", never "in 1 hour".
 */
export function relativeTime(seconds) {
  if (!Number.isFinite(seconds)) return '';
  relativeFormat ??= new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const magnitude = Math.abs(seconds);
  const [unit, size] = UNITS.find(([, s]) => magnitude >= s) ?? ['second', 1];
  return relativeFormat.format(Math.trunc(seconds / size), unit);
}

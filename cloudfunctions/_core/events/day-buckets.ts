/**
 * Per-day counters in China time (UTC+8, no daylight saving), the building block of every
 * incremental per-customer state: an event adds to the bucket of its day, a window sums the
 * buckets of the last N days, and buckets older than the retention are dropped. Stored as
 * parallel arrays sorted by day, which keeps the documents small and the sums fast.
 */

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** Index of the China calendar day a time falls on (days since 1970-01-01 in UTC+8). */
export function chinaDay(ts: number): number {
  return Math.floor((ts + CHINA_OFFSET_MS) / DAY_MS);
}

/** Epoch ms of 00:00 China time of the day `ts` falls on. */
export function chinaDayStart(ts: number): number {
  return chinaDay(ts) * DAY_MS - CHINA_OFFSET_MS;
}

export const DAY = DAY_MS;

/**
 * Flat triples `[day, count, measure, day, count, measure, ...]`, days ascending and unique:
 * one array per counter keeps 100k customers' states compact and quick to walk.
 * `measure` is a summed quantity such as dwell seconds (0 when unused).
 */
export type DayBuckets = number[];

export function emptyBuckets(): DayBuckets {
  return [];
}

export function cloneBuckets(b: DayBuckets): DayBuckets {
  return b.slice();
}

/**
 * Adds `count` events (and `measure`) to `day`, in place. Days more than `retentionDays` before
 * the newest day held are dropped, and an event that old is ignored (returns false).
 */
export function addToBuckets(b: DayBuckets, day: number, count: number, measure: number, retentionDays: number): boolean {
  const newest = b.length ? Math.max(b[b.length - 3], day) : day;
  const oldestKept = newest - retentionDays + 1;
  if (day < oldestKept) return false;
  let i = b.length;
  while (i > 0 && b[i - 3] > day) i -= 3;
  if (i > 0 && b[i - 3] === day) {
    b[i - 2] += count;
    b[i - 1] += measure;
  } else b.splice(i, 0, day, count, measure);
  let drop = 0;
  while (drop < b.length && b[drop] < oldestKept) drop += 3;
  if (drop) b.splice(0, drop);
  return true;
}

/** Adds the counts of `from` into `into`, in place (used when two customers are merged). */
export function mergeBuckets(into: DayBuckets, from: DayBuckets, retentionDays: number): void {
  for (let i = 0; i < from.length; i += 3) addToBuckets(into, from[i], from[i + 1], from[i + 2], retentionDays);
}

export interface WindowSum {
  count: number;
  measure: number;
  /** Number of distinct days with at least one event. */
  days: number;
}

/** Totals over the `windowDays` days ending with `today` (today included). */
export function sumWindow(b: DayBuckets, today: number, windowDays: number): WindowSum {
  const from = today - windowDays + 1;
  let count = 0;
  let measure = 0;
  let days = 0;
  for (let i = b.length - 3; i >= 0; i -= 3) {
    const d = b[i];
    if (d > today) continue;
    if (d < from) break;
    count += b[i + 1];
    measure += b[i + 2];
    days++;
  }
  return { count, measure, days };
}

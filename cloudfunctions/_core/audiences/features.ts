/**
 * Per-customer audience features: for each counter of the store's `CounterSpec`, the number
 * of matching events per China day, plus the all-time total. Kept event by event in place
 * (`applyEvent`, no history read), rebuilt from a history (`rebuildFeatures`), combined for a
 * OneID merge (`mergeFeatures`), and refitted when the store's counter set changes
 * (`refitFeatures`: new counters are backfilled from the history, dropped ones pruned).
 *
 * Stored beside the scoring state (same document or same transaction). Repeats are not
 * detected here: the pipeline applies an event only once (the scoring state's `seen` list).
 *
 * Layout: one flat array `d`, per counter in `ids` order `total, n, e1 .. en`: n day entries,
 * each one integer `(day - DAY_ORIGIN) * 65536 + count` (`dayEntry`), ascending, covering
 * `FEATURE_RETENTION_DAYS` back from the newest day held (older days are dropped; the total
 * keeps them). A day with more than 65535 events has several entries. Days before 2010 or
 * from 2054-11-08 on are kept in the total only (no window of a `now` in between reaches
 * them). One integer per day halves what an event copies when it adds a day to a long
 * array, and one array per customer lets a million be packed into columns at once.
 */
import { chinaDay } from '../events/day-buckets';
import { MAX_LOOKBACK_DAYS } from '../../../types/audience';
import type { CounterSpec } from './counters';
import { compileMatch, type AudienceEvent } from './match';
import type { DayRange } from './window';

/**
 * Days kept behind the newest day held: the longest window plus slack for events dated a
 * little ahead (a skewed device clock would otherwise push needed days out).
 */
export const FEATURE_RETENTION_DAYS = MAX_LOOKBACK_DAYS + 34;

/** The first China day entries can hold: 2010-01-01. */
export const DAY_ORIGIN = 14_610;
/** Days from `DAY_ORIGIN` entries can hold (so that an entry stays a small integer). */
export const DAY_SPAN = 16_384;
const SLOT = 65_536;
const MAX_COUNT = 65_535;

/** The entry of `count` events (at most 65535) on `day`. */
export function dayEntry(day: number, count: number): number {
  return (day - DAY_ORIGIN) * SLOT + count;
}

export const entryDay = (e: number): number => (e >>> 16) + DAY_ORIGIN;
export const entryCount = (e: number): number => e & 0xffff;

/** Entry bounds of a day range: `lo <= e <= hi` holds exactly for entries of days in it. */
export function entryBounds(range: DayRange): { lo: number; hi: number } {
  return { lo: (range.from - DAY_ORIGIN) * SLOT, hi: (range.to - DAY_ORIGIN) * SLOT + MAX_COUNT };
}

export interface AudienceFeatures {
  v: 1;
  /** Signature of the counter set the counters were kept for ('' after merging different sets). */
  sig: string;
  /** The counters held, in the order of `d`. */
  ids: readonly string[];
  d: number[];
}

export function emptyFeatures(spec: CounterSpec): AudienceFeatures {
  // Built by push, not `new Array(n)`: a packed array of small integers reads fastest.
  const d: number[] = [];
  for (let i = 0; i < spec.ids.length; i++) d.push(0, 0);
  return { v: 1, sig: spec.sig, ids: spec.ids, d };
}

export function cloneFeatures(f: AudienceFeatures): AudienceFeatures {
  return { v: 1, sig: f.sig, ids: f.ids, d: f.d.slice() };
}

/** Where counter number `j` starts in `d`. */
export function segmentAt(d: readonly number[], j: number): number {
  let pos = 0;
  for (let i = 0; i < j; i++) pos += 2 + d[pos + 1];
  return pos;
}

/** Adds `count` events on `day` to the counter starting at `pos` (its total too), in place. */
function addDay(d: number[], pos: number, day: number, count: number): void {
  d[pos] += count;
  if (day < DAY_ORIGIN || day >= DAY_ORIGIN + DAY_SPAN) return;
  const n = d[pos + 1];
  const first = pos + 2;
  const end = first + n;
  const key = (day - DAY_ORIGIN) * SLOT;
  // A late event, behind the newest day held: kept only within the retention.
  if (n > 0 && d[end - 1] >= key + SLOT && day < entryDay(d[end - 1]) - FEATURE_RETENTION_DAYS + 1) return;
  let at = end;
  while (at > first && d[at - 1] >= key + SLOT) at--;
  let left = count;
  if (at > first && d[at - 1] >= key) {
    const add = Math.min(MAX_COUNT - (d[at - 1] - key), left);
    d[at - 1] += add;
    left -= add;
  }
  let added = 0;
  while (left > 0) {
    const c = Math.min(MAX_COUNT, left);
    d.splice(at + added, 0, key + c);
    added++;
    left -= c;
  }
  if (!added) return;
  d[pos + 1] = n + added;
  if (at !== end) return;
  // A new newest day: days past the retention go.
  const oldest = (day - FEATURE_RETENTION_DAYS + 1 - DAY_ORIGIN) * SLOT;
  let k = first;
  while (d[k] < oldest) k++;
  if (k > first) {
    d.splice(first, k - first);
    d[pos + 1] -= k - first;
  }
}

/**
 * Counts one event, in place; true when a counter moved (write the features back). The
 * features must be fitted to `spec` (`featuresStatus`), or it throws.
 */
export function applyEvent(f: AudienceFeatures, e: AudienceEvent, spec: CounterSpec): boolean {
  const counters = spec.byType[e.type];
  if (counters === undefined || counters.length === 0) return false;
  if (f.sig !== spec.sig) throw new Error(`applyEvent: features kept for counter set ${f.sig}, not ${spec.sig}: refit them first`);
  const d = f.d;
  let moved = false;
  let day = 0;
  let pos = 0;
  let at = 0;
  // Counters of a type come in set order, so one walk along `d` finds them all.
  for (let i = 0; i < counters.length; i++) {
    const k = counters[i];
    if (!k.test(e)) continue;
    if (!moved) {
      day = chinaDay(e.timestamp);
      moved = true;
    }
    while (at < k.index) {
      pos += 2 + d[pos + 1];
      at++;
    }
    addDay(d, pos, day, 1);
  }
  return moved;
}

/** Each event once (by `_id` when it has one), in any order. */
function* unique(events: Iterable<AudienceEvent>): Iterable<AudienceEvent> {
  const seen = new Set<string>();
  for (const e of events) {
    if (e._id !== undefined) {
      if (seen.has(e._id)) continue;
      seen.add(e._id);
    }
    yield e;
  }
}

/** The features of a customer with this history. */
export function rebuildFeatures(events: Iterable<AudienceEvent>, spec: CounterSpec): AudienceFeatures {
  const f = emptyFeatures(spec);
  for (const e of unique(events)) applyEvent(f, e, spec);
  return f;
}

export type FeatureStatus = { current: true } | { current: false; missing: string[]; extra: string[] };

/** Whether features fit a counter set: `missing` counters need the history, `extra` ones are dropped. */
export function featuresStatus(f: AudienceFeatures, spec: CounterSpec): FeatureStatus {
  if (f.sig === spec.sig) return { current: true };
  const held = new Set(f.ids);
  const missing = spec.ids.filter((id) => !held.has(id));
  const extra = f.ids.filter((id) => !spec.byId.has(id));
  return { current: false, missing, extra };
}

/** Each counter's segment `[total, n, day, count, ...]` by id. */
function segmentsOf(f: AudienceFeatures): Map<string, number[]> {
  const out = new Map<string, number[]>();
  let pos = 0;
  for (const id of f.ids) {
    const len = 2 + f.d[pos + 1];
    out.set(id, f.d.slice(pos, pos + len));
    pos += len;
  }
  return out;
}

function fromSegments(sig: string, ids: readonly string[], segments: ReadonlyMap<string, number[]>): AudienceFeatures {
  const d: number[] = [];
  for (const id of ids) for (const x of segments.get(id) as number[]) d.push(x);
  return { v: 1, sig, ids, d };
}

/**
 * The features fitted to a counter set: extra counters pruned, missing ones counted from
 * `events` (the customer's whole stored history, merged customers' included). Without events
 * it throws when a counter is missing. Counters already held are kept as they are.
 */
export function refitFeatures(f: AudienceFeatures, spec: CounterSpec, events?: Iterable<AudienceEvent>): AudienceFeatures {
  if (f.sig === spec.sig) return cloneFeatures(f);
  const held = segmentsOf(f);
  const missing = spec.counters.filter((c) => !held.has(c.id)).map((c) => ({ id: c.id, test: compileMatch(c.match), seg: [0, 0] }));
  if (missing.length) {
    if (!events) throw new Error(`refitFeatures: counters ${missing.map((m) => m.id).join(', ')} need the history`);
    for (const e of unique(events)) for (const m of missing) if (m.test(e)) addDay(m.seg, 0, chinaDay(e.timestamp), 1);
    for (const m of missing) held.set(m.id, m.seg);
  }
  return fromSegments(spec.sig, spec.ids, held);
}

/**
 * The features of merged customers as one. Counters held by only some of them lack the
 * others' events, so they are left out (`featuresStatus` then asks for a backfill).
 */
export function mergeFeatures(list: readonly AudienceFeatures[]): AudienceFeatures {
  if (!list.length) throw new Error('mergeFeatures: nothing to merge');
  const sig = list.every((f) => f.sig === list[0].sig) ? list[0].sig : '';
  const all = list.map(segmentsOf);
  const ids = list[0].ids.filter((id) => all.every((s) => s.has(id)));
  const merged = new Map<string, number[]>();
  for (const id of ids) {
    const seg = (all[0].get(id) as number[]).slice();
    for (const other of all.slice(1)) {
      const from = other.get(id) as number[];
      const total = seg[0] + from[0];
      for (let i = 2; i < from.length; i++) addDay(seg, 0, entryDay(from[i]), entryCount(from[i]));
      seg[0] = total;
    }
    merged.set(id, seg);
  }
  return fromSegments(sig, sig ? list[0].ids : ids, merged);
}

/** Events a counter segment at `pos` counted on the days of `range` (every event ever when `null`). */
export function countAt(d: readonly number[], pos: number, range: DayRange | null): number {
  if (range === null) return d[pos];
  const lo = (range.from - DAY_ORIGIN) * SLOT;
  const hi = (range.to - DAY_ORIGIN) * SLOT + MAX_COUNT;
  let sum = 0;
  for (let i = pos + 1 + d[pos + 1]; i > pos + 1; i--) {
    const e = d[i];
    if (e > hi) continue;
    if (e < lo) break;
    sum += e & 0xffff;
  }
  return sum;
}

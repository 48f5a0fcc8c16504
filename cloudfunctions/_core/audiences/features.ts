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
 * Layout, per counter: `[total, day, count, day, count, ...]`, days ascending and unique,
 * covering `FEATURE_RETENTION_DAYS` back from the newest day held (older days are dropped; the
 * total keeps them). Every counter of the set has an entry, `[0]` when nothing matched, so
 * the keys also say which counters were counted.
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

export interface AudienceFeatures {
  v: 1;
  /** Signature of the counter set these counters were kept for ('' after a merge of different sets). */
  sig: string;
  /** Counter id -> `[total, day, count, ...]`. */
  c: Record<string, number[]>;
}

export function emptyFeatures(spec: CounterSpec): AudienceFeatures {
  const c: Record<string, number[]> = {};
  for (const id of spec.ids) c[id] = [0];
  return { v: 1, sig: spec.sig, c };
}

export function cloneFeatures(f: AudienceFeatures): AudienceFeatures {
  const c: Record<string, number[]> = {};
  for (const id of Object.keys(f.c)) c[id] = f.c[id].slice();
  return { v: 1, sig: f.sig, c };
}

/** An event that arrives late, behind days already held. */
function addOld(a: number[], day: number, count: number): void {
  const newest = a[a.length - 2];
  if (day < newest - FEATURE_RETENTION_DAYS + 1) return;
  let i = a.length - 2;
  while (i >= 1 && a[i] > day) i -= 2;
  if (i >= 1 && a[i] === day) a[i + 1] += count;
  else a.splice(i + 2, 0, day, count);
}

/** Adds `count` events on `day` (the total too), in place. */
function addDay(a: number[], day: number, count: number): void {
  a[0] += count;
  const n = a.length;
  if (n === 1 || a[n - 2] < day) {
    a.push(day, count);
    const oldest = day - FEATURE_RETENTION_DAYS + 1;
    if (a[1] < oldest) {
      let k = 1;
      while (a[k] < oldest) k += 2;
      a.splice(1, k - 1);
    }
  } else if (a[n - 2] === day) a[n - 1] += count;
  else addOld(a, day, count);
}

/**
 * Counts one event, in place; true when a counter moved (write the features back). Counters
 * of the set that the features do not hold yet (a backfill is due) are skipped: the backfill
 * replays the stored history, this event included.
 */
export function applyEvent(f: AudienceFeatures, e: AudienceEvent, spec: CounterSpec): boolean {
  const counters = spec.byType[e.type];
  if (counters === undefined || counters.length === 0) return false;
  let moved = false;
  let day = -1;
  for (let i = 0; i < counters.length; i++) {
    const k = counters[i];
    if (!k.test(e)) continue;
    const a = f.c[k.id];
    if (a === undefined) continue;
    if (day < 0) day = chinaDay(e.timestamp);
    addDay(a, day, 1);
    moved = true;
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
  const missing = spec.ids.filter((id) => f.c[id] === undefined);
  const extra = Object.keys(f.c).filter((id) => !spec.byId.has(id));
  return missing.length || extra.length ? { current: false, missing, extra } : { current: true };
}

/**
 * The features fitted to a counter set: extra counters pruned, missing ones counted from
 * `events` (the customer's whole stored history, merged customers' included). Without events
 * it throws when a counter is missing. Counters already held are kept as they are.
 */
export function refitFeatures(f: AudienceFeatures, spec: CounterSpec, events?: Iterable<AudienceEvent>): AudienceFeatures {
  const c: Record<string, number[]> = {};
  const missing: { id: string; test: (e: AudienceEvent) => boolean; a: number[] }[] = [];
  for (const def of spec.counters) {
    const held = f.c[def.id];
    if (held) c[def.id] = held.slice();
    else missing.push({ id: def.id, test: compileMatch(def.match), a: (c[def.id] = [0]) });
  }
  if (missing.length) {
    if (!events) throw new Error(`refitFeatures: counters ${missing.map((m) => m.id).join(', ')} need the history`);
    for (const e of unique(events)) {
      for (const m of missing) if (m.test(e)) addDay(m.a, chinaDay(e.timestamp), 1);
    }
  }
  return { v: 1, sig: spec.sig, c };
}

function mergeCounter(into: number[], from: number[]): void {
  into[0] += from[0];
  const total = into[0];
  for (let i = 1; i < from.length; i += 2) {
    addDay(into, from[i], from[i + 1]);
    into[0] = total;
  }
}

/**
 * The features of merged customers as one. Counters held by only some of them lack the
 * others' events, so they are left out (`featuresStatus` then asks for a backfill).
 */
export function mergeFeatures(list: readonly AudienceFeatures[]): AudienceFeatures {
  if (!list.length) throw new Error('mergeFeatures: nothing to merge');
  const out = cloneFeatures(list[0]);
  for (const f of list.slice(1)) {
    if (f.sig !== out.sig) out.sig = '';
    for (const id of Object.keys(out.c)) {
      const other = f.c[id];
      if (other) mergeCounter(out.c[id], other);
      else delete out.c[id];
    }
  }
  return out;
}

/** Events counted on the days of `range` (every event ever when `null`). */
export function countIn(a: readonly number[], range: DayRange | null): number {
  if (range === null) return a[0];
  const { from, to } = range;
  let sum = 0;
  for (let i = a.length - 2; i >= 1; i -= 2) {
    const d = a[i];
    if (d > to) continue;
    if (d < from) break;
    sum += a[i + 1];
  }
  return sum;
}

import type { Doc } from './ejson';
import { indexKey } from './hash-index';

/**
 * The first two keys of a compound index (`storeId, updatedAt, ...`): per value of the first
 * field, the documents ordered by the second, so "this store's customers written since t" or
 * "this store's customers after id x" read only what is in range, as CloudBase's index serves
 * them, instead of testing every customer of the store.
 *
 * It gives candidates, a superset the query's own conditions are still tested on: values of
 * the second field that are not a string or number (missing, null, arrays, dates...) and
 * documents whose first field is not a plain value are always included. Top-level fields only.
 *
 * Each bucket keeps its id -> value map, and a sorted list built on the first range read and
 * kept sorted by each later write (a binary search and a splice); a bulk load before any read
 * only fills the map.
 */
interface Entry {
  /** 0: number, 1: string. */
  rank: 0 | 1;
  v: number | string;
  id: string;
}

interface Bucket {
  values: Map<string, Entry>;
  /** Ids whose second field is not a string or number. */
  others: Set<string>;
  sorted?: Entry[];
}

export interface RangeBounds {
  gt?: number | string;
  gte?: number | string;
  lt?: number | string;
  lte?: number | string;
}

function entryOf(id: string, v: unknown): Entry | undefined {
  if (typeof v === 'number' && !Number.isNaN(v)) return { rank: 0, v, id };
  if (typeof v === 'string') return { rank: 1, v, id };
  return undefined;
}

function cmp(a: Entry, b: Entry): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.v < b.v) return -1;
  if (a.v > b.v) return 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** First position whose entry is not before `probe` (by `before`). */
function lowerBound(list: readonly Entry[], before: (e: Entry) => boolean): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(list[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class RangeIndex {
  private readonly buckets = new Map<string, Bucket>();
  /** Documents whose first field is not a plain value (an array, an object...). */
  private readonly loose = new Set<string>();

  constructor(
    readonly name: string,
    readonly eqField: string,
    readonly rangeField: string,
  ) {}

  add(id: string, doc: Doc): void {
    const key = indexKey(doc[this.eqField]);
    if (key === undefined && doc[this.eqField] !== undefined && doc[this.eqField] !== null) {
      this.loose.add(id);
      return;
    }
    const k = key ?? 'missing';
    let b = this.buckets.get(k);
    if (!b) this.buckets.set(k, (b = { values: new Map(), others: new Set() }));
    const e = entryOf(id, doc[this.rangeField]);
    if (!e) {
      b.others.add(id);
      return;
    }
    b.values.set(id, e);
    if (b.sorted) b.sorted.splice(lowerBound(b.sorted, (x) => cmp(x, e) < 0), 0, e);
  }

  remove(id: string, doc: Doc): void {
    if (this.loose.delete(id)) return;
    const b = this.buckets.get(indexKey(doc[this.eqField]) ?? 'missing');
    if (!b) return;
    if (b.others.delete(id)) return;
    const e = b.values.get(id);
    if (!e) return;
    b.values.delete(id);
    if (b.sorted) {
      const at = lowerBound(b.sorted, (x) => cmp(x, e) < 0);
      if (b.sorted[at] === e) b.sorted.splice(at, 1);
      else b.sorted = undefined;
    }
  }

  /**
   * Candidates for `eqField == eq` and the second field within `bounds` (all of one type,
   * string or number); undefined when `eq` is not a plain value.
   */
  lookup(eq: unknown, bounds: RangeBounds): Set<string> | undefined {
    const key = indexKey(eq);
    if (key === undefined) return undefined;
    const out = new Set<string>(this.loose);
    const b = this.buckets.get(key);
    if (!b) return out;
    for (const id of b.others) out.add(id);
    const sorted = (b.sorted ??= Array.from(b.values.values()).sort(cmp));
    const first = [bounds.gt, bounds.gte, bounds.lt, bounds.lte].find((x) => x !== undefined);
    const rank = typeof first === 'number' ? 0 : 1;
    let from = lowerBound(sorted, (e) => e.rank < rank);
    let to = lowerBound(sorted, (e) => e.rank <= rank);
    if (bounds.gt !== undefined) from = Math.max(from, lowerBound(sorted, (e) => e.rank < rank || (e.rank === rank && e.v <= (bounds.gt as number | string))));
    if (bounds.gte !== undefined) from = Math.max(from, lowerBound(sorted, (e) => e.rank < rank || (e.rank === rank && e.v < (bounds.gte as number | string))));
    if (bounds.lt !== undefined) to = Math.min(to, lowerBound(sorted, (e) => e.rank < rank || (e.rank === rank && e.v < (bounds.lt as number | string))));
    if (bounds.lte !== undefined) to = Math.min(to, lowerBound(sorted, (e) => e.rank < rank || (e.rank === rank && e.v <= (bounds.lte as number | string))));
    for (let i = from; i < to; i++) out.add(sorted[i].id);
    return out;
  }
}

/** The range bounds of a condition `{ $gt/$gte/$lt/$lte: x }` (x all strings or all numbers), or undefined. */
export function rangeBoundsOf(condition: unknown): RangeBounds | undefined {
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition) || condition instanceof Date || condition instanceof RegExp) return undefined;
  const entries = Object.entries(condition);
  if (!entries.length) return undefined;
  const out: RangeBounds = {};
  let type: string | undefined;
  for (const [op, x] of entries) {
    if (op !== '$gt' && op !== '$gte' && op !== '$lt' && op !== '$lte') return undefined;
    if (!(typeof x === 'string' || (typeof x === 'number' && !Number.isNaN(x)))) return undefined;
    if (type !== undefined && typeof x !== type) return undefined;
    type = typeof x;
    out[op.slice(1) as keyof RangeBounds] = x;
  }
  return out;
}

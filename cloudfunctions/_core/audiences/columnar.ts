/**
 * The columnar index of many customers that audiences are counted on: one row per customer,
 * built once from their stored features and profiles, then kept current row by row
 * (`upsert`, `remove`) as customers change.
 *
 * - Profile columns: stage, grade, score, store and consents as typed arrays. Tags and
 *   vehicles stay in the profiles: hashing ~20 tags per customer into per-tag sets would cost
 *   more than the whole build, so a tag or vehicle leaf is one pass of its own test over the
 *   rows the first time it is used.
 * - Counters: every row's flat features (`total, n, entries` per counter) packed back to
 *   back in one `Int32Array`, found by row offset. One copy per row builds it (a
 *   million rows in tens of milliseconds); a scan for one counter skips to its segment in
 *   each row. Rows changed since are read from their features until `compact` packs again.
 * - Leaf sets: the bitset of every rule leaf evaluated so far, keyed by the leaf and the days
 *   its window covers. Kept current on every upsert (one test per cached leaf), recomputed
 *   from the columns when the window moves to other days (once a day for `last N days`);
 *   a tag leaf keeps a queue of the tag expiries that can change it and re-tests those rows
 *   when their time comes. Audiences are then and/or/not over these sets.
 *
 * Pure and in memory: no I/O, time passed in.
 */
import type { ConsentPurpose } from '../../../types/audience';
import { Bitset } from './bitset';
import { GRADE_CODES, MissingCounterError, type CompiledLeaf, type Time } from './compile';
import type { CounterSpec } from './counters';
import { featuresStatus, type AudienceFeatures } from './features';
import { hash36 } from './match';
import type { AudienceProfile } from './profile';

export interface IndexInput {
  ids: readonly string[];
  features: readonly AudienceFeatures[];
  profiles: readonly AudienceProfile[];
}

/** A min-heap of (time, row): when a row's leaf value may change. */
class ExpiryQueue {
  private at = new Float64Array(64);
  private row = new Int32Array(64);
  size = 0;

  push(at: number, row: number): void {
    if (this.size === this.at.length) {
      const at2 = new Float64Array(this.size * 2);
      at2.set(this.at);
      const row2 = new Int32Array(this.size * 2);
      row2.set(this.row);
      this.at = at2;
      this.row = row2;
    }
    let i = this.size++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (this.at[up] <= at) break;
      this.at[i] = this.at[up];
      this.row[i] = this.row[up];
      i = up;
    }
    this.at[i] = at;
    this.row[i] = row;
  }

  get next(): number {
    return this.size ? this.at[0] : Number.POSITIVE_INFINITY;
  }

  /** Removes the earliest and returns its row. */
  pop(): number {
    const top = this.row[0];
    const at = this.at[--this.size];
    const row = this.row[this.size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && this.at[c + 1] < this.at[c]) c++;
      if (this.at[c] >= at) break;
      this.at[i] = this.at[c];
      this.row[i] = this.row[c];
      i = c;
    }
    this.at[i] = at;
    this.row[i] = row;
    return top;
  }
}

interface CachedLeaf {
  leaf: CompiledLeaf;
  timeKey: string;
  /** The day a behaviour leaf's window was resolved for. */
  today: number;
  /** The time tags were judged at (leaves with expiries). */
  asOf: number;
  bits: Bitset;
  queue?: ExpiryQueue;
}

const CONSENTS: readonly ConsentPurpose[] = ['marketing', 'group_sharing'];
const GRADE_CODE = new Map(GRADE_CODES.map((g, i) => [g, i]));
/** Leaf sets kept; the least recently used is dropped first. */
const MAX_CACHED_LEAVES = 256;

/** Rows whose features hold a value an `Int32Array` cannot (a total past 2^31). */
const ESCAPED = 2;

/**
 * Every row's `d` back to back in one `Int32Array`. A row with a value that does not fit is
 * left to its features object (`dirty[row] = ESCAPED`). A plain copy loop: `TypedArray.set`
 * per row costs several times more for arrays this short.
 */
function pack(features: readonly AudienceFeatures[], n: number, dirty: Uint8Array): { packed: Int32Array; rowAt: Uint32Array } {
  let total = 0;
  for (let i = 0; i < n; i++) total += features[i].d.length;
  const packed = new Int32Array(total);
  const rowAt = new Uint32Array(n + 1);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const d = features[i].d;
    const start = pos;
    let ok = true;
    for (let k = 0; k < d.length; k++) {
      const v = d[k];
      if (v > 0x7fffffff) ok = false;
      packed[pos++] = v;
    }
    if (ok) dirty[i] = 0;
    else {
      pos = start;
      dirty[i] = ESCAPED;
    }
    rowAt[i + 1] = pos;
  }
  return { packed, rowAt };
}

function growArray<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(a: T, size: number, fill?: number): T {
  const out = new (a.constructor as new (n: number) => T)(size);
  out.set(a);
  if (fill !== undefined) out.fill(fill, a.length);
  return out;
}

export class AudienceIndex {
  readonly spec: CounterSpec;
  /** Rows in use, removed ones included. */
  rows = 0;
  capacity: number;
  ids: string[];
  features: AudienceFeatures[];
  profiles: AudienceProfile[];
  /** Rows that hold a customer (a removed or merged-away customer's row is cleared). */
  live: Bitset;
  stage: Uint8Array;
  grade: Uint8Array;
  /** NaN when not scored. */
  score: Float64Array;
  store: Int32Array;
  /** Owner code (`ownerCode`), 0 for the pool. */
  owner: Int32Array;
  consent: Uint8Array;
  /** Every packed row's features `d`; row `i < packedRows` starts at `rowAt[i]`. */
  packed: Int32Array = new Int32Array(0);
  rowAt: Uint32Array = new Uint32Array(1);
  packedRows = 0;
  /** Not 0 for packed rows to read from `features`: changed since (1), or not packable (`ESCAPED`). */
  dirty: Uint8Array;
  private dirtyRows = 0;
  private counterIndex = new Map<string, number>();
  private stores = new Map<string, number>();
  private owners = new Map<string | null, number>([[null, 0]]);
  private lastStore: string | undefined;
  private lastStoreCode = 0;
  private cache = new Map<string, CachedLeaf>();
  private scratches: Uint32Array[] = [];
  private rowById?: Map<string, number>;

  private constructor(spec: CounterSpec, capacity: number) {
    this.spec = spec;
    this.capacity = Math.max(32, (capacity + 31) & ~31);
    const cap = this.capacity;
    this.ids = [];
    this.features = [];
    this.profiles = [];
    this.live = new Bitset(cap);
    this.stage = new Uint8Array(cap);
    this.grade = new Uint8Array(cap);
    this.score = new Float64Array(cap).fill(Number.NaN);
    this.store = new Int32Array(cap);
    this.owner = new Int32Array(cap);
    this.consent = new Uint8Array(cap);
    this.dirty = new Uint8Array(cap);
    spec.ids.forEach((id, j) => this.counterIndex.set(id, j));
  }

  /**
   * The index of these customers (features fitted to `spec`). `capacity` leaves room for
   * customers added later without regrowing.
   */
  static build(spec: CounterSpec, input: IndexInput, opts: { capacity?: number } = {}): AudienceIndex {
    const n = input.ids.length;
    if (input.features.length !== n || input.profiles.length !== n) throw new Error('AudienceIndex.build: ids, features and profiles differ in length');
    const ix = new AudienceIndex(spec, Math.max(n, opts.capacity ?? 0));
    ix.ids = input.ids.slice();
    ix.features = input.features.slice();
    ix.profiles = input.profiles.slice();
    ix.rows = n;
    // At a million rows the build is bound by memory, not arithmetic: the profile pass reads
    // each customer's two small objects, `compact` copies their counters once.
    const sig = spec.sig;
    for (let i = 0; i < n; i++) {
      const f = ix.features[i];
      if (f.sig !== sig && !featuresStatus(f, spec).current) throw new Error(`AudienceIndex.build: features of ${ix.ids[i]} are not fitted to the counter set`);
      ix.setProfile(i, ix.profiles[i]);
    }
    ix.compact();
    for (let k = 0; k < (n + 31) >>> 5; k++) ix.live.words[k] = k < n >>> 5 ? 0xffffffff : (1 << (n & 31)) - 1;
    return ix;
  }

  /** Live customers. */
  get size(): number {
    return this.live.count();
  }

  /** The position of a counter of the set in every row's features. */
  counterAt(id: string): number {
    const j = this.counterIndex.get(id);
    if (j === undefined) throw new MissingCounterError(id);
    return j;
  }

  storeCode(storeId: string): number {
    let code = this.stores.get(storeId);
    if (code === undefined) this.stores.set(storeId, (code = this.stores.size));
    return code;
  }

  ownerCode(ownerId: string | null): number {
    let code = this.owners.get(ownerId);
    if (code === undefined) this.owners.set(ownerId, (code = this.owners.size));
    return code;
  }

  consentBit(p: ConsentPurpose): number {
    return 1 << CONSENTS.indexOf(p);
  }

  rowOf(id: string): number | undefined {
    if (!this.rowById) {
      this.rowById = new Map();
      for (let i = 0; i < this.rows; i++) this.rowById.set(this.ids[i], i);
    }
    return this.rowById.get(id);
  }

  /** Adds a customer or replaces their row (features fitted to the index's counter set). */
  upsert(id: string, features: AudienceFeatures, profile: AudienceProfile): number {
    if (features.sig !== this.spec.sig) throw new Error(`AudienceIndex.upsert: features of ${id} are not fitted to the counter set`);
    let row = this.rowOf(id);
    if (row === undefined) {
      row = this.rows++;
      if (row >= this.capacity) this.grow(Math.max(this.capacity * 2, 1024));
      this.ids[row] = id;
      this.rowById?.set(id, row);
    }
    this.live.add(row);
    this.features[row] = features;
    this.profiles[row] = profile;
    this.setProfile(row, profile);
    if (row < this.packedRows && this.dirty[row] === 0) {
      this.dirty[row] = 1;
      this.dirtyRows++;
    }
    this.refresh(row);
    if (this.dirtyRows > Math.max(4096, this.rows >>> 4)) this.compact();
    return row;
  }

  /** Takes a customer out (deleted, or merged into another). */
  remove(id: string): boolean {
    const row = this.rowOf(id);
    if (row === undefined || !this.live.has(row)) return false;
    this.live.delete(row);
    return true;
  }

  /** The set of a leaf at `t`, from the cache (brought up to `t`) or computed from the columns. */
  leafBits(leaf: CompiledLeaf, t: Time): Bitset {
    const timeKey = leaf.timeKey(t);
    const hit = this.cache.get(leaf.key);
    this.cache.delete(leaf.key);
    if (hit && hit.timeKey === timeKey && !(hit.queue && t.now < hit.asOf)) {
      if (hit.queue) this.advance(hit, t.now);
      this.cache.set(leaf.key, hit);
      return hit.bits;
    }
    const bits = leaf.compute(this, t);
    bits.grow(this.capacity);
    const entry: CachedLeaf = { leaf, timeKey, today: t.today, asOf: t.now, bits };
    if (leaf.expiries) {
      const queue = new ExpiryQueue();
      let row = 0;
      const add = (at: number) => queue.push(at, row);
      for (; row < this.rows; row++) leaf.expiries(this.profiles[row], t.now, add, bits.has(row));
      entry.queue = queue;
    }
    this.cache.set(leaf.key, entry);
    if (this.cache.size > MAX_CACHED_LEAVES) this.cache.delete(this.cache.keys().next().value as string);
    return bits;
  }

  /** A work array of the index's width, the same one for the same slot until the index grows. */
  scratch(slot: number): Uint32Array {
    const words = this.capacity >>> 5;
    let a = this.scratches[slot];
    if (!a || a.length !== words) this.scratches[slot] = a = new Uint32Array(words);
    return a;
  }

  /** Forgets every leaf set (they are recomputed on next use). */
  dropLeafSets(): void {
    this.cache.clear();
  }

  /** Customer ids of the rows in `bits`. */
  members(bits: Bitset): string[] {
    const out: string[] = [];
    bits.forEach((i) => void out.push(this.ids[i]));
    return out;
  }

  /** Up to `k` members picked at random (the same for the same seed), in row order. */
  sample(bits: Bitset, k: number, seed: number): string[] {
    const total = bits.count();
    if (total <= k) return this.members(bits);
    // Floyd's algorithm: k distinct ranks among `total`.
    let s = seed >>> 0 || 1;
    const rand = (n: number) => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>> 0) % n;
    };
    const ranks = new Set<number>();
    for (let j = total - k; j < total; j++) {
      const r = rand(j + 1);
      ranks.add(ranks.has(r) ? j : r);
    }
    const out: string[] = [];
    let rank = 0;
    bits.forEach((i) => {
      if (ranks.has(rank++)) out.push(this.ids[i]);
      return out.length < k;
    });
    return out;
  }

  /** A short fingerprint of a member set, to compare two evaluations cheaply. */
  static fingerprint(bits: Bitset): string {
    let text = '';
    bits.forEach((i) => void (text += `${i},`));
    return hash36(text);
  }

  /** Packs every row's features again (the build does it; upserts call it when many rows changed). */
  compact(): void {
    const { packed, rowAt } = pack(this.features, this.rows, this.dirty);
    this.packed = packed;
    this.rowAt = rowAt;
    this.packedRows = this.rows;
    this.dirtyRows = 0;
  }

  private grow(capacity: number): void {
    const cap = (capacity + 31) & ~31;
    this.capacity = cap;
    this.stage = growArray(this.stage, cap);
    this.grade = growArray(this.grade, cap);
    this.score = growArray(this.score, cap, Number.NaN);
    this.store = growArray(this.store, cap);
    this.owner = growArray(this.owner, cap);
    this.consent = growArray(this.consent, cap);
    this.dirty = growArray(this.dirty, cap);
    this.live.grow(cap);
    for (const e of this.cache.values()) e.bits.grow(cap);
  }

  private setProfile(row: number, p: AudienceProfile): void {
    this.stage[row] = p.stage === 'lead' ? 0 : p.stage === 'prospect' ? 1 : 2;
    this.grade[row] = p.grade === undefined ? 0 : (GRADE_CODE.get(p.grade) ?? 0);
    this.score[row] = p.score ?? Number.NaN;
    // Customers of one store come in runs: the last store's code is usually the answer.
    if (p.storeId !== this.lastStore) {
      this.lastStore = p.storeId;
      this.lastStoreCode = this.storeCode(p.storeId);
    }
    this.store[row] = this.lastStoreCode;
    this.owner[row] = p.ownerId === undefined ? 0 : this.ownerCode(p.ownerId);
    let consent = 0;
    for (let i = 0; i < p.consents.length; i++) consent |= this.consentBit(p.consents[i]);
    this.consent[row] = consent;
  }

  /** Re-tests the rows whose tags expired by `now`. */
  private advance(e: CachedLeaf, now: number): void {
    const queue = e.queue as ExpiryQueue;
    e.asOf = now;
    if (queue.next > now) return;
    const t: Time = { now, today: e.today };
    while (queue.next <= now) {
      const row = queue.pop();
      e.bits.put(row, e.leaf.test(this.features[row], this.profiles[row], t));
    }
  }

  /** Re-tests a changed row against every cached leaf set. */
  private refresh(row: number): void {
    if (!this.cache.size) return;
    const f = this.features[row];
    const p = this.profiles[row];
    for (const e of this.cache.values()) {
      const holds = e.leaf.test(f, p, { now: e.asOf, today: e.today });
      e.bits.put(row, holds);
      if (e.queue) {
        const queue = e.queue;
        e.leaf.expiries?.(p, e.asOf, (at) => queue.push(at, row), holds);
      }
    }
  }
}

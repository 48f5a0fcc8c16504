/**
 * The columnar index of many customers that audiences are counted on: one row per customer,
 * built once from their stored features and profiles, then kept current row by row
 * (`upsert`, `remove`) as customers change.
 *
 * - Profile columns: stage, grade, score, store and consents as typed arrays; tags (leaf ids,
 *   active at the index's time) and vehicles (interest, owned) as one bitset per value.
 * - Counter columns, one per counter of the set: the all-time totals, and the day counts in
 *   compressed rows (offsets / days / counts). Rows changed since the build are read from
 *   their features object until `compact` folds them back in.
 * - Leaf sets: the bitset of every rule leaf evaluated so far, keyed by the leaf and the days
 *   its window covers. Kept current on every upsert (one test per cached leaf) and recomputed
 *   from the columns when the window moves to other days (once a day for `last N days`).
 *   Audiences are then and/or/not over these sets.
 *
 * Pure and in memory: no I/O, time passed in.
 */
import type { ConsentPurpose } from '../../../types/audience';
import { Bitset } from './bitset';
import { GRADE_CODES, MissingCounterError, STAGES, type CompiledLeaf, type Time } from './compile';
import { featuresStatus, type AudienceFeatures } from './features';
import { tagActive, type AudienceProfile, type ProfileTag } from './profile';
import type { CounterSpec } from './counters';
import { hash36 } from './match';

export interface CounterColumn {
  /** All-time total per row. */
  totals: Uint32Array;
  /** Rows `< csrRows` have their days at `offsets[row]..offsets[row + 1]`, ascending. */
  offsets: Uint32Array;
  days: Int32Array;
  counts: Uint32Array;
  csrRows: number;
}

export interface IndexInput {
  ids: readonly string[];
  features: readonly AudienceFeatures[];
  profiles: readonly AudienceProfile[];
}

interface CachedLeaf {
  leaf: CompiledLeaf;
  timeKey: string;
  /** The day the set was computed for (what a behaviour leaf's window depends on). */
  today: number;
  bits: Bitset;
}

const CONSENTS: readonly ConsentPurpose[] = ['marketing', 'group_sharing'];
const GRADE_CODE = new Map(GRADE_CODES.map((g, i) => [g, i]));
const STAGE_CODE = new Map(STAGES.map((s, i) => [s, i]));
/** Leaf sets kept; the oldest used is dropped first. */
const MAX_CACHED_LEAVES = 256;

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
  consent: Uint8Array;
  /** Leaf tag id -> rows carrying it, active at `asOf`. */
  tagBits = new Map<string, Bitset>();
  /** Per row: the earliest expiry after `asOf` of its tags (Infinity: none). */
  tagNext: Float64Array;
  /** The time tags are active at. */
  asOf: number;
  private nextExpiry = Number.POSITIVE_INFINITY;
  private interest = new Map<string, Bitset>();
  private owned = new Map<string, Bitset>();
  private stores = new Map<string, number>();
  private counters = new Map<string, CounterColumn>();
  /** 1 for rows whose counters changed since they were compressed. */
  dirty: Uint8Array;
  private dirtyRows = 0;
  private cache = new Map<string, CachedLeaf>();
  private rowById?: Map<string, number>;

  private constructor(spec: CounterSpec, capacity: number, now: number) {
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
    this.consent = new Uint8Array(cap);
    this.tagNext = new Float64Array(cap).fill(Number.POSITIVE_INFINITY);
    this.dirty = new Uint8Array(cap);
    this.asOf = now;
    for (const id of spec.ids) {
      this.counters.set(id, { totals: new Uint32Array(cap), offsets: new Uint32Array(1), days: new Int32Array(0), counts: new Uint32Array(0), csrRows: 0 });
    }
  }

  /**
   * The index of these customers (features fitted to `spec`) with tags active at `now`.
   * `capacity` leaves room for customers added later without regrowing.
   */
  static build(spec: CounterSpec, input: IndexInput, now: number, opts: { capacity?: number } = {}): AudienceIndex {
    const n = input.ids.length;
    if (input.features.length !== n || input.profiles.length !== n) throw new Error('AudienceIndex.build: ids, features and profiles differ in length');
    const ix = new AudienceIndex(spec, Math.max(n, opts.capacity ?? 0), now);
    ix.ids = input.ids.slice();
    ix.features = input.features.slice();
    ix.profiles = input.profiles.slice();
    ix.rows = n;
    for (let i = 0; i < n; i++) {
      const f = ix.features[i];
      if (f.sig !== spec.sig && !featuresStatus(f, spec).current) throw new Error(`AudienceIndex.build: features of ${ix.ids[i]} are not fitted to the counter set`);
      ix.setProfile(i, undefined, ix.profiles[i]);
    }
    for (let k = 0; k < (n + 31) >>> 5; k++) ix.live.words[k] = k < n >>> 5 ? 0xffffffff : (1 << (n & 31)) - 1;
    ix.compact();
    return ix;
  }

  /** Live customers. */
  get size(): number {
    return this.live.count();
  }

  /** The counter column of a counter of the set. */
  counter(id: string): CounterColumn {
    const col = this.counters.get(id);
    if (!col) throw new MissingCounterError(id);
    return col;
  }

  storeCode(storeId: string): number {
    let code = this.stores.get(storeId);
    if (code === undefined) this.stores.set(storeId, (code = this.stores.size));
    return code;
  }

  consentBit(p: ConsentPurpose): number {
    return 1 << CONSENTS.indexOf(p);
  }

  vehicleBits(relation: 'interest' | 'owned'): ReadonlyMap<string, Bitset> {
    return relation === 'interest' ? this.interest : this.owned;
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
    if (features.sig !== this.spec.sig && !featuresStatus(features, this.spec).current) throw new Error(`AudienceIndex.upsert: features of ${id} are not fitted to the counter set`);
    let row = this.rowOf(id);
    let before: AudienceProfile | undefined;
    if (row === undefined) {
      row = this.rows++;
      if (row >= this.capacity) this.grow(Math.max(this.capacity * 2, 1024));
      this.ids[row] = id;
      this.rowById?.set(id, row);
      this.live.add(row);
    } else {
      before = this.profiles[row];
      this.live.add(row);
    }
    this.features[row] = features;
    this.profiles[row] = profile;
    this.setProfile(row, before, profile);
    for (const [cid, col] of this.counters) col.totals[row] = features.c[cid][0];
    if (row < this.csrRows && this.dirty[row] === 0) {
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

  /** Brings tags to time `t` (expired ones drop out). Evaluation calls it. */
  prepare(t: Time): void {
    const now = t.now;
    if (now < this.asOf) {
      // Going back in time (tests, what-if counts): tags are recomputed for every row.
      this.asOf = now;
      for (const b of this.tagBits.values()) b.words.fill(0);
      this.nextExpiry = Number.POSITIVE_INFINITY;
      for (let i = 0; i < this.rows; i++) this.setTags(i, undefined, this.profiles[i].tags);
      for (const [key, e] of this.cache) if (e.leaf.node.kind === 'tags') this.cache.delete(key);
      return;
    }
    this.asOf = now;
    if (now < this.nextExpiry) return;
    this.nextExpiry = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.rows; i++) {
      if (this.tagNext[i] <= now) {
        const tags = this.profiles[i].tags;
        this.setTags(i, tags, tags);
        this.refresh(i);
      } else if (this.tagNext[i] < this.nextExpiry) this.nextExpiry = this.tagNext[i];
    }
  }

  /** The set of a leaf at `t`, from the cache or computed from the columns. */
  leafBits(leaf: CompiledLeaf, t: Time): Bitset {
    const timeKey = leaf.timeKey(t);
    const hit = this.cache.get(leaf.key);
    if (hit && hit.timeKey === timeKey) {
      // Most recently used last.
      this.cache.delete(leaf.key);
      this.cache.set(leaf.key, hit);
      return hit.bits;
    }
    const bits = leaf.compute(this, t);
    bits.grow(this.capacity);
    this.cache.delete(leaf.key);
    this.cache.set(leaf.key, { leaf, timeKey, today: t.today, bits });
    if (this.cache.size > MAX_CACHED_LEAVES) this.cache.delete(this.cache.keys().next().value as string);
    return bits;
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

  private get csrRows(): number {
    return this.counters.values().next().value?.csrRows ?? this.rows;
  }

  /** Folds every row's counters into the compressed columns. */
  compact(): void {
    const n = this.rows;
    const cols = this.spec.ids.map((id) => ({ id, col: this.counters.get(id) as CounterColumn }));
    let estimate = 64;
    for (const { col } of cols) {
      col.offsets = new Uint32Array(n + 1);
      if (col.days.length < estimate) {
        col.days = new Int32Array(estimate);
        col.counts = new Uint32Array(estimate);
      }
    }
    const pos = new Array<number>(cols.length).fill(0);
    for (let i = 0; i < n; i++) {
      const c = this.features[i].c;
      for (let k = 0; k < cols.length; k++) {
        const { id, col } = cols[k];
        const a = c[id];
        col.totals[i] = a[0];
        let p = pos[k];
        const need = p + ((a.length - 1) >>> 1);
        if (need > col.days.length) {
          estimate = Math.max(need, Math.ceil(col.days.length * 1.6));
          col.days = growArray(col.days, estimate);
          col.counts = growArray(col.counts, estimate);
        }
        const days = col.days;
        const counts = col.counts;
        for (let j = 1; j < a.length; j += 2) {
          days[p] = a[j];
          counts[p++] = a[j + 1];
        }
        pos[k] = p;
        col.offsets[i + 1] = p;
      }
    }
    for (const { col } of cols) col.csrRows = n;
    this.dirty.fill(0);
    this.dirtyRows = 0;
  }

  private grow(capacity: number): void {
    const cap = (capacity + 31) & ~31;
    this.capacity = cap;
    this.stage = growArray(this.stage, cap);
    this.grade = growArray(this.grade, cap);
    this.score = growArray(this.score, cap, Number.NaN);
    this.store = growArray(this.store, cap);
    this.consent = growArray(this.consent, cap);
    this.tagNext = growArray(this.tagNext, cap, Number.POSITIVE_INFINITY);
    this.dirty = growArray(this.dirty, cap);
    for (const col of this.counters.values()) col.totals = growArray(col.totals, cap);
    this.live.grow(cap);
    for (const b of this.tagBits.values()) b.grow(cap);
    for (const b of this.interest.values()) b.grow(cap);
    for (const b of this.owned.values()) b.grow(cap);
    for (const e of this.cache.values()) e.bits.grow(cap);
  }

  private bitsIn(map: Map<string, Bitset>, key: string): Bitset {
    let b = map.get(key);
    if (!b) map.set(key, (b = new Bitset(this.capacity)));
    return b;
  }

  private setTags(row: number, before: readonly ProfileTag[] | undefined, tags: readonly ProfileTag[]): void {
    if (before) for (const t of before) this.tagBits.get(t.id)?.delete(row);
    let next = Number.POSITIVE_INFINITY;
    const now = this.asOf;
    for (const t of tags) {
      if (!tagActive(t, now)) continue;
      this.bitsIn(this.tagBits, t.id).add(row);
      if (t.expiresAt !== undefined && t.expiresAt < next) next = t.expiresAt;
    }
    this.tagNext[row] = next;
    if (next < this.nextExpiry) this.nextExpiry = next;
  }

  private setProfile(row: number, before: AudienceProfile | undefined, p: AudienceProfile): void {
    this.stage[row] = STAGE_CODE.get(p.stage) ?? 0;
    this.grade[row] = GRADE_CODE.get(p.grade ?? 'none') ?? 0;
    this.score[row] = p.score ?? Number.NaN;
    this.store[row] = this.storeCode(p.storeId);
    let consent = 0;
    for (const c of p.consents) consent |= this.consentBit(c);
    this.consent[row] = consent;
    this.setTags(row, before?.tags, p.tags);
    if (before) {
      for (const m of before.interest) this.interest.get(m)?.delete(row);
      for (const m of before.owned) this.owned.get(m)?.delete(row);
    }
    for (const m of p.interest) this.bitsIn(this.interest, m).add(row);
    for (const m of p.owned) this.bitsIn(this.owned, m).add(row);
  }

  /** Re-tests a changed row against every cached leaf set. */
  private refresh(row: number): void {
    if (!this.cache.size) return;
    const f = this.features[row];
    const p = this.profiles[row];
    for (const e of this.cache.values()) e.bits.put(row, e.leaf.test(f, p, { now: this.asOf, today: e.today }));
  }
}

/**
 * A rule compiled once into leaves and a tree, evaluated two ways with one meaning:
 * - for one customer (`matches`, `nextChange`) from their features and profile, on every
 *   event and every write that changes an input;
 * - for every customer of a columnar `AudienceIndex` (`evaluate`), as bitsets: each leaf's
 *   set is computed from the columns once and kept in the index (updated as customers
 *   change, recomputed when its window moves to other days), then the tree is and/or/not
 *   over whole words.
 * Nothing here knows any particular audience: a leaf is compiled from its kind alone.
 */
import type { AudienceLeaf, AudienceNode, AudienceRule, CountTest, ModelSelector, TimeWindow } from '../../../types/audience';
import type { IntentGrade, LifecycleStage } from '../../../types/model';
import { chinaDay } from '../events/day-buckets';
import { Bitset, popcount32 } from './bitset';
import type { AudienceIndex } from './columnar';
import { counterDefOf } from './counters';
import { countAt, entryBounds, entryDay, segmentAt, type AudienceFeatures } from './features';
import { canonicalMatch, modelIdsOf, stableJson } from './match';
import { leavesOf, tagActive, type AudienceProfile } from './profile';
import { dayStartMs, windowNextChange, windowRange, type DayRange } from './window';

export interface Time {
  now: number;
  /** `chinaDay(now)`. */
  today: number;
}

let lastTime: Time = { now: Number.NaN, today: Number.NaN };

/** The time context of `now` (the last one is reused: every audience of one event asks for the same). */
export function timeOf(now: number): Time {
  if (now !== lastTime.now) lastTime = { now, today: chinaDay(now) };
  return lastTime;
}

export const STAGES: readonly LifecycleStage[] = ['lead', 'prospect', 'owner'];
/** Grade codes in the index: 0 = no grade. */
export const GRADE_CODES: readonly (IntentGrade | 'none')[] = ['none', 'H', 'A', 'B', 'C'];

export interface CompiledLeaf {
  /** The same for equal leaves of any rule: the index keeps one set per key. */
  key: string;
  node: AudienceLeaf;
  counterId?: string;
  /** What the leaf's value depends on in time, for every customer at once (cache key). */
  timeKey(t: Time): string;
  test(f: AudienceFeatures, p: AudienceProfile, t: Time): boolean;
  /** Epoch ms after `t.now` when the value may change with no new input; undefined: never. */
  nextChange(f: AudienceFeatures, p: AudienceProfile, t: Time): number | undefined;
  /** The set of index rows the leaf holds for (rows past the live ones may be set). */
  compute(ix: AudienceIndex, t: Time): Bitset;
  /** Times after `after` when the leaf's value (`holds`) for this profile may change (tag expiries). */
  expiries?(p: AudienceProfile, after: number, add: (at: number) => void, holds: boolean): void;
}

export class MissingCounterError extends Error {
  constructor(readonly counterId: string) {
    super(`features lack counter ${counterId}: refit them to the store's counter set first`);
  }
}

export function countTest(c: CountTest): (n: number) => boolean {
  switch (c.op) {
    case 'gte': {
      const v = c.value;
      return (n) => n >= v;
    }
    case 'lte': {
      const v = c.value;
      return (n) => n <= v;
    }
    case 'eq': {
      const v = c.value;
      return (n) => n === v;
    }
    case 'between': {
      const lo = c.min;
      const hi = c.max;
      return (n) => n >= lo && n <= hi;
    }
  }
}

/** Rows of a fixed-width column that pass a test, as a bitset. */
function scanColumn(ix: AudienceIndex, pass: (row: number) => boolean): Bitset {
  const n = ix.rows;
  const out = new Bitset(ix.capacity);
  const w = out.words;
  for (let base = 0, k = 0; base < n; base += 32, k++) {
    const end = Math.min(32, n - base);
    let word = 0;
    for (let b = 0; b < end; b++) if (pass(base + b)) word |= 1 << b;
    w[k] = word;
  }
  return out;
}

/** Rows whose features and profile pass a test (the per-customer test over every row). */
function scanRows(ix: AudienceIndex, pass: (f: AudienceFeatures, p: AudienceProfile) => boolean): Bitset {
  const features = ix.features;
  const profiles = ix.profiles;
  return scanColumn(ix, (i) => pass(features[i], profiles[i]));
}

const noChange = (): undefined => undefined;
const always = (): string => '';

function behaviourLeaf(node: Extract<AudienceLeaf, { kind: 'behaviour' }>): CompiledLeaf {
  const def = counterDefOf(node.event);
  const id = def.id;
  const pass = countTest(node.count);
  const w: TimeWindow = node.window;
  const key = stableJson({ kind: 'behaviour', counter: id, count: node.count, window: w });
  let memoDay = Number.NaN;
  let memoRange: DayRange | null = null;
  const rangeOf = (today: number): DayRange | null => {
    if (today !== memoDay) {
      memoRange = windowRange(w, today);
      memoDay = today;
    }
    return memoRange;
  };
  // Where the counter sits in a customer's features: the same for every features object
  // that shares its id list (all of one counter set, once read), so remembered.
  let memoIds: readonly string[] | undefined;
  let memoIndex = -1;
  const segmentOf = (f: AudienceFeatures): number => {
    if (f.ids !== memoIds) {
      memoIndex = f.ids.indexOf(id);
      memoIds = f.ids;
    }
    if (memoIndex < 0) throw new MissingCounterError(id);
    return segmentAt(f.d, memoIndex);
  };
  return {
    key,
    node: { ...node, event: canonicalMatch(node.event) },
    counterId: id,
    timeKey: (t) => {
      const r = rangeOf(t.today);
      return r ? `${r.from}:${r.to}` : 'ever';
    },
    test: (f, _p, t) => pass(countAt(f.d, segmentOf(f), rangeOf(t.today))),
    nextChange: (f, _p, t) => {
      const pos = segmentOf(f);
      const day = windowNextChange(w, t.today, f.d, pos + 2, pos + 2 + f.d[pos + 1], 1, entryDay);
      return day === undefined ? undefined : dayStartMs(day);
    },
    compute: (ix, t) => {
      const j = ix.counterAt(id);
      const range = rangeOf(t.today);
      const { packed, rowAt, packedRows, dirty, features } = ix;
      const { lo, hi } = range ? entryBounds(range) : { lo: 0, hi: 0 };
      return scanColumn(ix, (i) => {
        if (i >= packedRows || dirty[i] !== 0) return pass(countAt(features[i].d, segmentOf(features[i]), range));
        let pos = rowAt[i];
        for (let s = 0; s < j; s++) pos += 2 + packed[pos + 1];
        if (range === null) return pass(packed[pos]);
        let sum = 0;
        for (let x = pos + 1 + packed[pos + 1]; x > pos + 1; x--) {
          const e = packed[x];
          if (e > hi) continue;
          if (e < lo) break;
          sum += e & 0xffff;
        }
        return pass(sum);
      });
    },
  };
}

function tagsLeaf(node: Extract<AudienceLeaf, { kind: 'tags' }>): CompiledLeaf {
  const groups = node.ids.map((id) => new Set(leavesOf(id)));
  const cover = new Set(groups.flatMap((g) => [...g]));
  // A customer carries ~20 tags: a few wanted leaves are found faster by comparing ids than by hashing each tag.
  const few = [...cover].length <= 4 ? [...cover] : undefined;
  const carriesLeaf = (p: AudienceProfile, now: number, leaf: string): boolean => {
    const tags = p.tags;
    for (let i = 0; i < tags.length; i++) if (tags[i].id === leaf && tagActive(tags[i], now)) return true;
    return false;
  };
  const carries = (p: AudienceProfile, now: number): boolean => {
    if (few) {
      for (let j = 0; j < few.length; j++) if (carriesLeaf(p, now, few[j])) return true;
      return false;
    }
    const tags = p.tags;
    for (let i = 0; i < tags.length; i++) if (cover.has(tags[i].id) && tagActive(tags[i], now)) return true;
    return false;
  };
  // For `all`: the groups each leaf satisfies, as bits, so one pass over the tags decides.
  const groupsOf = new Map<string, number>();
  groups.forEach((g, i) => g.forEach((id) => groupsOf.set(id, (groupsOf.get(id) ?? 0) | (1 << i))));
  const full = groups.length >= 31 ? -1 : (1 << groups.length) - 1;
  const singles = groups.every((g) => g.size === 1) && groups.length <= 4 ? groups.map((g) => [...g][0]) : undefined;
  let test: CompiledLeaf['test'];
  if (node.match === 'any') test = (_f, p, t) => carries(p, t.now);
  else if (node.match === 'none') test = (_f, p, t) => !carries(p, t.now);
  else if (singles) {
    test = (_f, p, t) => {
      for (let j = 0; j < singles.length; j++) if (!carriesLeaf(p, t.now, singles[j])) return false;
      return true;
    };
  } else if (full === -1) test = (_f, p, t) => groups.every((g) => p.tags.some((x) => g.has(x.id) && tagActive(x, t.now)));
  else {
    test = (_f, p, t) => {
      const tags = p.tags;
      let seen = 0;
      for (let i = 0; i < tags.length; i++) {
        const bits = groupsOf.get(tags[i].id);
        if (bits !== undefined && tagActive(tags[i], t.now)) {
          seen |= bits;
          if (seen === full) return true;
        }
      }
      return false;
    };
  }
  return {
    key: stableJson(node),
    node,
    timeKey: always,
    test,
    nextChange: (_f, p, t) => {
      let next: number | undefined;
      for (const tag of p.tags) {
        const at = tag.expiresAt;
        if (at !== undefined && at > t.now && cover.has(tag.id) && (next === undefined || at < next)) next = at;
      }
      return next;
    },
    // Expiry only takes tags away: it can turn `any` / `all` from true to false and `none`
    // from false to true, so only rows on that side can change.
    expiries: (p, after, add, holds) => {
      if (holds === (node.match === 'none')) return;
      const tags = p.tags;
      for (let i = 0; i < tags.length; i++) {
        const at = tags[i].expiresAt;
        if (at !== undefined && at > after && cover.has(tags[i].id)) add(at);
      }
    },
    // Tags are not hashed into per-tag sets at build time (a million customers carry ~20 each):
    // the leaf's own test runs over the rows once, and the index keeps the result current.
    compute: (ix, t) => scanRows(ix, (f, p) => test(f, p, t)),
  };
}

function vehicleLeaf(node: Extract<AudienceLeaf, { kind: 'vehicle' }>): CompiledLeaf {
  const models = modelIdsOf(node.model as ModelSelector);
  const listOf = (p: AudienceProfile) => (node.relation === 'interest' ? p.interest : p.owned);
  return {
    key: stableJson(node),
    node,
    timeKey: always,
    test: (_f, p) => listOf(p).some((m) => models.has(m)),
    nextChange: noChange,
    compute: (ix) => scanRows(ix, (_f, p) => listOf(p).some((m) => models.has(m))),
  };
}

function profileLeaf(node: AudienceLeaf): CompiledLeaf {
  const base = { key: stableJson(node), node, timeKey: always, nextChange: noChange };
  switch (node.kind) {
    case 'stage': {
      const want = new Set(node.in);
      let mask = 0;
      STAGES.forEach((s, i) => (mask |= want.has(s) ? 1 << i : 0));
      return { ...base, test: (_f, p) => want.has(p.stage), compute: (ix) => scanColumn(ix, (i) => ((mask >>> ix.stage[i]) & 1) === 1) };
    }
    case 'grade': {
      const want = new Set(node.in);
      let mask = 0;
      GRADE_CODES.forEach((g, i) => (mask |= want.has(g) ? 1 << i : 0));
      return { ...base, test: (_f, p) => want.has(p.grade ?? 'none'), compute: (ix) => scanColumn(ix, (i) => ((mask >>> ix.grade[i]) & 1) === 1) };
    }
    case 'store': {
      const want = new Set(node.in);
      return {
        ...base,
        test: (_f, p) => want.has(p.storeId),
        compute: (ix) => {
          const codes = new Set(node.in.map((s) => ix.storeCode(s)));
          return scanColumn(ix, (i) => codes.has(ix.store[i]));
        },
      };
    }
    case 'owner': {
      const want = new Set(node.in);
      return {
        ...base,
        test: (_f, p) => want.has(p.ownerId ?? null),
        compute: (ix) => {
          const codes = new Set(node.in.map((o) => ix.ownerCode(o)));
          return scanColumn(ix, (i) => codes.has(ix.owner[i]));
        },
      };
    }
    case 'consent': {
      const { purpose, granted } = node;
      return {
        ...base,
        test: (_f, p) => p.consents.includes(purpose) === granted,
        compute: (ix) => {
          const bit = ix.consentBit(purpose);
          return scanColumn(ix, (i) => ((ix.consent[i] & bit) !== 0) === granted);
        },
      };
    }
    case 'score': {
      const lo = node.min ?? Number.NEGATIVE_INFINITY;
      const hi = node.max ?? Number.POSITIVE_INFINITY;
      const inRange = (s: number | undefined) => s !== undefined && s >= lo && s <= hi;
      return {
        ...base,
        test: (_f, p) => inRange(p.score),
        compute: (ix) => {
          const score = ix.score;
          // NaN (not scored) fails both comparisons.
          return scanColumn(ix, (i) => score[i] >= lo && score[i] <= hi);
        },
      };
    }
    default:
      throw new Error(`not a profile leaf: ${node.kind}`);
  }
}

export function compileLeaf(node: AudienceLeaf): CompiledLeaf {
  switch (node.kind) {
    case 'behaviour':
      return behaviourLeaf(node);
    case 'tags':
      return tagsLeaf(node);
    case 'vehicle':
      return vehicleLeaf(node);
    default:
      return profileLeaf(node);
  }
}

type Tree = { k: 'and' | 'or'; of: Tree[] } | { k: 'not'; of: Tree } | { k: 'leaf'; leaf: CompiledLeaf };

/** Rough cost of testing one customer: and / or try cheap children first (same result, fewer sums). */
function costOf(t: Tree): number {
  if (t.k === 'not') return costOf(t.of);
  if (t.k !== 'leaf') return t.of.reduce((n, c) => n + costOf(c), 0);
  const n = t.leaf.node;
  if (n.kind === 'behaviour') {
    // Narrower matches count rarer events: shorter counters to sum, and more likely to decide.
    const e = n.event;
    const narrow = (e.types ? 1 : 0) + (e.sources ? 1 : 0) + (e.model ? 1 : 0) + (e.where?.length ?? 0);
    return n.window.kind === 'ever' ? 2 : 7 - Math.min(3, narrow);
  }
  return n.kind === 'tags' ? 3 : n.kind === 'vehicle' ? 2 : 1;
}

export interface CompiledAudience {
  rule: AudienceRule;
  /** Distinct leaves (equal leaves of the rule are compiled once). */
  leaves: readonly CompiledLeaf[];
  /** Ids of the counters the rule reads. */
  counterIds: readonly string[];
  /** Whether one customer is a member at `now`. Throws `MissingCounterError` on features not refitted. */
  matches(f: AudienceFeatures, p: AudienceProfile, now: number): boolean;
  /**
   * The first time after `now` when membership may change with no new event or profile
   * change (a window slides, a period ends, a tag expires); undefined when it cannot. A
   * timer re-evaluates customers whose time has come.
   */
  nextChange(f: AudienceFeatures, p: AudienceProfile, now: number): number | undefined;
  /** The members among the index's live rows at `now`, as a fresh bitset the caller owns. */
  evaluate(ix: AudienceIndex, now: number): Bitset;
  /** How many members the index holds at `now`. */
  count(ix: AudienceIndex, now: number): number;
}

function testTree(n: Tree, f: AudienceFeatures, p: AudienceProfile, t: Time): boolean {
  switch (n.k) {
    case 'leaf':
      return n.leaf.test(f, p, t);
    case 'not':
      return !testTree(n.of, f, p, t);
    case 'and':
      for (const c of n.of) if (!testTree(c, f, p, t)) return false;
      return true;
    case 'or':
      for (const c of n.of) if (testTree(c, f, p, t)) return true;
      return false;
  }
}

interface Part {
  w: Uint32Array;
  /** -1 to read the words inverted (a `not`), else 0. */
  flip: number;
}

/** How many of ~256 sampled words are non-zero: sparse parts go first in an and. */
function density(p: Part): number {
  const w = p.w;
  const step = Math.max(1, w.length >>> 8);
  let n = 0;
  for (let i = 0; i < w.length; i += step) if ((w[i] ^ p.flip) !== 0) n++;
  return n;
}

/** `out = a & b & c & d` over up to four parts (and `& out` when `withOut`), skipping the rest of a word once it is zero. */
function and4(out: Uint32Array, a: Part, b: Part | undefined, c: Part | undefined, d: Part | undefined, withOut: boolean): void {
  const wa = a.w;
  const fa = a.flip;
  // Absent parts are never read (their test fails first); `out` only keeps the arrays typed.
  const wb = b ? b.w : out;
  const fb = b ? b.flip : 0;
  const wc = c ? c.w : out;
  const fc = c ? c.flip : 0;
  const wd = d ? d.w : out;
  const fd = d ? d.flip : 0;
  for (let i = 0; i < out.length; i++) {
    let x = wa[i] ^ fa;
    if (withOut && x !== 0) x &= out[i];
    if (b && x !== 0) x &= wb[i] ^ fb;
    if (c && x !== 0) x &= wc[i] ^ fc;
    if (d && x !== 0) x &= wd[i] ^ fd;
    out[i] = x;
  }
}

/** `out = a | b | c | d` over up to four parts (and `| out` when `withOut`). */
function or4(out: Uint32Array, a: Part, b: Part | undefined, c: Part | undefined, d: Part | undefined, withOut: boolean): void {
  const wa = a.w;
  const fa = a.flip;
  const wb = b ? b.w : out;
  const fb = b ? b.flip : 0;
  const wc = c ? c.w : out;
  const fc = c ? c.flip : 0;
  const wd = d ? d.w : out;
  const fd = d ? d.flip : 0;
  for (let i = 0; i < out.length; i++) {
    let x = wa[i] ^ fa;
    if (b) x |= wb[i] ^ fb;
    if (c) x |= wc[i] ^ fc;
    if (d) x |= wd[i] ^ fd;
    if (withOut) x |= out[i];
    out[i] = x;
  }
}

/**
 * The words of a subtree's set. A leaf is its kept set (not to be changed); a `not` is its
 * child read inverted; an and / or node is computed four children per pass into a scratch
 * array of the index (one per node, reused by the next evaluation: allocating sets per count
 * would make V8 collect the whole heap for their external memory). An and reads its
 * sparsest children first and skips the rest of a word once it is zero.
 */
function wordsOf(n: Tree, ix: AudienceIndex, t: Time, slots: { next: number }): Part {
  if (n.k === 'leaf') return { w: ix.leafBits(n.leaf, t).words, flip: 0 };
  if (n.k === 'not') {
    const inner = wordsOf(n.of, ix, t, slots);
    return { w: inner.w, flip: ~inner.flip };
  }
  const out = ix.scratch(slots.next++);
  let parts = n.of.map((c) => wordsOf(c, ix, t, slots));
  if (n.k === 'and' && parts.length > 1) {
    const dens = new Map(parts.map((p) => [p, density(p)]));
    parts = parts.sort((x, y) => (dens.get(x) as number) - (dens.get(y) as number));
  }
  const step = n.k === 'and' ? and4 : or4;
  for (let j = 0; j < parts.length; j += j === 0 ? 4 : 3) {
    // The first pass takes four parts; later ones three plus what `out` holds.
    if (j === 0) step(out, parts[0], parts[1], parts[2], parts[3], false);
    else step(out, parts[j], parts[j + 1], parts[j + 2], undefined, true);
  }
  return { w: out, flip: 0 };
}

/** The members over the live rows: into a new set, or only counted. */
function membersOf(tree: Tree, ix: AudienceIndex, t: Time, into: Uint32Array | undefined): number {
  const live = ix.live.words;
  const r = wordsOf(tree, ix, t, { next: 0 });
  const flip = r.flip;
  const w = r.w;
  let count = 0;
  for (let i = 0; i < live.length; i++) {
    const x = (w[i] ^ flip) & live[i];
    if (into) into[i] = x;
    if (x !== 0) count += popcount32(x);
  }
  return count;
}

const cache = new WeakMap<AudienceRule, CompiledAudience>();

/** Compiles once per rule object; treat rules as immutable (an edit is a new object). */
export function compileAudience(rule: AudienceRule): CompiledAudience {
  const hit = cache.get(rule);
  if (hit) return hit;
  const leaves = new Map<string, CompiledLeaf>();
  const build = (n: AudienceNode): Tree => {
    if (n.kind === 'and' || n.kind === 'or') {
      const of = n.of.map(build);
      const costs = new Map(of.map((c) => [c, costOf(c)]));
      return { k: n.kind, of: of.sort((a, b) => (costs.get(a) as number) - (costs.get(b) as number)) };
    }
    if (n.kind === 'not') return { k: 'not', of: build(n.of) };
    const leaf = compileLeaf(n);
    const same = leaves.get(leaf.key);
    if (same) return { k: 'leaf', leaf: same };
    leaves.set(leaf.key, leaf);
    return { k: 'leaf', leaf };
  };
  const tree = build(rule.root);
  const list = [...leaves.values()];
  const compiled: CompiledAudience = {
    rule,
    leaves: list,
    counterIds: [...new Set(list.flatMap((l) => (l.counterId ? [l.counterId] : [])))],
    matches: (f, p, now) => testTree(tree, f, p, timeOf(now)),
    nextChange: (f, p, now) => {
      const t = timeOf(now);
      let next: number | undefined;
      for (const l of list) {
        const at = l.nextChange(f, p, t);
        if (at !== undefined && (next === undefined || at < next)) next = at;
      }
      return next;
    },
    evaluate: (ix, now) => {
      const out = new Bitset(ix.capacity);
      membersOf(tree, ix, timeOf(now), out.words);
      return out;
    },
    count: (ix, now) => membersOf(tree, ix, timeOf(now), undefined),
  };
  cache.set(rule, compiled);
  return compiled;
}

/** Whether one customer is a member of the audience at `now`. */
export function matches(rule: AudienceRule, f: AudienceFeatures, p: AudienceProfile, now: number): boolean {
  return compileAudience(rule).matches(f, p, now);
}

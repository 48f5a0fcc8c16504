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
import { Bitset } from './bitset';
import type { AudienceIndex } from './columnar';
import { counterDefOf } from './counters';
import { countIn, type AudienceFeatures } from './features';
import { canonicalMatch, modelIdsOf, stableJson } from './match';
import { leavesOf, tagActive, type AudienceProfile } from './profile';
import { dayStartMs, windowNextChange, windowRange, type DayRange } from './window';

export interface Time {
  now: number;
  /** `chinaDay(now)`. */
  today: number;
}

export const timeOf = (now: number): Time => ({ now, today: chinaDay(now) });

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

function unionOf(ix: AudienceIndex, sets: Iterable<Bitset | undefined>): Bitset {
  const out = new Bitset(ix.capacity);
  for (const s of sets) if (s) out.or(s);
  return out;
}

const noChange = (): undefined => undefined;
const always = (): string => '';

function behaviourLeaf(node: Extract<AudienceLeaf, { kind: 'behaviour' }>): CompiledLeaf {
  const def = counterDefOf(node.event);
  const id = def.id;
  const pass = countTest(node.count);
  const w: TimeWindow = node.window;
  const key = stableJson({ kind: 'behaviour', counter: id, count: node.count, window: w });
  const counterOf = (f: AudienceFeatures): number[] => {
    const a = f.c[id];
    if (a === undefined) throw new MissingCounterError(id);
    return a;
  };
  return {
    key,
    node: { ...node, event: canonicalMatch(node.event) },
    counterId: id,
    timeKey: (t) => {
      const r = windowRange(w, t.today);
      return r ? `${r.from}:${r.to}` : 'ever';
    },
    test: (f, _p, t) => pass(countIn(counterOf(f), windowRange(w, t.today))),
    nextChange: (f, _p, t) => {
      const day = windowNextChange(w, t.today, counterOf(f), 1, 2);
      return day === undefined ? undefined : dayStartMs(day);
    },
    compute: (ix, t) => {
      const col = ix.counter(id);
      const range: DayRange | null = windowRange(w, t.today);
      if (range === null) {
        const totals = col.totals;
        return scanColumn(ix, (i) => pass(totals[i]));
      }
      const { from, to } = range;
      const { offsets, days, counts, csrRows } = col;
      const dirty = ix.dirty;
      const features = ix.features;
      return scanColumn(ix, (i) => {
        if (i >= csrRows || dirty[i] !== 0) return pass(countIn(features[i].c[id], range));
        let sum = 0;
        const start = offsets[i];
        for (let j = offsets[i + 1] - 1; j >= start; j--) {
          const d = days[j];
          if (d > to) continue;
          if (d < from) break;
          sum += counts[j];
        }
        return pass(sum);
      });
    },
  };
}

function tagsLeaf(node: Extract<AudienceLeaf, { kind: 'tags' }>): CompiledLeaf {
  const groups = node.ids.map((id) => new Set(leavesOf(id)));
  const cover = new Set(groups.flatMap((g) => [...g]));
  const carries = (p: AudienceProfile, now: number, set: ReadonlySet<string>): boolean => {
    for (const t of p.tags) if (set.has(t.id) && tagActive(t, now)) return true;
    return false;
  };
  let test: CompiledLeaf['test'];
  if (node.match === 'any') test = (_f, p, t) => carries(p, t.now, cover);
  else if (node.match === 'none') test = (_f, p, t) => !carries(p, t.now, cover);
  else test = (_f, p, t) => groups.every((g) => carries(p, t.now, g));
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
    compute: (ix) => {
      if (node.match === 'all') {
        let out: Bitset | undefined;
        for (const g of groups) {
          const u = unionOf(ix, [...g].map((id) => ix.tagBits.get(id)));
          out = out ? out.and(u) : u;
        }
        return out as Bitset;
      }
      const any = unionOf(ix, [...cover].map((id) => ix.tagBits.get(id)));
      return node.match === 'any' ? any : any.not();
    },
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
    compute: (ix) => unionOf(ix, [...models].map((m) => ix.vehicleBits(node.relation).get(m))),
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

/** The set of a subtree; `owned` when the caller may change it in place. */
function bitsOf(n: Tree, ix: AudienceIndex, t: Time): { bits: Bitset; owned: boolean } {
  if (n.k === 'leaf') return { bits: ix.leafBits(n.leaf, t), owned: false };
  if (n.k === 'not') {
    const inner = bitsOf(n.of, ix, t);
    const bits = inner.owned ? inner.bits : inner.bits.clone();
    return { bits: bits.not(), owned: true };
  }
  // Negated children are applied last as and-not / or-not, without materialising the complement.
  let acc: Bitset | undefined;
  const negated: Tree[] = [];
  for (const c of n.of) {
    if (c.k === 'not') {
      negated.push(c.of);
      continue;
    }
    const r = bitsOf(c, ix, t);
    if (!acc) acc = r.owned ? r.bits : r.bits.clone();
    else if (n.k === 'and') acc.and(r.bits);
    else acc.or(r.bits);
  }
  for (const c of negated) {
    const r = bitsOf(c, ix, t);
    if (!acc) acc = r.bits.clone().not();
    else if (n.k === 'and') acc.andNot(r.bits);
    else acc.orNot(r.bits);
  }
  return { bits: acc as Bitset, owned: true };
}

const cache = new WeakMap<AudienceRule, CompiledAudience>();

/** Compiles once per rule object; treat rules as immutable (an edit is a new object). */
export function compileAudience(rule: AudienceRule): CompiledAudience {
  const hit = cache.get(rule);
  if (hit) return hit;
  const leaves = new Map<string, CompiledLeaf>();
  const build = (n: AudienceNode): Tree => {
    if (n.kind === 'and' || n.kind === 'or') return { k: n.kind, of: n.of.map(build) };
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
      const t = timeOf(now);
      ix.prepare(t);
      const r = bitsOf(tree, ix, t);
      const bits = r.owned ? r.bits : r.bits.clone();
      return bits.and(ix.live);
    },
    count: (ix, now) => compiled.evaluate(ix, now).count(),
  };
  cache.set(rule, compiled);
  return compiled;
}

/** Whether one customer is a member of the audience at `now`. */
export function matches(rule: AudienceRule, f: AudienceFeatures, p: AudienceProfile, now: number): boolean {
  return compileAudience(rule).matches(f, p, now);
}

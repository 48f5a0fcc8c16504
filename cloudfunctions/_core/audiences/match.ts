/**
 * Which events a behaviour condition counts (`EventMatch`): its canonical form, the key and
 * id of the counter that counts it, and the compiled test. Two matches that mean the same
 * (lists in another order, `eq` written as a one-item `in`, every type listed) get the same
 * key, so they share one counter.
 */
import type { EventMatch, ModelSelector, PropertyFilter, Scalar } from '../../../types/audience';
import type { EventDoc, TouchpointType } from '../../../types/model';
import { MODELS } from '../catalog/models';
import { TOUCHPOINT_TYPES } from '../catalog/touchpoints';

/** What a counter reads of an event. */
export type AudienceEvent = Pick<EventDoc, 'type' | 'source' | 'properties' | 'timestamp'> & { _id?: string };

/** Key-sorted JSON: equal values give equal text whatever their key order. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * A 53-bit string hash (cyrb53) in base 36: ids that are safe as document field names (no
 * `.` or `$`), short, and the same in every runtime (no `node:crypto`, so the app may use it).
 */
export function hash36(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

const byText = (a: Scalar, b: Scalar) => {
  const x = JSON.stringify(a);
  const y = JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
};
const uniqueSorted = <T extends Scalar>(xs: readonly T[]): T[] => [...new Set(xs)].sort(byText);

function canonicalFilter(f: PropertyFilter): PropertyFilter {
  switch (f.op) {
    case 'eq':
      return { key: f.key, op: 'in', values: [f.value] };
    case 'in':
    case 'notIn':
      return { key: f.key, op: f.op, values: uniqueSorted(f.values) };
    case 'between':
      return { key: f.key, op: 'between', min: f.min, max: f.max };
    default:
      return { key: f.key, op: f.op, value: f.value };
  }
}

/** The same match in one spelling (see the module comment). */
export function canonicalMatch(m: EventMatch): EventMatch {
  const out: EventMatch = {};
  if (m.types) {
    const types = uniqueSorted(m.types);
    if (types.length < TOUCHPOINT_TYPES.length) out.types = types;
  }
  if (m.sources) out.sources = uniqueSorted(m.sources);
  if (m.model) out.model = { by: m.model.by, in: uniqueSorted(m.model.in as string[]) } as ModelSelector;
  if (m.where?.length) {
    const where = m.where.map(canonicalFilter);
    const texts = where.map(stableJson);
    out.where = where.filter((_, i) => texts.indexOf(texts[i]) === i).sort((a, b) => byText(stableJson(a), stableJson(b)));
  }
  return out;
}

/** The key of the counter that counts a match: its canonical JSON. */
export function matchKey(m: EventMatch): string {
  return stableJson(canonicalMatch(m));
}

/** The counter's id, used as the field name in stored features. */
export function counterIdOf(key: string): string {
  return `k${hash36(key)}`;
}

/** Model ids a selector picks from the catalog; ids the catalog does not know are kept as given. */
export function modelIdsOf(s: ModelSelector): Set<string> {
  switch (s.by) {
    case 'id':
      return new Set(s.in);
    case 'line':
      return new Set(MODELS.filter((m) => (s.in as string[]).includes(m.line)).map((m) => m.id));
    case 'body':
      return new Set(MODELS.filter((m) => (s.in as string[]).includes(m.body)).map((m) => m.id));
  }
}

type Props = AudienceEvent['properties'];

/** An absent property counts as `null`, as the catalog writes absent values. */
function filterTest(f: PropertyFilter): (p: Props) => boolean {
  const key = f.key;
  switch (f.op) {
    case 'eq': {
      const want = f.value;
      return (p) => (p[key] ?? null) === want;
    }
    case 'in': {
      if (f.values.length === 1) {
        const want = f.values[0];
        return (p) => (p[key] ?? null) === want;
      }
      const set = new Set<Scalar>(f.values);
      return (p) => set.has(p[key] ?? null);
    }
    case 'notIn': {
      const set = new Set<Scalar>(f.values);
      return (p) => !set.has(p[key] ?? null);
    }
    case 'gte': {
      const lo = f.value;
      return (p) => {
        const v = p[key];
        return typeof v === 'number' && v >= lo;
      };
    }
    case 'lte': {
      const hi = f.value;
      return (p) => {
        const v = p[key];
        return typeof v === 'number' && v <= hi;
      };
    }
    case 'between': {
      const lo = f.min;
      const hi = f.max;
      return (p) => {
        const v = p[key];
        return typeof v === 'number' && v >= lo && v <= hi;
      };
    }
  }
}

/**
 * The test of everything but the type (callers that sort events by type first skip that
 * part). Written as a chain of small closures: one event runs a handful of comparisons.
 */
export function compileMatchRest(m: EventMatch): (e: AudienceEvent) => boolean {
  const tests: ((e: AudienceEvent) => boolean)[] = [];
  if (m.sources) {
    const sources = m.sources;
    if (sources.length === 1) {
      const only = sources[0];
      tests.push((e) => e.source === only);
    } else {
      const set = new Set(sources);
      tests.push((e) => set.has(e.source));
    }
  }
  if (m.model) {
    const ids = modelIdsOf(m.model);
    tests.push((e) => {
      const id = e.properties.modelId;
      return typeof id === 'string' && ids.has(id);
    });
  }
  for (const f of m.where ?? []) {
    const t = filterTest(f);
    tests.push((e) => t(e.properties));
  }
  switch (tests.length) {
    case 0:
      return () => true;
    case 1:
      return tests[0];
    case 2: {
      const [a, b] = tests;
      return (e) => a(e) && b(e);
    }
    default:
      return (e) => {
        for (const t of tests) if (!t(e)) return false;
        return true;
      };
  }
}

/** Whether an event is one the match counts. */
export function compileMatch(m: EventMatch): (e: AudienceEvent) => boolean {
  const rest = compileMatchRest(m);
  if (!m.types) return rest;
  const types = new Set<TouchpointType>(m.types);
  return (e) => types.has(e.type) && rest(e);
}

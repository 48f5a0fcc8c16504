import type { Doc } from './ejson';

/**
 * Equality index on one field path: value -> ids of the documents holding it. Array values are
 * indexed per element (MongoDB multikey semantics), so `{ tags: 'x' }` is served too. Only
 * strings, numbers, booleans and dates are keys; other values are left to the full scan.
 */
export class HashIndex {
  private readonly byKey = new Map<string, Set<string>>();
  private readonly path: string[];

  constructor(readonly field: string) {
    this.path = field.split('.');
  }

  add(id: string, doc: Doc): void {
    for (const key of this.keysOf(doc)) {
      let ids = this.byKey.get(key);
      if (!ids) {
        ids = new Set();
        this.byKey.set(key, ids);
      }
      ids.add(id);
    }
  }

  remove(id: string, doc: Doc): void {
    for (const key of this.keysOf(doc)) {
      const ids = this.byKey.get(key);
      if (!ids) continue;
      ids.delete(id);
      if (ids.size === 0) this.byKey.delete(key);
    }
  }

  /**
   * Ids whose field equals (or, for arrays, contains) one of `values`; undefined if a value is
   * not indexable. One value gives the index's own set (read it, never change it; a write
   * changes it): copying a 100,000-customer store's ids on every read cost more than the read.
   */
  lookup(values: unknown[]): ReadonlySet<string> | undefined {
    if (values.length === 1) {
      const key = indexKey(values[0]);
      return key === undefined ? undefined : (this.byKey.get(key) ?? NO_IDS);
    }
    const out = new Set<string>();
    for (const value of values) {
      const key = indexKey(value);
      if (key === undefined) return undefined;
      const ids = this.byKey.get(key);
      if (ids) for (const id of ids) out.add(id);
    }
    return out;
  }

  private keysOf(doc: Doc): Iterable<string> {
    if (this.path.length === 1) {
      // Fast path for the common top-level scalar field.
      const value = doc[this.path[0]];
      if (!Array.isArray(value)) {
        const key = indexKey(value);
        return key === undefined ? [] : [key];
      }
    }
    const values: unknown[] = [];
    collect(doc, this.path, 0, values);
    const keys = new Set<string>();
    for (const value of values) {
      const key = indexKey(value);
      if (key !== undefined) keys.add(key);
    }
    return keys;
  }
}

const NO_IDS: ReadonlySet<string> = new Set();

export function indexKey(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return `s${value}`;
    case 'number':
      return Number.isNaN(value) ? undefined : `n${value === 0 ? 0 : value}`;
    case 'boolean':
      return value ? 'bt' : 'bf';
    default:
      return value instanceof Date ? `d${value.getTime()}` : undefined;
  }
}

/** Every value a dotted path can reach, walking through arrays the way MongoDB matching does. */
function collect(value: unknown, path: string[], i: number, out: unknown[]): void {
  if (i === path.length) {
    if (Array.isArray(value)) out.push(...value);
    else out.push(value);
    return;
  }
  if (Array.isArray(value)) {
    const segment = path[i];
    if (/^\d+$/.test(segment)) collect(value[Number(segment)], path, i + 1, out);
    for (const element of value) {
      if (typeof element === 'object' && element !== null && !Array.isArray(element)) collect(element, path, i, out);
    }
    return;
  }
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    collect((value as Record<string, unknown>)[path[i]], path, i + 1, out);
  }
}

/**
 * What a refresh changed on a customer: the rescore jobs write only customers whose derived
 * fields moved. The score's own time (`score.at`) and re-stamped tag times alone are no change.
 */
import type { DerivedCustomer } from '../scoring/ingest';

export const DERIVED_KEYS = ['score', 'rankKey', 'grade', 'gradeInfo', 'tags', 'lifecycle'] as const;
export type DerivedKey = (typeof DERIVED_KEYS)[number];
export type DerivedPatch = Partial<Pick<DerivedCustomer, DerivedKey>>;

function comparable(c: DerivedCustomer, key: DerivedKey): string {
  const v = c[key];
  if (key === 'score' && v && typeof v === 'object') {
    const { at: _at, ...rest } = v as NonNullable<DerivedCustomer['score']>;
    return JSON.stringify(rest);
  }
  // Rule tags are re-stamped on every refresh; which tags a customer has is what matters.
  if (key === 'tags' && Array.isArray(v)) {
    return JSON.stringify((v as DerivedCustomer['tags']).map((t) => [t.tagId, t.source]).sort());
  }
  return JSON.stringify(v ?? null);
}

/** The derived fields of `after` that differ from `before` (a removed grade shows as `grade: undefined`). */
export function derivedChanges(before: DerivedCustomer, after: DerivedCustomer): { changed: boolean; patch: DerivedPatch; removed: DerivedKey[] } {
  const patch: Record<string, unknown> = {};
  const removed: DerivedKey[] = [];
  for (const key of DERIVED_KEYS) {
    if (comparable(before, key) === comparable(after, key)) continue;
    if (after[key] === undefined) removed.push(key);
    else patch[key] = after[key];
  }
  return { changed: removed.length > 0 || Object.keys(patch).length > 0, patch: patch as DerivedPatch, removed };
}

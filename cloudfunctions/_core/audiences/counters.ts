/**
 * The counter set (`CounterSpec`) a store keeps per customer for its audiences: one day
 * counter per distinct `EventMatch` of its saved audiences' behaviour conditions. A counter's
 * id is the hash of its canonical match, so editing a count or a window (or the profile part)
 * of a rule keeps every counter; only a match no counter has yet adds one. The set's
 * signature `sig` (hash of the sorted ids) is stamped on each customer's features: when a
 * store's set grows, features with another signature need the new counters backfilled from
 * the history (`refitFeatures`), while dropped counters are simply pruned.
 *
 * Store the set as its matches (`specDocOf`) and rebuild it with `counterSpec`.
 */
import type { AudienceNode, AudienceRule, EventMatch } from '../../../types/audience';
import type { TouchpointType } from '../../../types/model';
import { TOUCHPOINT_TYPES } from '../catalog/touchpoints';
import { canonicalMatch, compileMatchRest, counterIdOf, hash36, matchKey, type AudienceEvent } from './match';

export interface CounterDef {
  id: string;
  /** Canonical JSON of the match. */
  key: string;
  match: EventMatch;
}

export interface CompiledCounter {
  id: string;
  /** Position in the set (and in each customer's features). */
  index: number;
  /** The match without its type test (counters are looked up by the event's type). */
  test: (e: AudienceEvent) => boolean;
}

export interface CounterSpec {
  sig: string;
  /** Sorted by id. */
  counters: readonly CounterDef[];
  ids: readonly string[];
  byId: ReadonlyMap<string, CounterDef>;
  /** The counters each event type can move. */
  byType: Readonly<Record<TouchpointType, readonly CompiledCounter[]>>;
}

/** The stored form of a counter set (e.g. one document per store). */
export interface CounterSpecDoc {
  sig: string;
  matches: EventMatch[];
}

export function counterDefOf(m: EventMatch): CounterDef {
  const match = canonicalMatch(m);
  const key = matchKey(match);
  return { id: counterIdOf(key), key, match };
}

export function signatureOf(ids: readonly string[]): string {
  return `s${hash36([...ids].sort().join(','))}`;
}

/** The counter set counting these matches (duplicates and reorderings count once). */
export function counterSpec(matches: Iterable<EventMatch>): CounterSpec {
  const byId = new Map<string, CounterDef>();
  for (const m of matches) {
    const def = counterDefOf(m);
    const had = byId.get(def.id);
    if (had && had.key !== def.key) throw new Error(`counter id collision: ${had.key} and ${def.key}`);
    byId.set(def.id, def);
  }
  const counters = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const byType = Object.fromEntries(TOUCHPOINT_TYPES.map((t) => [t, [] as CompiledCounter[]])) as Record<TouchpointType, CompiledCounter[]>;
  for (const [index, c] of counters.entries()) {
    const compiled: CompiledCounter = { id: c.id, index, test: compileMatchRest(c.match) };
    for (const t of c.match.types ?? TOUCHPOINT_TYPES) byType[t].push(compiled);
  }
  const ids = counters.map((c) => c.id);
  return { sig: signatureOf(ids), counters, ids, byId, byType };
}

/** Every event match a rule's behaviour conditions count. */
export function matchesOfRule(rule: AudienceRule): EventMatch[] {
  const out: EventMatch[] = [];
  const walk = (n: AudienceNode): void => {
    if (n.kind === 'and' || n.kind === 'or') n.of.forEach(walk);
    else if (n.kind === 'not') walk(n.of);
    else if (n.kind === 'behaviour') out.push(n.event);
  };
  walk(rule.root);
  return out;
}

/** The counter set for a store's saved audiences (plus any extra matches it wants kept). */
export function specForRules(rules: Iterable<AudienceRule>, extra: Iterable<EventMatch> = []): CounterSpec {
  const matches: EventMatch[] = [...extra];
  for (const r of rules) matches.push(...matchesOfRule(r));
  return counterSpec(matches);
}

/** The counters a rule needs that the set does not keep yet (saving it means a backfill). */
export function missingCounters(rule: AudienceRule, spec: CounterSpec): CounterDef[] {
  const out = new Map<string, CounterDef>();
  for (const m of matchesOfRule(rule)) {
    const def = counterDefOf(m);
    if (!spec.byId.has(def.id)) out.set(def.id, def);
  }
  return [...out.values()];
}

/** What moving from one set to another costs: added counters need the history, removed ones do not. */
export function specChange(from: CounterSpec, to: CounterSpec): { added: CounterDef[]; removed: string[] } {
  return {
    added: to.counters.filter((c) => !from.byId.has(c.id)),
    removed: from.ids.filter((id) => !to.byId.has(id)),
  };
}

export function specDocOf(spec: CounterSpec): CounterSpecDoc {
  return { sig: spec.sig, matches: spec.counters.map((c) => c.match) };
}

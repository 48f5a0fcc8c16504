/**
 * Per-customer precomputed state, updated event by event in about O(rules) and never by
 * re-reading the history: per-rule day counters (count, summed measure such as dwell time,
 * recent model ids for the reasons), the model-independent activity counters, and a ring of
 * recently applied event ids so a retried event is a no-op. Persist it as one document per
 * customer (e.g. collection `customerStates`, `_id` = customer id), written in the same
 * transaction as the customer.
 */
import type { EventDoc } from '../../../types/model';
import { addActivityInPlace, cloneActivity, emptyActivity, mergeActivity, RETENTION_DAYS, type ActivityState } from '../events/activity';
import { addToBuckets, chinaDay, cloneBuckets, emptyBuckets, mergeBuckets, type DayBuckets } from '../events/day-buckets';
import { compileModel } from './compile';
import type { ScoringModel } from './model';

/** Retries come within seconds; 64 ids cover them with room to spare. */
export const SEEN_MAX = 64;
/** Models remembered per rule for reasons such as 已预约试驾（揽岳）. */
export const MAX_RULE_MODELS = 5;

export interface RuleCounter {
  /** The engagement rule's id. */
  id: string;
  b: DayBuckets;
  /** Model id -> last China day it appeared in a matching event. */
  m?: Record<string, number>;
}

export interface CustomerState {
  schema: 1;
  /** `filterSignature` of the model the rule counters were built with. */
  filterSig: string;
  /** Ids of the most recently applied events, oldest first. */
  seen: string[];
  /** One counter per rule that has matched at least one event (a list: scoring walks it). */
  rules: RuleCounter[];
  activity: ActivityState;
}

export type ScoringEvent = Pick<EventDoc, '_id' | 'type' | 'source' | 'properties' | 'timestamp'>;

export function emptyState(model: ScoringModel): CustomerState {
  return { schema: 1, filterSig: compileModel(model).filterSig, seen: [], rules: [], activity: emptyActivity() };
}

export function hasApplied(state: CustomerState, eventId: string): boolean {
  return state.seen.includes(eventId);
}

/** Whether the state was counted with other filters than `model` has (replay it). */
export function isStale(state: CustomerState, model: ScoringModel): boolean {
  return state.filterSig !== compileModel(model).filterSig;
}

function cloneState(s: CustomerState): CustomerState {
  const rules = s.rules.map((r): RuleCounter => (r.m ? { id: r.id, b: cloneBuckets(r.b), m: { ...r.m } } : { id: r.id, b: cloneBuckets(r.b) }));
  return { schema: 1, filterSig: s.filterSig, seen: s.seen.slice(), rules, activity: cloneActivity(s.activity) };
}

/** The counter of a rule, created in id order so equal histories give equal states. */
function counterOf(s: CustomerState, id: string): RuleCounter {
  let i = 0;
  for (; i < s.rules.length; i++) {
    if (s.rules[i].id === id) return s.rules[i];
    if (s.rules[i].id > id) break;
  }
  const r: RuleCounter = { id, b: emptyBuckets() };
  s.rules.splice(i, 0, r);
  return r;
}

function rememberModel(counter: RuleCounter, modelId: string, day: number): void {
  const m = (counter.m ??= {});
  m[modelId] = Math.max(m[modelId] ?? day, day);
  const ids = Object.keys(m);
  if (ids.length <= MAX_RULE_MODELS) return;
  // Drop the least recent (ties: the smallest id), which keeps the result order-independent.
  let drop = ids[0];
  for (const id of ids) if (m[id] < m[drop] || (m[id] === m[drop] && id < drop)) drop = id;
  delete m[drop];
}

function applyInPlace(s: CustomerState, e: ScoringEvent, model: ScoringModel): void {
  const day = chinaDay(e.timestamp);
  for (const c of compileModel(model).rules) {
    if (!c.match(e)) continue;
    const counter = counterOf(s, c.rule.id);
    const raw = e.properties[c.measureKey];
    const measure = typeof raw === 'number' && raw > 0 ? raw : 0;
    if (!addToBuckets(counter.b, day, 1, measure, RETENTION_DAYS)) continue;
    const modelId = e.properties.modelId;
    if (typeof modelId === 'string' && modelId) rememberModel(counter, modelId, day);
  }
  addActivityInPlace(s.activity, e);
  s.seen.push(e._id);
  if (s.seen.length > SEEN_MAX) s.seen.splice(0, s.seen.length - SEEN_MAX);
}

/**
 * The state after one event; the input is left as it was. Returns the very same object when
 * the event was already applied (compare with `===` to skip the write).
 */
export function applyEvent(state: CustomerState, event: ScoringEvent, model: ScoringModel): CustomerState {
  if (hasApplied(state, event._id)) return state;
  const next = cloneState(state);
  applyInPlace(next, event, model);
  return next;
}

/** A full replay: the state of a customer with these events (any order). */
export function rebuildState(events: Iterable<ScoringEvent>, model: ScoringModel): CustomerState {
  const s = emptyState(model);
  const applied = new Set<string>();
  for (const e of events) {
    if (applied.has(e._id)) continue;
    applied.add(e._id);
    applyInPlace(s, e, model);
  }
  return s;
}

/**
 * The states of merged customers as one (no replay needed). When they were counted with
 * different filters the result is marked stale, so `isStale` asks for a replay.
 */
export function mergeStates(states: readonly CustomerState[]): CustomerState {
  if (!states.length) throw new Error('mergeStates: no states');
  const out = cloneState(states[0]);
  for (const s of states.slice(1)) {
    if (s.filterSig !== out.filterSig) out.filterSig = 'stale';
    for (const r of s.rules) {
      const into = counterOf(out, r.id);
      mergeBuckets(into.b, r.b, RETENTION_DAYS);
      for (const [modelId, day] of Object.entries(r.m ?? {})) rememberModel(into, modelId, day);
    }
    out.activity = mergeActivity(out.activity, s.activity);
    out.seen = [...out.seen, ...s.seen.filter((id) => !out.seen.includes(id))].slice(-SEEN_MAX);
  }
  return out;
}

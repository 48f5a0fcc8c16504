/**
 * The meaning of a rule, computed the slow and obvious way over a customer's raw event
 * history: calendar dates from `Date` in China time, tags matched upward through their
 * paths, models looked up in the catalog per event. Shares no code with the engine
 * (only the catalog), so the tests compare two independent readings of the rule.
 */
import type { AudienceNode, AudienceRule, CountTest, EventMatch, ModelSelector, PropertyFilter, TimeWindow } from '../../../../types/audience';
import type { EventDoc } from '../../../../types/model';
import { MODELS } from '../../catalog/models';
import { tagById, tagPath } from '../../catalog/tags';
import type { AudienceProfile } from '../profile';

export type RawEvent = Pick<EventDoc, '_id' | 'type' | 'source' | 'properties' | 'timestamp'>;

const HOURS_8 = 8 * 3600 * 1000;

/** The China calendar date of an instant as `YYYY-MM-DD`, its month (0-11) and year. */
function chinaDate(ts: number): { date: string; year: number; month: number } {
  const d = new Date(ts + HOURS_8);
  return { date: d.toISOString().slice(0, 10), year: d.getUTCFullYear(), month: d.getUTCMonth() };
}

/** Whole calendar days from date `a` to date `b` (b - a). */
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

function inWindow(w: TimeWindow, ts: number, now: number): boolean {
  if (w.kind === 'ever') return true;
  const e = chinaDate(ts);
  const n = chinaDate(now);
  const ago = daysBetween(e.date, n.date);
  // Not yet (dated after today), or further back than any window reaches (366 days, today included).
  if (ago < 0 || ago > 365) return false;
  switch (w.kind) {
    case 'last':
      return ago < w.days;
    case 'this':
      return e.year === n.year && (w.period === 'month' ? e.month === n.month : Math.floor(e.month / 3) === Math.floor(n.month / 3));
    case 'between':
      return e.date >= w.from && e.date <= w.to;
  }
}

function modelPicked(s: ModelSelector, modelId: unknown): boolean {
  if (typeof modelId !== 'string') return false;
  if (s.by === 'id') return (s.in as string[]).includes(modelId);
  const model = MODELS.find((m) => m.id === modelId);
  if (!model) return false;
  return s.by === 'line' ? (s.in as string[]).includes(model.line) : (s.in as string[]).includes(model.body);
}

function filterHolds(f: PropertyFilter, props: RawEvent['properties']): boolean {
  const v = Object.prototype.hasOwnProperty.call(props, f.key) ? props[f.key] : null;
  switch (f.op) {
    case 'eq':
      return v === f.value;
    case 'in':
      return f.values.includes(v);
    case 'notIn':
      return !f.values.includes(v);
    case 'gte':
      return typeof v === 'number' && v >= f.value;
    case 'lte':
      return typeof v === 'number' && v <= f.value;
    case 'between':
      return typeof v === 'number' && v >= f.min && v <= f.max;
  }
}

export function eventMatches(m: EventMatch, e: RawEvent): boolean {
  if (m.types && !m.types.includes(e.type)) return false;
  if (m.sources && !m.sources.includes(e.source)) return false;
  if (m.model && !modelPicked(m.model, e.properties.modelId)) return false;
  return (m.where ?? []).every((f) => filterHolds(f, e.properties));
}

function countHolds(c: CountTest, n: number): boolean {
  switch (c.op) {
    case 'gte':
      return n >= c.value;
    case 'lte':
      return n <= c.value;
    case 'eq':
      return n === c.value;
    case 'between':
      return n >= c.min && n <= c.max;
  }
}

/** Each event once, the first of a repeated id. */
export function uniqueEvents(events: readonly RawEvent[]): RawEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => (seen.has(e._id) ? false : (seen.add(e._id), true)));
}

/** Does the customer carry tag `id` (any level) at `now`? */
function carries(p: AudienceProfile, id: string, now: number): boolean {
  return p.tags.some((t) => {
    if (t.expiresAt !== undefined && t.expiresAt <= now) return false;
    if (t.id === id) return true;
    return tagById(t.id) !== undefined && tagPath(t.id).includes(id);
  });
}

export function bruteHolds(n: AudienceNode, events: readonly RawEvent[], p: AudienceProfile, now: number): boolean {
  switch (n.kind) {
    case 'and':
      return n.of.every((c) => bruteHolds(c, events, p, now));
    case 'or':
      return n.of.some((c) => bruteHolds(c, events, p, now));
    case 'not':
      return !bruteHolds(n.of, events, p, now);
    case 'stage':
      return n.in.includes(p.stage);
    case 'grade':
      return n.in.includes(p.grade ?? 'none');
    case 'store':
      return n.in.includes(p.storeId);
    case 'owner':
      return n.in.includes(p.ownerId ?? null);
    case 'consent':
      return p.consents.includes(n.purpose) === n.granted;
    case 'score':
      return p.score !== undefined && (n.min === undefined || p.score >= n.min) && (n.max === undefined || p.score <= n.max);
    case 'tags': {
      const has = n.ids.map((id) => carries(p, id, now));
      return n.match === 'any' ? has.some(Boolean) : n.match === 'all' ? has.every(Boolean) : !has.some(Boolean);
    }
    case 'vehicle':
      return (n.relation === 'interest' ? p.interest : p.owned).some((m) => modelPicked(n.model, m));
    case 'behaviour': {
      const count = uniqueEvents(events).filter((e) => eventMatches(n.event, e) && inWindow(n.window, e.timestamp, now)).length;
      return countHolds(n.count, count);
    }
  }
}

export function bruteMember(rule: AudienceRule, events: readonly RawEvent[], p: AudienceProfile, now: number): boolean {
  return bruteHolds(rule.root, events, p, now);
}

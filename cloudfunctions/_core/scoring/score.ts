/**
 * Scores a customer from their precomputed state and attributes (no event is read), with
 * the top reasons in Chinese. `rescoreAll` is the timer job's loop and the path a model
 * change takes when `needsReplay` says the counters still fit; it is written to allocate
 * little (100k customers well under a second).
 */
import type { CustomerDoc, IntentGrade, StoredScore } from '../../../types/model';
import { channelById } from '../catalog/channels';
import { chinaDay } from '../events/day-buckets';
import { vehicleAgeYears } from '../lifecycle/replacement';
import { cityTier, type CityTier } from '../tags/city-tier';
import { compileModel, type CompiledFitRule, type CompiledModel, type CompiledRule } from './compile';
import type { FitCondition, ScoringModel } from './model';
import { renderReason } from './reasons';
import type { CustomerState, RuleCounter } from './state';

/** The part of the state a score reads. */
export type ScoreState = Pick<CustomerState, 'rules'>;

export type ScoreSubject = Pick<CustomerDoc, 'stage' | 'city' | 'sourceChannel' | 'vehiclesOwned' | 'tags'>;

export interface Contribution {
  kind: 'fit' | 'engagement';
  groupId: string;
  ruleId: string;
  /** Before the group cap. */
  points: number;
}

/** A score with every contribution behind it; the customer keeps it without them (`StoredScore`). */
export interface ScoreResult extends StoredScore {
  contributions: Contribution[];
}

/** What to keep on the customer document (`score`): the result without its contributions. */
export type { StoredScore };

export function toStoredScore(r: ScoreResult | StoredScore): StoredScore {
  const { reasons, penalties, modelVersion, at, fit, engagement, total, suggestedGrade } = r;
  return suggestedGrade ? { modelVersion, at, fit, engagement, total, suggestedGrade, reasons, penalties } : { modelVersion, at, fit, engagement, total, reasons, penalties };
}

export function suggestGrade(total: number, grades: ScoringModel['grades']): IntentGrade | undefined {
  if (total >= grades.H) return 'H';
  if (total >= grades.A) return 'A';
  if (total >= grades.B) return 'B';
  if (total >= grades.C) return 'C';
  return undefined;
}

const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);

/** Attribute facts, worked out at most once per customer. */
interface Facts {
  tier: CityTier | null | undefined;
  kind: string | null | undefined;
  age: number | null | undefined;
}

function hasTag(s: ScoreSubject, ids: readonly string[], now: number): boolean {
  for (const t of s.tags) {
    if (t.expiresAt !== undefined && t.expiresAt <= now) continue;
    for (const id of ids) if (t.tagId === id) return true;
  }
  return false;
}

function holds(c: FitCondition, s: ScoreSubject, now: number, f: Facts): boolean {
  switch (c.attr) {
    case 'stage':
      return c.in.includes(s.stage);
    case 'cityTier':
      if (f.tier === undefined) f.tier = cityTier(s.city) ?? null;
      return f.tier !== null && c.in.includes(f.tier);
    case 'tag':
      return hasTag(s, c.anyOf, now);
    case 'sourceChannel':
      return c.in.includes(s.sourceChannel);
    case 'sourceKind':
      if (f.kind === undefined) f.kind = channelById(s.sourceChannel)?.kind ?? null;
      return f.kind !== null && (c.in as string[]).includes(f.kind);
    case 'vehiclesOwned': {
      const n = s.vehiclesOwned.length;
      return (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max);
    }
    case 'vehicleAgeYears': {
      if (f.age === undefined) {
        let oldest = Number.POSITIVE_INFINITY;
        for (const v of s.vehiclesOwned) if (v.purchasedAt < oldest) oldest = v.purchasedAt;
        f.age = s.vehiclesOwned.length ? vehicleAgeYears(oldest, now) : null;
      }
      return f.age !== null && (c.min === undefined || f.age >= c.min) && (c.max === undefined || f.age < c.max);
    }
  }
}

function recentModels(counter: RuleCounter, today: number, windowDays: number): string[] {
  if (!counter.m) return [];
  const from = today - windowDays + 1;
  return Object.entries(counter.m)
    .filter(([, d]) => d >= from && d <= today)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([id]) => id);
}

/** A rule that gave points; reason text is rendered only for the ones shown. */
interface Hit {
  points: number;
  order: number;
  fitReason?: string;
  rule?: CompiledRule;
  counter?: RuleCounter;
  count: number;
  dwell: number;
}

function render(h: Hit, today: number): string {
  if (!h.rule || !h.counter) return h.fitReason ?? '';
  const r = h.rule.rule;
  const models = h.rule.reason.usesModels ? recentModels(h.counter, today, r.windowDays) : [];
  return renderReason(h.rule.reason, { days: r.windowDays, count: h.count, dwell: h.dwell, models, points: h.points });
}

/** Higher points first; equal points keep the model's rule order. */
function before(a: Hit, b: Hit): boolean {
  return a.points > b.points || (a.points === b.points && a.order < b.order);
}

/** Whether a positive hit with these points would make the top three. */
function wouldEnter(top: readonly Hit[], points: number, order: number): boolean {
  if (top.length < 3) return true;
  const last = top[2];
  return points > last.points || (points === last.points && order < last.order);
}

/** Keeps the best three positive hits in `top`, best first. */
function offer(top: Hit[], h: Hit): void {
  let i = top.length;
  while (i > 0 && before(h, top[i - 1])) i--;
  if (i >= 3) return;
  top.splice(i, 0, h);
  if (top.length > 3) top.pop();
}

/** Fit hits never change for a rule: made once and shared. */
const fitHits = new WeakMap<CompiledFitRule, Hit>();
function fitHit(fr: CompiledFitRule): Hit {
  let h = fitHits.get(fr);
  if (!h) fitHits.set(fr, (h = { points: fr.rule.points, order: fr.order, fitReason: fr.rule.reason, count: 0, dwell: 0 }));
  return h;
}

function score(c: CompiledModel, state: ScoreState, s: ScoreSubject, now: number, contributions: Contribution[] | undefined): StoredScore {
  const model = c.model;
  const today = chinaDay(now);
  const facts: Facts = { tier: undefined, kind: undefined, age: undefined };
  const top: Hit[] = [];
  const negative: Hit[] = [];

  const fitNet = new Array<number>(c.fitGroups.length).fill(0);
  for (const fr of c.fitRules) {
    if (!holds(fr.rule.when, s, now, facts)) continue;
    const points = fr.rule.points;
    fitNet[fr.groupIndex] += points;
    const hit = fitHit(fr);
    if (points > 0) offer(top, hit);
    else negative.push(hit);
    contributions?.push({ kind: 'fit', groupId: fr.group.id, ruleId: fr.rule.id, points });
  }

  const engNet = new Array<number>(c.engagementGroups.length).fill(0);
  for (const counter of state.rules) {
    const cr = c.ruleById.get(counter.id);
    if (!cr) continue;
    const rule = cr.rule;
    const b = counter.b;
    const from = today - rule.windowDays + 1;
    const cap = rule.dailyCap;
    let points = 0;
    let count = 0;
    let dwell = 0;
    for (let i = b.length - 3; i >= 0; i -= 3) {
      const d = b[i];
      if (d > today) continue;
      if (d < from) break;
      const n = b[i + 1];
      const p = n * rule.points;
      points += p > cap ? cap : p < -cap ? -cap : p;
      count += n;
      dwell += b[i + 2];
    }
    if (!count) continue;
    engNet[cr.groupIndex] += points;
    if (points > 0) {
      if (wouldEnter(top, points, cr.order)) offer(top, { points, order: cr.order, rule: cr, counter, count, dwell });
    } else if (points < 0) negative.push({ points, order: cr.order, rule: cr, counter, count, dwell });
    contributions?.push({ kind: 'engagement', groupId: cr.group.id, ruleId: rule.id, points });
  }

  let fit = 0;
  for (let g = 0; g < fitNet.length; g++) fit += clamp(fitNet[g], -c.fitGroups[g].cap, c.fitGroups[g].cap);
  let engagement = 0;
  for (let g = 0; g < engNet.length; g++) engagement += clamp(engNet[g], -c.engagementGroups[g].cap, c.engagementGroups[g].cap);
  const fitScore = clamp(fit, 0, model.fit.cap);
  const engScore = clamp(engagement, 0, model.engagement.cap);
  const total = Math.round(clamp(fitScore + engScore, 0, 100));

  const reasons = top.map((h) => render(h, today));
  negative.sort((a, b) => (before(b, a) ? -1 : 1));
  const penalties = negative.map((h) => render(h, today));
  const result: StoredScore = { modelVersion: model.version, at: now, fit: Math.round(fitScore), engagement: Math.round(engScore), total, reasons, penalties };
  const grade = suggestGrade(total, model.grades);
  if (grade) result.suggestedGrade = grade;
  return result;
}

/** The score of one customer, with every rule's contribution for the profile's explanation. */
export function scoreOf(state: ScoreState, subject: ScoreSubject, model: ScoringModel, now: number): ScoreResult {
  const contributions: Contribution[] = [];
  const stored = score(compileModel(model), state, subject, now, contributions);
  contributions.sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  return { ...stored, contributions };
}

/**
 * Scores many customers at once (`states[i]` belongs to `subjects[i]`): what the timer job
 * and a model change (without `needsReplay`) run. Returns what to store on each customer.
 * Only the states' `rules` are read, so the job can load just that field, page by page.
 */
export function rescoreAll(states: readonly ScoreState[], subjects: readonly ScoreSubject[], model: ScoringModel, now: number): StoredScore[] {
  if (states.length !== subjects.length) throw new Error('rescoreAll: states and subjects differ in length');
  const c = compileModel(model);
  const out = new Array<StoredScore>(states.length);
  for (let i = 0; i < states.length; i++) out[i] = score(c, states[i], subjects[i], now, undefined);
  return out;
}

/**
 * Checks a scoring model a manager edited, field by field, so a bad edit is refused with the
 * field named (dotted paths such as `engagement.groups.1.rules.0.dailyCap`). The rules:
 * - `version` a positive integer, `name` 1-40 characters;
 * - `fit.cap` and `engagement.cap` positive and adding up to 100;
 * - group and rule ids `[a-z][a-z0-9_]*` (at most 40), unique across the whole model;
 *   labels 1-20 characters; group caps in (0, 100];
 * - points non-zero, at most 100 in absolute value; a daily cap at least the points of one
 *   event and at most 100; windows whole days from 1 to 180;
 * - filters: at least one known touchpoint type, channel ids, known model lines, property
 *   conditions with exactly one of `equals` / `in` / a `gte`-`lte` range;
 * - fit conditions: known attributes with non-empty lists of known values (tags must be leaf
 *   tags of the taxonomy), ranges with min <= max;
 * - reason templates 1-60 characters using only {days} {count} {dwell} {models} {points},
 *   with balanced [ ]; fit reasons are plain text;
 * - grade thresholds 0-100 with H > A > B > C;
 * - no unknown fields anywhere.
 */
import type { FieldIssue } from '../../../types/api';
import type { ModelLine } from '../../../types/model';
import type { ChannelKind } from '../catalog/channels';
import { isLeafTag } from '../catalog/tags';
import { TOUCHPOINT_TYPES } from '../catalog/touchpoints';
import { RETENTION_DAYS } from '../events/activity';
import { CITY_TIERS } from '../tags/city-tier';
import type { ScoringModel } from './model';

const ID = /^[a-z][a-z0-9_]{0,39}$/;
const KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const CHANNEL = /^[a-z][a-z0-9_]{0,31}$/;
const PLACEHOLDERS = new Set(['days', 'count', 'dwell', 'models', 'points']);
const STAGES = ['lead', 'prospect', 'owner'];
const LINES: ModelLine[] = ['SUV', 'sedan', 'MPV', 'NEV'];
const KINDS: ChannelKind[] = ['vertical', 'media', 'live', 'owned', 'offline'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  issues: FieldIssue[] = [];
  ids = new Map<string, string>();

  add(field: string, message: string): void {
    this.issues.push({ field, message });
  }

  obj(v: unknown, field: string, keys: readonly string[]): Obj | undefined {
    if (!isObj(v)) {
      this.add(field, 'must be an object');
      return undefined;
    }
    for (const k of Object.keys(v)) if (!keys.includes(k)) this.add(field ? `${field}.${k}` : k, 'is not a known field');
    return v;
  }

  text(v: unknown, field: string, max: number): void {
    if (typeof v !== 'string' || !v.trim()) this.add(field, 'must be a non-empty string');
    else if (v.length > max) this.add(field, `must be at most ${max} characters`);
  }

  num(v: unknown, field: string, min: number, max: number, opts: { integer?: boolean; exclusiveMin?: boolean } = {}): v is number {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.add(field, 'must be a number');
      return false;
    }
    if (opts.integer && !Number.isInteger(v)) {
      this.add(field, 'must be a whole number');
      return false;
    }
    if (opts.exclusiveMin ? v <= min : v < min) {
      this.add(field, `must be ${opts.exclusiveMin ? 'greater than' : 'at least'} ${min}`);
      return false;
    }
    if (v > max) {
      this.add(field, `must be at most ${max}`);
      return false;
    }
    return true;
  }

  id(v: unknown, field: string): void {
    if (typeof v !== 'string' || !ID.test(v)) {
      this.add(field, 'must be lower-case letters, digits and _ (starting with a letter, at most 40)');
      return;
    }
    const other = this.ids.get(v);
    if (other) this.add(field, `duplicates the id at ${other}`);
    else this.ids.set(v, field);
  }

  list<T>(v: unknown, field: string, ok: (x: unknown) => x is T, what: string): void {
    if (!Array.isArray(v) || !v.length) {
      this.add(field, 'must be a non-empty list');
      return;
    }
    v.forEach((x, i) => {
      if (!ok(x)) this.add(`${field}.${i}`, `must be ${what}`);
    });
  }

  template(v: unknown, field: string): void {
    this.text(v, field, 60);
    if (typeof v !== 'string') return;
    let depth = 0;
    for (const ch of v) {
      if (ch === '[') depth++;
      if (ch === ']') depth--;
      if (depth < 0 || depth > 1) break;
    }
    if (depth !== 0) this.add(field, 'has unbalanced [ ]');
    for (const m of v.matchAll(/\{([^}]*)\}/g)) {
      if (!PLACEHOLDERS.has(m[1])) this.add(field, `uses unknown placeholder {${m[1]}}; use {days} {count} {dwell} {models} {points}`);
    }
  }

  points(v: unknown, field: string): void {
    if (this.num(v, field, -100, 100) && v === 0) this.add(field, 'must not be 0');
  }
}

const oneOf =
  <T extends string>(values: readonly T[]) =>
  (x: unknown): x is T =>
    typeof x === 'string' && (values as readonly string[]).includes(x);
const isChannel = (x: unknown): x is string => typeof x === 'string' && CHANNEL.test(x);
const isScalar = (x: unknown): boolean => x === null || ['string', 'number', 'boolean'].includes(typeof x);

function checkFilter(c: Checker, v: unknown, field: string): void {
  const f = c.obj(v, field, ['types', 'sources', 'modelLines', 'where']);
  if (!f) return;
  c.list(f.types, `${field}.types`, oneOf(TOUCHPOINT_TYPES), `one of ${TOUCHPOINT_TYPES.join(', ')}`);
  if (f.sources !== undefined) c.list(f.sources, `${field}.sources`, isChannel, 'a channel id');
  if (f.modelLines !== undefined) c.list(f.modelLines, `${field}.modelLines`, oneOf(LINES), `one of ${LINES.join(', ')}`);
  if (f.where === undefined) return;
  if (!Array.isArray(f.where)) {
    c.add(`${field}.where`, 'must be a list');
    return;
  }
  f.where.forEach((w, i) => {
    const wf = `${field}.where.${i}`;
    const cond = c.obj(w, wf, ['key', 'equals', 'in', 'gte', 'lte']);
    if (!cond) return;
    if (typeof cond.key !== 'string' || !KEY.test(cond.key)) c.add(`${wf}.key`, 'must be a property name');
    const kinds = ['equals' in cond, 'in' in cond, 'gte' in cond || 'lte' in cond].filter(Boolean).length;
    if (kinds !== 1) c.add(wf, 'must have exactly one of equals, in, or a gte/lte range');
    if ('equals' in cond && !isScalar(cond.equals)) c.add(`${wf}.equals`, 'must be a string, number, boolean or null');
    if ('in' in cond) c.list(cond.in, `${wf}.in`, (x): x is unknown => isScalar(x), 'a string, number, boolean or null');
    const lo = 'gte' in cond && c.num(cond.gte, `${wf}.gte`, -1e12, 1e12);
    const hi = 'lte' in cond && c.num(cond.lte, `${wf}.lte`, -1e12, 1e12);
    if (lo && hi && (cond.gte as number) > (cond.lte as number)) c.add(wf, 'gte must not be greater than lte');
  });
}

function checkRange(c: Checker, cond: Obj, field: string, max: number): void {
  if (cond.min === undefined && cond.max === undefined) c.add(field, 'must have min or max');
  const lo = cond.min !== undefined && c.num(cond.min, `${field}.min`, 0, max);
  const hi = cond.max !== undefined && c.num(cond.max, `${field}.max`, 0, max);
  if (lo && hi && (cond.min as number) > (cond.max as number)) c.add(field, 'min must not be greater than max');
}

function checkCondition(c: Checker, v: unknown, field: string): void {
  if (!isObj(v)) {
    c.add(field, 'must be an object');
    return;
  }
  switch (v.attr) {
    case 'stage':
      c.obj(v, field, ['attr', 'in']);
      return c.list(v.in, `${field}.in`, oneOf(STAGES), `one of ${STAGES.join(', ')}`);
    case 'cityTier':
      c.obj(v, field, ['attr', 'in']);
      return c.list(v.in, `${field}.in`, oneOf(CITY_TIERS), `one of ${CITY_TIERS.join(', ')}`);
    case 'tag':
      c.obj(v, field, ['attr', 'anyOf']);
      return c.list(v.anyOf, `${field}.anyOf`, (x): x is string => typeof x === 'string' && isLeafTag(x), 'a leaf tag id of the taxonomy');
    case 'sourceChannel':
      c.obj(v, field, ['attr', 'in']);
      return c.list(v.in, `${field}.in`, isChannel, 'a channel id');
    case 'sourceKind':
      c.obj(v, field, ['attr', 'in']);
      return c.list(v.in, `${field}.in`, oneOf(KINDS), `one of ${KINDS.join(', ')}`);
    case 'vehiclesOwned':
      c.obj(v, field, ['attr', 'min', 'max']);
      return checkRange(c, v, field, 100);
    case 'vehicleAgeYears':
      c.obj(v, field, ['attr', 'min', 'max']);
      return checkRange(c, v, field, 50);
    default:
      c.add(`${field}.attr`, 'must be one of stage, cityTier, tag, sourceChannel, sourceKind, vehiclesOwned, vehicleAgeYears');
  }
}

function checkGroups(c: Checker, v: unknown, field: string, rule: (r: unknown, f: string) => void): void {
  if (!Array.isArray(v)) {
    c.add(field, 'must be a list');
    return;
  }
  v.forEach((g, gi) => {
    const gf = `${field}.${gi}`;
    const group = c.obj(g, gf, ['id', 'label', 'cap', 'rules']);
    if (!group) return;
    c.id(group.id, `${gf}.id`);
    c.text(group.label, `${gf}.label`, 20);
    c.num(group.cap, `${gf}.cap`, 0, 100, { exclusiveMin: true });
    if (!Array.isArray(group.rules)) c.add(`${gf}.rules`, 'must be a list');
    else group.rules.forEach((r, ri) => rule(r, `${gf}.rules.${ri}`));
  });
}

export type ModelCheck = { ok: true; model: ScoringModel } | { ok: false; issues: FieldIssue[] };

export function validateModel(input: unknown): ModelCheck {
  const c = new Checker();
  const m = c.obj(input, '', ['version', 'name', 'fit', 'engagement', 'grades']);
  if (!m) return { ok: false, issues: c.issues };
  c.num(m.version, 'version', 1, Number.MAX_SAFE_INTEGER, { integer: true });
  c.text(m.name, 'name', 40);

  const fit = c.obj(m.fit, 'fit', ['cap', 'groups']);
  const eng = c.obj(m.engagement, 'engagement', ['cap', 'groups']);
  const fitCapOk = fit && c.num(fit.cap, 'fit.cap', 0, 100, { exclusiveMin: true });
  const engCapOk = eng && c.num(eng.cap, 'engagement.cap', 0, 100, { exclusiveMin: true });
  if (fit && eng && fitCapOk && engCapOk && (fit.cap as number) + (eng.cap as number) !== 100) c.add('engagement.cap', 'fit.cap + engagement.cap must be 100');

  if (fit)
    checkGroups(c, fit.groups, 'fit.groups', (r, f) => {
      const rule = c.obj(r, f, ['id', 'label', 'when', 'points', 'reason']);
      if (!rule) return;
      c.id(rule.id, `${f}.id`);
      c.text(rule.label, `${f}.label`, 20);
      checkCondition(c, rule.when, `${f}.when`);
      c.points(rule.points, `${f}.points`);
      c.text(rule.reason, `${f}.reason`, 60);
      if (typeof rule.reason === 'string' && /[{}[\]]/.test(rule.reason)) c.add(`${f}.reason`, 'is plain text: no {placeholders} or [ ]');
    });
  if (eng)
    checkGroups(c, eng.groups, 'engagement.groups', (r, f) => {
      const rule = c.obj(r, f, ['id', 'label', 'filter', 'points', 'dailyCap', 'windowDays', 'measure', 'reason']);
      if (!rule) return;
      c.id(rule.id, `${f}.id`);
      c.text(rule.label, `${f}.label`, 20);
      checkFilter(c, rule.filter, `${f}.filter`);
      c.points(rule.points, `${f}.points`);
      if (c.num(rule.dailyCap, `${f}.dailyCap`, 0, 100, { exclusiveMin: true }) && typeof rule.points === 'number' && (rule.dailyCap as number) < Math.abs(rule.points))
        c.add(`${f}.dailyCap`, 'must be at least the points of one event');
      c.num(rule.windowDays, `${f}.windowDays`, 1, RETENTION_DAYS, { integer: true });
      if (rule.measure !== undefined && (typeof rule.measure !== 'string' || !KEY.test(rule.measure))) c.add(`${f}.measure`, 'must be a property name');
      c.template(rule.reason, `${f}.reason`);
    });

  const grades = c.obj(m.grades, 'grades', ['H', 'A', 'B', 'C']);
  if (grades) {
    const ok = (['H', 'A', 'B', 'C'] as const).map((g) => c.num(grades[g], `grades.${g}`, 0, 100));
    if (ok.every(Boolean)) {
      const [h, a, b, cc] = [grades.H, grades.A, grades.B, grades.C] as number[];
      if (!(h > a)) c.add('grades.A', 'must be lower than grades.H');
      if (!(a > b)) c.add('grades.B', 'must be lower than grades.A');
      if (!(b > cc)) c.add('grades.C', 'must be lower than grades.B');
    }
  }
  return c.issues.length ? { ok: false, issues: c.issues } : { ok: true, model: input as ScoringModel };
}

/**
 * Checks a rule a manager sent: first its shape (`schemas.audienceRule`), then what needs
 * the catalog, each issue on its dotted path:
 * - tag ids of the taxonomy (any level); model ids of the catalog; channel ids;
 * - property filters on properties the chosen event types carry (`PROPERTY_RULES`), with
 *   numeric tests only on numbers and values of the fixed lists (`form`, `target`,
 *   `direction`) taken from those lists;
 * - at most `AUDIENCE_LIMITS.counters` distinct counters;
 * - given `now`, a `between` window that reaches further back than `MAX_LOOKBACK_DAYS`.
 */
import type { FieldIssue } from '../../../types/api';
import { AUDIENCE_LIMITS, MAX_LOOKBACK_DAYS, type AudienceNode, type AudienceRule, type EventMatch, type ModelSelector } from '../../../types/audience';
import type { TouchpointType } from '../../../types/model';
import { audienceRule } from '../../../types/schemas';
import { channelById } from '../catalog/channels';
import { modelById } from '../catalog/models';
import { tagById } from '../catalog/tags';
import { FORM_NAMES, TOUCHPOINT_TYPES } from '../catalog/touchpoints';
import { chinaDay } from '../events/day-buckets';
import { PROPERTY_RULES, type PropertyRule } from '../../../types/catalog';
import { counterDefOf } from './counters';
import { dayOfDate, lookbackStart } from './window';

export type ValidationResult = { ok: true; rule: AudienceRule } | { ok: false; issues: FieldIssue[] };

const NUMERIC = new Set(['number', 'nonNegative', 'count']);
/** Properties whose values come from a fixed list the catalog owns. */
const LISTED: Record<string, readonly string[]> = { form: Object.keys(FORM_NAMES) };

function checkModels(s: ModelSelector, field: string, issues: FieldIssue[]): void {
  if (s.by !== 'id') return;
  s.in.forEach((id, i) => {
    if (!modelById(id)) issues.push({ field: `${field}.in.${i}`, message: `is not a model of the catalog: ${id}` });
  });
}

function ruleOf(types: readonly TouchpointType[], key: string): PropertyRule | undefined {
  for (const t of types) {
    const r = PROPERTY_RULES[t][key];
    if (r) return r;
  }
  return undefined;
}

function checkEvent(m: EventMatch, field: string, issues: FieldIssue[]): void {
  const types = m.types ?? TOUCHPOINT_TYPES;
  m.sources?.forEach((s, i) => {
    if (!channelById(s)) issues.push({ field: `${field}.sources.${i}`, message: `is not a known channel: ${s}` });
  });
  if (m.model) checkModels(m.model, `${field}.model`, issues);
  m.where?.forEach((f, i) => {
    const at = `${field}.where.${i}`;
    const rule = ruleOf(types, f.key);
    if (!rule) {
      issues.push({ field: `${at}.key`, message: `is not a property of ${types.join('/')} events: ${f.key}` });
      return;
    }
    const numeric = f.op === 'gte' || f.op === 'lte' || f.op === 'between';
    if (numeric && !(typeof rule.kind === 'string' && NUMERIC.has(rule.kind))) {
      issues.push({ field: `${at}.op`, message: `${f.key} is not a number` });
      return;
    }
    const list = Array.isArray(rule.kind) ? (rule.kind as readonly string[]) : LISTED[f.key];
    if (!list) return;
    const values = f.op === 'eq' ? [f.value] : f.op === 'in' || f.op === 'notIn' ? f.values : [];
    values.forEach((v, j) => {
      if (v !== null && !list.includes(String(v))) issues.push({ field: f.op === 'eq' ? `${at}.value` : `${at}.values.${j}`, message: `must be one of ${list.join(', ')}` });
    });
  });
}

function walk(n: AudienceNode, field: string, issues: FieldIssue[], counters: Set<string>, today: number | undefined): void {
  switch (n.kind) {
    case 'and':
    case 'or':
      n.of.forEach((c, i) => walk(c, `${field}.of.${i}`, issues, counters, today));
      return;
    case 'not':
      walk(n.of, `${field}.of`, issues, counters, today);
      return;
    case 'tags':
      n.ids.forEach((id, i) => {
        if (!tagById(id)) issues.push({ field: `${field}.ids.${i}`, message: `is not a tag of the taxonomy: ${id}` });
      });
      return;
    case 'vehicle':
      checkModels(n.model, `${field}.model`, issues);
      return;
    case 'behaviour':
      checkEvent(n.event, `${field}.event`, issues);
      counters.add(counterDefOf(n.event).id);
      if (today !== undefined && n.window.kind === 'between' && dayOfDate(n.window.from) < lookbackStart(today)) {
        issues.push({ field: `${field}.window.from`, message: `must be within the last ${MAX_LOOKBACK_DAYS} days` });
      }
      return;
    default:
      return;
  }
}

/** The rule, or every issue found with its field. `now` (when saving) also checks how far windows reach back. */
export function validateAudienceRule(input: unknown, now?: number): ValidationResult {
  const parsed = audienceRule.safeParse(input);
  if (!parsed.success) {
    return { ok: false, issues: parsed.error.issues.map((i) => ({ field: i.path.length ? i.path.map(String).join('.') : '(rule)', message: i.message })) };
  }
  const issues: FieldIssue[] = [];
  const counters = new Set<string>();
  walk(parsed.data.root, 'root', issues, counters, now === undefined ? undefined : chinaDay(now));
  if (counters.size > AUDIENCE_LIMITS.counters) issues.push({ field: 'root', message: `needs ${counters.size} event counters, at most ${AUDIENCE_LIMITS.counters}` });
  return issues.length ? { ok: false, issues } : { ok: true, rule: parsed.data };
}

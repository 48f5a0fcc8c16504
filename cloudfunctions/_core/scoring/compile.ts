/**
 * A model turned into matchers once (cached per model object), so applying an event or
 * scoring 100k customers does no parsing. Also the filter signature that tells whether the
 * per-customer counters still fit a model.
 */
import { createHash } from 'node:crypto';
import type { ModelLine } from '../../../types/model';
import { modelById } from '../catalog/models';
import type { EngagementGroup, EngagementRule, EventFilter, FitGroup, FitRule, PropertyCondition, Scalar, ScoringModel } from './model';
import { compileReason, type CompiledReason } from './reasons';
import type { ScoringEvent } from './state';

export interface CompiledRule {
  rule: EngagementRule;
  group: EngagementGroup;
  /** Index into `engagementGroups`. */
  groupIndex: number;
  /** Position among all rules of the model (fit rules first): breaks ties between reasons. */
  order: number;
  match(e: ScoringEvent): boolean;
  measureKey: string;
  reason: CompiledReason;
}

export interface CompiledFitRule {
  rule: FitRule;
  group: FitGroup;
  groupIndex: number;
  order: number;
}

export interface CompiledModel {
  model: ScoringModel;
  rules: CompiledRule[];
  ruleById: Map<string, CompiledRule>;
  engagementGroups: EngagementGroup[];
  fitRules: CompiledFitRule[];
  fitGroups: FitGroup[];
  filterSig: string;
}

function conditionTest(c: PropertyCondition): (v: Scalar | undefined) => boolean {
  if ('equals' in c) return (v) => v === c.equals;
  if (c.in) {
    const set = new Set<Scalar>(c.in);
    return (v) => v !== undefined && set.has(v);
  }
  const lo = c.gte ?? Number.NEGATIVE_INFINITY;
  const hi = c.lte ?? Number.POSITIVE_INFINITY;
  return (v) => typeof v === 'number' && v >= lo && v <= hi;
}

export function compileFilter(f: EventFilter): (e: ScoringEvent) => boolean {
  const types = new Set<string>(f.types);
  const sources = f.sources ? new Set(f.sources) : undefined;
  const lines = f.modelLines ? new Set<ModelLine>(f.modelLines) : undefined;
  const where = (f.where ?? []).map((c) => ({ key: c.key, test: conditionTest(c) }));
  return (e) => {
    if (!types.has(e.type)) return false;
    if (sources && !sources.has(e.source)) return false;
    if (lines) {
      const id = e.properties.modelId;
      const line = typeof id === 'string' ? modelById(id)?.line : undefined;
      if (!line || !lines.has(line)) return false;
    }
    for (const w of where) if (!w.test(e.properties[w.key])) return false;
    return true;
  };
}

/** Key-sorted JSON, so two equal filters give the same text whatever their key order. */
function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** What decides a rule's counters: its filter and the property it sums. */
export function ruleCountingKey(r: EngagementRule): string {
  return stable({ filter: r.filter, measure: r.measure ?? 'dwellSeconds' });
}

function signature(model: ScoringModel): string {
  const parts = model.engagement.groups
    .flatMap((g) => g.rules)
    .map((r) => `${r.id}=${ruleCountingKey(r)}`)
    .sort();
  return createHash('sha1').update(parts.join('\n')).digest('hex').slice(0, 16);
}

const cache = new WeakMap<ScoringModel, CompiledModel>();

/** Compiles once per model object; treat models as immutable (a change is a new version). */
export function compileModel(model: ScoringModel): CompiledModel {
  const hit = cache.get(model);
  if (hit) return hit;
  let order = 0;
  const fitRules: CompiledFitRule[] = [];
  model.fit.groups.forEach((group, groupIndex) => {
    for (const rule of group.rules) fitRules.push({ rule, group, groupIndex, order: order++ });
  });
  const rules: CompiledRule[] = [];
  model.engagement.groups.forEach((group, groupIndex) => {
    for (const rule of group.rules) {
      rules.push({
        rule,
        group,
        groupIndex,
        order: order++,
        match: compileFilter(rule.filter),
        measureKey: rule.measure ?? 'dwellSeconds',
        reason: compileReason(rule.reason),
      });
    }
  });
  const compiled: CompiledModel = {
    model,
    rules,
    ruleById: new Map(rules.map((r) => [r.rule.id, r])),
    engagementGroups: model.engagement.groups,
    fitRules,
    fitGroups: model.fit.groups,
    filterSig: signature(model),
  };
  cache.set(model, compiled);
  return compiled;
}

/** Signature of the counting rules of a model, stored in each customer state. */
export function filterSignature(model: ScoringModel): string {
  return compileModel(model).filterSig;
}

/**
 * Whether moving from `oldModel` to `newModel` needs the events replayed: true when a rule
 * is new or counts differently (filter or measure). Points, caps, windows, reasons, grades,
 * fit rules and removed rules rescore from the stored counters.
 */
export function needsReplay(oldModel: ScoringModel, newModel: ScoringModel): boolean {
  const old = new Map(oldModel.engagement.groups.flatMap((g) => g.rules).map((r) => [r.id, ruleCountingKey(r)]));
  return newModel.engagement.groups.flatMap((g) => g.rules).some((r) => old.get(r.id) !== ruleCountingKey(r));
}

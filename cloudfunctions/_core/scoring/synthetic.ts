/**
 * A deterministic synthetic population (states built by replaying plausible events) for the
 * rescore benchmark and the speed test: `syntheticPopulation(100_000, now)` gives what
 * `rescoreAll` takes. Not demo data: the seed generator makes that.
 */
import type { EventDoc, LifecycleStage, TouchpointType } from '../../../types/model';
import { MODELS } from '../catalog/models';
import { DAY } from '../events/day-buckets';
import { DEFAULT_MODEL, type ScoringModel } from './model';
import type { ScoreSubject } from './score';
import { rebuildState, type CustomerState, type ScoringEvent } from './state';

/** A seeded PRNG (mulberry32): the same draws on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATEGORIES = ['space', 'performance', 'driving', 'tech', 'safety', 'price', 'design', 'energy'];
const SOURCES = ['autohome', 'dongchedi', 'douyin', 'miniprogram', 'wecom', 'store', 'referral', 'douyin_live'];
const CITIES = ['上海', '苏州', '南通', '昆山', '嘉兴', '杭州', ''];
const STAGES: LifecycleStage[] = ['lead', 'lead', 'lead', 'prospect', 'prospect', 'owner'];
const TAGS = ['power-level-high', 'power-level-medium', 'intent-budget-20_30', 'behavior-focus-space', 'lifecycle-risk-lost'];

function event(rand: () => number, i: number, now: number): ScoringEvent {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const at = now - Math.floor(rand() * 120 * DAY);
  const model = pick(MODELS).id;
  const r = rand();
  let type: TouchpointType = 'content_view';
  let properties: EventDoc['properties'] = { materialId: `m${i % 50}`, dwellSeconds: Math.floor(rand() * 400), category: pick(CATEGORIES), modelId: model };
  if (r > 0.6) [type, properties] = ['ad_click', { modelId: model, campaign: 'c1' }];
  if (r > 0.75) [type, properties] = ['share', { materialId: 'm1', category: pick(CATEGORIES), modelId: model, target: 'moments' }];
  if (r > 0.82) [type, properties] = ['form_submit', { form: pick(['test_drive_booking', 'price_inquiry', 'activity_signup']), modelId: model, formName: null, activityId: null }];
  if (r > 0.88) [type, properties] = ['store_visit', { durationMinutes: 40, visitNo: 1 }];
  if (r > 0.93) [type, properties] = ['test_drive', { modelId: model, trim: 't', durationMinutes: 20 }];
  if (r > 0.96) [type, properties] = ['call', { direction: pick(['inbound', 'outbound']), durationSeconds: 60, connected: rand() > 0.3 }];
  return { _id: `e${i}`, type, source: pick(SOURCES), properties, timestamp: at };
}

export interface SyntheticPopulation {
  states: CustomerState[];
  subjects: ScoreSubject[];
}

export interface SyntheticOptions {
  seed?: number;
  /** Events per customer are 0..maxEvents (24 by default) over the last 120 days. */
  maxEvents?: number;
  model?: ScoringModel;
  /**
   * Build only this many distinct states and repeat them (subjects stay distinct): replaying
   * a million events takes far longer than the rescore being measured.
   */
  distinctStates?: number;
}

/** `n` customers for `rescoreAll`, the same for the same options. */
export function syntheticPopulation(n: number, now: number, opts: SyntheticOptions = {}): SyntheticPopulation {
  const rand = mulberry32(opts.seed ?? 42);
  const model = opts.model ?? DEFAULT_MODEL;
  const maxEvents = opts.maxEvents ?? 24;
  const states: CustomerState[] = [];
  const subjects: ScoreSubject[] = [];
  let id = 0;
  const distinct = Math.min(n, opts.distinctStates ?? n);
  for (let c = 0; c < n; c++) {
    if (c < distinct) {
      const count = Math.floor(rand() * (maxEvents + 1));
      const events: ScoringEvent[] = [];
      for (let k = 0; k < count; k++) events.push(event(rand, id++, now));
      states.push(rebuildState(events, model));
    } else states.push(states[c % distinct]);
    const stage = STAGES[Math.floor(rand() * STAGES.length)];
    subjects.push({
      stage,
      city: CITIES[Math.floor(rand() * CITIES.length)],
      sourceChannel: SOURCES[Math.floor(rand() * SOURCES.length)],
      vehiclesOwned: stage === 'owner' ? [{ modelId: 'tuyao', vinTail: String(c), purchasedAt: now - Math.floor(rand() * 9 * 365) * DAY }] : [],
      tags: rand() > 0.5 ? [{ tagId: TAGS[Math.floor(rand() * TAGS.length)], path: [], source: 'rule', assignedAt: now - DAY }] : [],
    });
  }
  return { states, subjects };
}

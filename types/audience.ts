/**
 * Audiences (人群圈选): a versioned JSON rule a store manager builds from profile conditions
 * (stage, grade, tags, vehicles, store, consent, score) and behaviour conditions (how many
 * events of a kind in a time window), combined with nested and / or / not.
 *
 * The rule is plain data: stored as is in the audience document, validated by
 * `schemas.audienceRule` (shape) and `validateAudienceRule` in `_core/audiences` (catalog),
 * described in Chinese by `describeAudience`. The app imports these types only.
 *
 * Time: all windows are sets of China calendar days (UTC+8) ending today; "today" is the day
 * `now` falls on. A window never reaches back further than `MAX_LOOKBACK_DAYS` (today
 * included); `ever` counts every event.
 */
import type { BodyType } from './car-models';
import type { IntentGrade, LifecycleStage, ModelLine, TouchpointType } from './catalog';

/** The rule format. A change of shape gets a new number and a migration of stored rules. */
export const AUDIENCE_RULE_VERSION = 1;

/** The longest look-back of a window, today included (a leap year and a day of slack). */
export const MAX_LOOKBACK_DAYS = 366;

export type Scalar = string | number | boolean | null;

/**
 * Which models a condition means, by one attribute of the catalog: model `id`, model `line`
 * (the brand's range: SUV / sedan / MPV / NEV) or `body` type (suv / sedan / mpv / hatchback).
 * The demo's "SUV" differs between the two: line SUV is 揽岳, 途遥, 凌峰; body suv adds the
 * NEV SUVs 青澜EV and 揽岳增程.
 */
export type ModelSelector =
  | { by: 'id'; in: string[] }
  | { by: 'line'; in: ModelLine[] }
  | { by: 'body'; in: BodyType[] };

/**
 * One test on an event property (`EventDoc.properties[key]`). `notIn` also holds when the
 * property is absent; the numeric tests hold only for numbers.
 */
export type PropertyFilter =
  | { key: string; op: 'eq'; value: Scalar }
  | { key: string; op: 'in'; values: Scalar[] }
  | { key: string; op: 'notIn'; values: Scalar[] }
  | { key: string; op: 'gte' | 'lte'; value: number }
  | { key: string; op: 'between'; min: number; max: number };

/**
 * Which events a behaviour condition counts. Every part that is present must hold: one of
 * `types` (any type when absent), one of `sources` (channel ids, `EventDoc.source`), the
 * event's `properties.modelId` picked by `model` (an event without a model never matches),
 * and every `where` filter.
 */
export interface EventMatch {
  types?: TouchpointType[];
  sources?: string[];
  model?: ModelSelector;
  where?: PropertyFilter[];
}

/** How many matching events: at least, at most, exactly, or between (inclusive). */
export type CountTest =
  | { op: 'gte' | 'lte' | 'eq'; value: number }
  | { op: 'between'; min: number; max: number };

/**
 * When: the last N China days (today included), two China calendar dates (inclusive,
 * `YYYY-MM-DD`), this calendar month or quarter up to today, or ever.
 */
export type TimeWindow =
  | { kind: 'last'; days: number }
  | { kind: 'between'; from: string; to: string }
  | { kind: 'this'; period: 'month' | 'quarter' }
  | { kind: 'ever' };

/** The purposes a customer can consent to (PIPL: consent is per purpose and withdrawable). */
export type ConsentPurpose = 'marketing' | 'group_sharing';

export type AudienceLeaf =
  | { kind: 'stage'; in: LifecycleStage[] }
  /** `none`: customers without a grade. */
  | { kind: 'grade'; in: (IntentGrade | 'none')[] }
  /**
   * Tags of any level: a level-1 or level-2 id holds when the customer carries any leaf
   * under it. `any`: at least one of `ids`; `all`: every one; `none`: not one.
   */
  | { kind: 'tags'; match: 'any' | 'all' | 'none'; ids: string[] }
  /** The customer's vehicles of interest or owned vehicles include one of the models. */
  | { kind: 'vehicle'; relation: 'interest' | 'owned'; model: ModelSelector }
  | { kind: 'store'; in: string[] }
  /** The consultant who owns the customer (staff ids); `null` stands for the store's pool (公海). */
  | { kind: 'owner'; in: (string | null)[] }
  | { kind: 'consent'; purpose: ConsentPurpose; granted: boolean }
  /** The lead score (0-100), inclusive; never holds for a customer not yet scored. */
  | { kind: 'score'; min?: number; max?: number }
  | { kind: 'behaviour'; event: EventMatch; count: CountTest; window: TimeWindow };

export type AudienceNode =
  | { kind: 'and'; of: AudienceNode[] }
  | { kind: 'or'; of: AudienceNode[] }
  | { kind: 'not'; of: AudienceNode }
  | AudienceLeaf;

export interface AudienceRule {
  version: typeof AUDIENCE_RULE_VERSION;
  root: AudienceNode;
}

/** Limits that keep a rule evaluable on every event of every customer. */
export const AUDIENCE_LIMITS = {
  depth: 6,
  leaves: 32,
  /** Distinct event counters one rule may need. */
  counters: 16,
  listItems: 50,
  maxCount: 100_000,
} as const;

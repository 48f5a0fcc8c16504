/**
 * Rule tags: computed from a customer's precomputed activity and attributes, never from the
 * event history. Each computed tag expires `RULE_TAG_TTL_DAYS` after it was computed, so a
 * tag nobody recomputes goes away by itself; every event and the nightly job recompute them.
 * The rules (windows end today; "interactions" are what the customer did, not staff
 * reaching out):
 *
 * - 关注空间/性能/驾驶体验/智能科技/安全/外观设计/能耗续航, 价格敏感: in the last 90 days at
 *   least 3 content views of that category, or 2 views with 3 minutes of dwell in total; a
 *   price inquiry in the last 90 days also makes 价格敏感;
 * - 一个月内提车: a delivery within the last 30 days (needs the proposed leaf
 *   `lifecycle-owner_phase-d30`, see `PROPOSED_TAGS`);
 * - 活跃等级: 30-day interactions >= 10 高活跃, 3-9 中活跃, 1-2 低活跃; none in 90 days 沉睡;
 *   none in 30 days but some in 90 低活跃;
 * - 最近互动: last interaction within 7 / 30 / 90 days, or 90天以上无互动;
 * - 互动频次: 90-day interactions >= 10, 3-9, 1-2;
 * - 行为评分: the score's total, >= 80 / 60-79 / 40-59 / below 40 (when a score is given);
 * - 客户阶段: the lifecycle stage;
 * - owners: 换购窗口, 车龄 and 车主阶段 from the cars they own (see `lifecycle/replacement`),
 *   有置换需求 while the replacement flag is current, 已做置换评估 after a trade-in
 *   assessment in the last 180 days;
 * - 意向行为 (90 days): 已预约试驾, 已试驾, 已报价, and 多店比价 when 2+ stores were visited;
 * - 意向级别 and 购车周期 from the intent grade (H/A 意向高, B 意向中, C 意向低);
 * - 关注车型 (up to 3 most recent models of interest in 90 days), with their body (关注SUV /
 *   轿车 / MPV) and energy type;
 * - 社交传播: 90-day shares >= 5 高分享(KOC), 1-4 偶尔分享;
 * - 活动参与: sign-ups in 180 days >= 3 多次参与活动, >= 1 报名过活动;
 * - 流失风险: 战败客户 after a lost outcome in 180 days; for non-owners 沉睡客户 without an
 *   interaction in 90 days, 流失预警 for prospects without one in 30 days;
 * - 渠道偏好: the channel kind with most interactions in 90 days, if at least 3;
 * - 城市级别: from the city.
 */
import type { CustomerDoc, IntentGrade, LifecycleStage, OwnedVehicle, TagAssignment } from '../../../types/model';
import type { ChannelKind } from '../catalog/channels';
import { modelById } from '../catalog/models';
import { isLeafTag, STAGE_TAG, tagPath } from '../catalog/tags';
import type { ActivityState } from '../events/activity';
import { chinaDay, DAY, sumWindow } from '../events/day-buckets';
import { GRADE_HORIZON_TAG } from '../lifecycle/grade';
import { ownerTenureTag, replacementPhase, vehicleAgeTag } from '../lifecycle/replacement';
import { groupOf, isExclusive } from './assign';
import { cityTier, cityTierTag } from './city-tier';

export const RULE_TAG_TTL_DAYS = 2;

/** Leaves the rules need that the taxonomy does not have yet (to be added to the catalog). */
export const PROPOSED_TAGS = [{ id: 'lifecycle-owner_phase-d30', name: '一个月内提车', parentId: 'lifecycle-owner_phase' }] as const;
export const RECENT_DELIVERY_TAG = PROPOSED_TAGS[0].id;

export interface TagRuleInput {
  now: number;
  stage: LifecycleStage;
  city: string;
  activity: ActivityState;
  vehiclesOwned: readonly OwnedVehicle[];
  storesVisited: CustomerDoc['storesVisited'];
  /** The effective intent grade (see `lifecycle/grade`). */
  grade?: IntentGrade;
  /** The score's total, 0-100. */
  score?: number;
  /** From `replacementIntentAt` in `lifecycle/stage`. */
  replacementIntentAt?: number;
}

export interface RuleTag {
  tagId: string;
  /** Which rule produced it (for the profile's "why this tag"). */
  rule: string;
}

const FOCUS_TAGS: Readonly<Record<string, string>> = {
  space: 'behavior-focus-space',
  performance: 'behavior-focus-performance',
  driving: 'behavior-focus-driving',
  tech: 'behavior-focus-tech',
  safety: 'behavior-focus-safety',
  design: 'behavior-focus-design',
  energy: 'behavior-focus-energy',
  price: 'behavior-focus-price',
};

const CHANNEL_TAGS: Readonly<Record<ChannelKind, string>> = {
  vertical: 'behavior-channel-vertical',
  media: 'behavior-channel-short_video',
  live: 'behavior-channel-short_video',
  owned: 'behavior-channel-private',
  offline: 'behavior-channel-offline',
};

const within = (at: number | undefined, now: number, days: number) => at !== undefined && at <= now && now - at < days * DAY;

/**
 * Every rule tag the customer should carry now. Tags the taxonomy does not know (`isKnown`,
 * the catalog by default) are left out, so a proposed leaf starts working once it is added.
 */
export function computeRuleTags(input: TagRuleInput, isKnown: (tagId: string) => boolean = isLeafTag): RuleTag[] {
  const { now, activity: a } = input;
  const today = chinaDay(now);
  const out: RuleTag[] = [];
  const add = (tagId: string | undefined, rule: string) => {
    if (tagId && isKnown(tagId) && !out.some((t) => t.tagId === tagId)) out.push({ tagId, rule });
  };

  for (const [category, tagId] of Object.entries(FOCUS_TAGS)) {
    const b = a.content[category];
    if (!b) continue;
    const w = sumWindow(b, today, 90);
    if (w.count >= 3 || (w.count >= 2 && w.measure >= 180)) add(tagId, `focus_${category}`);
  }
  if (within(a.last.price_inquiry, now, 90)) add(FOCUS_TAGS.price, 'focus_price');

  if (within(a.last.delivery, now, 30)) add(RECENT_DELIVERY_TAG, 'recent_delivery');

  const i30 = sumWindow(a.interactions, today, 30).count;
  const i90 = sumWindow(a.interactions, today, 90).count;
  if (i30 >= 10) add('activity-level-high', 'activity_level');
  else if (i30 >= 3) add('activity-level-medium', 'activity_level');
  else if (i90 >= 1) add('activity-level-low', 'activity_level');
  else add('activity-level-dormant', 'activity_level');

  const last = a.lastActivityAt;
  if (last !== undefined) {
    if (within(last, now, 7)) add('activity-recency-d7', 'recency');
    else if (within(last, now, 30)) add('activity-recency-d30', 'recency');
    else if (within(last, now, 90)) add('activity-recency-d90', 'recency');
    else add('activity-recency-gt90', 'recency');
  }
  if (i90 >= 10) add('activity-frequency-f10', 'frequency');
  else if (i90 >= 3) add('activity-frequency-f3', 'frequency');
  else if (i90 >= 1) add('activity-frequency-f1', 'frequency');

  if (input.score !== undefined) {
    const s = input.score;
    add(s >= 80 ? 'activity-score-s80' : s >= 60 ? 'activity-score-s60' : s >= 40 ? 'activity-score-s40' : 'activity-score-lt40', 'score_band');
  }

  add(STAGE_TAG[input.stage], 'stage');

  if (input.stage === 'owner' && input.vehiclesOwned.length) {
    add(replacementPhase(input.vehiclesOwned, now)?.tagId, 'replacement_window');
    add(vehicleAgeTag(input.vehiclesOwned, now), 'vehicle_age');
    add(ownerTenureTag(input.vehiclesOwned, now), 'owner_tenure');
  }
  if (input.stage === 'owner' && input.replacementIntentAt !== undefined) add('replace-need-replace', 'replacement_intent');
  if (within(a.last.trade_in, now, 180)) add('replace-tradein-assessed', 'trade_in');

  if (within(a.last.test_drive_booking, now, 90)) add('intent-signal-booked', 'booked');
  if (within(a.last.test_drive, now, 90)) add('intent-signal-test_driven', 'test_driven');
  if (within(a.last.quote, now, 90)) add('intent-signal-quoted', 'quoted');
  if (input.storesVisited.filter((s) => within(s.lastAt, now, 90)).length >= 2) add('intent-signal-multi_store', 'multi_store');

  if (input.grade) {
    add(GRADE_HORIZON_TAG[input.grade], 'grade');
    add(input.grade === 'H' || input.grade === 'A' ? 'intent-level-high' : input.grade === 'B' ? 'intent-level-medium' : 'intent-level-low', 'grade');
  }

  const models = Object.entries(a.models)
    .filter(([, at]) => within(at, now, 90))
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, 3);
  for (const [modelId] of models) {
    const m = modelById(modelId);
    if (!m) continue;
    add(`vehicle_pref-model-${modelId}`, 'models');
    add(`vehicle_pref-body-${m.body}`, 'models');
  }
  // One powertrain (an exclusive group): the one of the model looked at most recently.
  const latest = models.length ? modelById(models[0][0]) : undefined;
  if (latest) add(`vehicle_energy-type-${latest.energy}`, 'models');

  const shares = sumWindow(a.shares, today, 90).count;
  if (shares >= 5) add('behavior-share-koc', 'shares');
  else if (shares >= 1) add('behavior-share-sharer', 'shares');

  const signups = sumWindow(a.signups, today, 180).count;
  if (signups >= 3) add('care-campaign-frequent', 'signups');
  else if (signups >= 1) add('care-campaign-signed_up', 'signups');

  if (within(a.last.lost, now, 180)) add('lifecycle-risk-lost', 'lost');
  else if (input.stage !== 'owner' && last !== undefined) {
    if (!within(last, now, 90)) add('lifecycle-risk-dormant', 'dormant');
    else if (input.stage === 'prospect' && !within(last, now, 30)) add('lifecycle-risk-warning', 'churn_warning');
  }

  let best: [ChannelKind, number] | undefined;
  for (const [kind, b] of Object.entries(a.channels) as [ChannelKind, number[]][]) {
    const n = sumWindow(b, today, 90).count;
    if (n >= 3 && (!best || n > best[1])) best = [kind, n];
  }
  if (best) add(CHANNEL_TAGS[best[0]], 'channel');

  const tier = cityTier(input.city);
  if (tier) add(cityTierTag(tier), 'city_tier');
  return out;
}

export interface RuleTagUpdate {
  tags: TagAssignment[];
  added: string[];
  removed: string[];
  /** Whether anything other than expiry times changed. */
  changed: boolean;
}

/**
 * Replaces the customer's rule tags with the computed ones. Tags from the OEM or a
 * consultant are kept as they are, and a rule never adds a tag a person already set, nor a
 * leaf of an exclusive group where a person chose another leaf. A rule tag that stays keeps
 * its first assignment time; all rule tags get a fresh expiry.
 */
export function applyRuleTags(tags: readonly TagAssignment[], computed: readonly RuleTag[], now: number): RuleTagUpdate {
  const human = tags.filter((t) => t.source !== 'rule');
  const humanIds = new Set(human.map((t) => t.tagId));
  const humanGroups = new Set(human.filter((t) => isExclusive(t.tagId)).map((t) => groupOf(t.tagId)));
  const previous = new Map(tags.filter((t) => t.source === 'rule').map((t) => [t.tagId, t]));
  const expiresAt = now + RULE_TAG_TTL_DAYS * DAY;

  const next: TagAssignment[] = [...human];
  const added: string[] = [];
  const kept = new Set<string>();
  for (const r of computed) {
    if (humanIds.has(r.tagId) || kept.has(r.tagId)) continue;
    if (isExclusive(r.tagId) && humanGroups.has(groupOf(r.tagId))) continue;
    const had = previous.get(r.tagId);
    const stillActive = had && (had.expiresAt === undefined || had.expiresAt > now);
    next.push({ tagId: r.tagId, path: tagPath(r.tagId), source: 'rule', assignedAt: stillActive ? had.assignedAt : now, expiresAt });
    kept.add(r.tagId);
    if (!stillActive) added.push(r.tagId);
  }
  const removed = [...previous.keys()].filter((id) => !kept.has(id) && (previous.get(id)!.expiresAt ?? Infinity) > now);
  return { tags: next, added, removed, changed: added.length > 0 || removed.length > 0 };
}

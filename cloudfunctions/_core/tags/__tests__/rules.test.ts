import type { EventDoc, TagAssignment } from '../../../../types/model';
import { isLeafTag, tagById } from '../../catalog/tags';
import { applyActivity, emptyActivity } from '../../events/activity';
import { groupOf, isExclusive, tagAssignment } from '../assign';
import { cityTier, CITY_TIER_NAMES, cityTierTag, CITY_TIERS } from '../city-tier';
import { applyRuleTags, computeRuleTags, PROPOSED_TAGS, RECENT_DELIVERY_TAG, RULE_TAG_TTL_DAYS, type TagRuleInput } from '../rules';

const NOW = Date.parse('2026-11-23T20:00:00+08:00');
const DAY = 86_400_000;
type Ev = Pick<EventDoc, 'type' | 'source' | 'properties' | 'timestamp'>;
const ev = (type: EventDoc['type'], daysAgo: number, properties: Ev['properties'] = {}, source = 'miniprogram'): Ev => ({ type, source, properties, timestamp: NOW - daysAgo * DAY });
const view = (daysAgo: number, category: string, dwellSeconds = 40) => ev('content_view', daysAgo, { category, dwellSeconds });

function input(events: Ev[], over: Partial<TagRuleInput> = {}): TagRuleInput {
  return { now: NOW, stage: 'lead', city: '', activity: events.reduce(applyActivity, emptyActivity()), vehiclesOwned: [], storesVisited: [], ...over };
}
const ids = (events: Ev[], over: Partial<TagRuleInput> = {}) => computeRuleTags(input(events, over)).map((t) => t.tagId);

describe('rule tags', () => {
  it('关注空间 after three space views in 90 days, or two with three minutes of reading', () => {
    expect(ids([view(1, 'space'), view(40, 'space')])).not.toContain('behavior-focus-space');
    expect(ids([view(1, 'space'), view(40, 'space'), view(89, 'space')])).toContain('behavior-focus-space');
    expect(ids([view(1, 'space'), view(40, 'space'), view(91, 'space')])).not.toContain('behavior-focus-space');
    expect(ids([view(1, 'driving', 100), view(5, 'driving', 80)])).toContain('behavior-focus-driving');
    expect(ids([view(1, 'performance'), view(2, 'performance'), view(3, 'performance')])).toContain('behavior-focus-performance');
    expect(ids([view(1, 'tech'), view(2, 'tech'), view(3, 'tech')])).toContain('behavior-focus-tech');
  });

  it('价格敏感 from price content or a price inquiry', () => {
    expect(ids([view(1, 'price'), view(2, 'price'), view(3, 'price')])).toContain('behavior-focus-price');
    expect(ids([ev('form_submit', 10, { form: 'price_inquiry', modelId: 'lanyue' })])).toContain('behavior-focus-price');
    expect(tagById('behavior-focus-price')?.name).toBe('价格敏感');
  });

  it('一个月内提车 from a delivery in the last 30 days (a proposed leaf, left out until the taxonomy has it)', () => {
    const withProposed = (id: string) => isLeafTag(id) || id === RECENT_DELIVERY_TAG;
    const delivered = (daysAgo: number) => input([ev('delivery', daysAgo, { modelId: 'lanyue', vinTail: '123456' }, 'store')], { stage: 'owner' });
    expect(computeRuleTags(delivered(12), withProposed)).toContainEqual({ tagId: RECENT_DELIVERY_TAG, rule: 'recent_delivery' });
    expect(computeRuleTags(delivered(31), withProposed).map((t) => t.tagId)).not.toContain(RECENT_DELIVERY_TAG);
    expect(computeRuleTags(delivered(12)).every((t) => isLeafTag(t.tagId))).toBe(true);
  });

  it('activity level from 30-day interactions; the consultant calling does not count', () => {
    const days = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ev('wecom_chat', from + i, { direction: 'in', messages: 1 }, 'wecom'));
    expect(ids(days(10))).toContain('activity-level-high');
    expect(ids(days(3))).toContain('activity-level-medium');
    expect(ids(days(1))).toContain('activity-level-low');
    expect(ids(days(2, 40))).toContain('activity-level-low');
    expect(ids(days(1, 100))).toContain('activity-level-dormant');
    const calls = Array.from({ length: 12 }, (_, i) => ev('call', i, { direction: 'outbound', connected: true }, 'phone'));
    expect(ids(calls)).toContain('activity-level-dormant');
    expect(ids(days(1, 3))).toEqual(expect.arrayContaining(['activity-recency-d7', 'activity-frequency-f1']));
    expect(ids(days(1, 100))).toEqual(expect.arrayContaining(['activity-recency-gt90']));
  });

  it('stage, grade and score bands', () => {
    const t = ids([], { stage: 'prospect', grade: 'H', score: 83 });
    expect(t).toEqual(expect.arrayContaining(['lifecycle-stage-prospect', 'intent-horizon-d7', 'intent-level-high', 'activity-score-s80']));
    expect(ids([], { grade: 'C', score: 39 })).toEqual(expect.arrayContaining(['intent-horizon-m3', 'intent-level-low', 'activity-score-lt40']));
  });

  it('换购期 tags for owners from the age of their car, and the replacement flag', () => {
    const car = (years: number) => ({ modelId: 'tuyao', vinTail: 'x', purchasedAt: NOW - years * 365.25 * DAY });
    expect(ids([], { stage: 'owner', vehiclesOwned: [car(6)] })).toEqual(
      expect.arrayContaining(['replace-window-peak', 'vehicle_status-age-y5_8', 'lifecycle-owner_phase-veteran', 'lifecycle-stage-owner']),
    );
    expect(ids([], { stage: 'owner', vehiclesOwned: [car(4)], replacementIntentAt: NOW - DAY })).toEqual(expect.arrayContaining(['replace-window-watch', 'replace-need-replace']));
    expect(ids([], { stage: 'owner', vehiclesOwned: [car(0.5)] })).toEqual(expect.arrayContaining(['replace-window-early', 'lifecycle-owner_phase-new']));
    expect(ids([], { stage: 'lead', vehiclesOwned: [car(6)] })).not.toContain('replace-window-peak');
  });

  it('intent signals and comparison shopping', () => {
    const t = ids(
      [ev('form_submit', 20, { form: 'test_drive_booking', modelId: 'lanyue' }), ev('test_drive', 10, { modelId: 'lanyue' }, 'store'), ev('quote', 9, { modelId: 'lanyue', price: 1 }, 'store')],
      { storesVisited: [{ storeId: 's1', count: 2, lastAt: NOW - 10 * DAY }, { storeId: 's2', count: 1, lastAt: NOW - 30 * DAY }] },
    );
    expect(t).toEqual(expect.arrayContaining(['intent-signal-booked', 'intent-signal-test_driven', 'intent-signal-quoted', 'intent-signal-multi_store']));
  });

  it('models of interest with body, and one powertrain: the latest model’s', () => {
    const t = ids([ev('ad_click', 3, { modelId: 'qinglan_ev' }, 'autohome'), ev('content_view', 5, { category: 'space', dwellSeconds: 10, modelId: 'yuchen' })]);
    expect(t).toEqual(expect.arrayContaining(['vehicle_pref-model-qinglan_ev', 'vehicle_pref-body-suv', 'vehicle_energy-type-bev', 'vehicle_pref-model-yuchen', 'vehicle_pref-body-mpv']));
    expect(t.filter((id) => id.startsWith('vehicle_energy-type-'))).toEqual(['vehicle_energy-type-bev']);
  });

  it('never gives two leaves of an exclusive group', () => {
    const t = ids([ev('ad_click', 2, { modelId: 'lanyue_erev' }, 'autohome'), ev('ad_click', 3, { modelId: 'qinglan_ev' }, 'autohome'), ev('content_view', 5, { category: 'space', dwellSeconds: 10, modelId: 'yuchen' })], { stage: 'prospect' });
    const groups = t.filter(isExclusive).map(groupOf);
    expect(new Set(groups).size).toBe(groups.length);
  });

  it('sharing, activities, channel preference, risk and city tier', () => {
    const shares = Array.from({ length: 5 }, (_, i) => ev('share', i, {}, 'miniprogram'));
    expect(ids(shares, { city: '苏州' })).toEqual(expect.arrayContaining(['behavior-share-koc', 'behavior-channel-private', 'basic-city_tier-new_t1']));
    expect(ids([ev('form_submit', 3, { form: 'activity_signup' })])).toContain('care-campaign-signed_up');
    expect(ids([ev('call', 3, { direction: 'outbound', outcome: 'lost' }, 'phone')], { stage: 'prospect' })).toContain('lifecycle-risk-lost');
    expect(ids([view(45, 'space')], { stage: 'prospect' })).toContain('lifecycle-risk-warning');
    expect(ids([view(100, 'space')], { stage: 'lead' })).toContain('lifecycle-risk-dormant');
    expect(cityTier('上海市')).toBe('t1');
    expect(cityTier('昆山')).toBe('t3_below');
    expect(cityTier(' ')).toBeUndefined();
    // The tier names are the taxonomy's names.
    for (const t of CITY_TIERS) expect(tagById(cityTierTag(t))?.name).toBe(CITY_TIER_NAMES[t]);
  });

  it('every tag a rule can produce is a leaf of the taxonomy, except the listed proposals', () => {
    const busy = input(
      [
        ...Array.from({ length: 12 }, (_, i) => view(i, ['space', 'price', 'tech', 'driving', 'safety', 'design', 'energy', 'performance'][i % 8], 200)),
        ev('delivery', 3, { modelId: 'lanyue', vinTail: '1' }, 'store'),
      ],
      { stage: 'owner', vehiclesOwned: [{ modelId: 'lanyue', vinTail: '1', purchasedAt: NOW - 3 * DAY }], grade: 'B', score: 50, city: '北京' },
    );
    for (const t of computeRuleTags(busy)) expect(isLeafTag(t.tagId)).toBe(true);
    for (const p of PROPOSED_TAGS) expect(tagById(p.parentId)?.level).toBe(2);
  });
});

describe('applyRuleTags', () => {
  const rule = (tagId: string, at: number, expiresAt?: number): TagAssignment => tagAssignment(tagId, 'rule', at, expiresAt ?? at + 2 * DAY);

  it('adds new rule tags, refreshes kept ones and removes those no longer true', () => {
    const tags = [rule('activity-level-high', NOW - 5 * DAY, NOW + DAY), rule('behavior-focus-space', NOW - 5 * DAY, NOW + DAY)];
    const r = applyRuleTags(tags, [{ tagId: 'behavior-focus-space', rule: 'focus_space' }, { tagId: 'activity-level-medium', rule: 'activity_level' }], NOW);
    expect(r.added).toEqual(['activity-level-medium']);
    expect(r.removed).toEqual(['activity-level-high']);
    expect(r.changed).toBe(true);
    expect(r.tags).toEqual([
      { tagId: 'behavior-focus-space', path: ['behavior', 'behavior-focus'], source: 'rule', assignedAt: NOW - 5 * DAY, expiresAt: NOW + RULE_TAG_TTL_DAYS * DAY },
      { tagId: 'activity-level-medium', path: ['activity', 'activity-level'], source: 'rule', assignedAt: NOW, expiresAt: NOW + RULE_TAG_TTL_DAYS * DAY },
    ]);
    expect(applyRuleTags(r.tags, [{ tagId: 'behavior-focus-space', rule: 'x' }, { tagId: 'activity-level-medium', rule: 'x' }], NOW + 1000).changed).toBe(false);
  });

  it('never removes or overrides what the OEM or a consultant set', () => {
    const tags = [tagAssignment('activity-level-low', 'consultant', NOW - DAY), tagAssignment('behavior-focus-space', 'oem', NOW - 9 * DAY), rule('behavior-focus-tech', NOW - DAY)];
    const r = applyRuleTags(tags, [{ tagId: 'activity-level-high', rule: 'activity_level' }, { tagId: 'behavior-focus-space', rule: 'focus_space' }], NOW);
    expect(r.tags).toEqual([tags[0], tags[1]]);
    expect(r.removed).toEqual(['behavior-focus-tech']);
    expect(r.added).toEqual([]);
  });

  it('a rule tag that had expired counts as new again', () => {
    const r = applyRuleTags([rule('behavior-focus-space', NOW - 9 * DAY, NOW - DAY)], [{ tagId: 'behavior-focus-space', rule: 'x' }], NOW);
    expect(r.added).toEqual(['behavior-focus-space']);
    expect(r.tags[0].assignedAt).toBe(NOW);
  });
});

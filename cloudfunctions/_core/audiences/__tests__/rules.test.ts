import type { AudienceRule } from '../../../../types/audience';
import { Bitset } from '../bitset';
import { AudienceIndex } from '../columnar';
import { compileAudience, matches, MissingCounterError } from '../compile';
import { counterDefOf, counterSpec, missingCounters, specChange, specDocOf, specForRules } from '../counters';
import { describeAudience } from '../describe';
import { applyEvent, dayEntry, emptyFeatures, FEATURE_RETENTION_DAYS, featuresStatus, mergeFeatures, rebuildFeatures } from '../features';
import { leavesOf, profileOf, type AudienceProfile } from '../profile';
import { HIGH_INTENT_ACTIVE, SUV_TEST_DRIVE } from '../templates';
import { validateAudienceRule } from '../validate';
import { dayOfDate, nextPeriodStart, periodStart, windowRange } from '../window';
import { chinaDay } from '../../events/day-buckets';

const NOW = Date.parse('2026-11-23T10:00:00+08:00');
const DAY = 86_400_000;
const TODAY = chinaDay(NOW);

const profile = (over: Partial<AudienceProfile> = {}): AudienceProfile => ({ storeId: 's1', stage: 'lead', tags: [], interest: [], owned: [], consents: [], ...over });
const shareRule = (count: number, days: number): AudienceRule => ({
  version: 1,
  root: { kind: 'behaviour', event: { types: ['share'] }, count: { op: 'gte', value: count }, window: { kind: 'last', days } },
});
const ev = (type: 'share' | 'content_view' | 'form_submit', at: number, properties: Record<string, string | number | null> = {}, id = `${type}-${at}`) => ({
  _id: id,
  type,
  source: 'miniprogram',
  properties,
  timestamp: at,
});

describe('rule schema and validation', () => {
  it('accepts both article audiences as they are, at the demo time', () => {
    expect(validateAudienceRule(HIGH_INTENT_ACTIVE, NOW)).toEqual({ ok: true, rule: HIGH_INTENT_ACTIVE });
    expect(validateAudienceRule(SUV_TEST_DRIVE, NOW)).toEqual({ ok: true, rule: SUV_TEST_DRIVE });
  });

  it.each<[string, unknown, string, RegExp]>([
    ['an unknown rule version', { version: 2, root: { kind: 'stage', in: ['lead'] } }, 'version', /must be 1/],
    ['an unknown node kind', { version: 1, root: { kind: 'xor', of: [] } }, 'root.kind', /./],
    ['a negative count', { ...shareRule(1, 1), root: { ...(shareRule(1, 1).root as object), count: { op: 'gte', value: -1 } } }, 'root.count.value', /negative/],
    ['a window past the look-back', shareRule(1, 400), 'root.window.days', /at most 366/],
    ['between counts the wrong way round', { version: 1, root: { kind: 'behaviour', event: {}, count: { op: 'between', min: 3, max: 1 }, window: { kind: 'ever' } } }, 'root.count.max', /below min/],
    ['dates the wrong way round', { version: 1, root: { kind: 'behaviour', event: {}, count: { op: 'gte', value: 1 }, window: { kind: 'between', from: '2026-11-02', to: '2026-11-01' } } }, 'root.window.to', /before from/],
    ['a date that does not exist', { version: 1, root: { kind: 'behaviour', event: {}, count: { op: 'gte', value: 1 }, window: { kind: 'between', from: '2026-02-30', to: '2026-03-01' } } }, 'root.window.from', /real calendar date/],
    ['an unknown field', { version: 1, root: { kind: 'stage', in: ['lead'], extra: 1 } }, 'root', /extra|nrecognized/],
    ['an empty or', { version: 1, root: { kind: 'or', of: [] } }, 'root.of', /empty/],
    ['a tag not in the taxonomy', { version: 1, root: { kind: 'not', of: { kind: 'tags', match: 'any', ids: ['intent-level-sky'] } } }, 'root.of.ids.0', /taxonomy/],
    ['a model not in the catalog', { version: 1, root: { kind: 'vehicle', relation: 'owned', model: { by: 'id', in: ['model-x'] } } }, 'root.model.in.0', /catalog/],
    ['a property the type does not carry', { version: 1, root: { kind: 'behaviour', event: { types: ['share'], where: [{ key: 'form', op: 'eq', value: 'survey' }] }, count: { op: 'gte', value: 1 }, window: { kind: 'ever' } } }, 'root.event.where.0.key', /not a property of share/],
    ['a number test on text', { version: 1, root: { kind: 'behaviour', event: { types: ['form_submit'], where: [{ key: 'formName', op: 'gte', value: 1 }] }, count: { op: 'gte', value: 1 }, window: { kind: 'ever' } } }, 'root.event.where.0.op', /not a number/],
    ['a form kind that does not exist', { version: 1, root: { kind: 'behaviour', event: { types: ['form_submit'], where: [{ key: 'form', op: 'in', values: ['survey', 'lottery'] }] }, count: { op: 'gte', value: 1 }, window: { kind: 'ever' } } }, 'root.event.where.0.values.1', /one of/],
    ['an unknown channel', { version: 1, root: { kind: 'behaviour', event: { sources: ['myspace'] }, count: { op: 'gte', value: 1 }, window: { kind: 'ever' } } }, 'root.event.sources.0', /channel/],
    ['dates further back than the look-back', { version: 1, root: { kind: 'behaviour', event: {}, count: { op: 'gte', value: 1 }, window: { kind: 'between', from: '2025-10-01', to: '2025-12-31' } } }, 'root.window.from', /last 366 days/],
  ])('refuses %s, naming the field', (_what, input, field, message) => {
    const r = validateAudienceRule(input, NOW);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.field)).toContain(field);
    expect(r.issues.find((i) => i.field === field)?.message).toMatch(message);
  });

  it('refuses rules nested too deep or with too many conditions', () => {
    let deep: AudienceRule['root'] = { kind: 'stage', in: ['lead'] };
    for (let i = 0; i < 7; i++) deep = { kind: 'not', of: deep };
    const r1 = validateAudienceRule({ version: 1, root: deep });
    expect(r1.ok === false && r1.issues[0].message).toMatch(/deeper/);
    const wide = { version: 1, root: { kind: 'or', of: Array.from({ length: 32 }, () => ({ kind: 'and', of: [{ kind: 'stage', in: ['lead'] }, { kind: 'stage', in: ['owner'] }] })) } };
    const r2 = validateAudienceRule(wide);
    expect(r2.ok === false && r2.issues.some((i) => /too many/.test(i.message))).toBe(true);
  });
});

describe('description', () => {
  it('says both article audiences in one line of Chinese', () => {
    expect(describeAudience(HIGH_INTENT_ACTIVE)).toBe(
      '近90天分享≥3次 且 近90天在小程序/澜山App/企业微信/官网浏览内容≥1次 且 （近90天留资（询底价/获取车型手册/置换评估）≥1次 或 近90天预约试驾≥1次 或 近90天试驾≥1次 或 近90天下订≥1次） 且 同时带标签「意向高」「购买力高」',
    );
    expect(describeAudience(SUV_TEST_DRIVE)).toBe('阶段为线索或潜客 且 本季度在澜山App/小程序有互动≥1次 且 本季度分享SUV车系内容≥3次 且 本季度填写《SUV 试驾意向问卷》≥1次');
  });

  it('names negations, stores, consent, scores, vehicles and dates', () => {
    const rule: AudienceRule = {
      version: 1,
      root: {
        kind: 'or',
        of: [
          { kind: 'not', of: { kind: 'tags', match: 'any', ids: ['risk-coupon'] } },
          { kind: 'and', of: [{ kind: 'store', in: ['s1'] }, { kind: 'consent', purpose: 'marketing', granted: true }, { kind: 'score', min: 60 }] },
          { kind: 'vehicle', relation: 'interest', model: { by: 'body', in: ['suv'] } },
          { kind: 'behaviour', event: { types: ['content_view'], where: [{ key: 'dwellSeconds', op: 'gte', value: 30 }] }, count: { op: 'eq', value: 0 }, window: { kind: 'between', from: '2026-10-01', to: '2026-10-31' } },
          { kind: 'grade', in: ['H', 'A', 'none'] },
          { kind: 'owner', in: ['zhangwei', null] },
        ],
      },
    };
    expect(describeAudience(rule, { storeName: (id) => (id === 's1' ? '上海浦东店' : undefined), staffName: (id) => (id === 'zhangwei' ? '张伟' : undefined) })).toBe(
      '非（带标签「羊毛党识别」） 或 （门店为上海浦东店 且 已同意营销触达 且 评分≥60） 或 意向车型为SUV车身 或 2026-10-01至2026-10-31浏览内容（停留秒数≥30）0次 或 等级为H/A级或未定级 或 归属张伟或公海',
    );
  });
});

describe('counters', () => {
  it('gives equal matches one counter whatever their spelling', () => {
    const a = counterDefOf({ types: ['share', 'content_view'], where: [{ key: 'form', op: 'eq', value: 'x' }, { key: 'target', op: 'in', values: ['b', 'a'] }] });
    const b = counterDefOf({ types: ['content_view', 'share', 'share'], where: [{ key: 'target', op: 'in', values: ['a', 'b', 'a'] }, { key: 'form', op: 'in', values: ['x'] }] });
    expect(a.id).toBe(b.id);
    expect(counterDefOf({ types: ['share'] }).id).not.toBe(counterDefOf({ types: ['share'], sources: ['app'] }).id);
    // Every type listed means any type.
    expect(counterDefOf({ types: ['ad_click', 'live_stream', 'content_view', 'share', 'form_submit', 'store_visit', 'test_drive', 'quote', 'order', 'delivery', 'service_visit', 'wecom_chat', 'call'] }).id).toBe(counterDefOf({}).id);
  });

  it('the article audiences need nine counters; a new rule over them needs none, a new match one', () => {
    const spec = specForRules([HIGH_INTENT_ACTIVE, SUV_TEST_DRIVE]);
    expect(spec.ids).toHaveLength(9);
    expect(missingCounters(shareRule(5, 30), spec)).toEqual([]);
    const needs = missingCounters({ version: 1, root: { kind: 'behaviour', event: { types: ['share'], model: { by: 'body', in: ['suv'] } }, count: { op: 'gte', value: 3 }, window: { kind: 'last', days: 30 } } }, spec);
    expect(needs).toHaveLength(1);
    const grown = counterSpec([...specDocOf(spec).matches, needs[0].match]);
    expect(specChange(spec, grown)).toEqual({ added: needs, removed: [] });
    expect(featuresStatus(emptyFeatures(spec), grown)).toEqual({ current: false, missing: [needs[0].id], extra: [] });
    expect(counterSpec(specDocOf(spec).matches).sig).toBe(spec.sig);
  });
});

describe('features', () => {
  const spec = specForRules([shareRule(1, 1)]);

  it('counts per China day with a total, and moves only on matching events', () => {
    const f = emptyFeatures(spec);
    const midnight = Date.parse('2026-11-23T00:00:00+08:00');
    expect(applyEvent(f, ev('share', midnight - 1), spec)).toBe(true);
    expect(applyEvent(f, ev('share', midnight), spec)).toBe(true);
    expect(applyEvent(f, ev('share', midnight + 5), spec)).toBe(true);
    expect(applyEvent(f, ev('content_view', midnight), spec)).toBe(false);
    expect(f.d).toEqual([3, 2, dayEntry(TODAY - 1, 1), dayEntry(TODAY, 2)]);
  });

  it('keeps days within the retention of the newest day, and the total of all', () => {
    const f = emptyFeatures(spec);
    applyEvent(f, ev('share', NOW - (FEATURE_RETENTION_DAYS + 10) * DAY), spec);
    applyEvent(f, ev('share', NOW), spec);
    expect(f.d).toEqual([2, 1, dayEntry(TODAY, 1)]);
    applyEvent(f, ev('share', NOW - (FEATURE_RETENTION_DAYS + 1) * DAY), spec);
    expect(f.d).toEqual([3, 1, dayEntry(TODAY, 1)]);
    expect(compileAudience({ version: 1, root: { kind: 'behaviour', event: { types: ['share'] }, count: { op: 'eq', value: 3 }, window: { kind: 'ever' } } }).matches(f, profile(), NOW)).toBe(true);
  });

  it('keeps exactly FEATURE_RETENTION_DAYS days behind the newest, whichever comes first', () => {
    const kept = NOW - (FEATURE_RETENTION_DAYS - 1) * DAY;
    const dropped = NOW - FEATURE_RETENTION_DAYS * DAY;
    const want = [3, 2, dayEntry(TODAY - FEATURE_RETENTION_DAYS + 1, 1), dayEntry(TODAY, 1)];
    expect(rebuildFeatures([ev('share', dropped), ev('share', kept), ev('share', NOW)], spec).d).toEqual(want);
    expect(rebuildFeatures([ev('share', NOW), ev('share', kept), ev('share', dropped)], spec).d).toEqual(want);
  });

  it('keeps days from 2010 to 2054 as entries, and any other day in the total only', () => {
    const f = rebuildFeatures([ev('share', Date.parse('2005-06-01T12:00:00+08:00')), ev('share', Date.parse('2060-06-01T12:00:00+08:00')), ev('share', NOW)], spec);
    expect(f.d).toEqual([3, 1, dayEntry(TODAY, 1)]);
    const ever: AudienceRule = { version: 1, root: { kind: 'behaviour', event: { types: ['share'] }, count: { op: 'eq', value: 3 }, window: { kind: 'ever' } } };
    expect(matches(ever, f, profile(), NOW)).toBe(true);
    expect(matches(shareRule(2, 366), f, profile(), NOW)).toBe(false);
  });

  it('merges two busy days into entries that each stay within 65535', () => {
    const day = (n: number, tag: string) => rebuildFeatures(Array.from({ length: n }, (_, i) => ev('share', NOW, {}, `${tag}${i}`)), spec);
    expect(mergeFeatures([day(40_000, 'a'), day(40_000, 'b')]).d).toEqual([80_000, 2, dayEntry(TODAY, 65_535), dayEntry(TODAY, 14_465)]);
  });

  it('keeps several counters in one array, each in its place, whatever the order events come in', () => {
    const both = specForRules([shareRule(1, 1), { version: 1, root: { kind: 'behaviour', event: { types: ['share', 'content_view'] }, count: { op: 'gte', value: 1 }, window: { kind: 'ever' } } }]);
    const f = emptyFeatures(both);
    applyEvent(f, ev('share', NOW), both);
    applyEvent(f, ev('content_view', NOW - 2 * DAY), both);
    applyEvent(f, ev('share', NOW - DAY), both);
    const shareOnly = both.ids.indexOf(specForRules([shareRule(1, 1)]).ids[0]);
    const segments = [
      [3, 3, dayEntry(TODAY - 2, 1), dayEntry(TODAY - 1, 1), dayEntry(TODAY, 1)],
      [2, 2, dayEntry(TODAY - 1, 1), dayEntry(TODAY, 1)],
    ];
    expect(f.d).toEqual(shareOnly === 1 ? segments.flat() : [...segments[1], ...segments[0]]);
  });

  it('refuses to count into, or evaluate on, features kept for another counter set', () => {
    const other = rebuildFeatures([], specForRules([]));
    expect(() => matches(shareRule(1, 1), other, profile(), NOW)).toThrow(MissingCounterError);
    expect(() => applyEvent(other, ev('share', NOW), spec)).toThrow(/refit/);
  });
});

describe('windows in China time', () => {
  it('this month and quarter start on the China calendar', () => {
    const lastOfQ3 = chinaDay(Date.parse('2026-09-30T23:59:59.999+08:00'));
    expect(periodStart('quarter', lastOfQ3)).toBe(dayOfDate('2026-07-01'));
    expect(nextPeriodStart('quarter', lastOfQ3)).toBe(dayOfDate('2026-10-01'));
    expect(periodStart('month', chinaDay(Date.parse('2026-10-01T00:00:00+08:00')))).toBe(dayOfDate('2026-10-01'));
    expect(nextPeriodStart('quarter', dayOfDate('2026-12-31'))).toBe(dayOfDate('2027-01-01'));
    expect(windowRange({ kind: 'this', period: 'quarter' }, TODAY)).toEqual({ from: dayOfDate('2026-10-01'), to: TODAY });
  });

  it('between dates ends today and reaches back at most 366 days', () => {
    expect(windowRange({ kind: 'between', from: '2025-01-01', to: '2027-01-01' }, TODAY)).toEqual({ from: TODAY - 365, to: TODAY });
  });
});

describe('tags of any level and their expiry', () => {
  it('a level-1 or level-2 tag stands for every leaf under it', () => {
    expect(leavesOf('intent-level')).toEqual(['intent-level-high', 'intent-level-medium', 'intent-level-low']);
    expect(leavesOf('intent-level-high')).toEqual(['intent-level-high']);
    expect(leavesOf('power').length).toBeGreaterThan(5);
  });

  it('a tag stops counting at the instant it expires, and nextChange() says when', () => {
    const rule: AudienceRule = { version: 1, root: { kind: 'tags', match: 'all', ids: ['intent', 'power-level-high'] } };
    const p = profile({ tags: [{ id: 'intent-level-high', expiresAt: NOW + DAY }, { id: 'power-level-high' }] });
    const f = rebuildFeatures([], specForRules([rule]));
    const c = compileAudience(rule);
    expect(c.matches(f, p, NOW + DAY - 1)).toBe(true);
    expect(c.matches(f, p, NOW + DAY)).toBe(false);
    expect(c.nextChange(f, p, NOW)).toBe(NOW + DAY);
    const ix = AudienceIndex.build(specForRules([rule]), { ids: ['a'], features: [f], profiles: [p] });
    expect(c.count(ix, NOW + DAY - 1)).toBe(1);
    expect(c.count(ix, NOW + DAY)).toBe(0);
    expect(c.count(ix, NOW)).toBe(1);
  });

  it('reads a stored customer: effective grade, score total, tags with expiry, vehicles', () => {
    const p = profileOf(
      {
        storeId: 's1',
        stage: 'prospect',
        grade: 'A',
        score: { total: 72 },
        tags: [{ tagId: 'intent-level-high', path: ['intent', 'intent-level'], source: 'rule', assignedAt: NOW, expiresAt: NOW + DAY }],
        vehiclesOfInterest: [{ modelId: 'lanyue', at: NOW }],
        vehiclesOwned: [],
      },
      ['marketing'],
    );
    expect(p).toEqual({ storeId: 's1', stage: 'prospect', grade: 'A', score: 72, tags: [{ id: 'intent-level-high', expiresAt: NOW + DAY }], interest: ['lanyue'], owned: [], consents: ['marketing'] });
  });
});

describe('columnar index', () => {
  const rule = shareRule(2, 30);
  const spec = specForRules([rule]);
  const shares = (n: number) => rebuildFeatures(Array.from({ length: n }, (_, i) => ev('share', NOW - i * DAY, {}, `s${i}`)), spec);

  it('grows as customers arrive, keeps cached sets current, and forgets removed customers', () => {
    const ix = AudienceIndex.build(spec, { ids: ['a', 'b'], features: [shares(2), shares(1)], profiles: [profile(), profile()] });
    const c = compileAudience(rule);
    expect(ix.members(c.evaluate(ix, NOW))).toEqual(['a']);
    for (let i = 0; i < 100; i++) ix.upsert(`n${i}`, shares(i % 3), profile());
    ix.upsert('b', shares(2), profile());
    ix.remove('a');
    const members = ix.members(c.evaluate(ix, NOW));
    expect(members).toHaveLength(1 + 33);
    expect(members).toContain('b');
    expect(members).not.toContain('a');
    expect(ix.size).toBe(101);
    expect(c.count(ix, NOW + 29 * DAY)).toBe(0);
  });

  it('counts a day with more events than one entry holds (65535) in several entries', () => {
    const busy = rebuildFeatures(Array.from({ length: 70_000 }, (_, i) => ev('share', NOW, {}, `b${i}`)), spec);
    expect(busy.d).toEqual([70_000, 2, dayEntry(TODAY, 65_535), dayEntry(TODAY, 4_465)]);
    const ix = AudienceIndex.build(spec, { ids: ['busy', 'calm'], features: [busy, shares(2)], profiles: [profile(), profile()] });
    const rule = (value: number): AudienceRule => ({ version: 1, root: { kind: 'behaviour', event: { types: ['share'] }, count: { op: 'gte', value }, window: { kind: 'last', days: 30 } } });
    expect(ix.members(compileAudience(rule(70_000)).evaluate(ix, NOW))).toEqual(['busy']);
    expect(ix.members(compileAudience(rule(2)).evaluate(ix, NOW))).toEqual(['busy', 'calm']);
  });

  it('samples members without repeats, the same for the same seed', () => {
    const n = 200;
    const ix = AudienceIndex.build(spec, { ids: Array.from({ length: n }, (_, i) => `c${i}`), features: Array.from({ length: n }, (_, i) => shares(i % 4)), profiles: Array.from({ length: n }, () => profile()) });
    const bits = compileAudience(rule).evaluate(ix, NOW);
    const a = ix.sample(bits, 10, 42);
    expect(new Set(a).size).toBe(10);
    expect(ix.sample(bits, 10, 42)).toEqual(a);
    expect(ix.sample(bits, 10, 43)).not.toEqual(a);
  });
});

describe('bitset', () => {
  it('counts, negates within its capacity and lists set bits in order', () => {
    const b = new Bitset(70);
    [0, 31, 32, 69].forEach((i) => b.add(i));
    expect(b.count()).toBe(4);
    expect(b.toArray()).toEqual([0, 31, 32, 69]);
    const c = b.clone().not();
    expect(c.count()).toBe(96 - 4);
    const d = new Bitset(70);
    d.add(5);
    expect(d.orNot(b).has(0)).toBe(false);
    expect(d.has(5) && d.has(6)).toBe(true);
  });
});

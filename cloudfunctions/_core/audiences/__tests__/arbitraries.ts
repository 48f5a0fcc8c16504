/**
 * Random rules, histories and profiles for the property tests. Values come from small pools
 * so that conditions often hold and counters are shared between leaves; times cluster on
 * the edges that matter (China midnight, month and quarter starts, the look-back limit).
 */
import fc from 'fast-check';
import type { AudienceLeaf, AudienceNode, AudienceRule, CountTest, EventMatch, PropertyFilter, TimeWindow } from '../../../../types/audience';
import type { TouchpointType } from '../../../../types/model';
import type { AudienceProfile, ProfileTag } from '../profile';
import type { RawEvent } from './brute-force';

export const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

/** Moments where windows turn over, in China time. */
export const EDGE_NOWS = [
  at('2026-11-23T10:00:00+08:00'),
  at('2026-10-01T00:00:00+08:00'),
  at('2026-09-30T23:59:59.999+08:00'),
  at('2026-12-31T23:59:59.999+08:00'),
  at('2027-01-01T00:00:00+08:00'),
  at('2028-03-01T00:00:00.001+08:00'),
  at('2026-07-01T08:00:00+08:00'),
];

export const nowArb = fc.oneof(
  fc.constantFrom(...EDGE_NOWS),
  fc.tuple(fc.constantFrom(...EDGE_NOWS), fc.integer({ min: -40 * DAY, max: 40 * DAY })).map(([t, d]) => t + d),
);

const TYPES: TouchpointType[] = ['share', 'content_view', 'form_submit', 'test_drive', 'order', 'wecom_chat', 'store_visit'];
const SOURCES = ['miniprogram', 'app', 'wecom', 'autohome', 'store'];
const MODEL_IDS = ['lanyue', 'tuyao', 'qinglan_ev', 'yunyi', 'yuchen', 'lanying_ev', 'no_such_model'];
const FORMS = ['survey', 'test_drive_booking', 'price_inquiry', 'activity_signup'];
const FORM_NAMES = ['SUV 试驾意向问卷', '新能源用车需求问卷'];
export const STORES = ['store-a', 'store-b', 'store-c'];
/** Leaves of a few groups, and level-1 / level-2 ids above them. */
export const LEAF_TAGS = ['intent-level-high', 'intent-level-low', 'power-level-high', 'power-finance-loan', 'behavior-focus-space', 'not-a-taxonomy-tag'];
const ANY_LEVEL_TAGS = ['intent-level-high', 'power-level-high', 'intent-level', 'power', 'intent', 'behavior-focus', 'behavior-focus-space', 'lifecycle'];

/** Days back from now: mostly recent, clustered on window edges, a few after now. */
const daysBack = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 3 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, 1, 6, 7, 29, 30, 31, 59, 60, 89, 90, 91, 92, 364, 365, 366, 367, 399, 400, 401, 420) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 100 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 430 }) },
  { weight: 1, arbitrary: fc.integer({ min: -3, max: -1 }) },
);
/** Time of day (ms after China midnight): the edges and anything. */
const timeOfDay = fc.oneof(fc.constantFrom(0, 1, DAY - 1), fc.integer({ min: 0, max: DAY - 1 }));

const chinaMidnight = (t: number) => Math.floor((t + 8 * 3600_000) / DAY) * DAY - 8 * 3600_000;

const propsArb = fc.record(
  {
    modelId: fc.oneof(fc.constantFrom(...MODEL_IDS), fc.constant(null)),
    form: fc.constantFrom(...FORMS),
    formName: fc.oneof(fc.constantFrom(...FORM_NAMES), fc.constant(null)),
    dwellSeconds: fc.integer({ min: 0, max: 120 }),
    target: fc.constantFrom('friend', 'moments', 'group'),
  },
  { requiredKeys: [] },
);

/** A history: events spread over the last ~14 months (a few dated after now), an id repeated now and then. */
export function historyArb(now: number, maxLength = 40): fc.Arbitrary<RawEvent[]> {
  return fc
    .array(fc.tuple(fc.constantFrom(...TYPES), fc.constantFrom(...SOURCES), daysBack, timeOfDay, propsArb, fc.boolean()), { maxLength })
    .map((rows) => {
      const out: RawEvent[] = [];
      rows.forEach(([type, source, back, tod, properties, repeat], i) => {
        const e: RawEvent = { _id: `e${i}`, type, source, properties, timestamp: chinaMidnight(now) - back * DAY + tod };
        out.push(e);
        // A repeat of the same event id (a retried delivery), which counts once.
        if (repeat && i % 5 === 0) out.push({ ...e, timestamp: e.timestamp });
      });
      return out;
    });
}

const tagArb: fc.Arbitrary<ProfileTag> = fc
  .tuple(fc.constantFrom(...LEAF_TAGS), fc.option(fc.integer({ min: -20, max: 60 }), { nil: undefined }), fc.constantFrom(0, 1, -1, 3600_000))
  .map(([id, days, ms]) => (days === undefined ? { id } : { id, expiresAt: EDGE_NOWS[0] + days * DAY + ms }));

export function profileArb(now: number): fc.Arbitrary<AudienceProfile> {
  return fc
    .record({
      storeId: fc.constantFrom(...STORES),
      ownerId: fc.option(fc.constantFrom('zhangwei', 'lina'), { nil: undefined }),
      stage: fc.constantFrom('lead', 'prospect', 'owner') as fc.Arbitrary<AudienceProfile['stage']>,
      grade: fc.option(fc.constantFrom('H', 'A', 'B', 'C'), { nil: undefined }) as fc.Arbitrary<AudienceProfile['grade']>,
      score: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
      tags: fc.array(tagArb, { maxLength: 4 }),
      interest: fc.subarray(MODEL_IDS),
      owned: fc.subarray(MODEL_IDS, { maxLength: 2 }),
      consents: fc.subarray(['marketing', 'group_sharing'] as const),
      shift: fc.integer({ min: -30, max: 30 }),
    })
    .map(({ grade, score, shift, tags, ownerId, ...rest }) => {
      const p: AudienceProfile = { ...rest, tags: tags.map((t) => (t.expiresAt === undefined ? t : { ...t, expiresAt: t.expiresAt - EDGE_NOWS[0] + now + shift * DAY })) };
      if (ownerId) p.ownerId = ownerId;
      if (grade) p.grade = grade;
      if (score !== undefined) p.score = score;
      return p;
    });
}

const filterArb: fc.Arbitrary<PropertyFilter> = fc.oneof(
  fc.record({ key: fc.constant('form'), op: fc.constant('eq' as const), value: fc.constantFrom(...FORMS) }),
  fc.record({ key: fc.constant('form'), op: fc.constant('in' as const), values: fc.subarray(FORMS, { minLength: 1 }) }),
  fc.record({ key: fc.constant('formName'), op: fc.constant('eq' as const), value: fc.constantFrom<string | null>(...FORM_NAMES, null) }),
  fc.record({ key: fc.constant('modelId'), op: fc.constant('notIn' as const), values: fc.subarray<string | null>([...MODEL_IDS, null], { minLength: 1 }) }),
  fc.record({ key: fc.constant('dwellSeconds'), op: fc.constantFrom('gte' as const, 'lte' as const), value: fc.integer({ min: 0, max: 120 }) }),
  fc.record({ key: fc.constant('dwellSeconds'), op: fc.constant('between' as const), min: fc.integer({ min: 0, max: 60 }), max: fc.integer({ min: 60, max: 120 }) }),
  fc.record({ key: fc.constant('target'), op: fc.constant('in' as const), values: fc.subarray(['friend', 'moments', 'group'], { minLength: 1 }) }),
);

/** Present `weight` times in ten. */
const sometimes = <T>(arb: fc.Arbitrary<T>, weight: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight, arbitrary: arb }, { weight: 10 - weight, arbitrary: fc.constant(undefined) });

/** Mostly loose matches (a type or two), sometimes narrowed by source, model or properties. */
export const matchArb: fc.Arbitrary<EventMatch> = fc
  .tuple(
    sometimes(fc.subarray(TYPES, { minLength: 1, maxLength: 3 }), 8),
    sometimes(fc.subarray(SOURCES, { minLength: 1, maxLength: 3 }), 3),
    sometimes(
      fc.oneof(
        fc.record({ by: fc.constant('id' as const), in: fc.subarray(MODEL_IDS, { minLength: 1, maxLength: 3 }) }),
        fc.record({ by: fc.constant('line' as const), in: fc.subarray(['SUV', 'sedan', 'MPV', 'NEV'] as const, { minLength: 1, maxLength: 2 }) }),
        fc.record({ by: fc.constant('body' as const), in: fc.subarray(['suv', 'sedan', 'mpv'] as const, { minLength: 1, maxLength: 2 }) }),
      ),
      3,
    ),
    sometimes(fc.array(filterArb, { minLength: 1, maxLength: 2 }), 3),
  )
  .map(([types, sources, model, where]) => {
    const m: EventMatch = {};
    if (types) m.types = types;
    if (sources) m.sources = sources;
    if (model) m.model = model as EventMatch['model'];
    if (where) m.where = where;
    return m;
  });

const dateOf = (t: number) => new Date(t + 8 * 3600_000).toISOString().slice(0, 10);

export function windowArb(now: number): fc.Arbitrary<TimeWindow> {
  return fc.oneof(
    fc.record({ kind: fc.constant('last' as const), days: fc.oneof(fc.constantFrom(1, 2, 7, 30, 90, 365, 366), fc.integer({ min: 1, max: 366 })) }),
    fc.record({ kind: fc.constant('this' as const), period: fc.constantFrom('month' as const, 'quarter' as const) }),
    fc.tuple(fc.integer({ min: -5, max: 420 }), fc.integer({ min: 0, max: 120 })).map(([back, span]): TimeWindow => ({
      kind: 'between',
      from: dateOf(now - back * DAY),
      to: dateOf(now - back * DAY + span * DAY),
    })),
    fc.constant({ kind: 'ever' as const }),
  );
}

const countArb: fc.Arbitrary<CountTest> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('gte' as const), value: fc.integer({ min: 1, max: 3 }) }) },
  fc.record({ op: fc.constantFrom('gte' as const, 'lte' as const, 'eq' as const), value: fc.integer({ min: 0, max: 4 }) }),
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })).map(([a, b]): CountTest => ({ op: 'between', min: a, max: a + b })),
);

function leafArb(now: number, matches: readonly EventMatch[]): fc.Arbitrary<AudienceLeaf> {
  const behaviour = fc.record({
    kind: fc.constant('behaviour' as const),
    event: fc.constantFrom(...matches),
    count: countArb,
    window: windowArb(now),
  });
  return fc.oneof(
    { weight: 5, arbitrary: behaviour },
    fc.record({ kind: fc.constant('stage' as const), in: fc.subarray(['lead', 'prospect', 'owner'] as const, { minLength: 1 }) }),
    fc.record({ kind: fc.constant('grade' as const), in: fc.subarray(['H', 'A', 'B', 'C', 'none'] as const, { minLength: 1 }) }),
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('tags' as const), match: fc.constantFrom('any' as const, 'all' as const, 'none' as const), ids: fc.subarray(ANY_LEVEL_TAGS, { minLength: 1, maxLength: 3 }) }) },
    fc.record({
      kind: fc.constant('vehicle' as const),
      relation: fc.constantFrom('interest' as const, 'owned' as const),
      model: fc.oneof(
        fc.record({ by: fc.constant('line' as const), in: fc.subarray(['SUV', 'NEV'] as const, { minLength: 1 }) }),
        fc.record({ by: fc.constant('body' as const), in: fc.subarray(['suv', 'sedan'] as const, { minLength: 1 }) }),
        fc.record({ by: fc.constant('id' as const), in: fc.subarray(MODEL_IDS, { minLength: 1, maxLength: 2 }) }),
      ),
    }),
    fc.record({ kind: fc.constant('store' as const), in: fc.subarray(STORES, { minLength: 1 }) }),
    fc.record({ kind: fc.constant('owner' as const), in: fc.subarray<string | null>(['zhangwei', 'lina', null], { minLength: 1 }) }),
    fc.record({ kind: fc.constant('consent' as const), purpose: fc.constantFrom('marketing' as const, 'group_sharing' as const), granted: fc.boolean() }),
    fc
      .tuple(fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }), fc.integer({ min: 0, max: 100 }))
      .map(([min, span]) => (min === undefined ? { kind: 'score' as const, max: span } : { kind: 'score' as const, min, max: Math.min(100, min + span) })),
  );
}

/** A rule up to three levels deep over a few shared event matches. */
export function ruleArb(now: number): fc.Arbitrary<AudienceRule> {
  return fc.array(matchArb, { minLength: 1, maxLength: 3 }).chain((matches) => {
    const leaf = leafArb(now, matches);
    const { node } = fc.letrec<{ node: AudienceNode }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), of: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }),
        fc.record({ kind: fc.constant('not' as const), of: tie('node') }),
      ),
    }));
    return node.map((root): AudienceRule => ({ version: 1, root }));
  });
}

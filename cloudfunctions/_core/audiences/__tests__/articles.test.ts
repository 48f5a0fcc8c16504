/**
 * The two article audiences on a seeded demo sample, against an expectation written out by
 * hand from the articles' words (not from the rules), customer by customer.
 */
import { Collections, type CustomerDoc, type EventDoc } from '../../../../types/model';
import { DEMO_NOW, generateCustomers } from '../../../../seed/generate';
import { MODELS } from '../../catalog/models';
import { AudienceIndex } from '../columnar';
import { compileAudience } from '../compile';
import { specForRules } from '../counters';
import { rebuildFeatures } from '../features';
import { profileOf } from '../profile';
import { HIGH_INTENT_ACTIVE, SUV_TEST_DRIVE } from '../templates';

const CUSTOMERS = 1500;
const H8 = 8 * 3600_000;
const dateOf = (ts: number) => new Date(ts + H8).toISOString().slice(0, 10);
const daysAgo = (ts: number, now: number) => Math.round((Date.parse(dateOf(now)) - Date.parse(dateOf(ts))) / 86_400_000);
const quarterOf = (ts: number) => {
  const d = new Date(ts + H8);
  return `${d.getUTCFullYear()}Q${Math.floor(d.getUTCMonth() / 3)}`;
};
const SUV_LINE = new Set(MODELS.filter((m) => m.line === 'SUV').map((m) => m.id));

function hasTag(c: CustomerDoc, id: string, now: number): boolean {
  return c.tags.some((t) => t.tagId === id && (t.expiresAt === undefined || t.expiresAt > now));
}

/** 近90天分享≥3次 + 访问过私域触点 + 留资问询/试驾/预订 + 高购买意愿、高购买能力. */
function highIntentActive(c: CustomerDoc, events: EventDoc[], now: number): boolean {
  const recent = events.filter((e) => daysAgo(e.timestamp, now) >= 0 && daysAgo(e.timestamp, now) < 90);
  const shares = recent.filter((e) => e.type === 'share').length;
  const visited = recent.some((e) => e.type === 'content_view' && ['miniprogram', 'app', 'wecom', 'website'].includes(e.source));
  const acted = recent.some(
    (e) => (e.type === 'form_submit' && ['price_inquiry', 'brochure', 'trade_in', 'test_drive_booking'].includes(String(e.properties.form))) || e.type === 'test_drive' || e.type === 'order',
  );
  return shares >= 3 && visited && acted && hasTag(c, 'intent-level-high', now) && hasTag(c, 'power-level-high', now);
}

/** 线索或潜客 + 本季度登录过App + 分享SUV内容≥3次 + 填写过SUV试驾问卷. */
function suvTestDrive(c: CustomerDoc, events: EventDoc[], now: number): boolean {
  const quarter = events.filter((e) => quarterOf(e.timestamp) === quarterOf(now) && e.timestamp <= now);
  const inApp = quarter.some((e) => e.source === 'app' || e.source === 'miniprogram');
  const suvShares = quarter.filter((e) => e.type === 'share' && SUV_LINE.has(String(e.properties.modelId))).length;
  const survey = quarter.some((e) => e.type === 'form_submit' && e.properties.form === 'survey' && e.properties.formName === 'SUV 试驾意向问卷');
  return (c.stage === 'lead' || c.stage === 'prospect') && inApp && suvShares >= 3 && survey;
}

describe('the article audiences on the demo dealership', () => {
  const customers: CustomerDoc[] = [];
  const eventsOf = new Map<string, EventDoc[]>();

  beforeAll(async () => {
    await generateCustomers({ seed: 42, now: DEMO_NOW, from: 0, to: CUSTOMERS }, {
      insertMany(collection: string, docs: object[]) {
        if (collection === Collections.customers) customers.push(...(docs as CustomerDoc[]));
        if (collection === Collections.events) for (const e of docs as EventDoc[]) (eventsOf.get(e.customerId) ?? eventsOf.set(e.customerId, []).get(e.customerId)!).push(e);
      },
    });
  });

  it.each([
    ['高意向&高活跃', HIGH_INTENT_ACTIVE, highIntentActive],
    ['SUV试驾', SUV_TEST_DRIVE, suvTestDrive],
  ] as const)('%s: the engine picks exactly the customers the articles describe', (_name, rule, byHand) => {
    const spec = specForRules([HIGH_INTENT_ACTIVE, SUV_TEST_DRIVE]);
    const features = customers.map((c) => rebuildFeatures(eventsOf.get(c._id) ?? [], spec));
    const profiles = customers.map((c) => profileOf(c as CustomerDoc & { score?: { total: number } }));
    const want = customers.filter((c) => byHand(c, eventsOf.get(c._id) ?? [], DEMO_NOW)).map((c) => c._id);
    const compiled = compileAudience(rule);
    const one = customers.filter((_, i) => compiled.matches(features[i], profiles[i], DEMO_NOW)).map((c) => c._id);
    const ix = AudienceIndex.build(spec, { ids: customers.map((c) => c._id), features, profiles });
    expect(one).toEqual(want);
    expect(ix.members(compiled.evaluate(ix, DEMO_NOW))).toEqual(want);
    // Some, not all: the demo makes these audiences small but real.
    expect(want.length).toBeGreaterThan(2);
    expect(want.length).toBeLessThan(customers.length / 20);
  });

  it('the demo customers the generator shapes for the SUV audience (孙悦, 赵敏) are in it', () => {
    const spec = specForRules([SUV_TEST_DRIVE]);
    for (const id of ['cus-0000003', 'cus-0000008']) {
      const c = customers.find((x) => x._id === id) as CustomerDoc;
      expect(compileAudience(SUV_TEST_DRIVE).matches(rebuildFeatures(eventsOf.get(id) ?? [], spec), profileOf(c), DEMO_NOW)).toBe(true);
    }
  });
});

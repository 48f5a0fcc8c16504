import type { EventDoc } from '../../../../types/model';
import { describeEvent } from '../../catalog/touchpoints';
import { normalizeTrack, toEventDoc } from '../../events/validate';
import { identifiersFrom } from '../../oneid/identifiers';
import { newCustomer } from '../../oneid/customer';
import { resolve } from '../../oneid/resolve';
import { ingestEvent, refreshCustomer, type DerivedCustomer } from '../ingest';
import { DEFAULT_MODEL } from '../model';
import { emptyState, rebuildState, type CustomerState } from '../state';

const T0 = Date.parse('2026-11-01T10:00:00+08:00');
const DAY = 86_400_000;
let n = 0;

function track(event: string, day: number, properties: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const at = T0 + day * DAY;
  const r = normalizeTrack(
    { messageId: `m${++n}`, event, identities: { phone: '139 1234 5678', openid: 'oLiMing00001' }, properties, originalTimestamp: at - 1000, sentAt: at, source: 'miniprogram', storeId: 's1', ...extra },
    { receivedAt: at },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.event;
}

describe('an event through the whole customer', () => {
  it('builds a live profile, stage, score with reasons, grade and tags from a customer’s journey', () => {
    const first = track('content_view', 0, { materialId: 'm1', category: 'space', dwellSeconds: 120, modelId: 'lanyue' });
    const plan = resolve({ incoming: identifiersFrom(first.identities, { appId: 'app1' }).identifiers, owners: {}, candidates: [] });
    if (plan.kind !== 'create') throw new Error('expected a new customer');
    let customer: DerivedCustomer = newCustomer({ id: plan.customerId, identifiers: plan.attach, storeId: 's1', sourceChannel: 'miniprogram', now: T0, source: 'customer' });
    let state: CustomerState = emptyState(DEFAULT_MODEL);
    const events: EventDoc[] = [];
    const journey = [
      first,
      track('content_view', 2, { materialId: 'm2', category: 'space', dwellSeconds: 200, modelId: 'lanyue' }),
      track('content_view', 5, { materialId: 'm3', category: 'space', dwellSeconds: 90, modelId: 'lanyue' }),
      track('form_submit', 6, { form: 'test_drive_booking', modelId: 'lanyue' }),
      track('store_visit', 9, { durationMinutes: 50 }, { source: 'store', staffId: 'zhangwei' }),
      track('test_drive', 9, { modelId: 'lanyue', trim: '2.0T 四驱旗舰版', durationMinutes: 25 }, { source: 'store', staffId: 'zhangwei' }),
    ];
    for (const e of journey) {
      const doc = toEventDoc(e, customer._id);
      events.push(doc);
      const r = ingestEvent(customer, state, doc, DEFAULT_MODEL, describeEvent(doc), doc.receivedAt);
      if (r.duplicate) throw new Error('unexpected duplicate');
      customer = r.customer;
      state = r.state;
    }
    expect(customer.name).toBe('尾号5678的客户');
    expect(customer.stage).toBe('prospect');
    expect(customer.lifecycle?.stageSince).toBe(T0 + 9 * DAY - 1000);
    expect(customer.lastTouch).toMatchObject({ type: 'test_drive', summary: '到店试驾揽岳 2.0T 四驱旗舰版' });
    expect(customer.storesVisited).toEqual([{ storeId: 's1', count: 1, lastAt: T0 + 9 * DAY - 1000 }]);
    expect(customer.vehiclesOfInterest).toEqual([{ modelId: 'lanyue', at: T0 + 9 * DAY - 1000 }]);
    expect(customer.score?.reasons).toEqual(['近30天到店试驾1次（揽岳）', '已预约试驾（揽岳）', '近14天到店1次']);
    // fit: 潜客 6 + 私域来源 3; engagement: 试驾 20 + 预约 15 + 到店 10 + SUV内容 3×2 + 深度阅读 3.
    expect(customer.score?.total).toBe(63);
    expect(customer.grade).toBe('B');
    expect(customer.gradeInfo?.suggested).toMatchObject({ grade: 'B', score: 63 });
    expect(customer.rankKey).toBe(2063);
    expect(customer.tags.map((t) => t.tagId)).toEqual(
      expect.arrayContaining(['behavior-focus-space', 'lifecycle-stage-prospect', 'intent-signal-booked', 'intent-signal-test_driven', 'vehicle_pref-model-lanyue', 'intent-horizon-d30']),
    );
    expect(customer.tags.every((t) => t.source === 'rule' && t.expiresAt !== undefined)).toBe(true);

    // The incremental result equals a full replay of the stored events.
    expect(rebuildState(events, DEFAULT_MODEL).rules).toEqual(state.rules);

    // A retried event changes nothing.
    expect(ingestEvent(customer, state, events[3], DEFAULT_MODEL, 'x', T0 + 10 * DAY)).toEqual({ duplicate: true });

    // Weeks later, with nothing new, the nightly refresh lets points and tags lapse.
    const later = refreshCustomer(customer, state, DEFAULT_MODEL, T0 + 60 * DAY);
    expect(later.score?.total).toBe(9);
    expect(later.score?.engagement).toBe(0);
    expect(later.grade).toBeUndefined();
    expect(later.tags.map((t) => t.tagId)).toEqual(expect.arrayContaining(['lifecycle-risk-warning', 'activity-level-low']));
    expect(later.tags.map((t) => t.tagId)).not.toContain('intent-horizon-d30');
  });

  it('keeps a consultant’s grade over the score and an OEM tag over the rules', () => {
    const base = newCustomer({ id: 'c1', identifiers: [], storeId: 's1', sourceChannel: 'store', now: T0, source: 'store' });
    const customer: DerivedCustomer = {
      ...base,
      gradeInfo: { consultant: { grade: 'H', setAt: T0, by: 'zhangwei' } },
      tags: [{ tagId: 'activity-level-high', path: ['activity', 'activity-level'], source: 'oem', assignedAt: T0 }],
    };
    const r = refreshCustomer(customer, emptyState(DEFAULT_MODEL), DEFAULT_MODEL, T0 + DAY);
    expect(r.grade).toBe('H');
    expect(r.rankKey).toBe(4000);
    expect(r.tags.find((t) => t.tagId.startsWith('activity-level'))).toMatchObject({ tagId: 'activity-level-high', source: 'oem' });
    expect(r.tags.map((t) => t.tagId)).toContain('intent-horizon-d7');
  });
});

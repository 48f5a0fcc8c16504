import type { EventDoc } from '../../../../types/model';
import { applyActivity, emptyActivity, isCustomerInteraction, MAX_MODELS, mergeActivity, type ActivityState } from '../activity';
import { chinaDay, sumWindow } from '../day-buckets';

const NOW = Date.parse('2026-11-23T12:00:00+08:00');
const DAY = 86_400_000;
type Ev = Pick<EventDoc, 'type' | 'source' | 'properties' | 'timestamp'>;
const ev = (type: EventDoc['type'], daysAgo: number, properties: Ev['properties'] = {}, source = 'miniprogram'): Ev => ({
  type,
  source,
  properties,
  timestamp: NOW - daysAgo * DAY,
});

const run = (events: Ev[]): ActivityState => events.reduce(applyActivity, emptyActivity());
const today = chinaDay(NOW);

describe('activity state', () => {
  it('counts content views per category with dwell time', () => {
    const a = run([
      ev('content_view', 1, { category: 'space', dwellSeconds: 120 }),
      ev('content_view', 3, { category: 'space', dwellSeconds: 240 }),
      ev('content_view', 40, { category: 'space', dwellSeconds: 60 }),
      ev('content_view', 2, { category: 'price', dwellSeconds: 30 }),
    ]);
    expect(sumWindow(a.content.space, today, 30)).toMatchObject({ count: 2, measure: 360 });
    expect(sumWindow(a.content.space, today, 90)).toMatchObject({ count: 3, measure: 420 });
    expect(sumWindow(a.content.price, today, 30)).toMatchObject({ count: 1, measure: 30 });
  });

  it('does not count the consultant reaching out as the customer’s activity', () => {
    expect(isCustomerInteraction({ type: 'call', properties: { direction: 'outbound', connected: true } })).toBe(false);
    expect(isCustomerInteraction({ type: 'call', properties: { direction: 'inbound' } })).toBe(true);
    expect(isCustomerInteraction({ type: 'wecom_chat', properties: { direction: 'out' } })).toBe(false);
    expect(isCustomerInteraction({ type: 'wecom_chat', properties: { direction: 'in' } })).toBe(true);
    expect(isCustomerInteraction({ type: 'call', properties: { direction: 'outbound', outcome: 'lost' } })).toBe(false);
    const a = run([ev('call', 1, { direction: 'outbound' }, 'phone'), ev('wecom_chat', 2, { direction: 'in', messages: 3 }, 'wecom')]);
    expect(sumWindow(a.interactions, today, 30).count).toBe(1);
    expect(a.lastActivityAt).toBe(NOW - 2 * DAY);
  });

  it('remembers milestones, out of order, by their latest time', () => {
    const a = run([
      ev('delivery', 5, { modelId: 'lanyue', vinTail: '123456' }, 'store'),
      ev('form_submit', 20, { form: 'test_drive_booking', modelId: 'lanyue' }),
      ev('test_drive', 10, { modelId: 'lanyue' }, 'store'),
      ev('form_submit', 30, { form: 'test_drive_booking', modelId: 'lanyue' }),
      ev('call', 1, { direction: 'outbound', outcome: 'lost' }, 'phone'),
      ev('wecom_chat', 0, { direction: 'in', action: 'unsubscribe' }, 'wecom'),
    ]);
    expect(a.last).toEqual({
      delivery: NOW - 5 * DAY,
      test_drive_booking: NOW - 20 * DAY,
      test_drive: NOW - 10 * DAY,
      lost: NOW - DAY,
      unsubscribe: NOW,
    });
  });

  it('keeps the most recent models of interest, ignoring deliveries and service visits', () => {
    const models = Array.from({ length: MAX_MODELS + 2 }, (_, i) => ev('ad_click', 20 - i, { modelId: `m${i}` }, 'autohome'));
    const a = run([...models, ev('service_visit', 0, { modelId: 'owned' }, 'store')]);
    expect(Object.keys(a.models)).toHaveLength(MAX_MODELS);
    expect(a.models.m0).toBeUndefined();
    expect(a.models.m11).toBe(NOW - 9 * DAY);
    expect(a.models.owned).toBeUndefined();
  });

  it('counts channel kinds, shares and sign-ups', () => {
    const a = run([
      ev('ad_click', 1, { modelId: 'lanyue' }, 'autohome'),
      ev('share', 1, { category: 'space', target: 'moments' }),
      ev('form_submit', 2, { form: 'activity_signup' }),
      ev('live_stream', 2, { watchSeconds: 600 }, 'douyin_live'),
    ]);
    expect(sumWindow(a.channels.vertical!, today, 30).count).toBe(1);
    expect(sumWindow(a.channels.owned!, today, 30).count).toBe(2);
    expect(sumWindow(a.channels.live!, today, 30).count).toBe(1);
    expect(sumWindow(a.shares, today, 30).count).toBe(1);
    expect(sumWindow(a.signups, today, 30).count).toBe(1);
  });

  it('leaves the input state untouched', () => {
    const a = run([ev('content_view', 1, { category: 'space', dwellSeconds: 10 })]);
    const copy = JSON.parse(JSON.stringify(a));
    applyActivity(a, ev('content_view', 0, { category: 'space', dwellSeconds: 10 }));
    expect(a).toEqual(copy);
  });

  it('merging two customers gives the same counters as one customer with both histories', () => {
    const e1 = [ev('content_view', 1, { category: 'space', dwellSeconds: 10 }), ev('test_drive', 3, { modelId: 'lanyue' }, 'store')];
    const e2 = [ev('content_view', 1, { category: 'space', dwellSeconds: 20 }), ev('share', 2, {}), ev('ad_click', 4, { modelId: 'tuyao' }, 'autohome')];
    expect(mergeActivity(run(e1), run(e2))).toEqual(run([...e1, ...e2]));
  });
});

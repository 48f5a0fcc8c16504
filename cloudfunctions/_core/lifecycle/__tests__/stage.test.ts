import type { EventDoc } from '../../../../types/model';
import { applyLifecycleEvent, hasReplacementIntent, initialLifecycle, replacementIntentAt, STAGE_LABELS, stageImpliedBy, type LifecycleState } from '../stage';

const T0 = Date.parse('2026-01-10T10:00:00+08:00');
const DAY = 86_400_000;
type Ev = Pick<EventDoc, 'type' | 'properties' | 'timestamp'>;
const ev = (type: EventDoc['type'], day: number, properties: Ev['properties'] = {}): Ev => ({ type, properties, timestamp: T0 + day * DAY });
const run = (events: Ev[], s: LifecycleState = initialLifecycle()) => events.reduce((acc, e) => applyLifecycleEvent(acc, e).state, s);

describe('lifecycle stage', () => {
  it('a test drive, a store visit or a quote makes a lead a prospect; content does not', () => {
    expect(run([ev('content_view', 1, { category: 'space', dwellSeconds: 60 })]).stage).toBe('lead');
    for (const t of ['test_drive', 'store_visit', 'quote'] as const) expect(run([ev(t, 1, { modelId: 'lanyue' })])).toMatchObject({ stage: 'prospect', stageSince: T0 + DAY });
  });

  it('an order or a delivery makes an owner, from any stage', () => {
    expect(run([ev('order', 2, { modelId: 'lanyue' })])).toMatchObject({ stage: 'owner', stageSince: T0 + 2 * DAY });
    expect(run([ev('test_drive', 1), ev('delivery', 9, { modelId: 'lanyue' })])).toMatchObject({ stage: 'owner', stageSince: T0 + 9 * DAY });
  });

  it('names the stages as dealers do', () => {
    expect(STAGE_LABELS).toEqual({ lead: '线索', prospect: '潜客', owner: '保客' });
  });

  it('never moves back', () => {
    const owner = run([ev('order', 1)]);
    expect(applyLifecycleEvent(owner, ev('store_visit', 50))).toEqual({ state: owner, changed: false });
    expect(stageImpliedBy(ev('call', 1))).toBeUndefined();
  });

  it('gives the same state whatever the order of arrival, and applying twice changes nothing', () => {
    const events = [ev('store_visit', 3), ev('quote', 5), ev('order', 8), ev('delivery', 20), ev('test_drive', 100), ev('form_submit', 4, { form: 'test_drive_booking' })];
    const forward = run(events);
    expect(run([...events].reverse())).toEqual(forward);
    expect(run([events[2], events[0], events[5], events[4], events[1], events[3]])).toEqual(forward);
    expect(run(events, forward)).toEqual(forward);
    expect(forward).toEqual({ stage: 'owner', stageSince: T0 + 8 * DAY, lastPurchaseAt: T0 + 20 * DAY, lastIntentAt: T0 + 100 * DAY });
  });

  it('an owner who shows intent for another car stays an owner with a replacement flag', () => {
    const s = run([ev('delivery', 0, { modelId: 'tuyao' }), ev('test_drive', 400, { modelId: 'lanyue' })]);
    expect(s.stage).toBe('owner');
    expect(replacementIntentAt(s, T0 + 401 * DAY)).toBe(T0 + 400 * DAY);
    expect(hasReplacementIntent(run([ev('delivery', 0), ev('form_submit', 400, { form: 'trade_in' })]), T0 + 401 * DAY)).toBe(true);
  });

  it('signals right after a purchase belong to that purchase, and the flag lapses', () => {
    const justBought = run([ev('order', 0), ev('quote', 2), ev('delivery', 10)]);
    expect(hasReplacementIntent(justBought, T0 + 11 * DAY)).toBe(false);
    const later = run([ev('delivery', 0), ev('test_drive', 300)]);
    expect(hasReplacementIntent(later, T0 + 300 * DAY + 180 * DAY)).toBe(true);
    expect(hasReplacementIntent(later, T0 + 300 * DAY + 181 * DAY)).toBe(false);
    // Buying the new car ends the flag.
    expect(hasReplacementIntent(run([ev('delivery', 0), ev('test_drive', 300), ev('order', 305)]), T0 + 306 * DAY)).toBe(false);
  });

  it('a lead whose stage came from data is never flagged', () => {
    expect(hasReplacementIntent(run([ev('test_drive', 1)]), T0 + 2 * DAY)).toBe(false);
    const oemOwner = run([ev('test_drive', 1)], { stage: 'owner' });
    expect(hasReplacementIntent(oemOwner, T0 + 2 * DAY)).toBe(true);
  });
});

import { beatGrowth, placesLeft, registrationClosed, signupEvent, viewerKey, visitEvent } from '../invite';

const SECRET = 'a-test-secret-of-more-than-thirty-two-characters';
const T0 = Date.parse('2025-03-17T10:00:00+08:00');

describe('viewerKey', () => {
  it('keeps no OPENID or device token, and never mixes kinds', () => {
    const a = viewerKey({ kind: 'openid', value: 'o123' }, SECRET);
    expect(a).not.toContain('o123');
    expect(viewerKey({ kind: 'openid', value: 'o123' }, SECRET)).toBe(a);
    expect(viewerKey({ kind: 'device', value: 'o123' }, SECRET)).not.toBe(a);
    expect(viewerKey({ kind: 'openid', value: 'o123' }, `${SECRET}!`)).not.toBe(a);
  });
});

describe('beatGrowth', () => {
  const visit = { openedAt: T0, seconds: 15 };
  it('adds only growth beyond what is counted', () => {
    expect(beatGrowth(visit, 30, T0 + 30_000)).toBe(15);
    expect(beatGrowth(visit, 15, T0 + 30_000)).toBe(0);
    expect(beatGrowth(visit, 10, T0 + 30_000)).toBe(0);
  });
  it('never more than the time since the visit opened (plus a little skew)', () => {
    expect(beatGrowth(visit, 3600, T0 + 30_000)).toBe(20);
  });
  it('adds nothing to a closed visit', () => {
    expect(beatGrowth({ ...visit, closedAt: T0 + 20_000 }, 30, T0 + 30_000)).toBe(0);
  });
});

describe('places', () => {
  it('are capacity minus those taken, never below zero', () => {
    expect(placesLeft({ capacity: 10 })).toBe(10);
    expect(placesLeft({ capacity: 10, registered: 7 })).toBe(3);
    expect(placesLeft({ capacity: 10, registered: 12 })).toBe(0);
  });
  it('close when the activity has ended', () => {
    expect(registrationClosed({ endAt: T0 }, T0 - 1)).toBeUndefined();
    expect(registrationClosed({ endAt: T0 }, T0)).toBe('ended');
  });
});

describe('events', () => {
  it('a visit is one content view with its dwell; a repeat has the same id', () => {
    const v = { _id: 'send1/visit1', sendId: 'send1', materialId: 'm1', activityId: 'a1', openedAt: T0, seconds: 40, customerId: 'c1', storeId: 's1' };
    const e = visitEvent(v, T0 + 60_000);
    expect(e).toMatchObject({ _id: 'invite-view/send1/visit1', type: 'content_view', customerId: 'c1', source: 'miniprogram', timestamp: T0, properties: { dwellSeconds: 40, category: 'event', sendId: 'send1' } });
    expect(visitEvent(v, T0 + 90_000)._id).toBe(e._id);
  });
  it('a sign-up is an activity_signup form, one per place taken', () => {
    const e = signupEvent({ activityId: 'a1', customerId: 'c1', storeId: 's1', at: T0, sendId: 'send1' }, 'SUV 试驾周末', T0);
    expect(e).toMatchObject({ type: 'form_submit', properties: { form: 'activity_signup', formName: 'SUV 试驾周末', activityId: 'a1', sendId: 'send1' } });
    expect(signupEvent({ activityId: 'a1', customerId: 'c1', storeId: 's1', at: T0 + 1 }, 'x', T0)._id).not.toBe(e._id);
  });
});

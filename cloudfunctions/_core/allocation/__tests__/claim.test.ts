import { claimDecision } from '../claim';
import { DEFAULT_POLICY, type ConsultantLoad } from '../policy';

const NOW = Date.parse('2026-11-23T10:00:00+08:00');
const DAY = 86_400_000;
const me: ConsultantLoad = { id: 'zhangwei', storeId: 's1', role: 'consultant', active: true, capacity: 30, modelLines: ['SUV'], activeLeads: 12, receivedToday: 3 };

describe('claimDecision', () => {
  it('lets a consultant claim an unowned lead of their store', () => {
    expect(claimDecision({ storeId: 's1' }, me, DEFAULT_POLICY, NOW)).toEqual({ ok: true, alreadyYours: false });
  });

  it('a retried claim of a lead one already owns succeeds', () => {
    expect(claimDecision({ storeId: 's1', ownerId: 'zhangwei' }, me, DEFAULT_POLICY, NOW)).toEqual({ ok: true, alreadyYours: true });
  });

  it('tells the slower of two claimers plainly', () => {
    expect(claimDecision({ storeId: 's1', ownerId: 'lina' }, me, DEFAULT_POLICY, NOW)).toEqual({ ok: false, code: 'ALREADY_OWNED', message: '手慢了，这条线索已被其他顾问领取' });
  });

  it.each([
    ['OTHER_STORE', { storeId: 's2' }, {}, '这条线索属于其他门店，不能领取'],
    ['DAILY_CAP', { storeId: 's1' }, { receivedToday: DEFAULT_POLICY.dailyCap }, '今日领取数量已达上限，明天再来'],
    ['AT_CAPACITY', { storeId: 's1' }, { activeLeads: 30 }, '你的跟进客户已达上限，请先处理手上的线索'],
    ['INACTIVE', { storeId: 's1' }, { active: false }, '你的账号已停用，不能领取线索'],
    ['NOT_CONSULTANT', { storeId: 's1' }, { role: 'manager' as const }, '只有销售顾问可以领取线索'],
  ])('refuses with %s', (code, lead, over, message) => {
    expect(claimDecision(lead, { ...me, ...over }, DEFAULT_POLICY, NOW)).toEqual({ ok: false, code, message });
  });

  it('a lead recycled from a consultant cannot be claimed back by them for a while; others may', () => {
    const lead = { storeId: 's1', recycledFrom: { consultantId: 'zhangwei', at: NOW - 2 * DAY } };
    expect(claimDecision(lead, me, DEFAULT_POLICY, NOW)).toMatchObject({ ok: false, code: 'COOLDOWN' });
    expect(claimDecision(lead, me, DEFAULT_POLICY, NOW + 5 * DAY)).toMatchObject({ ok: true });
    expect(claimDecision(lead, { ...me, id: 'lina' }, DEFAULT_POLICY, NOW)).toMatchObject({ ok: true });
  });
});

import { DEFAULT_POLICY, type ConsultantLoad } from '../policy';
import { compareLeads, rankKey } from '../rank';
import { reassign } from '../reassign';

const target: ConsultantLoad = { id: 'lina', storeId: 's1', role: 'consultant', active: true, capacity: 12, modelLines: [], activeLeads: 10, receivedToday: 0 };
const manager = { role: 'manager' as const, storeId: 's1' };

describe('reassign', () => {
  it('moves leads within the target’s free capacity and refuses the rest one by one', () => {
    const r = reassign(
      manager,
      [
        { id: 'l1', storeId: 's1', ownerId: 'zhangwei' },
        { id: 'l2', storeId: 's2' },
        { id: 'l3', storeId: 's1', ownerId: 'lina' },
        { id: 'l4', storeId: 's1' },
        { id: 'l5', storeId: 's1', ownerId: 'zhangwei' },
        { id: 'l1', storeId: 's1', ownerId: 'zhangwei' },
      ],
      target,
      DEFAULT_POLICY,
    );
    expect(r).toEqual({
      ok: true,
      moves: [{ leadId: 'l1', from: 'zhangwei' }, { leadId: 'l4' }],
      unchanged: ['l3'],
      rejected: [
        { leadId: 'l2', code: 'OTHER_STORE', message: '这条线索不属于本店' },
        { leadId: 'l5', code: 'AT_CAPACITY', message: '超出该顾问的跟进上限' },
      ],
    });
  });

  it.each([
    ['NOT_MANAGER', { role: 'consultant' as const, storeId: 's1' }, target, '只有店长或销售经理可以分配线索'],
    ['TARGET_OTHER_STORE', manager, { ...target, storeId: 's2' }, '只能分配给本店的顾问'],
    ['TARGET_INACTIVE', manager, { ...target, active: false }, '该顾问已停用，不能接收线索'],
    ['TARGET_NOT_CONSULTANT', manager, { ...target, role: 'manager' as const }, '只能分配给销售顾问'],
  ])('refuses the whole request with %s', (code, who, to, message) => {
    expect(reassign(who, [{ id: 'l1', storeId: 's1' }], to, DEFAULT_POLICY)).toEqual({ ok: false, code, message });
  });

  it('caps the size of a bulk move', () => {
    const many = Array.from({ length: DEFAULT_POLICY.maxBulk + 1 }, (_, i) => ({ id: `l${i}`, storeId: 's1' }));
    expect(reassign(manager, many, { ...target, capacity: 1000 }, DEFAULT_POLICY)).toEqual({ ok: false, code: 'TOO_MANY', message: '一次最多分配200条线索' });
  });
});

describe('ranking', () => {
  it('orders by grade, then score, then recent activity', () => {
    const leads = [
      { id: 'a', score: 90, lastActivityAt: 1 },
      { id: 'b', grade: 'B' as const, score: 40, lastActivityAt: 1 },
      { id: 'c', grade: 'H' as const, score: 50, lastActivityAt: 1 },
      { id: 'd', grade: 'B' as const, score: 70, lastActivityAt: 1 },
      { id: 'e', grade: 'B' as const, score: 70, lastActivityAt: 5 },
    ];
    expect([...leads].sort(compareLeads).map((l) => l.id)).toEqual(['c', 'e', 'd', 'b', 'a']);
    expect(rankKey('H', 95)).toBe(4095);
    expect(rankKey(undefined, 80)).toBe(80);
    expect(rankKey('C', 130)).toBe(1100);
  });
});

import { DEFAULT_POLICY, dueForRecycle, slaStatus } from '../../allocation';
import { DAY } from '../../events/day-buckets';
import { escapeRegex, filterIssues, gradeSource, parseSearch, raceMessage, reassignSummary, recycleCutoffs, recycledLabel, releaseToPool, slaOverdueCutoffs } from '..';

const now = Date.parse('2026-11-23T10:00:00+08:00');
const HOUR = 3_600_000;

describe('search and filter values', () => {
  it('reads 4 digits as a phone tail and anything else as part of a name', () => {
    expect(parseSearch(' 5678 ')).toEqual({ kind: 'phoneTail', tail: '5678' });
    expect(parseSearch('王')).toEqual({ kind: 'name', pattern: '王' });
    expect(parseSearch('12345')).toEqual({ kind: 'name', pattern: '12345' });
  });

  it('escapes regular expression characters so a name is matched literally', () => {
    const pattern = escapeRegex('李.*(先生)');
    expect(new RegExp(pattern).test('李.*(先生)')).toBe(true);
    expect(new RegExp(pattern).test('李四先生')).toBe(false);
  });

  it('names each unknown filter value', () => {
    expect(filterIssues({ tagId: 'no-such-tag', modelId: 'no-such-model', channel: 'Auto Home' }).map((i) => i.field)).toEqual(['tagId', 'modelId', 'channel']);
    expect(filterIssues({ channel: 'autohome' })).toEqual([]);
  });
});

describe('lead card labels', () => {
  it('says how many days without follow-up sent a lead back, falling back to the grade policy', () => {
    expect(recycledLabel({ consultantId: 'x', at: now, afterDays: 7 }, 'H', DEFAULT_POLICY)).toBe('7天未跟进，自动回收');
    expect(recycledLabel({ consultantId: 'x', at: now }, 'H', DEFAULT_POLICY)).toBe('3天未跟进，自动回收');
  });

  it("tells the consultant's grade from the score's suggestion", () => {
    expect(gradeSource({ grade: 'A', gradeInfo: { suggested: { grade: 'A' } } })).toBe('score');
    expect(gradeSource({ grade: 'H', gradeInfo: { consultant: { grade: 'H' }, suggested: { grade: 'A' } } })).toBe('consultant');
    expect(gradeSource({ grade: 'B' })).toBe('consultant');
    expect(gradeSource({})).toBeUndefined();
  });
});

describe('cutoffs agree with the single-lead rules', () => {
  it('marks as overdue exactly the leads slaStatus calls overdue', () => {
    const cutoffs = new Map(slaOverdueCutoffs(now, DEFAULT_POLICY).map((c) => [c.grade, c.before]));
    for (const [grade, hours] of [['H', 2], ['B', 24]] as const) {
      const before = cutoffs.get(grade)!;
      expect(before).toBe(now - hours * HOUR);
      expect(slaStatus({ assignedAt: before - 1, grade }, now, DEFAULT_POLICY).state).toBe('overdue');
      expect(slaStatus({ assignedAt: before, grade }, now, DEFAULT_POLICY).state).not.toBe('overdue');
    }
  });

  it('selects exactly the leads dueForRecycle calls due', () => {
    const c = recycleCutoffs(now, DEFAULT_POLICY).find((x) => x.grade === 'none')!;
    expect(c).toMatchObject({ days: 7, before: now - 7 * DAY });
    const lead = { ownerId: 'a', stage: 'lead' as const, assignedAt: c.before - 1 };
    expect(dueForRecycle(lead, undefined, now, DEFAULT_POLICY).due).toBe(true);
    expect(dueForRecycle(lead, c.before + 1, now, DEFAULT_POLICY).due).toBe(false);
  });
});

describe('reassignment to the pool and its summary', () => {
  const manager = { role: 'manager' as const, storeId: 's1' };

  it("moves the store's owned leads, keeps pooled ones, refuses other stores", () => {
    const plan = releaseToPool(manager, [
      { id: 'a', storeId: 's1', ownerId: 'zhangwei' },
      { id: 'b', storeId: 's1' },
      { id: 'c', storeId: 's2', ownerId: 'x' },
      { id: 'a', storeId: 's1', ownerId: 'zhangwei' },
    ], DEFAULT_POLICY);
    expect(plan).toEqual({ ok: true, moves: [{ leadId: 'a', from: 'zhangwei' }], unchanged: ['b'], rejected: [{ leadId: 'c', code: 'OTHER_STORE', message: '这条线索不属于本店' }] });
    expect(releaseToPool({ role: 'consultant', storeId: 's1' }, [], DEFAULT_POLICY)).toMatchObject({ ok: false, code: 'NOT_MANAGER' });
  });

  it('sums up a bulk move in one toast', () => {
    expect(reassignSummary({ kind: 'consultant', name: '张伟' }, 12, [{ message: '超出该顾问的跟进上限' }, { message: '线索刚被 李娜 接手，未分配，请刷新后重试' }])).toBe('已分配 12 条给 张伟，2 条未分配');
    expect(reassignSummary({ kind: 'consultant', name: '张伟' }, 3, [])).toBe('已分配 3 条给 张伟');
    expect(reassignSummary({ kind: 'pool' }, 0, [{ message: '这条线索不属于本店' }])).toBe('已退回公海 0 条，1 条未退回（这条线索不属于本店）');
  });

  it('explains a lead that changed hands while the manager decided', () => {
    const names = (id: string) => ({ lina: '李娜' })[id];
    expect(raceMessage({ ownerId: 'lina' }, names)).toBe('线索刚被 李娜 接手，未分配，请刷新后重试');
    expect(raceMessage({}, names)).toMatch(/退回公海/);
    expect(raceMessage(undefined, names)).toMatch(/不存在/);
  });
});

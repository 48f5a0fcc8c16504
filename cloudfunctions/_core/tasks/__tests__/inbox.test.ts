import { dueBucket, dueLabel, firstContactEntries, groupsByStrategy, sectionsByDue, type InboxEntry } from '../inbox';

// Monday 2025-03-17 10:00 China time.
const NOW = Date.parse('2025-03-17T10:00:00+08:00');
const at = (iso: string) => Date.parse(`${iso}+08:00`);
const entry = (id: string, dueAt: number, extra: Partial<InboxEntry> = {}): InboxEntry => ({ id, kind: 'next_follow_up', customerId: `c-${id}`, dueAt, status: 'open', ...extra });

describe('dueBucket', () => {
  it('puts past items in 逾期 and the rest by China calendar day', () => {
    expect(dueBucket(NOW - 1, NOW)).toBe('overdue');
    expect(dueBucket(NOW, NOW)).toBe('today');
    expect(dueBucket(at('2025-03-17T23:59:59'), NOW)).toBe('today');
    expect(dueBucket(at('2025-03-18T00:00:00'), NOW)).toBe('tomorrow');
    expect(dueBucket(at('2025-03-18T23:59:59'), NOW)).toBe('tomorrow');
    expect(dueBucket(at('2025-03-19T00:00:00'), NOW)).toBe('later');
  });
  it('uses the China day even when UTC is on another date', () => {
    // 07:00 China time is 23:00 UTC of the day before.
    const early = at('2025-03-17T07:00:00');
    expect(dueBucket(at('2025-03-18T06:00:00'), early)).toBe('tomorrow');
  });
});

describe('sectionsByDue', () => {
  it('orders sections as a consultant works them, soonest first within each, skipped sends last', () => {
    const entries = [
      entry('later', at('2025-03-20T09:00:00')),
      entry('today-late', at('2025-03-17T16:00:00')),
      entry('skip', at('2025-03-17T11:00:00'), { status: 'skipped' }),
      entry('late', at('2025-03-16T09:00:00')),
      entry('today-soon', at('2025-03-17T11:00:00')),
      entry('tomorrow', at('2025-03-18T09:00:00')),
    ];
    const sections = sectionsByDue(entries, NOW);
    expect(sections.map((s) => [s.title, s.items.map((e) => e.id)])).toEqual([
      ['逾期', ['late']],
      ['今天', ['today-soon', 'today-late']],
      ['明天', ['tomorrow']],
      ['之后', ['later']],
      ['未发送', ['skip']],
    ]);
  });
  it('leaves empty sections out', () => {
    expect(sectionsByDue([entry('a', NOW + 1000)], NOW).map((s) => s.key)).toEqual(['today']);
    expect(sectionsByDue([], NOW)).toEqual([]);
  });
});

describe('groupsByStrategy', () => {
  it('puts the consultant’s own work first, then each strategy in order of its soonest item', () => {
    const groups = groupsByStrategy([
      entry('s2', NOW + 5, { strategyId: 'st-2', strategyName: '老车主置换季', kind: 'strategy_send' }),
      entry('own', NOW + 9),
      entry('s1', NOW + 1, { strategyId: 'st-1', strategyName: 'SUV 试驾周末邀约', kind: 'strategy_send' }),
      entry('s1b', NOW + 7, { strategyId: 'st-1', strategyName: 'SUV 试驾周末邀约', kind: 'reaction_call' }),
    ]);
    expect(groups.map((g) => [g.name, g.items.map((e) => e.id)])).toEqual([
      ['日常跟进', ['own']],
      ['SUV 试驾周末邀约', ['s1', 's1b']],
      ['老车主置换季', ['s2']],
    ]);
  });
});

describe('firstContactEntries', () => {
  it('makes one derived entry per assignment, due at the SLA deadline', () => {
    const [e] = firstContactEntries([{ _id: 'cus-1', assignedAt: 100, deadline: 7_200_100 }]);
    expect(e).toEqual({ id: 'first_contact/cus-1/100', kind: 'first_contact', customerId: 'cus-1', dueAt: 7_200_100, status: 'open', derived: true });
  });
});

describe('dueLabel', () => {
  const span = (ms: number) => `${Math.round(ms / 3_600_000)}小时`;
  it('says how late, or when, in the consultant’s words', () => {
    expect(dueLabel(NOW - 2 * 3_600_000, NOW, span)).toBe('已超时2小时');
    expect(dueLabel(at('2025-03-17T15:00:00'), NOW, span)).toBe('今天 15:00');
    expect(dueLabel(at('2025-03-18T09:05:00'), NOW, span)).toBe('明天 09:05');
    expect(dueLabel(at('2025-03-20T09:30:00'), NOW, span)).toBe('3月20日 09:30');
  });
});

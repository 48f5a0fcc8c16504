import { toLeadSummary, type LeadSource, type Lookups } from '../views';

const lookups: Lookups = {
  model: () => undefined,
  channelName: (id) => id,
  tag: () => undefined,
  storeName: () => '上海浦东店',
  staffName: (id) => ({ zhangwei: '张伟' })[id],
  describeEvent: () => '',
};
const now = Date.parse('2026-11-23T10:00:00+08:00');
const HOUR = 3_600_000;
const lead: LeadSource = {
  _id: 'c1',
  name: '李娜',
  stage: 'lead',
  identities: { phone: '13912345678' },
  vehiclesOfInterest: [],
  lastActivityAt: now - HOUR,
};

describe('the lead card', () => {
  it('carries the score, its first reason and the grade source', () => {
    const card = toLeadSummary({ ...lead, grade: 'A', score: { total: 82, reasons: ['到店2次', '预约试驾'] }, gradeInfo: { suggested: { grade: 'A' } } }, lookups, false, now);
    expect(card).toMatchObject({ grade: 'A', gradeSource: 'score', score: 82, reason: '到店2次' });
    expect(toLeadSummary(lead, lookups, false, now)).not.toHaveProperty('score');
  });

  it('shows the first-contact SLA only while the owner has not made contact', () => {
    const owned = { ...lead, ownerId: 'zhangwei', grade: 'H' as const, assignedAt: now - 90 * 60_000 };
    expect(toLeadSummary(owned, lookups, false, now).sla).toEqual({ state: 'due_soon', label: '即将超时，剩余30分钟' });
    expect(toLeadSummary({ ...owned, firstContactAt: now - HOUR }, lookups, false, now).sla).toBeUndefined();
    // A contact from before the current assignment does not count.
    expect(toLeadSummary({ ...owned, firstContactAt: now - 2 * HOUR }, lookups, false, now).sla?.state).toBe('due_soon');
    expect(toLeadSummary(owned, lookups, false).sla).toBeUndefined();
  });

  it('says why a pool lead was recycled, and only while it is in the pool', () => {
    const recycled = { ...lead, recycledFrom: { consultantId: 'zhangwei', at: now - HOUR, afterDays: 7 } };
    expect(toLeadSummary(recycled, lookups, false, now).recycledLabel).toBe('7天未跟进，自动回收');
    expect(toLeadSummary({ ...recycled, ownerId: 'lina' }, lookups, false, now).recycledLabel).toBeUndefined();
  });
});

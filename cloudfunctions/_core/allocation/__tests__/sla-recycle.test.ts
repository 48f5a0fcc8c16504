import { dueForRecycle } from '../recycle';
import { DEFAULT_POLICY } from '../policy';
import { formatSpan, isFirstContact, slaDeadline, slaStatus } from '../sla';

const T = Date.parse('2026-11-23T10:00:00+08:00');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('first-contact SLA', () => {
  it('gives H and A leads 2 hours, others 24', () => {
    expect(slaDeadline(T, 'H', DEFAULT_POLICY)).toBe(T + 2 * HOUR);
    expect(slaDeadline(T, 'A', DEFAULT_POLICY)).toBe(T + 2 * HOUR);
    expect(slaDeadline(T, 'B', DEFAULT_POLICY)).toBe(T + 24 * HOUR);
    expect(slaDeadline(T, undefined, DEFAULT_POLICY)).toBe(T + 24 * HOUR);
  });

  it('counts down, warns in the last quarter, then shows how late it is', () => {
    expect(slaStatus({ assignedAt: T, grade: 'H' }, T + 40 * MIN, DEFAULT_POLICY)).toMatchObject({ state: 'pending', label: '剩余1小时20分钟' });
    expect(slaStatus({ assignedAt: T, grade: 'H' }, T + 100 * MIN, DEFAULT_POLICY)).toMatchObject({ state: 'due_soon', label: '即将超时，剩余20分钟' });
    expect(slaStatus({ assignedAt: T, grade: 'H' }, T + 155 * MIN, DEFAULT_POLICY)).toMatchObject({ state: 'overdue', label: '已超时35分钟，请尽快联系', remainingMs: -35 * MIN });
  });

  it('records whether the first contact was on time', () => {
    expect(slaStatus({ assignedAt: T, grade: 'A', firstContactAt: T + HOUR }, T + 5 * HOUR, DEFAULT_POLICY)).toMatchObject({ state: 'met', label: '已按时首次联系' });
    expect(slaStatus({ assignedAt: T, grade: 'C', firstContactAt: T + 27 * HOUR }, T + 30 * HOUR, DEFAULT_POLICY)).toMatchObject({ state: 'late', label: '首次联系超时3小时' });
    // A contact from before this assignment (e.g. by the previous owner) does not count.
    expect(slaStatus({ assignedAt: T, grade: 'A', firstContactAt: T - HOUR }, T + 10 * MIN, DEFAULT_POLICY).state).toBe('pending');
  });

  it('formats spans in Chinese', () => {
    expect(formatSpan(30_000)).toBe('1分钟');
    expect(formatSpan(2 * HOUR)).toBe('2小时');
    expect(formatSpan(51 * HOUR)).toBe('2天3小时');
    expect(formatSpan(48 * HOUR)).toBe('2天');
  });

  it('a connected call, a WeCom message or a store meeting is a first contact; a missed call is not', () => {
    expect(isFirstContact({ type: 'call', properties: { direction: 'outbound', connected: false } })).toBe(false);
    expect(isFirstContact({ type: 'call', properties: { direction: 'outbound', connected: true } })).toBe(true);
    expect(isFirstContact({ type: 'wecom_chat', properties: { direction: 'out' } })).toBe(true);
    expect(isFirstContact({ type: 'store_visit', properties: {} })).toBe(true);
    expect(isFirstContact({ type: 'content_view', properties: {} })).toBe(false);
  });
});

describe('recycling to the pool', () => {
  const lead = { ownerId: 'zhangwei', stage: 'lead' as const, grade: 'B' as const, assignedAt: T };

  it('returns a lead after N days without follow-up, counted from the last follow-up', () => {
    expect(dueForRecycle(lead, undefined, T + 6 * DAY, DEFAULT_POLICY)).toEqual({ due: false, dueAt: T + 7 * DAY });
    expect(dueForRecycle(lead, undefined, T + 7 * DAY, DEFAULT_POLICY)).toEqual({ due: true, dueAt: T + 7 * DAY, reason: '7天未跟进，自动回收到公海' });
    expect(dueForRecycle(lead, T + 5 * DAY, T + 8 * DAY, DEFAULT_POLICY)).toEqual({ due: false, dueAt: T + 12 * DAY });
  });

  it('hot leads are recycled sooner', () => {
    expect(dueForRecycle({ ...lead, grade: 'H' }, undefined, T + 3 * DAY, DEFAULT_POLICY)).toMatchObject({ due: true, reason: '3天未跟进，自动回收到公海' });
  });

  it('never recycles owners or leads already in the pool', () => {
    expect(dueForRecycle({ ...lead, stage: 'owner' }, undefined, T + 100 * DAY, DEFAULT_POLICY)).toEqual({ due: false });
    expect(dueForRecycle({ stage: 'lead', assignedAt: T }, undefined, T + 100 * DAY, DEFAULT_POLICY)).toEqual({ due: false });
  });
});

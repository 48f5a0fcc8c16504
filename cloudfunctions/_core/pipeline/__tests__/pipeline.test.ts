import type { CustomerDoc, EventDoc } from '../../../../types/model';
import { followUpEvent } from '../../followups/follow-up';
import { refreshCustomer, type DerivedCustomer } from '../../scoring/ingest';
import { DEFAULT_MODEL } from '../../scoring/model';
import { rebuildState } from '../../scoring/state';
import { applyContactEvent, phoneTailOf } from '../contact-fields';
import { derivedChanges } from '../derived';

const T = Date.parse('2026-11-20T10:00:00+08:00');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const customer = (over: Partial<DerivedCustomer> = {}): DerivedCustomer => ({
  _id: 'cus-1',
  name: '李明',
  gender: 'male',
  city: '上海',
  identities: { phone: '13912345678' },
  storeId: 'store-1',
  stage: 'lead',
  sourceChannel: 'autohome',
  vehiclesOfInterest: [],
  vehiclesOwned: [],
  tags: [],
  storesVisited: [],
  createdAt: T - 10 * DAY,
  updatedAt: T - 10 * DAY,
  lastActivityAt: T - 10 * DAY,
  ownerId: 'zhangwei',
  assignedAt: T - 2 * DAY,
  ...over,
});

let n = 0;
const event = (type: EventDoc['type'], at: number, properties: EventDoc['properties'] = {}, staffId?: string): EventDoc => ({
  _id: `e${++n}`,
  customerId: 'cus-1',
  storeId: 'store-1',
  type,
  source: 'store',
  properties,
  originalTimestamp: at,
  sentAt: at,
  receivedAt: at,
  timestamp: at,
  ...(staffId ? { staffId } : {}),
});

const env = (at: number, staffId = 'zhangwei') => ({ id: `fu${++n}`, customerId: 'cus-1', storeId: 'store-1', staffId, note: '', at, receivedAt: at });

describe('contact fields: 尾号, first contact (SLA) and last follow-up (recycling)', () => {
  it('keeps the last four digits of the phone for 尾号 search, and none without a phone', () => {
    expect(phoneTailOf({ identities: { phone: '13912345678' } })).toBe('5678');
    expect(phoneTailOf({ identities: { openid: 'oAbc' } })).toBeUndefined();
    const c = applyContactEvent(customer({ identities: { unionid: 'oX' }, phoneTail: '5678' } as Partial<DerivedCustomer>), event('content_view', T));
    expect(c.phoneTail).toBeUndefined();
    expect(applyContactEvent(customer(), event('content_view', T)).phoneTail).toBe('5678');
  });

  it('marks the first contact after the assignment: a connected call, not an unanswered one nor a note', () => {
    let c: CustomerDoc = customer();
    c = applyContactEvent(c, followUpEvent({ kind: 'call', outcome: 'no_answer' }, env(T - HOUR)));
    c = applyContactEvent(c, followUpEvent({ kind: 'note' }, env(T - HOUR / 2)));
    expect(c.firstContactAt).toBeUndefined();
    c = applyContactEvent(c, followUpEvent({ kind: 'call', outcome: 'connected' }, env(T)));
    expect(c.firstContactAt).toBe(T);
    // A later contact does not move it; an earlier one arriving late does.
    c = applyContactEvent(c, followUpEvent({ kind: 'visit' }, env(T + HOUR)));
    expect(c.firstContactAt).toBe(T);
    c = applyContactEvent(c, event('wecom_chat', T - 2 * HOUR, { direction: 'in' }));
    expect(c.firstContactAt).toBe(T - 2 * HOUR);
  });

  it('ignores contacts from before the current assignment, and starts over after a reassignment', () => {
    const before = applyContactEvent(customer(), followUpEvent({ kind: 'call', outcome: 'connected' }, env(T - 3 * DAY)));
    expect(before.firstContactAt).toBeUndefined();
    const reassigned = applyContactEvent(customer({ firstContactAt: T - 3 * DAY, assignedAt: T - DAY }), followUpEvent({ kind: 'visit' }, env(T)));
    expect(reassigned.firstContactAt).toBe(T);
    const pool = applyContactEvent(customer({ ownerId: undefined, assignedAt: undefined }), followUpEvent({ kind: 'visit' }, env(T)));
    expect(pool.firstContactAt).toBeUndefined();
    expect(pool.lastFollowUpAt).toBeUndefined();
  });

  it("counts only the owner's follow-ups as the last follow-up, whatever order they arrive in", () => {
    let c: CustomerDoc = customer();
    c = applyContactEvent(c, followUpEvent({ kind: 'note' }, env(T)));
    expect(c.lastFollowUpAt).toBe(T);
    c = applyContactEvent(c, followUpEvent({ kind: 'call', outcome: 'no_answer' }, env(T - DAY)));
    expect(c.lastFollowUpAt).toBe(T);
    c = applyContactEvent(c, followUpEvent({ kind: 'visit' }, env(T + DAY, 'lisi')));
    expect(c.lastFollowUpAt).toBe(T);
    c = applyContactEvent(c, event('content_view', T + 2 * DAY));
    expect(c.lastFollowUpAt).toBe(T);
  });
});

describe('what a rescore writes', () => {
  const events = [event('content_view', T - DAY, { category: 'space', dwellSeconds: 200, modelId: 'lanyue' }), event('test_drive', T - HOUR, { modelId: 'lanyue' }, 'zhangwei')];
  const state = rebuildState(events, DEFAULT_MODEL);
  const base = refreshCustomer(customer({ stage: 'prospect' }), state, DEFAULT_MODEL, T);

  it('is nothing when only the time of the refresh moved', () => {
    const later = refreshCustomer(base, state, DEFAULT_MODEL, T + 1000);
    expect(later.score!.at).not.toBe(base.score!.at);
    expect(derivedChanges(base, later)).toEqual({ changed: false, patch: {}, removed: [] });
  });

  it('is the score, rank and tags once the test drive falls out of its window', () => {
    const later = refreshCustomer(base, state, DEFAULT_MODEL, T + 40 * DAY);
    const { changed, patch } = derivedChanges(base, later);
    expect(changed).toBe(true);
    expect(patch.score!.total).toBeLessThan(base.score!.total);
    expect(Object.keys(patch)).toEqual(expect.arrayContaining(['score', 'rankKey', 'tags']));
    expect(base.score!.reasons).toContain('近30天到店试驾1次（揽岳）');
    expect(patch.score!.reasons.some((r) => r.includes('到店试驾'))).toBe(false);
  });

  it('removes a grade that is gone, and sees a consultant grade change', () => {
    const graded: DerivedCustomer = { ...base, grade: 'H' };
    const { grade: _g, ...ungraded } = graded;
    expect(derivedChanges(graded, ungraded as DerivedCustomer)).toMatchObject({ changed: true, removed: ['grade'] });
    const byConsultant = { ...base, gradeInfo: { ...base.gradeInfo, consultant: { grade: 'A' as const, setAt: T, by: 'zhangwei' } } };
    expect(derivedChanges(base, byConsultant).patch).toEqual({ gradeInfo: byConsultant.gradeInfo });
  });

  it('is a tag change when a tag comes or goes, not when a rule tag is only stamped again', () => {
    const restamped = { ...base, tags: base.tags.map((t) => ({ ...t, assignedAt: t.assignedAt + 1, expiresAt: (t.expiresAt ?? 0) + DAY })) };
    expect(derivedChanges(base, restamped).changed).toBe(false);
    expect(derivedChanges(base, { ...base, tags: base.tags.slice(1) }).patch).toHaveProperty('tags');
  });
});

import type { ConsentDoc, CustomerDoc, EventDoc, OutboxDoc } from '../../../../types/model';
import { afterFailure, entriesForEvents, entryForConsent, holdBack, HOLD_MS, MAX_ATTEMPTS, retryDelay, RETRY_BASE_MS, RETRY_CAP_MS, sendable, type Queued } from '../outbox';
import { syncFreshness } from '../freshness';

const T = Date.parse('2025-03-17T10:00:00+08:00');
const err = (code: 'server_error' | 'rejected' | 'timeout' = 'server_error') => ({ code, message: 'x', at: T });

describe('retry policy', () => {
  it('backs off exponentially from 30 s to an hour, with half of each wait random', () => {
    expect(retryDelay(1, () => 0)).toBe(RETRY_BASE_MS / 2);
    expect(retryDelay(1, () => 0.999999)).toBeCloseTo(RETRY_BASE_MS, -1);
    expect(retryDelay(3, () => 0)).toBe((RETRY_BASE_MS * 4) / 2);
    expect(retryDelay(30, () => 0.5)).toBe(Math.round(RETRY_CAP_MS * 0.75));
    const spread = new Set(Array.from({ length: 50 }, (_, i) => retryDelay(4, () => i / 50)));
    expect(spread.size).toBe(50);
  });

  it('dead-letters after the last attempt, and at once when the OEM refuses the item', () => {
    expect(afterFailure({ attempts: 0 }, err(), T, () => 0.5)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(afterFailure({ attempts: 0 }, err(), T, () => 0.5).nextAt).toBeGreaterThan(T);
    expect(afterFailure({ attempts: MAX_ATTEMPTS - 1 }, err('timeout'), T, () => 0.5)).toMatchObject({ status: 'dead', attempts: MAX_ATTEMPTS });
    expect(afterFailure({ attempts: 0 }, err('rejected'), T, () => 0.5)).toMatchObject({ status: 'dead', attempts: 1 });
  });
});

describe('per-customer order', () => {
  const q = (id: string, customerId: string, seq: number, over: Partial<Queued> = {}): Queued => ({ _id: id, customerId, seq, status: 'pending', nextAt: T, ...over });

  it('sends each customer\'s due prefix, stopping at one that backs off or is dead', () => {
    const unsent = [q('a3', 'a', 3), q('a1', 'a', 1), q('a2', 'a', 2, { nextAt: T + 1000 }), q('b1', 'b', 1, { status: 'dead' }), q('b2', 'b', 2), q('c1', 'c', 1), q('c2', 'c', 2)];
    expect(sendable(unsent, T).map((e) => e._id)).toEqual(['a1', 'c1', 'c2']);
    expect(sendable(unsent, T, 2).map((e) => e._id)).toEqual(['a1', 'c1']);
  });

  it('moves waiting entries behind their blocker, so the due queue\'s head can always go', () => {
    const unsent = [q('a1', 'a', 1, { nextAt: T + 5000 }), q('a2', 'a', 2), q('b1', 'b', 1, { status: 'dead' }), q('b2', 'b', 2), q('b3', 'b', 3, { nextAt: T + HOLD_MS * 2 })];
    expect(holdBack(unsent, T)).toEqual([
      { ids: ['a2'], nextAt: T + 5000 },
      { ids: ['b2'], nextAt: T + HOLD_MS },
    ]);
  });
});

describe('what becomes an entry', () => {
  const c = (consented: boolean): CustomerDoc & { outboxSeq?: number } => ({
    _id: 'c1',
    name: '王子涵',
    gender: 'male',
    city: '上海',
    identities: { oemId: 'LS001', phone: '13912345678' },
    storeId: 's1',
    stage: 'lead',
    sourceChannel: 'autohome',
    vehiclesOfInterest: [],
    vehiclesOwned: [],
    tags: [],
    storesVisited: [],
    createdAt: T,
    updatedAt: T,
    lastActivityAt: T,
    outboxSeq: 4,
    ...(consented ? { consent: { oem_sharing: { granted: true, at: T, noticeVersion: 'v1', channel: 'oem' as const } } } : {}),
  });
  const e = (id: string, over: Partial<EventDoc> = {}): EventDoc => ({ _id: id, customerId: 'c1', storeId: 's1', type: 'quote', source: 'store', properties: { modelId: 'lanyue', price: 259800, priceCut: 8000, note: '客户说预算紧', followUp: 'quote' }, originalTimestamp: T, sentAt: T, receivedAt: T, timestamp: T, staffId: 'zhangwei', ...over });

  it('queues store-side facts of a consenting customer in order, keyed by event, without the consultant\'s notes', () => {
    const out = entriesForEvents(c(true), [e('q1'), e('n1', { type: 'wecom_chat', properties: { followUp: 'note', note: 'x' } }), e('o1', { staffId: undefined })], T);
    expect(out.entries.map((x) => [x._id, x.seq, x.status])).toEqual([['evt:q1', 5, 'pending']]);
    expect(out.customer.outboxSeq).toBe(5);
    expect(out.entries[0].item).toMatchObject({ type: 'track', messageId: 'evt:q1', event: 'quote', userId: 'LS001', properties: { price: 259800, priceCut: 8000 }, context: { storeId: 's1', staffId: 'zhangwei' } });
    expect((out.entries[0].item.properties as Record<string, unknown>).note).toBeUndefined();
  });

  it('queues nothing for a customer who did not consent', () => {
    const none = entriesForEvents(c(false), [e('q1')], T);
    expect(none.entries).toEqual([]);
  });

  it('tells the OEM of a consent change, identifying by phone when there is no OEM id', () => {
    const entry: ConsentDoc = { _id: 'k1', customerId: 'c1', storeId: 's1', purpose: 'oem_sharing', granted: false, noticeVersion: 'v1', at: T, channel: 'store', recordedBy: 'zhangwei', recordedAt: T };
    const withoutOemId = { ...c(false), identities: { phone: '13912345678' } };
    const out = entryForConsent(withoutOemId, entry, T);
    expect(out.entry).toMatchObject({ _id: 'consent:k1', kind: 'consent', seq: 5, item: { event: 'consent_changed', anonymousId: 'c1', properties: { purpose: 'oem_sharing', granted: false }, context: { traits: { phone: '13912345678' } } } });
  });
});

test('the profile\'s sync line: pending, failing with a reason, last synced', () => {
  const entries: Pick<OutboxDoc, 'status' | 'attempts' | 'sentAt' | 'lastError' | 'seq'>[] = [
    { status: 'pending', attempts: 2, seq: 3, lastError: err('timeout') },
    { status: 'pending', attempts: 0, seq: 2 },
    { status: 'sent', attempts: 0, seq: 1, sentAt: T - 60_000 },
  ];
  expect(syncFreshness({ consent: { oem_sharing: { granted: true, at: T, noticeVersion: 'v1', channel: 'oem' } }, oem: { syncedAt: T - 120_000 } }, entries)).toEqual({
    shared: true,
    lastSyncedAt: T - 60_000,
    pendingUpstream: 2,
    failedUpstream: 0,
    lastError: '主机厂无响应',
    retrying: true,
  });
  expect(syncFreshness({}, [])).toEqual({ shared: false, pendingUpstream: 0, failedUpstream: 0, retrying: false });
});

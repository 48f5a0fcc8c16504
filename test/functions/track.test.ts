/**
 * track.ingest through the real wx-server-sdk on the emulator: store-side events land once,
 * on the right customer (OneID by phone, or a new customer), and move the lead lists.
 */
import type { LeadSummary, Page, TimelineItem, TrackResult } from '../../types/api';
import type { CustomerDoc, EventDoc, IdentityDoc, StaffDoc, StoreDoc } from '../../types/model';
import type { DerivedCustomer } from '../../cloudfunctions/_core/scoring/ingest';
import type { CustomerState } from '../../cloudfunctions/_core/scoring/state';
import { ok, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let consultant: StaffDoc;
let token: string;
let otherStoreId: string;

const find = async <T>(collection: string, query: object): Promise<T[]> =>
  (await Promise.resolve(stack.emulator.db.find(collection, query, { limit: 100000 }))) as T[];

const customerById = async (id: string) => (await find<DerivedCustomer>('customers', { _id: id }))[0];
const stateOf = async (id: string) => (await find<CustomerState>('customerStates', { _id: id }))[0];
const visitsAt = (c: CustomerDoc) => c.storesVisited.find((s) => s.storeId === consultant.storeId)?.count ?? 0;
/** The stored time of an event (the sender's time corrected by receivedAt - sentAt). */
const storedTime = async (messageId: string) => (await find<EventDoc>('events', { _id: messageId }))[0].timestamp;

let seq = 0;
/** A valid store visit by the given phone, recorded now in the consultant's store. */
type RawEvent = Record<string, unknown> & { messageId: string };

function visit(phone: string, overrides: Record<string, unknown> = {}): RawEvent {
  const at = stack.clock.now();
  seq += 1;
  return {
    messageId: `test-visit-${seq}-${at}`,
    event: 'store_visit',
    identities: { phone },
    properties: { durationMinutes: 40 },
    originalTimestamp: at,
    sentAt: at,
    source: 'store',
    storeId: consultant.storeId,
    ...overrides,
  };
}

const ingest = async (events: unknown[]) => ok(await stack.http<TrackResult>('track', { action: 'ingest', params: { events } }, token));

/** A customer the consultant owns, with a phone. */
async function ownedCustomerWithPhone(skip: Set<string> = new Set()): Promise<CustomerDoc & { identities: { phone: string } }> {
  const mine = await find<CustomerDoc>('customers', { ownerId: consultant._id });
  const c = mine.filter((x) => x.identities.phone && !skip.has(x._id)).sort((a, b) => a.lastActivityAt - b.lastActivityAt)[0];
  return c as CustomerDoc & { identities: { phone: string } };
}

beforeAll(async () => {
  stack = await startTestStack();
  consultant = (await find<StaffDoc>('staff', { _id: 'zhangwei' }))[0];
  token = await stack.signIn('zhangwei');
  otherStoreId = (await find<StoreDoc>('stores', {})).find((s) => s._id !== consultant.storeId)!._id;
});

afterAll(() => stack.destroy());

describe('track.ingest', () => {
  it("puts a store visit first in the customer's timeline and the customer on top of the owner's latest-activity list", async () => {
    const c = await ownedCustomerWithPhone();
    const before = ok(await stack.http<Page<LeadSummary>>('leads', { action: 'list', params: { limit: 1, sort: 'recent' } }, token));
    expect(before.items[0].id).not.toBe(c._id);

    const e = visit(c.identities.phone);
    const res = await ingest([e]);
    expect(res).toEqual({ accepted: [e.messageId], duplicates: [], rejected: [] });

    const timeline = ok(await stack.http<Page<TimelineItem>>('customers', { action: 'timeline', params: { customerId: c._id, limit: 5 } }, token));
    expect(timeline.items[0].id).toBe(e.messageId);
    expect(timeline.items[0].title).toMatch(/[\u4e00-\u9fa5]/);

    const leads = ok(await stack.http<Page<LeadSummary>>('leads', { action: 'list', params: { limit: 1, sort: 'recent' } }, token));
    expect(leads.items[0].id).toBe(c._id);
    expect(leads.items[0].lastTouch?.type).toBe('store_visit');
    const after = await customerById(c._id);
    expect(after.lastActivityAt).toBe(await storedTime(e.messageId));
    expect(after.stage).not.toBe('lead');
  });

  it('stores a repeated messageId once', async () => {
    const c = await ownedCustomerWithPhone();
    const e = visit(c.identities.phone);
    expect((await ingest([e])).accepted).toEqual([e.messageId]);
    const visitsBefore = (await customerById(c._id)).storesVisited.find((s) => s.storeId === consultant.storeId)?.count;

    const retry = await ingest([e, e]);
    expect(retry.accepted).toEqual([]);
    expect(retry.duplicates).toEqual([e.messageId, e.messageId]);
    expect(await find<EventDoc>('events', { _id: e.messageId })).toHaveLength(1);
    expect((await customerById(c._id)).storesVisited.find((s) => s.storeId === consultant.storeId)?.count).toBe(visitsBefore);
  });

  it('stores the valid events of a batch and reports the invalid one by index and field', async () => {
    const c = await ownedCustomerWithPhone();
    const good1 = visit(c.identities.phone);
    const bad: RawEvent = { ...visit(c.identities.phone), event: 'quote', properties: { modelId: 'x' } };
    const good2 = visit(c.identities.phone);

    const res = await ingest([good1, bad, good2]);
    expect(res.accepted).toEqual([good1.messageId, good2.messageId]);
    expect(res.rejected).toHaveLength(1);
    expect(res.rejected[0]).toMatchObject({ index: 1, messageId: bad.messageId });
    expect(res.rejected[0].issues.map((i) => i.field)).toContain('properties.price');
    expect(await find<EventDoc>('events', { _id: bad.messageId })).toEqual([]);
    expect(await find<EventDoc>('events', { _id: good2.messageId })).toHaveLength(1);
  });

  it("creates a customer in the caller's store for a phone nobody has, owned by the consultant who met them", async () => {
    const phone = '13912345670';
    expect(await find<IdentityDoc>('identities', { _id: `${consultant.storeId}/phone:${phone}` })).toEqual([]);
    const e = visit(phone);
    expect((await ingest([e])).accepted).toEqual([e.messageId]);

    const [link] = await find<IdentityDoc>('identities', { _id: `${consultant.storeId}/phone:${phone}` });
    const created = await customerById(link.customerId);
    expect(created).toMatchObject({ storeId: consultant.storeId, identities: { phone }, name: '尾号5670的客户', stage: 'prospect' });
    expect(created.ownerId).toBe(consultant._id);
    expect(created.assignedAt).toEqual(expect.any(Number));
    expect((await find<EventDoc>('events', { _id: e.messageId }))[0].customerId).toBe(created._id);
  });

  it('gives new leads a manager records to the model line’s experts in turn, and to the pool when nobody has room', async () => {
    const managerToken = await stack.signIn('wangjianguo');
    const staff = await find<StaffDoc>('staff', { storeId: consultant.storeId, role: 'consultant', active: true });
    const suvExperts = staff.filter((s) => s.modelLines.includes('SUV')).map((s) => s._id).sort();
    expect(suvExperts.length).toBeGreaterThan(1);
    const newLead = async (phone: string) => {
      const e = visit(phone, { event: 'form_submit', properties: { form: 'test_drive_booking', modelId: 'lanyue' }, source: 'autohome' });
      expect(ok(await stack.http<TrackResult>('track', { action: 'ingest', params: { events: [e] } }, managerToken)).accepted).toEqual([e.messageId]);
      const [link] = await find<IdentityDoc>('identities', { _id: `${consultant.storeId}/phone:${phone}` });
      return customerById(link.customerId);
    };
    const owners: (string | undefined)[] = [];
    for (let i = 0; i < suvExperts.length; i++) owners.push((await newLead(`1390000${String(7100 + i)}`)).ownerId);
    // Each SUV expert got exactly one of them: round-robin within the expert tier.
    expect([...owners].sort()).toEqual(suvExperts);

    // Everyone at capacity: the next lead waits in the pool.
    const saved = staff.map((s) => ({ id: s._id, capacity: s.capacity }));
    for (const s of staff) stack.emulator.db.update('staff', { _id: s._id }, { $set: { capacity: 0 } }, { multi: false });
    try {
      const pooled = await newLead('13900007199');
      expect(pooled.ownerId).toBeUndefined();
    } finally {
      for (const s of saved) stack.emulator.db.update('staff', { _id: s.id }, { $set: { capacity: s.capacity } }, { multi: false });
    }
  });

  it('rejects an event for another store and writes nothing', async () => {
    const phone = '13912345681';
    const e = visit(phone, { storeId: otherStoreId });
    const res = await ingest([e]);
    expect(res.accepted).toEqual([]);
    expect(res.rejected).toEqual([{ index: 0, messageId: e.messageId, issues: [expect.objectContaining({ field: 'storeId' })] }]);
    expect(await find<EventDoc>('events', { _id: e.messageId })).toEqual([]);
    expect(await find<IdentityDoc>('identities', { _id: `${consultant.storeId}/phone:${phone}` })).toEqual([]);
  });

  it('keeps lastActivityAt when an older event arrives late', async () => {
    const c = await ownedCustomerWithPhone();
    const recent = visit(c.identities.phone);
    await ingest([recent]);
    const old = stack.clock.now() - 3 * 86_400_000;
    const late = visit(c.identities.phone, { event: 'content_view', properties: { dwellSeconds: 30, category: 'space' }, originalTimestamp: old, sentAt: stack.clock.now() });

    expect((await ingest([late])).accepted).toEqual([late.messageId]);
    const after = await customerById(c._id);
    expect(await storedTime(late.messageId)).toBeLessThan(await storedTime(recent.messageId));
    expect(after.lastActivityAt).toBe(await storedTime(recent.messageId));
    expect(after.lastTouch?.type).toBe('store_visit');
    const timeline = ok(await stack.http<Page<TimelineItem>>('customers', { action: 'timeline', params: { customerId: c._id, limit: 50 } }, token));
    expect(timeline.items[0].id).toBe(recent.messageId);
    expect(timeline.items.map((i) => i.id)).toContain(late.messageId);
  });
});

describe('track.ingest keeps the score current', () => {
  /** An owned lead without a recent test drive, so one moves the score. */
  async function quietLead(): Promise<DerivedCustomer & { identities: { phone: string } }> {
    const mine = await find<DerivedCustomer>('customers', { ownerId: consultant._id, stage: 'lead' });
    const c = mine.filter((x) => x.identities.phone && !(x.score?.reasons ?? []).some((r) => r.includes('试驾'))).sort((a, b) => a._id.localeCompare(b._id))[0];
    return c as DerivedCustomer & { identities: { phone: string } };
  }

  it('a test drive raises the score, names the reason and makes the lead a prospect; its retry changes nothing', async () => {
    const c = await quietLead();
    const before = c.score?.total ?? 0;
    const e = visit(c.identities.phone, { event: 'test_drive', properties: { modelId: 'lanyue', trim: '2.0T 四驱旗舰版', durationMinutes: 30 } });
    expect((await ingest([e])).accepted).toEqual([e.messageId]);

    const after = await customerById(c._id);
    expect(after.score!.total).toBeGreaterThan(before);
    expect(after.score!.reasons).toContain('近30天到店试驾1次（揽岳）');
    expect(after.stage).toBe('prospect');
    expect(after.rankKey).toBeGreaterThanOrEqual(after.score!.total);
    expect((await stateOf(c._id)).seen).toContain(e.messageId);
    expect((await find<EventDoc & { pending?: boolean }>('events', { _id: e.messageId }))[0].pending).toBeUndefined();

    const retry = await ingest([e]);
    expect(retry.duplicates).toEqual([e.messageId]);
    const again = await customerById(c._id);
    expect(again.score).toEqual(after.score);
    expect(again.updatedAt).toBe(after.updatedAt);
  });

  it('counts every one of 10 events for one customer sent at the same moment', async () => {
    const c = await ownedCustomerWithPhone();
    const before = visitsAt(await customerById(c._id));
    const events = Array.from({ length: 10 }, () => visit(c.identities.phone));
    const results = await Promise.all(events.map((e) => ingest([e])));
    expect(results.flatMap((r) => r.accepted).sort()).toEqual(events.map((e) => e.messageId).sort());

    expect(visitsAt(await customerById(c._id))).toBe(before + 10);
    const seen = (await stateOf(c._id)).seen;
    for (const e of events) expect(seen).toContain(e.messageId);
    expect(await find<EventDoc>('events', { _id: { $in: events.map((e) => e.messageId) }, pending: true })).toEqual([]);
  });

  it('the repair timer applies an event a crash left pending, once', async () => {
    const c = await ownedCustomerWithPhone();
    const before = visitsAt(await customerById(c._id));
    const at = stack.clock.now() - 5 * 60_000;
    const stranded: EventDoc & { pending: true } = {
      _id: `test-stranded-${at}`,
      customerId: c._id,
      storeId: consultant.storeId,
      type: 'store_visit',
      source: 'store',
      properties: { durationMinutes: 25 },
      originalTimestamp: at,
      sentAt: at,
      receivedAt: at,
      timestamp: at,
      staffId: consultant._id,
      pending: true,
    };
    stack.emulator.db.insertMany('events', [stranded]);

    await stack.emulator.fireTimer('track', 'repair-pending');
    expect(visitsAt(await customerById(c._id))).toBe(before + 1);
    expect((await find<EventDoc & { pending?: boolean }>('events', { _id: stranded._id }))[0].pending).toBeUndefined();

    await stack.emulator.fireTimer('track', 'repair-pending');
    expect(visitsAt(await customerById(c._id))).toBe(before + 1);
  });
});

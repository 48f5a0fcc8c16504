/**
 * The trust findings, each as it was reproduced against the demo, through the real SDK:
 * a store's customers stay in that store, identity comes only from the platform, staff write
 * only what their role allows, limits hold under concurrency, and out of scope reads exactly
 * like unknown. Store A is 上海浦东店, store B 上海嘉定店.
 */
import type { ClaimResult, CustomerProfile, MergeView, Page, ReassignResult, TimelineItem, TrackResult } from '../../types/api';
import type { ConsultantLoadDoc, CustomerDoc, IdentityDoc, StaffDoc } from '../../types/model';
import { DEFAULT_POLICY } from '../../cloudfunctions/_core/allocation/policy';
import { chinaDayStart } from '../../cloudfunctions/_core/events/day-buckets';
import { ok, startTestStack, type TestStack } from '../support/stack';

const A = 'store-sh-pudong';
const B = 'store-sh-jiading';

let stack: TestStack;
const tokens: Record<string, string> = {};
const find = async <T>(collection: string, query: object): Promise<T[]> =>
  (await Promise.resolve(stack.emulator.db.find(collection, query, { limit: 100000 }))) as T[];
const customer = async (id: string) => (await find<CustomerDoc & { mergedInto?: string }>('customers', { _id: id }))[0];
const set = (id: string, fields: object, unset: string[] = []) => stack.patchCustomer(id, fields, unset);

let seq = 0;
function event(storeId: string, overrides: Record<string, unknown>): Record<string, unknown> {
  const at = stack.clock.now();
  return { messageId: `trust-${++seq}-${at}`, event: 'store_visit', properties: { durationMinutes: 30 }, originalTimestamp: at, sentAt: at, source: 'store', storeId, ...overrides };
}
const track = (token: string, events: unknown[]) => stack.http<TrackResult>('track', { action: 'ingest', params: { events } }, token);

/** A lead of store B owned by one of its consultants (with a phone unless told), not yet used by a test. */
const usedB = new Set<string>();
async function bLead(where: (c: CustomerDoc) => boolean = (c) => !!c.identities.phone): Promise<CustomerDoc & { identities: { phone: string } }> {
  const list = await find<CustomerDoc>('customers', { storeId: B, stage: 'lead', ownerId: { $exists: true } });
  const c = list.filter((x) => where(x) && !usedB.has(x._id)).sort((a, b) => (a._id < b._id ? -1 : 1))[0];
  usedB.add(c._id);
  return c as CustomerDoc & { identities: { phone: string } };
}

beforeAll(async () => {
  stack = await startTestStack({ customers: 1500 });
  for (const id of ['zhangwei', 'lina', 'wangjianguo', 'zhujun', 'xuhaiyan']) tokens[id] = await stack.signIn(id);
});
afterAll(() => stack.destroy());

describe('track stays within the caller’s store', () => {
  it('an event with another store’s customer’s phone makes a lead of this store and leaves the other store’s customer untouched', async () => {
    const b = await bLead();
    const before = await customer(b._id);
    const eventsBefore = (await find('events', { customerId: b._id })).length;
    const e = event(A, { identities: { phone: b.identities.phone } });
    expect(ok(await track(tokens.zhangwei, [e])).accepted).toEqual([e.messageId]);

    expect(await customer(b._id)).toEqual(before);
    expect(await find('events', { customerId: b._id })).toHaveLength(eventsBefore);
    const [link] = await find<IdentityDoc>('identities', { _id: `${A}/phone:${b.identities.phone}` });
    const mine = await customer(link.customerId);
    expect(mine).toMatchObject({ storeId: A, identities: { phone: b.identities.phone } });
    expect(mine._id).not.toBe(b._id);
    // The B consultant still sees their lead, the same as before.
    const profile = ok(await stack.http<CustomerProfile>('customers', { action: 'profile', params: { customerId: b._id } }, await stack.signIn(before.ownerId!)));
    expect(profile.stage).toBe('lead');
  });

  it('an order with another store’s customer’s phone never makes that customer an owner', async () => {
    const b = await bLead();
    const e = event(A, { event: 'order', identities: { phone: b.identities.phone }, properties: { modelId: 'lanyue', price: 200000 } });
    ok(await track(tokens.zhangwei, [e]));
    expect((await customer(b._id)).stage).toBe('lead');
  });

  it('an openid typed into an event never signs anyone in as a customer', async () => {
    const b = await bLead();
    const forged = 'oForgedOpenid0000000000000001';
    const mine = await find<CustomerDoc>('customers', { ownerId: 'zhangwei', 'identities.phone': { $exists: true } });
    const own = mine.find((c) => !c.identities.openid)!;
    const events = [event(A, { identities: { phone: b.identities.phone, openid: forged } }), event(A, { identities: { phone: own.identities.phone, openid: `${forged}x` } })];
    ok(await track(tokens.zhangwei, events));
    for (const openid of [forged, `${forged}x`]) {
      const me = (await stack.emulator.invoke('auth', { action: 'me' }, { OPENID: openid })) as { ok: boolean; error?: { code: string } };
      expect(me).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
    // The identifier is kept for matching, marked as the store's word, not the platform's.
    expect((await find<IdentityDoc>('identities', { value: `${forged}x` }))[0]).toMatchObject({ storeId: A, source: 'store' });
  });

  it('an OEM id cannot carry another store’s customer over: no merge, no history, no record in either store', async () => {
    const b = await bLead((c) => !!c.identities.phone && !c.identities.oemId);
    const before = await customer(b._id);
    const oemId = `LS99${String(seq).padStart(8, '0')}`;
    ok(await track(tokens.zhangwei, [event(A, { identities: { oemId } })]));
    ok(await track(tokens.zhangwei, [event(A, { identities: { oemId, phone: b.identities.phone } })]));
    expect((await customer(b._id)).mergedInto).toBeUndefined();
    expect((await customer(b._id)).storeId).toBe(B);
    expect((await customer(b._id)).ownerId).toBe(before.ownerId);
    const aMerges = ok(await stack.http<Page<MergeView>>('customers', { action: 'merges', params: { limit: 50 } }, tokens.wangjianguo)).items;
    expect(aMerges.some((m) => m.survivor.id === b._id || m.merged.some((x) => x.id === b._id))).toBe(false);
    const probe = await stack.http<CustomerProfile>('customers', { action: 'profile', params: { customerId: b._id } }, tokens.zhangwei);
    expect(probe.status).toBe(404);
    const ownerView = await stack.http<TimelineItem[]>('customers', { action: 'profile', params: { customerId: b._id } }, await stack.signIn(before.ownerId!));
    expect(ownerView.status).toBe(200);
  });

  it('an event tying two of another store’s customers together merges nothing there', async () => {
    // Two people with no identifier type in common, so OneID's per-type limits would let them merge.
    const keys = (c: CustomerDoc) => Object.keys(c.identities);
    const x = await bLead((c) => !!c.identities.phone && keys(c).every((k) => k === 'phone' || k === 'oemId'));
    const y = await bLead((c) => !!c.identities.externalUserId && !c.identities.phone && !c.identities.oemId);
    ok(await track(tokens.wangjianguo, [event(A, { identities: { phone: x.identities.phone, externalUserId: y.identities.externalUserId } })]));
    expect((await customer(x._id)).mergedInto).toBeUndefined();
    expect((await customer(y._id)).mergedInto).toBeUndefined();
    const byHand = await stack.http('customers', { action: 'merge', params: { customerIds: [x._id, y._id], reason: '同一人' } }, tokens.wangjianguo);
    expect(byHand.status).toBe(404);
  });
});

describe('who may write what within a store', () => {
  it('an order on a colleague’s customer is refused like followUp, and the customer stays a lead', async () => {
    const linas = await find<CustomerDoc>('customers', { ownerId: 'lina', stage: 'lead' });
    const c = linas[0];
    const res = ok(await track(tokens.zhangwei, [event(A, { event: 'order', customerId: c._id, properties: { modelId: 'lanyue', price: 200000 } })]));
    expect(res.accepted).toEqual([]);
    expect(res.rejected[0].issues).toEqual([{ field: 'customerId', message: 'no such customer' }]);
    expect((await customer(c._id)).stage).toBe('lead');
    const viaFollowUp = await stack.http('customers', { action: 'followUp', params: { customerId: c._id, messageId: `fu-trust-${seq}-order`, kind: 'order', modelId: 'lanyue', price: 200000 } }, tokens.zhangwei);
    expect(viaFollowUp.status).toBe(404);
  });

  it('a manager records visits for the store but not orders, which belong to the owning consultant', async () => {
    const c = (await find<CustomerDoc>('customers', { ownerId: 'lina', stage: 'lead' }))[1];
    const visit = event(A, { customerId: c._id });
    const order = event(A, { event: 'order', customerId: c._id, properties: { modelId: 'lanyue', price: 200000 } });
    const res = ok(await track(tokens.wangjianguo, [visit, order]));
    expect(res.accepted).toEqual([visit.messageId]);
    expect(res.rejected.map((r) => r.messageId)).toEqual([order.messageId]);
    expect((await customer(c._id)).stage).not.toBe('owner');
  });

  it('staffId must be staff of the caller’s store, and defaults to the caller', async () => {
    const own = (await find<CustomerDoc>('customers', { ownerId: 'zhangwei' }))[0];
    const foreign = event(A, { customerId: own._id, staffId: 'zhujun' });
    const unset = event(A, { customerId: own._id });
    const res = ok(await track(tokens.zhangwei, [foreign, unset]));
    expect(res.rejected).toEqual([{ index: 0, messageId: foreign.messageId, issues: [{ field: 'staffId', message: 'must be staff of your store' }] }]);
    expect(await find('events', { _id: foreign.messageId })).toEqual([]);
    expect((await find<{ staffId: string }>('events', { _id: unset.messageId }))[0].staffId).toBe('zhangwei');
  });
});

describe('limits hold under concurrency', () => {
  it('five concurrent bulk reassignments never take a consultant past capacity', async () => {
    const target = (await find<StaffDoc>('staff', { _id: 'liuting' }))[0];
    const owned = (await find<CustomerDoc>('customers', { ownerId: target._id })).length;
    const others = (await find<CustomerDoc>('customers', { storeId: A, ownerId: { $nin: [target._id] } })).filter((c) => !(c as { mergedInto?: string }).mergedInto);
    // Five managers' screens each moving n leads to a consultant with room for exactly n.
    const n = Math.min(DEFAULT_POLICY.maxBulk, Math.floor(others.length / 5));
    expect(n).toBeGreaterThan(50);
    stack.emulator.db.update('staff', { _id: target._id }, { $set: { capacity: owned + n } }, { multi: false });
    stack.emulator.db.remove('consultantLoads', { _id: target._id }, { multi: false });
    const batches = Array.from({ length: 5 }, (_, i) => others.slice(i * n, (i + 1) * n).map((c) => c._id));
    const replies = await Promise.all(batches.map((customerIds) => stack.http<ReassignResult>('leads', { action: 'reassign', params: { customerIds, to: target._id } }, tokens.wangjianguo)));
    const moved = replies.reduce((n, r) => n + ok(r).moved.length, 0);
    const nowOwned = (await find<CustomerDoc & { mergedInto?: string }>('customers', { ownerId: target._id })).filter((c) => !c.mergedInto).length;
    expect(nowOwned).toBe(owned + moved);
    expect(nowOwned).toBeLessThanOrEqual(owned + n);
    expect(moved).toBe(n);
    expect((await find<ConsultantLoadDoc>('consultantLoads', { _id: target._id }))[0].active).toBe(nowOwned);
  });

  it('twenty concurrent claims by a consultant one short of the daily cap end exactly at the cap', async () => {
    const id = 'zhoulei';
    const staff = (await find<StaffDoc>('staff', { _id: id }))[0];
    const token = tokens[id] ?? (tokens[id] = await stack.signIn(id));
    const today = chinaDayStart(stack.clock.now());
    const received = () => find<CustomerDoc>('customers', { ownerId: id, assignedAt: { $gte: today } });
    // Bring them to cap - 1 leads received today, with room under capacity.
    stack.emulator.db.update('staff', { _id: id }, { $set: { capacity: 10_000 } }, { multi: false });
    // Leads taken from this consultant for neglect cannot be claimed back for a while (another refusal): not those.
    const pool = (await find<CustomerDoc>('customers', { storeId: staff.storeId, mergedInto: { $exists: false } })).filter((c) => !c.ownerId && c.recycledFrom?.consultantId !== id);
    const need = DEFAULT_POLICY.dailyCap - 1 - (await received()).length;
    for (const c of pool.slice(0, need)) set(c._id, { ownerId: id, assignedAt: stack.clock.now() });
    stack.emulator.db.remove('consultantLoads', { _id: id }, { multi: false });
    expect((await received()).length).toBe(DEFAULT_POLICY.dailyCap - 1);

    const targets = pool.slice(need, need + 20);
    const replies = await Promise.all(targets.map((c) => stack.http<ClaimResult>('leads', { action: 'claim', params: { customerId: c._id } }, token)));
    expect(replies.filter((r) => ok(r).claimed)).toHaveLength(1);
    expect(replies.filter((r) => !ok(r).claimed).every((r) => (ok(r) as { code?: string }).code === 'DAILY_CAP')).toBe(true);
    expect((await received()).length).toBe(DEFAULT_POLICY.dailyCap);
  });
  it('the hourly recount lowers a counter a crash left high, leaves one written a minute ago for a later run, and the room it gives back can be claimed', async () => {
    const live = async (id: string) => (await find<CustomerDoc & { mergedInto?: string }>('customers', { ownerId: id })).filter((c) => !c.mergedInto).length;
    const counter = async (id: string) => (await find<ConsultantLoadDoc>('consultantLoads', { _id: id }))[0];
    const now = stack.clock.now();
    const write = (id: string, active: number, updatedAt: number) => {
      stack.emulator.db.remove('consultantLoads', { _id: id }, { multi: false });
      stack.emulator.db.insertOne('consultantLoads', { _id: id, storeId: 'store-sh-jiading', active, day: chinaDayStart(now), today: 0, updatedAt });
    };
    // 杨帆: a reservation whose ownership change never happened, an hour ago (a crash): 7 too many.
    const drifted = await live('yangfan');
    write('yangfan', drifted + 7, now - 3_600_000);
    // 吴敏: 3 reserved a minute ago, their owner change possibly still on its way.
    const recent = await live('wumin');
    write('wumin', recent + 3, now - 60_000);

    const result = (await stack.emulator.fireTimer('leads', 'recycle')) as { recount: { checked: number; corrected: number; busy: number } };
    expect((await counter('yangfan')).active).toBe(drifted);
    expect((await counter('wumin')).active).toBe(recent + 3);
    expect(result.recount.corrected).toBeGreaterThanOrEqual(1);
    expect(result.recount.busy).toBeGreaterThanOrEqual(1);

    // With the room the recount gave back, 杨帆 claims a lead from the pool at once.
    const staff = (await find<StaffDoc>('staff', { _id: 'yangfan' }))[0];
    stack.emulator.db.update('staff', { _id: 'yangfan' }, { $set: { capacity: drifted + 1 } }, { multi: false });
    const pooled = (await find<CustomerDoc & { mergedInto?: string }>('customers', { storeId: staff.storeId })).find((c) => !c.ownerId && !c.mergedInto && c.recycledFrom?.consultantId !== 'yangfan')!;
    const token = tokens.yangfan ?? (tokens.yangfan = await stack.signIn('yangfan'));
    const claim = ok(await stack.http<ClaimResult>('leads', { action: 'claim', params: { customerId: pooled._id } }, token));
    expect(claim.claimed).toBe(true);
    expect((await counter('yangfan')).active).toBe(drifted + 1);
  });
  it('a recount in the middle of a move (owner changed, counter not yet released) leaves the counter for the release', async () => {
    const { loadRepo } = await import('../../cloudfunctions/_lib/repo/loads');
    const { customerRepo } = await import('../../cloudfunctions/_lib/repo/customers');
    const inFunction = <T>(fn: () => Promise<T>) => stack.emulator.withContext(fn);
    const live = async (id: string) => (await find<CustomerDoc & { mergedInto?: string }>('customers', { ownerId: id })).filter((c) => !c.mergedInto).length;
    const counter = async (id: string) => (await find<ConsultantLoadDoc>('consultantLoads', { _id: id }))[0];
    const now = stack.clock.now();
    // 黄浩's counter is true and was last written an hour ago.
    const held = await live('huanghao');
    stack.emulator.db.remove('consultantLoads', { _id: 'huanghao' }, { multi: false });
    stack.emulator.db.insertOne('consultantLoads', { _id: 'huanghao', storeId: 'store-sh-jiading', active: held, day: chinaDayStart(now), today: 0, updatedAt: now - 3_600_000 });
    const lead = (await find<CustomerDoc>('customers', { ownerId: 'huanghao' }))[0];
    // A move as reassignment makes it: the counter marked, the owner changed, the release still to come.
    await inFunction(() => loadRepo.touch(['huanghao'], now));
    expect(await inFunction(() => customerRepo.moveOwner(lead._id, lead.storeId, 'huanghao', undefined, now))).toBe(true);
    const result = (await stack.emulator.fireTimer('leads', 'recycle')) as { recount: { busy: number } };
    expect(result.recount.busy).toBeGreaterThanOrEqual(1);
    // Still one above the leads held: the release to come is the one that takes it off.
    expect((await counter('huanghao')).active).toBe((await live('huanghao')) + 1);
    await inFunction(() => loadRepo.release('huanghao', 1, now));
    expect((await counter('huanghao')).active).toBe(await live('huanghao'));
  });
});

describe('out of scope reads exactly like unknown', () => {
  it('another store’s WeCom contact and an unknown one get the same answer, with no id in it', async () => {
    const b = (await find<CustomerDoc>('customers', { storeId: B, 'identities.externalUserId': { $exists: true } }))[0];
    const other = await stack.http('customers', { action: 'byExternalUserId', params: { externalUserId: b.identities.externalUserId } }, tokens.wangjianguo);
    const unknown = await stack.http('customers', { action: 'byExternalUserId', params: { externalUserId: 'wmUnknownContact0000000000000000' } }, tokens.wangjianguo);
    expect(other.status).toBe(unknown.status);
    expect(other.reply).toEqual(unknown.reply);
    expect(JSON.stringify(other.reply)).not.toContain(b._id);
    // The same for a colleague's customer opened by id, and for a customer that does not exist.
    const colleague = (await find<CustomerDoc>('customers', { ownerId: 'lina' }))[0];
    const a = await stack.http('customers', { action: 'profile', params: { customerId: colleague._id } }, tokens.zhangwei);
    const z = await stack.http('customers', { action: 'profile', params: { customerId: 'cus-9999999' } }, tokens.zhangwei);
    expect(a.reply).toEqual(z.reply);
    expect(JSON.stringify(a.reply)).not.toContain(colleague._id);
  });
});

/**
 * OneID merges through the real wx-server-sdk on the emulator: a manager's manual merge and its
 * undo, validation, concurrent merges of the same people, and an event whose identifiers
 * belong to two customers merging them automatically.
 */
import type { CustomerProfile, LeadSummary, MergeView, Page, TimelineItem, TrackResult } from '../../types/api';
import type { CustomerDoc, EventDoc, IdentityDoc, StaffDoc, StoredCustomer } from '../../types/model';
import { ok, startTestStack, type TestStack } from '../support/stack';


let stack: TestStack;
let manager: StaffDoc;
let consultant: StaffDoc;
let managerToken: string;
let otherStoreCustomer: CustomerDoc;
const used = new Set<string>();

const find = async <T>(collection: string, query: object): Promise<T[]> =>
  (await Promise.resolve(stack.emulator.db.find(collection, query, { limit: 100000 }))) as T[];
const customer = async (id: string) => (await find<StoredCustomer>('customers', { _id: id }))[0];
const eventIdsOf = async (ids: string[]) => (await find<EventDoc>('events', { customerId: { $in: ids } })).map((e) => e._id).sort();
const identityOwners = async (keys: string[]) => (await find<IdentityDoc>('identities', { _id: { $in: keys } })).map((d) => d.customerId);
// Identity documents are store-scoped: `${storeId}/${type}:${value}`.
const keysOf = (c: CustomerDoc) => Object.entries(c.identities).map(([type, value]) => `${c.storeId}/${type}:${value}`);

const call = <T>(action: string, params: unknown, token = managerToken) => stack.http<T>('customers', { action, params }, token);

async function wholeTimeline(customerId: string, token = managerToken): Promise<TimelineItem[]> {
  const items: TimelineItem[] = [];
  let cursor: string | undefined;
  do {
    const page = ok(await call<Page<TimelineItem>>('timeline', { customerId, limit: 50, ...(cursor ? { cursor } : {}) }, token));
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** Customers of the manager's store with a few events each, not used by another test. */
async function pickCustomers(n: number, where: (c: CustomerDoc) => boolean = () => true, minEvents = 2): Promise<CustomerDoc[]> {
  const all = (await find<CustomerDoc>('customers', { storeId: manager.storeId })).sort((a, b) => a._id.localeCompare(b._id));
  const out: CustomerDoc[] = [];
  for (const c of all) {
    // The demo's own merges (seeded) are looked at below; these tests make their own.
    const seeded = (c as StoredCustomer).mergedInto !== undefined || ((c as StoredCustomer).mergedIds?.length ?? 0) > 0 || c._id.endsWith('-2');
    if (used.has(c._id) || seeded || !where(c)) continue;
    if ((await find<EventDoc>('events', { customerId: c._id })).length < minEvents) continue;
    out.push(c);
    used.add(c._id);
    if (out.length === n) return out;
  }
  throw new Error(`only ${out.length} customers found`);
}

beforeAll(async () => {
  stack = await startTestStack();
  const staff = await find<StaffDoc>('staff', {});
  manager = staff.filter((s) => s.role === 'manager').sort((a, b) => a._id.localeCompare(b._id))[0];
  consultant = staff.find((s) => s.role === 'consultant' && s.storeId === manager.storeId)!;
  managerToken = await stack.signIn(manager._id);
  otherStoreCustomer = (await find<CustomerDoc>('customers', {})).find((c) => c.storeId !== manager.storeId)!;
});

afterAll(() => stack.destroy());

describe("the demo's merges", () => {
  it('lists them for the manager with who, why and what tied them, one of them undone, and an undo works', async () => {
    const page = ok(await call<Page<MergeView>>('merges', { limit: 50 }));
    expect(page.items.length).toBeGreaterThanOrEqual(2);
    expect(page.items.every((m) => /[\u4e00-\u9fa5]/.test(m.reason) && /[\u4e00-\u9fa5]/.test(m.actorName))).toBe(true);
    const undone = page.items.filter((m) => m.undone);
    if (manager.storeId === 'store-sh-pudong') expect(undone).toHaveLength(1);
    const open = page.items.find((m) => !m.undone)!;
    const before = await customer(open.merged[0].id);
    expect(before.mergedInto).toBe(open.survivor.id);
    const r = ok(await call<MergeView>('undoMerge', { mergeId: open.id, reason: '核实后不是同一人' }));
    expect(r.undone?.reason).toBe('核实后不是同一人');
    expect((await customer(open.merged[0].id)).mergedInto).toBeUndefined();
    expect((await customer(open.survivor.id)).mergedIds ?? []).not.toContain(open.merged[0].id);
  });
});

describe('customers.merge and undoMerge', () => {
  it('shows the history of both on the survivor, moves the identifiers, and undo gives each its own history back', async () => {
    const [a, b] = await pickCustomers(2);
    const eventsA = await eventIdsOf([a._id]);
    const eventsB = await eventIdsOf([b._id]);

    const view = ok(await call<MergeView>('merge', { customerIds: [a._id, b._id], reason: '同一人两个手机号' }));
    expect(view.actorName).toBe(manager.name);
    expect(view.reason).toBe('同一人两个手机号');
    const survivorId = view.survivor.id;
    const mergedId = survivorId === a._id ? b._id : a._id;
    expect(view.merged.map((m) => m.id)).toEqual([mergedId]);

    // One customer now, whose timeline is the history of both.
    const timeline = await wholeTimeline(survivorId);
    expect(timeline.map((t) => t.id).sort()).toEqual([...eventsA, ...eventsB].sort());
    const times = timeline.map((t) => t.at);
    expect(times).toEqual([...times].sort((x, y) => y - x));
    const merged = await customer(mergedId);
    expect(merged.mergedInto).toBe(survivorId);
    expect(new Set(await identityOwners(keysOf(a).concat(keysOf(b))))).toEqual(new Set([survivorId]));
    const profile = ok(await call<CustomerProfile>('profile', { customerId: survivorId }));
    expect(profile.mergedCount).toBe(1);
    expect(profile.score?.total).toEqual(expect.any(Number));

    // The merged customer's old id now opens the survivor, and it is no longer a lead of its own.
    expect(ok(await call<CustomerProfile>('profile', { customerId: mergedId })).id).toBe(survivorId);
    const listed = async (c: CustomerDoc) => {
      const page = ok(await stack.http<Page<LeadSummary>>('leads', { action: c.ownerId ? 'list' : 'pool', params: { q: c.name, limit: 50 } }, managerToken));
      return page.items.map((l) => l.id);
    };
    const mergedDoc = mergedId === a._id ? a : b;
    expect(await listed(mergedDoc)).not.toContain(mergedId);

    // Something happens to the survivor after the merge.
    const at = stack.clock.now();
    const later = `merge-later-${at}`;
    const tracked = ok(
      await stack.http<TrackResult>(
        'track',
        { action: 'ingest', params: { events: [{ messageId: later, event: 'store_visit', customerId: survivorId, properties: { durationMinutes: 30 }, originalTimestamp: at, sentAt: at, source: 'store', storeId: manager.storeId }] } },
        managerToken,
      ),
    );
    expect(tracked.accepted).toEqual([later]);

    const undone = ok(await call<MergeView>('undoMerge', { mergeId: view.id, reason: '核实后不是同一人' }));
    expect(undone.undone).toMatchObject({ actorName: manager.name, reason: '核实后不是同一人' });

    // Both back, each with its own history; the later visit stays with the survivor.
    const mergedBack = ok(await call<CustomerProfile>('profile', { customerId: mergedId }));
    expect(mergedBack.id).toBe(mergedId);
    expect(mergedBack.mergedCount).toBe(0);
    expect((await wholeTimeline(mergedId)).map((t) => t.id).sort()).toEqual(mergedId === a._id ? eventsA : eventsB);
    const survivorOwn = survivorId === a._id ? eventsA : eventsB;
    expect((await wholeTimeline(survivorId)).map((t) => t.id).sort()).toEqual([...survivorOwn, later].sort());
    expect(new Set(await identityOwners(keysOf(mergedId === a._id ? a : b)))).toEqual(new Set([mergedId]));
    expect((await customer(mergedId)).mergedInto).toBeUndefined();
    expect((await customer(survivorId)).mergedIds).toEqual([]);
    expect(await listed(mergedDoc)).toContain(mergedId);

    // Undoing twice is refused.
    const again = await call<MergeView>('undoMerge', { mergeId: view.id, reason: '再撤销一次' });
    expect(again.status).toBe(409);
  });

  it("lists the store's merges newest first, paged, with Chinese identifier kinds", async () => {
    const [c, d, e, f] = await pickCustomers(4);
    const first = ok(await call<MergeView>('merge', { customerIds: [c._id, d._id], reason: '人工核实为同一人' }));
    const second = ok(await call<MergeView>('merge', { customerIds: [e._id, f._id], reason: '人工核实为同一人' }));
    const page1 = ok(await call<Page<MergeView>>('merges', { limit: 1 }));
    expect(page1.items.map((m) => m.id)).toEqual([second.id]);
    expect(page1.nextCursor).toBeDefined();
    const page2 = ok(await call<Page<MergeView>>('merges', { limit: 1, cursor: page1.nextCursor }));
    expect(page2.items.map((m) => m.id)).toEqual([first.id]);
    for (const m of [...page1.items, ...page2.items]) {
      expect(m.identifiers.length).toBeGreaterThan(0);
      for (const kind of m.identifiers) expect(kind).toMatch(/^[\u4e00-\u9fa5A-Za-z]+$/);
    }
    const otherManager = (await find<StaffDoc>('staff', { role: 'manager' })).find((s) => s.storeId !== manager.storeId)!;
    const theirs = ok(await call<Page<MergeView>>('merges', {}, await stack.signIn(otherManager._id)));
    expect(theirs.items.map((m) => m.id)).not.toContain(first.id);
  });

  it('refuses a merge naming another store, a single customer, or called by a consultant', async () => {
    const [g, h] = await pickCustomers(2);
    const other = await call('merge', { customerIds: [g._id, otherStoreCustomer._id], reason: '测试' });
    expect(other.status).toBe(404);
    const one = await call('merge', { customerIds: [g._id], reason: '测试' });
    expect(one.status).toBe(400);
    expect(one.reply.ok || one.reply.error.issues?.map((i) => i.field)).toEqual(['customerIds']);
    const twice = await call('merge', { customerIds: [g._id, g._id], reason: '测试' });
    expect(twice.status).toBe(400);
    const byConsultant = await call('merge', { customerIds: [g._id, h._id], reason: '测试' }, await stack.signIn(consultant._id));
    expect(byConsultant.status).toBe(403);
    expect((await customer(g._id)).mergedInto).toBeUndefined();
    expect((await customer(h._id)).mergedInto).toBeUndefined();
  });

  it('ends concurrent merges of the same people in one survivor holding every identifier', async () => {
    const trio = await pickCustomers(3);
    const ids = trio.map((c) => c._id);
    const replies = await Promise.all([
      call<MergeView>('merge', { customerIds: [ids[0], ids[1]], reason: '并发合并1' }),
      call<MergeView>('merge', { customerIds: [ids[1], ids[2]], reason: '并发合并2' }),
      call<MergeView>('merge', { customerIds: [ids[0], ids[2]], reason: '并发合并3' }),
      call<MergeView>('merge', { customerIds: [ids[0], ids[1]], reason: '并发合并4' }),
    ]);
    for (const r of replies) expect([200, 409]).toContain(r.status);
    expect(replies.some((r) => r.status === 200)).toBe(true);

    const after = await Promise.all(ids.map(customer));
    const live = after.filter((c) => !c.mergedInto);
    expect(live).toHaveLength(1);
    const survivor = live[0];
    // A customer merged into one that was merged in turn points along the chain (undo needs it).
    const byId = new Map(after.map((c) => [c._id, c]));
    const rootOf = (c: StoredCustomer): string => (c.mergedInto ? rootOf(byId.get(c.mergedInto)!) : c._id);
    for (const c of after) expect(rootOf(c)).toBe(survivor._id);
    expect([...(survivor.mergedIds ?? [])].sort()).toEqual(ids.filter((id) => id !== survivor._id).sort());
    const keys = trio.flatMap(keysOf);
    expect(new Set(await identityOwners(keys))).toEqual(new Set([survivor._id]));
    const held = new Set((survivor.identifiers ?? []).map((i) => `${survivor.storeId}/${i.type}:${i.value}`));
    for (const k of keys) expect(held.has(k)).toBe(true);
    expect((await wholeTimeline(survivor._id)).map((t) => t.id).sort()).toEqual(await eventIdsOf(ids));
  });
});

describe('track with identifiers of two customers', () => {
  const disjoint = (x: CustomerDoc, y: CustomerDoc) => Object.keys(x.identities).every((t) => !(t in y.identities));

  it('merges them automatically and stores the event on the survivor', async () => {
    const [p] = await pickCustomers(1, (c) => !!c.identities.phone && !c.identities.externalUserId);
    const [q] = await pickCustomers(1, (c) => !!c.identities.externalUserId && disjoint(p, c));
    const at = stack.clock.now();
    const messageId = `bridge-${at}`;
    const res = ok(
      await stack.http<TrackResult>(
        'track',
        {
          action: 'ingest',
          params: {
            events: [
              {
                messageId,
                event: 'store_visit',
                identities: { phone: p.identities.phone, externalUserId: q.identities.externalUserId },
                properties: { durationMinutes: 20 },
                originalTimestamp: at,
                sentAt: at,
                source: 'store',
                storeId: manager.storeId,
              },
            ],
          },
        },
        managerToken,
      ),
    );
    expect(res.accepted).toEqual([messageId]);
    const [pNow, qNow] = [await customer(p._id), await customer(q._id)];
    const survivorId = pNow.mergedInto ? qNow._id : pNow._id;
    expect([pNow.mergedInto, qNow.mergedInto].filter(Boolean)).toEqual([survivorId]);
    const [event] = await find<EventDoc>('events', { _id: messageId });
    expect(event.customerId).toBe(survivorId);
    expect(new Set(await identityOwners([...keysOf(p), ...keysOf(q)]))).toEqual(new Set([survivorId]));

    const [latest] = ok(await call<Page<MergeView>>('merges', { limit: 1 })).items;
    expect(latest.actorName).toBe('系统自动合并');
    expect(latest.survivor.id).toBe(survivorId);
    expect(latest.reason).toContain('手机号');
    expect(latest.identifiers).toEqual(expect.arrayContaining(['手机号']));
    const timeline = await wholeTimeline(survivorId);
    expect(timeline[0].id).toBe(messageId);
    expect(timeline.map((t) => t.id).sort()).toEqual(await eventIdsOf([p._id, q._id]));
  });

  it('merges once when events bridging the same two customers arrive at the same moment', async () => {
    const [p] = await pickCustomers(1, (c) => !!c.identities.phone && !c.identities.openid, 0);
    // A new mini-program visitor, known only by an openid.
    const at = stack.clock.now();
    const openid = `oRace${at}`;
    const first = { messageId: `visitor-${at}`, event: 'store_visit', identities: { openid }, properties: { durationMinutes: 5 }, originalTimestamp: at - 60_000, sentAt: at - 60_000, source: 'store', storeId: manager.storeId };
    expect(ok(await stack.http<TrackResult>('track', { action: 'ingest', params: { events: [first] } }, managerToken)).accepted).toEqual([first.messageId]);
    const [{ customerId: qId }] = await find<EventDoc>('events', { _id: first.messageId });
    const q = await customer(qId);
    const event = (n: number) => ({
      messageId: `bridge-race-${n}-${at}`,
      event: 'store_visit',
      identities: { phone: p.identities.phone, openid },
      properties: { durationMinutes: 10 + n },
      originalTimestamp: at + n,
      sentAt: at + n,
      source: 'store',
      storeId: manager.storeId,
    });
    const results = await Promise.all([0, 1, 2].map((n) => stack.http<TrackResult>('track', { action: 'ingest', params: { events: [event(n)] } }, managerToken)));
    expect(results.flatMap((r) => ok(r).accepted).sort()).toEqual([0, 1, 2].map((n) => event(n).messageId).sort());
    const [pNow, qNow] = [await customer(p._id), await customer(q._id)];
    const live = [pNow, qNow].filter((c) => !c.mergedInto);
    expect(live).toHaveLength(1);
    const stored = await find<EventDoc>('events', { _id: { $in: [0, 1, 2].map((n) => event(n).messageId) } });
    expect(new Set(stored.map((e) => e.customerId))).toEqual(new Set([live[0]._id]));
    const records = ok(await call<Page<MergeView>>('merges', { limit: 50 })).items.filter((m) => m.survivor.id === live[0]._id && !m.undone);
    expect(records).toHaveLength(1);
    expect(new Set(await identityOwners([...keysOf(p), ...keysOf(q)]))).toEqual(new Set([live[0]._id]));
  });
});

/**
 * The first vertical slice through the real wx-server-sdk on the emulator: sign in, leads,
 * profile, timeline; each role sees only its own scope.
 */
import type { CustomerProfile, FirstScreen, FollowUpView, LeadSummary, Page, TimelineItem } from '../../types/api';
import type { CustomerDoc, EventDoc, StaffDoc } from '../../types/model';
import { ok, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let consultant: StaffDoc;
let otherStoreManager: StaffDoc;
let ownManager: StaffDoc;
let consultantToken: string;

const find = async <T>(collection: string, query: object): Promise<T[]> =>
  (await Promise.resolve(stack.emulator.db.find(collection, query, { limit: 100000 }))) as T[];


beforeAll(async () => {
  stack = await startTestStack();
  const staff = await find<StaffDoc>('staff', {});
  consultant = staff.filter((s) => s.role === 'consultant').sort((a, b) => a._id.localeCompare(b._id))[0];
  ownManager = staff.find((s) => s.role === 'manager' && s.storeId === consultant.storeId)!;
  otherStoreManager = staff.find((s) => s.role === 'manager' && s.storeId !== consultant.storeId)!;
  consultantToken = await stack.signIn(consultant._id);
});

afterAll(() => stack.destroy());

describe('leads.list', () => {
  it('gives a consultant exactly their own customers, latest activity first, across pages', async () => {
    const mine = await find<CustomerDoc>('customers', { ownerId: consultant._id });
    // A consultant works a few hundred customers in the full demo, a dozen in this small one: pages of 4.
    expect(mine.length).toBeGreaterThan(8);
    const leads = await stack.allLeads(consultantToken, { sort: 'recent', limit: 4 });
    expect(leads.map((l) => l.id).sort()).toEqual(mine.map((c) => c._id).sort());
    const times = leads.map((l) => l.lastActivityAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(leads.map((l) => l.id)).size).toBe(leads.length);
  });

  it('shows the card fields a consultant reads: stage, vehicle, last touchpoint, masked phone', async () => {
    const page = ok(await stack.http<Page<LeadSummary>>('leads', { action: 'list', params: { limit: 5 } }, consultantToken));
    expect(page.items).toHaveLength(5);
    for (const lead of page.items) {
      expect(['lead', 'prospect', 'owner']).toContain(lead.stage);
      expect(lead.phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$|^未留手机号$/);
      expect(lead.lastTouch?.summary).toMatch(/[\u4e00-\u9fa5]/);
      expect(lead.owner).toBeUndefined();
    }
    expect(page.items.some((l) => l.vehicleOfInterest?.name)).toBe(true);
  });

  it('gives a manager the whole store with owner names, and filters by consultant', async () => {
    const token = await stack.signIn(ownManager._id);
    // Records merged into another customer are no longer leads.
    const storeCustomers = await find<CustomerDoc>('customers', { storeId: ownManager.storeId, mergedInto: { $exists: false } });
    const leads = await stack.allLeads(token);
    expect(leads).toHaveLength(storeCustomers.length);
    expect(leads.find((l) => l.owner?.id === consultant._id)?.owner?.name).toBe(consultant.name);
    const filtered = await stack.allLeads(token, { ownerId: consultant._id });
    expect(filtered.every((l) => l.owner?.id === consultant._id)).toBe(true);
    expect(filtered.length).toBe((await find<CustomerDoc>('customers', { ownerId: consultant._id })).length);
  });

  it("never shows a manager another store's customers", async () => {
    const token = await stack.signIn(otherStoreManager._id);
    const leads = await stack.allLeads(token);
    const mine = new Set((await find<CustomerDoc>('customers', { ownerId: consultant._id })).map((c) => c._id));
    expect(leads.length).toBeGreaterThan(0);
    expect(leads.filter((l) => mine.has(l.id))).toEqual([]);
  });

  it("refuses a consultant who asks for a colleague's leads", async () => {
    const colleague = (await find<StaffDoc>('staff', { storeId: consultant.storeId, role: 'consultant' })).find((s) => s._id !== consultant._id)!;
    const r = await stack.http('leads', { action: 'list', params: { ownerId: colleague._id } }, consultantToken);
    expect(r.status).toBe(403);
    expect(r.reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('customers.profile and timeline', () => {
  let customer: CustomerDoc;
  beforeAll(async () => {
    const mine = await find<CustomerDoc>('customers', { ownerId: consultant._id });
    const counts = await Promise.all(mine.map(async (c) => ({ c, n: (await find<EventDoc>('events', { customerId: c._id })).length })));
    customer = counts.sort((a, b) => b.n - a.n)[0].c;
  });

  it('shows the owner the full phone and everyone else a masked one', async () => {
    const own = ok(await stack.http<CustomerProfile>('customers', { action: 'profile', params: { customerId: customer._id } }, consultantToken));
    expect(own.name).toBe(customer.name);
    expect(own.phone).toBe(customer.identities.phone);
    expect(own.phoneMasked).toBe(`${customer.identities.phone!.slice(0, 3)}****${customer.identities.phone!.slice(-4)}`);
    expect(own.storeName).toMatch(/店/);
    const managerView = ok(
      await stack.http<CustomerProfile>('customers', { action: 'profile', params: { customerId: customer._id } }, await stack.signIn(ownManager._id)),
    );
    expect(managerView.phone).toBeUndefined();
    expect(managerView.phoneMasked).toBe(own.phoneMasked);
  });

  it("answers not found for a customer outside the caller's scope", async () => {
    const r = await stack.http('customers', { action: 'profile', params: { customerId: customer._id } }, await stack.signIn(otherStoreManager._id));
    expect(r.status).toBe(404);
    expect(r.reply).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('pages the whole timeline newest first and filters by touchpoint type', async () => {
    const events = await find<EventDoc>('events', { customerId: customer._id });
    const items: TimelineItem[] = [];
    let cursor: string | undefined;
    do {
      const page = ok(
        await stack.http<Page<TimelineItem>>('customers', { action: 'timeline', params: { customerId: customer._id, limit: 7, ...(cursor ? { cursor } : {}) } }, consultantToken),
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(items.map((i) => i.id).sort()).toEqual(events.map((e) => e._id).sort());
    expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort((a, b) => b - a));
    expect(items.every((i) => /[\u4e00-\u9fa5]/.test(i.title) && i.sourceName.length > 0)).toBe(true);

    const type = events[0].type;
    const filtered = ok(
      await stack.http<Page<TimelineItem>>('customers', { action: 'timeline', params: { customerId: customer._id, types: [type], limit: 50 } }, consultantToken),
    );
    expect(filtered.items.length).toBe(events.filter((e) => e.type === type).length > 50 ? 50 : events.filter((e) => e.type === type).length);
    expect(filtered.items.every((i) => i.type === type)).toBe(true);
  });

  it('finds the customer of a WeCom chat by external_userid, within scope only', async () => {
    const withWecom = (await find<CustomerDoc>('customers', { ownerId: consultant._id })).find((c) => c.identities.externalUserId)!;
    const found = ok(await stack.http<{ customerId: string }>('customers', { action: 'byExternalUserId', params: { externalUserId: withWecom.identities.externalUserId } }, consultantToken));
    expect(found.customerId).toBe(withWecom._id);
    const other = await stack.http('customers', { action: 'byExternalUserId', params: { externalUserId: withWecom.identities.externalUserId } }, await stack.signIn(otherStoreManager._id));
    expect(other.status).toBe(404);
  });
});

describe('customers.firstScreen', () => {
  const call = <T>(action: string, params: object, token = consultantToken) => stack.http<T>('customers', { action, params }, token);

  it('answers in one call what the profile, timeline and follow-ups calls answer, by id or by the chat contact', async () => {
    const withWecom = (await find<CustomerDoc>('customers', { ownerId: consultant._id })).find((c) => c.identities.externalUserId)!;
    const customerId = withWecom._id;
    const [profile, timeline, followUps] = await Promise.all([
      call<CustomerProfile>('profile', { customerId }),
      call<Page<TimelineItem>>('timeline', { customerId, limit: 5 }),
      call<Page<FollowUpView>>('followUps', { customerId, limit: 3 }),
    ]);
    const separate = { customerId, profile: ok(profile), timeline: ok(timeline), followUps: ok(followUps) };
    expect(separate.timeline.items).toHaveLength(5);
    const byId = ok(await call<FirstScreen>('firstScreen', { customerId, timelineLimit: 5, followUpsLimit: 3 }));
    expect(byId).toEqual(separate);
    const byContact = ok(await call<FirstScreen>('firstScreen', { externalUserId: withWecom.identities.externalUserId, timelineLimit: 5, followUpsLimit: 3 }));
    expect(byContact).toEqual(separate);
    // The next timeline page follows on from the first screen's.
    const next = ok(await call<Page<TimelineItem>>('timeline', { customerId, limit: 5, cursor: byId.timeline.nextCursor }));
    expect(next.items[0]?.id).not.toBe(byId.timeline.items[4].id);
  });

  it("reads another store's contact, or one nobody knows, as no such customer, naming the field", async () => {
    const withWecom = (await find<CustomerDoc>('customers', { ownerId: consultant._id })).find((c) => c.identities.externalUserId)!;
    for (const [externalUserId, token] of [
      [withWecom.identities.externalUserId!, await stack.signIn(otherStoreManager._id)],
      ['wmUnknownContact0000000000000000', consultantToken],
    ]) {
      const r = await call('firstScreen', { externalUserId }, token);
      expect(r.status).toBe(404);
      expect(r.reply).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', issues: [{ field: 'externalUserId' }] } });
    }
  });

  it('wants exactly one of customerId and externalUserId', async () => {
    const [own] = await find<CustomerDoc>('customers', { ownerId: consultant._id });
    for (const params of [{}, { customerId: own._id, externalUserId: 'wmUnknownContact0000000000000000' }]) {
      const r = await call('firstScreen', params);
      expect(r.status).toBe(400);
      expect(r.reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ field: 'customerId' }] } });
    }
  });
});

describe('the function boundary', () => {
  it('names the field and the reason of bad input, with HTTP 400', async () => {
    const r = await stack.http('leads', { action: 'list', params: { limit: 500 } }, consultantToken);
    expect(r.status).toBe(400);
    expect(r.reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ field: 'limit' }] } });
    if (!r.reply.ok) expect(r.reply.error.message).toMatch(/^limit: /);
    const extra = await stack.http('customers', { action: 'profile', params: { customerId: 'x', drop: true } }, consultantToken);
    expect(extra.status).toBe(400);
    const cursor = await stack.http('leads', { action: 'list', params: { cursor: 'not-a-cursor' } }, consultantToken);
    expect(cursor.reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ field: 'cursor' }] } });
  });

  it('rejects unknown actions and bodies that are not JSON', async () => {
    const r = await stack.http('leads', { action: 'drop' }, consultantToken);
    expect(r.status).toBe(400);
    expect(r.reply).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } });
    if (!r.reply.ok) expect(r.reply.error.message).toContain('list');
    const bad = await stack.http('leads', '{not json', consultantToken);
    expect(bad.status).toBe(400);
    expect(bad.reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ field: 'body' }] } });
  });

  it('asks for sign-in without a session and refuses a forged one', async () => {
    expect((await stack.http('leads', { action: 'list' })).status).toBe(401);
    const [payload, mac] = consultantToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'manager' })).toString('base64url');
    const r = await stack.http('leads', { action: 'list' }, `${forged}.${mac}`);
    expect(r.status).toBe(401);
  });

  it('identifies a mini-program caller by the OPENID the platform vouches for', async () => {
    const withOpenid = (await find<StaffDoc>('staff', {})).find((s) => s.openid && s.role === 'consultant')!;
    const reply = (await stack.emulator.invoke('leads', { action: 'list', params: { limit: 3 } }, { OPENID: withOpenid.openid })) as {
      ok: boolean;
      data: Page<LeadSummary>;
    };
    expect(reply.ok).toBe(true);
    const owned = new Set((await find<CustomerDoc>('customers', { ownerId: withOpenid._id })).map((c) => c._id));
    expect(reply.data.items.every((l) => owned.has(l.id))).toBe(true);
    const stranger = (await stack.emulator.invoke('leads', { action: 'list' }, { OPENID: 'o-stranger' })) as { ok: boolean; error: { code: string } };
    expect(stranger).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });
});

/**
 * customers.byExternalChat through the real SDK, with WeCom's group details from the simulator:
 * the caller's customers in a customer group, nobody else's, read in bulk.
 */
import type { GroupChatCustomers } from '../../types/api';
import type { CustomerDoc, StaffDoc } from '../../types/model';
import { ok, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let consultant: StaffDoc;
let colleague: StaffDoc;
let manager: StaffDoc;
let otherStoreConsultant: StaffDoc;
let token: string;
/** Database requests the functions sent, by action and collection (for round-trip counts). */
const requests: { action: string; collection: string }[] = [];

const find = async <T>(collection: string, query: object): Promise<T[]> =>
  (await Promise.resolve(stack.emulator.db.find(collection, query, { limit: 100000 }))) as T[];

/** Customers of `ownerId` with a WeCom external contact, best lead first. */
async function withWecom(ownerId: string): Promise<(CustomerDoc & { rankKey?: number })[]> {
  const rows = await find<CustomerDoc & { rankKey?: number; mergedInto?: string }>('customers', { ownerId, 'identities.externalUserId': { $exists: true } });
  // Best lead first; equal ranks newest customer first, as the sidebar lists them.
  return rows.filter((c) => !c.mergedInto).sort((a, b) => (b.rankKey ?? -1) - (a.rankKey ?? -1) || (a._id < b._id ? 1 : -1));
}
const ext = (c: CustomerDoc) => c.identities.externalUserId!;

const groupOf = (chatId: string, who = token) => stack.http<GroupChatCustomers>('customers', { action: 'byExternalChat', params: { chatId } }, who);

beforeAll(async () => {
  stack = await startTestStack({
    // Enough for each consultant to hold a few customers who are WeCom contacts in the realistic demo.
    customers: 1200,
    onAdminRequest: ({ body }) => requests.push({ action: String(body.action), collection: String(body.collectionName ?? '') }),
  });
  const staff = await find<StaffDoc>('staff', {});
  consultant = staff.find((s) => s._id === 'zhangwei')!;
  colleague = staff.find((s) => s.role === 'consultant' && s.storeId === consultant.storeId && s._id !== consultant._id)!;
  manager = staff.find((s) => s.role === 'manager' && s.storeId === consultant.storeId)!;
  otherStoreConsultant = staff.find((s) => s.role === 'consultant' && s.storeId !== consultant.storeId)!;
  token = await stack.signIn(consultant._id);
});
afterAll(() => stack.destroy());

describe('customers.byExternalChat', () => {
  it("shows the consultant's own customers in the group, best first, and only counts everyone else", async () => {
    const [a, b, c] = await withWecom(consultant._id);
    const [theirs] = await withWecom(colleague._id);
    const [elsewhere] = await withWecom(otherStoreConsultant._id);
    const stranger = 'wmStrangerNotOnFile0000000000000';
    const chatId = stack.wecom.registerGroupChat({
      name: '揽月车主交流群',
      members: [colleague.wecomUserId, consultant.wecomUserId],
      externalContacts: [ext(c), ext(theirs), ext(a), stranger, ext(elsewhere), ext(b)],
    });

    const before = stack.wecom.calls.groupChatGet;
    const r = await groupOf(chatId);
    const group = ok(r);
    expect(stack.wecom.calls.groupChatGet).toBe(before + 1);
    expect(group.name).toBe('揽月车主交流群');
    expect(group.customers.map((l) => l.id)).toEqual([a._id, b._id, c._id]);
    expect(group.customers.map((l) => l.name)).toEqual([a.name, b.name, c.name]);
    expect(group.customers[0].phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$|^未留手机号$/);
    expect(group.othersCount).toBe(3);

    // Nothing identifies the others, and no WeCom ids travel to the app.
    const text = JSON.stringify(r.reply);
    for (const other of [theirs, elsewhere]) {
      expect(text).not.toContain(other._id);
      expect(text).not.toContain(ext(other));
    }
    expect(text).not.toContain(stranger);
    expect(text).not.toMatch(/"wm[A-Za-z0-9_-]{10,}"/);
  });

  it("gives the store manager the store's customers in the group with their consultants, never another store's", async () => {
    const [mine] = await withWecom(consultant._id);
    const [theirs] = await withWecom(colleague._id);
    const [elsewhere] = await withWecom(otherStoreConsultant._id);
    const chatId = stack.wecom.registerGroupChat({
      name: '',
      members: [manager.wecomUserId, consultant.wecomUserId],
      externalContacts: [ext(mine), ext(theirs), ext(elsewhere)],
    });
    const group = ok(await groupOf(chatId, await stack.signIn(manager._id)));
    expect(group.name).toBe('');
    expect(group.customers.map((l) => l.id).sort()).toEqual([mine._id, theirs._id].sort());
    expect(group.customers.find((l) => l.id === theirs._id)?.owner).toEqual({ id: colleague._id, name: colleague.name });
    expect(group.othersCount).toBe(1);
  });

  it('answers a contact whose record was merged away with the surviving customer, once', async () => {
    const [, , , survivor, merged] = await withWecom(consultant._id);
    await stack.patchCustomer(merged._id, { mergedInto: survivor._id });
    const chatId = stack.wecom.registerGroupChat({
      name: '试驾群',
      members: [consultant.wecomUserId],
      externalContacts: [ext(merged), ext(survivor)],
    });
    const group = ok(await groupOf(chatId));
    expect(group.customers.map((l) => l.id)).toEqual([survivor._id]);
    expect(group.othersCount).toBe(0);
  });

  it('reads a large group in a few bulk reads, not one per member', async () => {
    const own = await withWecom(consultant._id);
    const strangers = Array.from({ length: 180 }, (_, i) => `wmBulk${String(i).padStart(26, '0')}`);
    const chatId = stack.wecom.registerGroupChat({
      name: '周末试驾活动群',
      members: [consultant.wecomUserId],
      externalContacts: [...strangers, ...own.slice(0, 5).map(ext)],
    });
    await groupOf(chatId); // warm the token and reference caches
    requests.length = 0;
    const group = ok(await groupOf(chatId));
    const reads = (collection: string) => requests.filter((q) => q.collection === collection).length;
    expect(group.customers).toHaveLength(Math.min(5, own.length));
    expect(group.othersCount).toBe(180);
    expect(reads('identities')).toBeLessThanOrEqual(2); // 185 ids in bulk `in` reads, not one per member
    expect(reads('customers')).toBe(1);
    expect(requests.length).toBeLessThanOrEqual(6);
  });

  it('says plainly when WeCom knows no such customer group', async () => {
    const unknown = await groupOf('wrNoSuchGroupChat000000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.reply).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', reason: 'CHAT_NOT_FOUND' } });

    const internal = stack.wecom.registerGroupChat({ name: '销售部内部群', members: [consultant.wecomUserId, colleague.wecomUserId], externalContacts: [], internal: true });
    const r = await groupOf(internal);
    expect(r.status).toBe(404);
    expect(r.reply).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', reason: 'CHAT_NOT_FOUND' } });
    // The developer's message keeps WeCom's code, not its hint or our egress IP.
    expect(JSON.stringify(r.reply)).toContain('90501');
    expect(JSON.stringify(r.reply)).not.toContain('from ip');
  });

  it("refuses a group the caller is not in, whoever's customers are there", async () => {
    const [mine] = await withWecom(consultant._id);
    const chatId = stack.wecom.registerGroupChat({ name: '别人的群', members: [colleague.wecomUserId], externalContacts: [ext(mine)] });
    const r = await groupOf(chatId);
    expect(r.status).toBe(403);
    expect(r.reply).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', reason: 'NOT_IN_CHAT' } });
    expect(JSON.stringify(r.reply)).not.toContain(mine.name);
  });

  it('recovers when WeCom invalidates the cached access token', async () => {
    const chatId = stack.wecom.registerGroupChat({ name: '老客户群', members: [consultant.wecomUserId], externalContacts: [] });
    const before = { ...stack.wecom.calls };
    stack.wecom.revokeTokens();
    const group = ok(await groupOf(chatId));
    expect(group).toEqual({ name: '老客户群', customers: [], othersCount: 0 });
    expect(stack.wecom.calls.gettoken).toBe(before.gettoken + 1);
    expect(stack.wecom.calls.groupChatGet).toBe(before.groupChatGet + 2);
  });

  it('validates the chat id and admits only signed-in staff', async () => {
    const bad = await groupOf('wr../../etc');
    expect(bad.status).toBe(400);
    expect(bad.reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ field: 'chatId' }] } });
    const anonymous = await stack.http('customers', { action: 'byExternalChat', params: { chatId: 'wrAnything' } });
    expect(anonymous.status).toBe(401);
  });
});

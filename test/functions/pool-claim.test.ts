/** The store's pool (公海) and claiming from it, through the real SDK on the emulator. */
import { chinaDayStart } from '../../cloudfunctions/_core/events/day-buckets';
import type { ClaimResult, LeadSummary, Page } from '../../types/api';
import type { CustomerDoc } from '../../types/model';
import { ok, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let tokens: Record<string, string>;

const find = async <T>(collection: string, query: object): Promise<T[]> =>
  (await Promise.resolve(stack.emulator.db.find(collection, query, { limit: 100000 }))) as T[];
// The pool as it lists: records merged into another customer are not leads.
const poolOf = async (storeId: string) => (await find<CustomerDoc>('customers', { storeId, mergedInto: { $exists: false } })).filter((c) => !c.ownerId);
const claim = (token: string, customerId: string) => stack.http<ClaimResult>('leads', { action: 'claim', params: { customerId } }, token);

beforeAll(async () => {
  stack = await startTestStack();
  tokens = Object.fromEntries(await Promise.all(['zhangwei', 'lina', 'zhujun', 'wangjianguo'].map(async (id) => [id, await stack.signIn(id)] as const)));
});
afterAll(() => stack.destroy());

it("lists the store's unowned leads, and only that store's", async () => {
  const pool = await poolOf('store-sh-pudong');
  expect(pool.length).toBeGreaterThan(10);
  const page = ok(await stack.http<Page<LeadSummary>>('leads', { action: 'pool', params: { limit: 50 } }, tokens.zhangwei));
  const ids = new Set(pool.map((c) => c._id));
  expect(page.items.length).toBe(Math.min(50, pool.length));
  expect(page.items.every((l) => ids.has(l.id))).toBe(true);
  const other = ok(await stack.http<Page<LeadSummary>>('leads', { action: 'pool', params: { limit: 50 } }, tokens.zhujun));
  expect(other.items.some((l) => ids.has(l.id))).toBe(false);
});

it("moves a claimed lead from the pool into the consultant's own leads", async () => {
  const [lead] = await poolOf('store-sh-pudong');
  const r = ok(await claim(tokens.zhangwei, lead._id));
  expect(r).toMatchObject({ claimed: true, lead: { id: lead._id, name: lead.name } });
  const mine = ok(await stack.http<Page<LeadSummary>>('leads', { action: 'list', params: { limit: 50 } }, tokens.zhangwei));
  expect(mine.items.map((l) => l.id)).toContain(lead._id);
  expect((await find<CustomerDoc>('customers', { _id: lead._id }))[0]).toMatchObject({ ownerId: 'zhangwei', assignedAt: expect.any(Number) });
  // A retried claim by the new owner is harmless.
  expect(ok(await claim(tokens.zhangwei, lead._id)).claimed).toBe(true);
});

it('lets exactly one of two simultaneous claims win and tells the other plainly', async () => {
  const leads = (await poolOf('store-sh-pudong')).slice(0, 6);
  for (const lead of leads) {
    const [a, b] = await Promise.all([claim(tokens.zhangwei, lead._id), claim(tokens.lina, lead._id)]);
    const results = [ok(a), ok(b)];
    const winners = results.filter((r) => r.claimed);
    const losers = results.filter((r): r is Extract<ClaimResult, { claimed: false }> => !r.claimed);
    expect(winners).toHaveLength(1);
    expect(losers).toEqual([{ claimed: false, code: 'ALREADY_OWNED', message: '手慢了，这条线索已被其他顾问领取' }]);
    const owner = (await find<CustomerDoc>('customers', { _id: lead._id }))[0].ownerId;
    expect(owner).toBe(results[0].claimed ? 'zhangwei' : 'lina');
  }
});

it('refuses other stores, managers, and unknown leads without writing anything', async () => {
  const [lead] = await poolOf('store-sh-pudong');
  const other = await claim(tokens.zhujun, lead._id);
  expect(other.status).toBe(404);
  expect((await claim(tokens.wangjianguo, lead._id)).status).toBe(403);
  expect((await claim(tokens.zhangwei, 'cus-none')).status).toBe(404);
  expect((await find<CustomerDoc>('customers', { _id: lead._id }))[0].ownerId).toBeUndefined();
});

it('stops a consultant at the daily claim cap', async () => {
  // lina has won some claims above; claim until the cap of 20 leads received today is reached.
  let refused: ClaimResult | undefined;
  for (const lead of await poolOf('store-sh-pudong')) {
    const r = ok(await claim(tokens.lina, lead._id));
    if (!r.claimed) {
      refused = r;
      break;
    }
  }
  expect(refused).toEqual({ claimed: false, code: 'DAILY_CAP', message: '今日领取数量已达上限，明天再来' });
  const today = (await find<CustomerDoc>('customers', { ownerId: 'lina' })).filter((c) => c.assignedAt !== undefined && c.assignedAt >= chinaDayStart(stack.clock.now()));
  expect(today).toHaveLength(20);
});

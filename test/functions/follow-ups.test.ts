/**
 * customers.followUp / followUps / setGrade through the real SDK: a follow-up is one event
 * that moves score, stage and list at once; a retry writes nothing; a loss lowers the score.
 */
import type { FollowUpResult, FollowUpView, GradeInfoView, Page, TimelineItem } from '../../types/api';
import type { EventDoc, FollowUpDoc } from '../../types/model';
import type { DerivedCustomer } from '../../cloudfunctions/_core/scoring/ingest';
import { ok, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let token: string;

const find = async <T>(collection: string, query: object): Promise<T[]> => stack.emulator.db.find(collection, query, { limit: 100000 }) as T[];
const customerById = async (id: string) => (await find<DerivedCustomer>('customers', { _id: id }))[0];
const call = <T>(action: string, params: object) => stack.http<T>('customers', { action, params }, token);

let seq = 0;
const messageId = () => `fu-test-${Date.now()}-${++seq}`;

/** zhangwei's leads, in id order, skipping the ones a test already used. */
const used = new Set<string>();
async function lead(): Promise<DerivedCustomer> {
  const c = (await find<DerivedCustomer>('customers', { ownerId: 'zhangwei', stage: 'lead' })).sort((a, b) => a._id.localeCompare(b._id)).find((x) => !used.has(x._id))!;
  used.add(c._id);
  return c;
}

beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.signIn('zhangwei');
});
afterAll(() => stack.destroy());

describe('customers.followUp', () => {
  it('a test drive makes a lead a prospect, scores at once and shows in the follow-ups and the timeline', async () => {
    const c = await lead();
    const id = messageId();
    const res = ok(await call<FollowUpResult>('followUp', { customerId: c._id, messageId: id, kind: 'test_drive', modelId: 'lanyue', trim: '2.0T 四驱旗舰版', durationMinutes: 30, note: '客户对动力满意' }));
    expect(res.created).toBe(true);
    expect(res.followUp).toMatchObject({ id, kind: 'test_drive', title: '试驾揽岳 2.0T 四驱旗舰版 · 30分钟', note: '客户对动力满意', staffName: '张伟' });

    const after = await customerById(c._id);
    expect(after.stage).toBe('prospect');
    expect(after.score!.reasons).toContain('近30天到店试驾1次（揽岳）');
    expect(after.score!.total).toBeGreaterThan(c.score?.total ?? 0);
    expect(after.lastFollowUpAt).toBe(res.followUp.at);

    const list = ok(await call<Page<FollowUpView>>('followUps', { customerId: c._id, limit: 5 }));
    expect(list.items[0]).toEqual(res.followUp);
    const timeline = ok(await call<Page<TimelineItem>>('timeline', { customerId: c._id, limit: 5 }));
    expect(timeline.items[0]).toMatchObject({ id, type: 'test_drive' });
  });

  it('a retried submit answers created:false and writes nothing twice', async () => {
    const c = await lead();
    const params = { customerId: c._id, messageId: messageId(), kind: 'call', outcome: 'connected', durationSeconds: 185, note: '约周六到店' };
    const first = ok(await call<FollowUpResult>('followUp', params));
    expect(first.followUp.title).toBe('电话已接通 · 通话3分钟');
    const before = await customerById(c._id);
    const again = ok(await call<FollowUpResult>('followUp', params));
    expect(again).toEqual({ followUp: first.followUp, created: false });
    expect(await find<FollowUpDoc>('followUps', { _id: params.messageId })).toHaveLength(1);
    expect(await find<EventDoc>('events', { _id: params.messageId })).toHaveLength(1);
    expect((await customerById(c._id)).updatedAt).toBe(before.updatedAt);
  });

  it('a loss lowers the score and tags the customer 战败客户', async () => {
    const c = await lead();
    const res = ok(await call<FollowUpResult>('followUp', { customerId: c._id, messageId: messageId(), kind: 'lost', reason: 'bought_competitor', competitor: '比亚迪' }));
    expect(res.followUp.title).toBe('战败：已购竞品（比亚迪）');
    const after = await customerById(c._id);
    expect(after.score!.total).toBeLessThanOrEqual(c.score?.total ?? 0);
    expect(after.score!.penalties).toContain('近90天被标记战败');
    expect(after.tags.map((t) => t.tagId)).toContain('lifecycle-risk-lost');
  });

  it('quotes read naturally', async () => {
    const c = await lead();
    const res = ok(await call<FollowUpResult>('followUp', { customerId: c._id, messageId: messageId(), kind: 'quote', modelId: 'lanyue', price: 185_800, priceCut: 12_000 }));
    expect(res.followUp.title).toBe('报价揽岳 18.58万（优惠1.2万）');
  });

  it('refuses a time in the future or more than 7 days back, naming the field', async () => {
    const c = await lead();
    for (const at of [stack.clock.now() + 3_600_000, stack.clock.now() - 8 * 86_400_000]) {
      const { status, reply } = await call('followUp', { customerId: c._id, messageId: messageId(), kind: 'visit', at });
      expect(status).toBe(400);
      expect(!reply.ok && reply.error.issues?.[0].field).toBe('at');
    }
  });

  it("refuses another consultant's customer", async () => {
    const other = (await find<DerivedCustomer>('customers', { ownerId: { $nin: ['zhangwei', null] }, storeId: (await customerById((await lead())._id)).storeId }))[0];
    const { status } = await call('followUp', { customerId: other._id, messageId: messageId(), kind: 'visit' });
    expect(status).toBe(404);
  });
});

describe('customers.setGrade', () => {
  it("sets the consultant's grade, moves the rank key, and clears back to the suggestion", async () => {
    const c = await lead();
    const view = ok(await call<GradeInfoView>('setGrade', { customerId: c._id, grade: 'H' }));
    expect(view).toMatchObject({ grade: 'H', source: 'consultant', label: 'H级（7天内购车）', setBy: { name: '张伟' }, stale: false });
    const after = await customerById(c._id);
    expect(after.grade).toBe('H');
    expect(after.rankKey).toBe(4000 + (after.score?.total ?? 0));

    const cleared = ok(await call<GradeInfoView>('setGrade', { customerId: c._id, grade: null }));
    expect(cleared.source === 'consultant').toBe(false);
    expect((await customerById(c._id)).rankKey).toBeLessThan(4000);
  });
});

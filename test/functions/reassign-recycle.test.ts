/**
 * Manager reassignment (single, bulk, to the pool, racing a claim) and the hourly recycling
 * of neglected leads, through the real SDK on the emulator.
 */
import type { ClaimResult, ReassignResult } from '../../types/api';
import type { CustomerDoc } from '../../types/model';
import { DEFAULT_POLICY, dueForRecycle } from '../../cloudfunctions/_core/allocation';
import { DAY } from '../../cloudfunctions/_core/events/day-buckets';
import { settledJob } from '../support/jobs';
import { ok, startTestStack, type TestStack } from '../support/stack';

const STORE = 'store-sh-pudong';
let stack: TestStack;
let tokens: Record<string, string>;

const find = async (query: object): Promise<CustomerDoc[]> => (await Promise.resolve(stack.emulator.db.find('customers', query, { limit: 100000 }))) as CustomerDoc[];
const one = async (id: string) => (await find({ _id: id }))[0];
const set = (id: string, fields: object, unset: string[] = []) => stack.patchCustomer(id, fields, unset);
const reassign = (token: string, customerIds: string[], to: string) => stack.http<ReassignResult>('leads', { action: 'reassign', params: { customerIds, to } }, token);
const claim = (token: string, customerId: string) => stack.http<ClaimResult>('leads', { action: 'claim', params: { customerId } }, token);
// The pool as it lists: records merged into another customer are not leads.
const pool = async () => (await find({ storeId: STORE, mergedInto: { $exists: false } })).filter((c) => !c.ownerId);

beforeAll(async () => {
  stack = await startTestStack();
  const people = ['wangjianguo', 'zhangwei', 'lina', 'chenxiaodong', 'liuting', 'zhoulei', 'xuhaiyan'];
  tokens = Object.fromEntries(await Promise.all(people.map(async (id) => [id, await stack.signIn(id)] as const)));
});
afterAll(() => stack.destroy());

describe('reassign', () => {
  it('moves leads in bulk, refuses what is not the store’s, and restarts the assignment', async () => {
    const linas = (await find({ ownerId: 'lina' })).slice(0, 5);
    set(linas[0]._id, { firstContactAt: stack.clock.now() - DAY });
    const [elsewhere] = await find({ storeId: 'store-sh-jiading' });
    const before = stack.clock.now();
    const r = ok(await reassign(tokens.wangjianguo, [...linas.map((c) => c._id), elsewhere._id, 'cus-none'], 'zhangwei'));
    expect(r.moved).toEqual(linas.map((c) => c._id));
    expect(r.refused).toEqual([
      { customerId: elsewhere._id, message: '这条线索不属于本店' },
      { customerId: 'cus-none', message: '这条线索不属于本店' },
    ]);
    expect(r.message).toBe('已分配 5 条给 张伟，2 条未分配（这条线索不属于本店）');
    for (const c of linas) {
      const now = await one(c._id);
      expect(now.ownerId).toBe('zhangwei');
      expect(now.assignedAt).toBeGreaterThanOrEqual(before);
      expect(now.firstContactAt).toBeUndefined();
    }
    expect((await one(elsewhere._id)).ownerId).toBe(elsewhere.ownerId);
    // The new owner sees them, with the first-contact SLA running.
    const list = await stack.allLeads(tokens.zhangwei, {}, 'list');
    expect(list.find((l) => l.id === linas[0]._id)?.sla?.state).toBe('pending');
    // Retrying the same request changes nothing and still reports them as with 张伟.
    const again = ok(await reassign(tokens.wangjianguo, linas.map((c) => c._id), 'zhangwei'));
    expect(again).toMatchObject({ moved: linas.map((c) => c._id), refused: [], message: '已分配 5 条给 张伟' });
  });

  it("stops at the consultant's capacity and names the reason", async () => {
    const owned = (await find({ ownerId: 'liuting' })).length;
    stack.emulator.db.update('staff', { _id: 'liuting' }, { $set: { capacity: owned + 1 } }, { multi: false });
    const leads = (await find({ ownerId: 'zhoulei' })).slice(0, 3).map((c) => c._id);
    const r = ok(await reassign(tokens.wangjianguo, leads, 'liuting'));
    expect(r.moved).toEqual([leads[0]]);
    expect(r.refused).toEqual(leads.slice(1).map((customerId) => ({ customerId, message: '超出该顾问的跟进上限' })));
    expect(r.message).toBe('已分配 1 条给 刘婷，2 条未分配（超出该顾问的跟进上限）');
  });

  it('returns leads to the pool', async () => {
    const leads = (await find({ ownerId: 'zhoulei' })).slice(0, 2).map((c) => c._id);
    const r = ok(await reassign(tokens.wangjianguo, leads, 'pool'));
    expect(r).toMatchObject({ moved: leads, refused: [], message: '已退回公海 2 条' });
    for (const id of leads) expect(await one(id)).toMatchObject({ storeId: STORE });
    expect((await Promise.all(leads.map(one))).every((c) => c.ownerId === undefined && c.assignedAt === undefined && c.recycledFrom === undefined)).toBe(true);
    expect((await stack.allLeads(tokens.zhangwei, {}, 'pool')).map((l) => l.id)).toEqual(expect.arrayContaining(leads));
  });

  it('refuses consultants, unknown targets and targets that cannot take leads', async () => {
    const [lead] = await find({ ownerId: 'zhoulei' });
    const byConsultant = await reassign(tokens.zhangwei, [lead._id], 'zhangwei');
    expect(byConsultant.status).toBe(403);
    expect((await reassign(tokens.wangjianguo, [lead._id], 'nobody')).status).toBe(404);
    expect((await reassign(tokens.wangjianguo, [lead._id], 'zhujun')).status).toBe(404);
    const toManager = await reassign(tokens.wangjianguo, [lead._id], 'wangjianguo');
    expect(toManager.status).toBe(400);
    expect(toManager.reply).toMatchObject({ ok: false, error: { issues: [{ field: 'to', message: '只能分配给销售顾问' }] } });
    expect((await one(lead._id)).ownerId).toBe('zhoulei');
  });

  it('gives one consistent outcome when a reassignment races a claim', async () => {
    const leads = (await pool()).slice(0, 6);
    for (const lead of leads) {
      const [c, r] = await Promise.all([claim(tokens.chenxiaodong, lead._id), reassign(tokens.wangjianguo, [lead._id], 'zhangwei')]);
      const claimed = ok(c);
      const moved = ok(r);
      const owner = (await one(lead._id)).ownerId;
      if (claimed.claimed) {
        expect(owner).toBe('chenxiaodong');
        expect(moved).toMatchObject({ moved: [], refused: [{ customerId: lead._id, message: '线索刚被 陈晓东 接手，未分配，请刷新后重试' }] });
      } else {
        expect(owner).toBe('zhangwei');
        expect(claimed).toEqual({ claimed: false, code: 'ALREADY_OWNED', message: '手慢了，这条线索已被其他顾问领取' });
        expect(moved.moved).toEqual([lead._id]);
      }
    }
  });
});

describe('recycling', () => {
  it('returns exactly the leads without follow-up past their grade’s limit, and blocks an immediate reclaim', async () => {
    const now = stack.clock.now();
    const zhang = (await find({ ownerId: 'zhangwei' })).filter((c) => c.stage !== 'owner');
    const [dueB, followedUp, gradeC, dueH, stale] = zhang.slice(10, 15);
    set(dueB._id, { grade: 'B', assignedAt: now - 8 * DAY }, ['lastFollowUpAt']);
    set(followedUp._id, { grade: 'B', assignedAt: now - 8 * DAY, lastFollowUpAt: now - DAY });
    set(gradeC._id, { grade: 'C', assignedAt: now - 10 * DAY }, ['lastFollowUpAt']);
    set(dueH._id, { grade: 'H', assignedAt: now - 4 * DAY, lastFollowUpAt: now - 3.5 * DAY });
    set(stale._id, { grade: 'A', assignedAt: now - 20 * DAY, lastFollowUpAt: now - 6 * DAY });
    const [owner] = (await find({ ownerId: 'zhangwei' })).filter((c) => c.stage === 'owner');
    set(owner._id, { assignedAt: now - 60 * DAY }, ['lastFollowUpAt']);

    const t0 = stack.clock.now();
    const owned = (await find({ ownerId: { $exists: true } })).filter((c) => c.assignedAt !== undefined);
    const dueAt = (c: CustomerDoc, t: number) => dueForRecycle(c, c.lastFollowUpAt, t, DEFAULT_POLICY).due;
    await stack.emulator.fireTimer('leads', 'recycle');
    // Recycling is a resumable job: the timer runs its first slice, continuations the rest.
    const job = await settledJob(stack, 'recycle:all');
    const t1 = stack.clock.now();

    const after = new Map((await find({ _id: { $in: owned.map((c) => c._id) } })).map((c) => [c._id, c]));
    const recycled = owned.filter((c) => !after.get(c._id)!.ownerId).map((c) => c._id);
    expect(recycled).toEqual(expect.arrayContaining(owned.filter((c) => dueAt(c, t0)).map((c) => c._id)));
    expect(owned.filter((c) => recycled.includes(c._id) && !dueAt(c, t1))).toEqual([]);
    expect(recycled).toEqual(expect.arrayContaining([dueB._id, dueH._id, stale._id]));
    expect(recycled).not.toContain(followedUp._id);
    expect(recycled).not.toContain(gradeC._id);
    expect(recycled).not.toContain(owner._id);
    expect(job).toMatchObject({ status: 'done', changed: recycled.length });

    expect(await one(dueB._id)).toMatchObject({ recycledFrom: { consultantId: 'zhangwei', afterDays: 7 } });
    expect((await one(dueB._id)).assignedAt).toBeUndefined();
    const poolLeads = await stack.allLeads(tokens.zhangwei, { grades: ['B', 'H'] }, 'pool');
    expect(poolLeads.find((l) => l.id === dueB._id)?.recycledLabel).toBe('7天未跟进，自动回收');
    expect(poolLeads.find((l) => l.id === dueH._id)?.recycledLabel).toBe('3天未跟进，自动回收');

    // The neglecting consultant cannot take it straight back; a colleague can.
    expect(ok(await claim(tokens.zhangwei, dueB._id))).toEqual({ claimed: false, code: 'COOLDOWN', message: '这条线索刚从你名下回收，暂时不能再领取' });
    expect(ok(await claim(tokens.lina, dueB._id))).toMatchObject({ claimed: true, lead: { id: dueB._id } });

    // Running again right away finds nothing more to do.
    await stack.emulator.fireTimer('leads', 'recycle');
    expect(await settledJob(stack, 'recycle:all')).toMatchObject({ status: 'done', run: job.run + 1, changed: 0 });
  });

  it('does not recycle a lead that changed hands or was followed up after the job read it', async () => {
    // The job's write is conditional on what it read; here the read is replayed after a manager's
    // reassignment and after a follow-up, through the same repository code the job runs.
    const { customerRepo } = await import('../../cloudfunctions/_lib/repo/customers');
    const now = stack.clock.now();
    const [moved, followed] = (await find({ ownerId: 'zhoulei' })).filter((c) => c.stage !== 'owner');
    for (const c of [moved, followed]) set(c._id, { grade: 'B', assignedAt: now - 9 * DAY }, ['lastFollowUpAt']);
    const read = await stack.emulator.withContext(() => customerRepo.recycleCandidates([{ grade: 'B', before: now - 7 * DAY }], undefined, 1000));
    const asRead = (id: string) => read.find((c) => c._id === id)!;
    expect(asRead(moved._id)).toMatchObject({ ownerId: 'zhoulei' });
    expect(ok(await reassign(tokens.wangjianguo, [moved._id], 'lina')).moved).toEqual([moved._id]);
    set(followed._id, { lastFollowUpAt: stack.clock.now() });
    expect(await stack.emulator.withContext(() => customerRepo.recycle(asRead(moved._id), stack.clock.now(), 7))).toBe(false);
    expect(await stack.emulator.withContext(() => customerRepo.recycle(asRead(followed._id), stack.clock.now(), 7))).toBe(false);
    expect(await one(moved._id)).toMatchObject({ ownerId: 'lina' });
    expect(await one(followed._id)).toMatchObject({ ownerId: 'zhoulei' });
  });
});

/**
 * Strategies through the real SDK and the local cloud: a manager saves and issues a strategy
 * to a snapshot audience; tasks reach the consultants (pool customers allocated first), the
 * holdout gets nothing, issuing again makes nothing twice, another store's customers and
 * strategies stay out of reach. Then the reactions on the stack's clock: a send of the
 * strategy, an open through the customer's real tracked link, and after T the call task in the
 * consultant's inbox for who opened but did not register (the re-invitation for who did not
 * open). Care: birthday greetings by channel rules from the timer, and a holiday job.
 */
import type { ApiReply, IssueResult, ManagerHome, SendResult, StrategyProgress, StrategyView, TaskInbox } from '../../types/api';
import type { StoredCustomer, StrategyMemberDoc, TaskDoc } from '../../types/model';
import { INVITE_NOTICE_VERSION } from '../../types/catalog';
import { inHoldout } from '../../cloudfunctions/_core/strategies';
import { ok, startTestStack, TEST_NOW, type TestStack } from '../support/stack';
import { clientId, deviceToken } from '../support/sends';
import { settledJob } from '../support/jobs';

const A = 'store-sh-pudong';
const B = 'store-sh-jiading';
const H = 3_600_000;

let stack: TestStack;
let manager: string;
let consultant: string;
const db = () => stack.emulator.db;
const customers = () => db().find<StoredCustomer & { mergedInto?: string }>('customers', {}, { sort: { _id: 1 } }).filter((c) => !c.mergedInto);

async function call<T>(fn: string, action: string, params: unknown, token?: string): Promise<T> {
  return ok(await stack.http<T>(fn, { action, params }, token));
}
async function reply<T>(fn: string, action: string, params: unknown, token?: string): Promise<{ status: number; reply: ApiReply<T> }> {
  return stack.http<T>(fn, { action, params }, token);
}

/** A snapshot audience of store A with exactly these members (the seam: members given directly). */
function snapshotAudience(id: string, storeId: string, members: readonly string[]): string {
  const at = stack.clock.now() - 60_000;
  db().insertOne('audiences', { _id: id, storeId, name: 'SUV试驾人群', rule: { version: 1, root: { kind: 'stage', in: ['lead', 'prospect'] } }, mode: 'snapshot', status: 'active', version: 1, description: '线索或潜客', count: members.length, countedAt: at, snapshotAt: at, createdBy: 'wangjianguo', createdAt: at, updatedBy: 'wangjianguo', updatedAt: at });
  for (const c of members) db().insertOne('audienceMembers', { _id: `${id}:${c}`, audienceId: id, storeId, customerId: c });
  return id;
}

const RULES = [
  { id: 'quiet', when: { kind: 'not_opened', hours: 24 }, then: [{ kind: 'reinvite', max: 1 }] },
  { id: 'open', when: { kind: 'opened' }, then: [], next: [{ id: 'cold', when: { kind: 'not_registered', hours: 48 }, then: [{ kind: 'call', slaHours: 4 }] }] },
  { id: 'reg', when: { kind: 'registered' }, then: [{ kind: 'notify' }] },
];

function strategyInput(strategyId: string, audienceId: string, extra: object = {}) {
  const now = stack.clock.now();
  return { strategyId, expectedVersion: 0, name: 'SUV 试驾周末', audienceId, materialId: 'mat-pd-i1', channel: 'wecom_chat', window: { startAt: now - 24 * H, endAt: now + 10 * 24 * H, fromMinute: 9 * 60, toMinute: 21 * 60 }, rules: RULES, holdoutPercent: 0, ...extra };
}

beforeAll(async () => {
  stack = await startTestStack();
  [manager, consultant] = await Promise.all([stack.signIn('wangjianguo'), stack.signIn('zhangwei')]);
});
afterAll(() => stack.destroy());

describe('issuing a strategy', () => {
  let own: StoredCustomer[];
  let pool: StoredCustomer[];
  let foreign: StoredCustomer;
  let issued: IssueResult;
  const SID = 'str-suv-weekend-1';

  beforeAll(async () => {
    const all = customers();
    own = all.filter((c) => c.storeId === A && c.ownerId === 'zhangwei' && c.stage !== 'owner').slice(0, 40);
    pool = all.filter((c) => c.storeId === A && !c.ownerId).slice(0, 3);
    foreign = all.find((c) => c.storeId === B)!;
    const aud = snapshotAudience('aud-suv-1', A, [...own, ...pool, foreign].map((c) => c._id));
    const saved = await call<StrategyView>('strategies', 'save', strategyInput(SID, aud, { holdoutPercent: 20 }), manager);
    expect(saved).toMatchObject({ status: 'draft', version: 1, material: { title: 'SUV 试驾周末 · 浦东店' } });
    expect(saved.ruleLines).toEqual(['若24小时内未打开 → 再次邀约（最多1次）', '若已打开邀请', '　且48小时内未报名 → 生成电话回访任务（4小时内）', '若已报名 → 通知店长']);
    issued = await call<IssueResult>('strategies', 'issue', { strategyId: SID }, manager);
  });

  it('gives each consultant a task per customer, allocates pool customers, and leaves the holdout and other stores alone', () => {
    const held = [...own, ...pool].filter((c) => inHoldout(SID, c._id, 20));
    expect(held.length).toBeGreaterThan(0);
    expect(issued).toMatchObject({ members: own.length + pool.length, holdout: held.length, strategy: { status: 'issued' } });
    const tasks = db().find<TaskDoc>('tasks', { strategyId: SID });
    expect(tasks.length).toBe(issued.tasks);
    const tasked = new Set(tasks.map((t) => t.customerId));
    for (const c of held) expect(tasked.has(c._id)).toBe(false);
    for (const c of own.filter((x) => !held.includes(x))) expect(tasks.find((t) => t.customerId === c._id)).toMatchObject({ ownerId: 'zhangwei', kind: 'strategy_send', materialId: 'mat-pd-i1', strategyName: 'SUV 试驾周末' });
    // Pool customers (not held out) now have a consultant of the store, who got their task.
    for (const c of pool.filter((x) => !held.includes(x))) {
      const after = db().findById<StoredCustomer>('customers', c._id)!;
      expect(after.ownerId).toBeDefined();
      expect(tasks.find((t) => t.customerId === c._id)?.ownerId).toBe(after.ownerId);
    }
    expect(tasked.has(foreign._id)).toBe(false);
    expect(db().findById('strategyMembers', `${SID}/${foreign._id}`)).toBeUndefined();
  });

  it('is idempotent: issuing again makes no task twice', async () => {
    const before = db().count('tasks', { strategyId: SID });
    const again = await call<IssueResult>('strategies', 'issue', { strategyId: SID }, manager);
    expect(again).toMatchObject({ members: 0, tasks: 0, message: '人群中没有新客户，未重复下发' });
    expect(db().count('tasks', { strategyId: SID })).toBe(before);
  });

  it('puts the holdout in the same place however often it is asked (deterministic)', () => {
    const members = db().find<StrategyMemberDoc>('strategyMembers', { strategyId: SID });
    for (const m of members) expect(m.holdout).toBe(inHoldout(SID, m.customerId, 20));
  });

  it("refuses another store's manager and another store's audience", async () => {
    const other = await stack.signIn('xuhaiyan');
    expect((await reply('strategies', 'issue', { strategyId: SID }, other)).status).toBe(404);
    expect((await reply('strategies', 'progress', { strategyId: SID }, other)).status).toBe(404);
    const bAudience = snapshotAudience('aud-b-1', B, [foreign._id]);
    const r = await reply('strategies', 'save', strategyInput('str-cross-1', bAudience), manager);
    expect(r.status).toBe(400);
    expect(!r.reply.ok && r.reply.error.issues?.map((i) => i.field)).toEqual(['audienceId']);
  });
});

describe('reactions on the clock', () => {
  const SID = 'str-react-1';
  let opener: StoredCustomer;
  let quiet: StoredCustomer;
  let inbox: () => Promise<TaskInbox>;

  beforeAll(async () => {
    const all = customers().filter((c) => c.storeId === A && c.ownerId === 'zhangwei' && c.stage !== 'owner' && !c.consent?.contact && !(c.marketingTouches?.length));
    [opener, quiet] = all.slice(-2);
    const aud = snapshotAudience('aud-react-1', A, [opener._id, quiet._id]);
    await call('strategies', 'save', strategyInput(SID, aud), manager);
    await call('strategies', 'issue', { strategyId: SID }, manager);
    inbox = () => call<TaskInbox>('tasks', 'inbox', {}, consultant);
  });

  async function sendTask(c: StoredCustomer): Promise<string> {
    const task = db().find<TaskDoc>('tasks', { strategyId: SID, customerId: c._id })[0];
    const r = await call<SendResult>('sends', 'send', { sendId: clientId() + 'abcdefgh', customerId: c._id, materialId: 'mat-pd-i1', channel: 'copy', taskId: task._id }, consultant);
    expect(r.sent).toBe(true);
    if (!r.sent) throw new Error('not sent');
    return new URLSearchParams(r.message.path.split('?')[1]).get('t')!;
  }

  it('after T, the customer who opened but did not register gets a call task; who did not open, a re-invitation', async () => {
    stack.clock.freeze();
    const sentAt = stack.clock.now();
    const link = await sendTask(opener);
    await sendTask(quiet);
    // The customer opens the invitation through the real tracked link (H5 device), after consenting to tracking.
    const device = deviceToken();
    await call('activities', 'consent', { link, device, granted: true, noticeVersion: INVITE_NOTICE_VERSION });
    stack.clock.advance(2 * H);
    const opened = await call<{ tracked: boolean }>('activities', 'open', { link, device, visitId: clientId() });
    expect(opened.tracked).toBe(true);
    expect(db().findById<StrategyMemberDoc>('strategyMembers', `${SID}/${opener._id}`)).toMatchObject({ round: 1, openedAt: sentAt + 2 * H, nextCheckAt: sentAt + 48 * H });

    // Just before 24 h: nothing yet.
    stack.clock.set(sentAt + 24 * H - 1000);
    await stack.emulator.fireTimer('strategies', 'react');
    expect(db().count('tasks', { strategyId: SID, kind: 'reaction_call' })).toBe(0);
    expect(db().count('tasks', { strategyId: SID, customerId: quiet._id })).toBe(1);
    // At 24 h the quiet one is re-invited, once, however often the timer runs.
    stack.clock.set(sentAt + 24 * H);
    await stack.emulator.fireTimer('strategies', 'react');
    await stack.emulator.fireTimer('strategies', 'react');
    const reinvites = db().find<TaskDoc>('tasks', { strategyId: SID, customerId: quiet._id, title: '再次邀约：SUV 试驾周末' });
    expect(reinvites.length).toBe(1);

    // At 48 h: the call task for the opener, in the consultant's inbox.
    stack.clock.set(sentAt + 48 * H);
    await stack.emulator.fireTimer('strategies', 'react');
    await stack.emulator.fireTimer('strategies', 'react');
    const calls = db().find<TaskDoc>('tasks', { strategyId: SID, kind: 'reaction_call' });
    expect(calls.map((t) => [t.customerId, t.title, t.ownerId])).toEqual([[opener._id, '电话回访：已打开邀请，48小时内未报名', 'zhangwei']]);
    consultant = await stack.signIn('zhangwei');
    manager = await stack.signIn('wangjianguo');
    const view = (await inbox()).byStrategy.find((g) => g.strategyId === SID)!;
    expect(view.items.some((t) => t.kind === 'reaction_call' && t.customer.id === opener._id)).toBe(true);

    const progress = await call<StrategyProgress>('strategies', 'progress', { strategyId: SID }, manager);
    expect(progress.total.steps.map((s) => [s.label, s.count])).toEqual([['已邀约', 2], ['已发送', 2], ['已打开', 1], ['已报名', 0], ['已到店', 0]]);
    expect(progress.byConsultant.map((f) => f.label)).toEqual(['张伟']);
    expect(progress.byChannel.map((f) => f.label)).toEqual(['复制链接']);
    stack.clock.resume();
  });
});

describe("the manager's home", () => {
  it('shows the store KPIs', async () => {
    manager = await stack.signIn('wangjianguo');
    const home = await call<ManagerHome>('strategies', 'home', {}, manager);
    const store = customers().filter((c) => c.storeId === A);
    const active = store.filter((c) => c.ownerId && (c.stage === 'lead' || c.stage === 'prospect'));
    expect(home.kpis.activeLeads).toBe(active.length);
    expect(home.kpis.followedUp).toBe(active.filter((c) => (c.lastFollowUpAt ?? 0) >= stack.clock.now() - 7 * 24 * H).length);
    expect(home.kpis.followUpRate).toBe(Math.round((home.kpis.followedUp / home.kpis.activeLeads) * 100));
    expect(home.kpis.newLeadsToday).toBeGreaterThanOrEqual(0);
  });
});

describe('care for owners', () => {
  it('greets owners born today by channel rules, once a day, within consent', async () => {
    stack.clock.set(TEST_NOW + 30 * 24 * H);
    const day = new Date(TEST_NOW + 8 * H);
    const md = `${String(day.getUTCMonth() + 1).padStart(2, '0')}-${String(day.getUTCDate()).padStart(2, '0')}`;
    // Back to the seed's day, at 09:30: the seed gave a few owners their birthday today.
    stack.clock.set(Date.parse('2025-03-17T09:30:00+08:00'));
    const born = customers().filter((c) => c.stage === 'owner' && c.birthday === md);
    expect(born.length).toBeGreaterThan(0);
    await stack.emulator.fireTimer('strategies', 'react');
    await stack.emulator.fireTimer('strategies', 'react');
    const tasks = db().find<TaskDoc>('tasks', { kind: 'care' });
    const messages = db().find<{ customerId: string; channel: string }>('sends', { channel: 'subscribe' });
    for (const c of born) {
      const greeted = tasks.filter((t) => t.customerId === c._id).length + messages.filter((m) => m.customerId === c._id).length;
      expect(greeted).toBe(c.ownerId && c.consent?.contact?.granted !== false ? 1 : 0);
    }
    for (const t of tasks) expect(t.title).toMatch(/^生日关怀：/);
  });

  it('on a holiday, runs a job that greets every owner once', async () => {
    stack.clock.set(Date.parse('2025-05-01T09:30:00+08:00'));
    await stack.emulator.fireTimer('strategies', 'react');
    expect(await settledJob(stack, 'care:holiday-2025-05-01')).toMatchObject({ status: 'done' });
    const greeted = db().find<TaskDoc>('tasks', { kind: 'care' }).filter((t) => t._id.startsWith('care/holiday-2025-05-01/')).length + db().find<{ _id: string; channel: string; at: number }>('sends', { channel: 'subscribe' }).filter((s) => s.at === stack.clock.now()).length;
    expect(greeted).toBeGreaterThan(0);
    const owners = customers().filter((c) => c.stage === 'owner' && c.ownerId);
    expect(greeted).toBeLessThanOrEqual(owners.length);
  });
});

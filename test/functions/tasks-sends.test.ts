/**
 * The MA loop's consultant side through the real SDK: the 任务 inbox (seeded and derived tasks,
 * one-tap completion, tasks completing themselves on a logged call or a send), sends (tracked
 * link, idempotent under retry, the frequency cap under concurrent senders, consent, refusals
 * across stores, WeCom mass-send tasks, the manager's cap setting, the copy sequence and WeCom's
 * share sheet), the material library's scoping, and reminders of 下次跟进 sent once to WeCom.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchSendResult, FollowUpResult, FrequencyCapView, MaterialView, SendResult, SendView, TaskInbox, TaskView } from '../../types/api';
import type { CustomerDoc, SendDoc, TaskDoc } from '../../types/model';
import { verifyLink } from '../../cloudfunctions/_core/links';
import { taskRepo } from '../../cloudfunctions/_lib/repo/tasks';
import { ok, startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
const tokens: Record<string, string> = {};
const db = () => stack.emulator.db;
const customer = (id: string) => db().findById<CustomerDoc>('customers', id)!;
const task = (id: string) => db().findById<TaskDoc>('tasks', id);
const call = <T>(who: string, fn: string, action: string, params: object) => stack.http<T>(fn, { action, params }, tokens[who]);

let n = 0;
/** 22+ base64url characters, as the app makes them. */
const sendId = () => `test${String(++n).padStart(4, '0')}${'x'.repeat(18)}`;

const used = new Set<string>();
/** One of the consultant's live customers nobody in this file used yet. */
function own(owner = 'zhangwei', extra: object = {}): CustomerDoc {
  const c = db()
    .find<CustomerDoc & { mergedInto?: string }>('customers', { ownerId: owner, mergedInto: { $exists: false }, ...extra }, { sort: { _id: 1 } })
    .find((x) => !used.has(x._id) && !x.openTaskOn);
  if (!c) throw new Error(`no unused customer of ${owner}`);
  used.add(c._id);
  return c;
}

beforeAll(async () => {
  stack = await startTestStack();
  for (const who of ['zhangwei', 'lina', 'zhujun', 'wangjianguo', 'xuhaiyan']) tokens[who] = await stack.signIn(who);
});
afterAll(() => stack.destroy());

describe('the 任务 inbox', () => {
  it('shows the consultant’s seeded tasks and the leads awaiting first contact, by due time and by strategy', async () => {
    const inbox = ok(await call<TaskInbox>('zhangwei', 'tasks', 'inbox', {}));
    const items = inbox.byDue.flatMap((s) => s.items);
    const kinds = new Set(items.map((t) => t.kind));
    expect(kinds).toContain('strategy_send');
    expect(kinds).toContain('next_follow_up');
    for (const t of items) expect(customer(t.customer.id)).toMatchObject({ ownerId: 'zhangwei' });
    expect(inbox.byDue.map((s) => s.title)).toEqual(expect.arrayContaining(['今天']));
    // Sections keep the consultant's order: overdue first.
    const order = ['逾期', '今天', '明天', '之后', '未发送'];
    expect(inbox.byDue.map((s) => order.indexOf(s.title))).toEqual([...inbox.byDue.map((s) => order.indexOf(s.title))].sort((a, b) => a - b));
    expect(inbox.byStrategy.find((g) => g.strategyId === 'st-pd-suv-weekend')?.name).toBe('SUV 试驾周末邀约');
    // Phones are masked in the list.
    for (const t of items) expect(t.customer.phoneMasked).toMatch(/^1\d{2}\*{4}\d{4}$|^未留手机号$/);
  });

  it('derives a first contact from a lead never contacted, and drops it once the call is logged', async () => {
    const c = own('zhangwei', { stage: 'lead' });
    stack.patchCustomer(c._id, { assignedAt: stack.clock.now() - 3 * 3_600_000 }, ['firstContactAt']);
    const before = ok(await call<TaskInbox>('zhangwei', 'tasks', 'inbox', {}));
    const first = before.byDue.flatMap((s) => s.items).find((t) => t.customer.id === c._id && t.kind === 'first_contact');
    expect(first).toMatchObject({ derived: true, dueLabel: expect.stringMatching(/^已超时|^今天|^明天/) });
    ok(await call<FollowUpResult>('zhangwei', 'customers', 'followUp', { customerId: c._id, messageId: `inbox-fc-${++n}`, kind: 'call', outcome: 'connected' }));
    const after = ok(await call<TaskInbox>('zhangwei', 'tasks', 'inbox', {}));
    expect(after.byDue.flatMap((s) => s.items).some((t) => t.id === first!.id)).toBe(false);
  });

  it('completes a task with one tap, once; another consultant’s task reads as unknown', async () => {
    const inbox = ok(await call<TaskInbox>('zhangwei', 'tasks', 'inbox', {}));
    const t = inbox.byDue.flatMap((s) => s.items).find((x) => !x.derived && x.kind === 'next_follow_up')!;
    const lina = await call('lina', 'tasks', 'complete', { taskId: t.id });
    expect(lina.status).toBe(404);
    expect(ok(await call('zhangwei', 'tasks', 'complete', { taskId: t.id }))).toEqual({ taskId: t.id, done: true });
    expect(ok(await call('zhangwei', 'tasks', 'complete', { taskId: t.id }))).toEqual({ taskId: t.id, done: false });
    expect(task(t.id)).toMatchObject({ status: 'done', doneBy: 'zhangwei' });
    const later = ok(await call<TaskInbox>('zhangwei', 'tasks', 'inbox', {}));
    expect(later.doneToday).toBeGreaterThanOrEqual(1);
  });

  it('a 下次跟进 completes itself when the consultant logs a call; a customer without open tasks pays no extra read', async () => {
    const marked = own();
    const plain = own();
    const scheduled = ok(await call<TaskView>('zhangwei', 'tasks', 'schedule', { taskId: `next-${++n}-abc`, customerId: marked._id, kind: 'next_follow_up', at: stack.clock.now() + 86_400_000, note: '确认周六试驾' }));
    expect(scheduled).toMatchObject({ kind: 'next_follow_up', title: '下次跟进', note: '确认周六试驾', dueLabel: expect.stringMatching(/^明天/) });
    expect(customer(marked._id).openTaskOn).toEqual(['call', 'wecom_chat']);
    const followUp = (id: string) => call<FollowUpResult>('zhangwei', 'customers', 'followUp', { customerId: id, messageId: `auto-${id}-${++n}`, kind: 'call', outcome: 'connected' });
    const onPlain = await followUp(plain._id);
    const onMarked = await followUp(marked._id);
    ok(onPlain);
    ok(onMarked);
    expect(task(scheduled.id)).toMatchObject({ status: 'done', doneBy: 'system' });
    // The marker shrinks with the last open task: the next event is free again.
    expect(customer(marked._id).openTaskOn).toBeUndefined();
    expect(onMarked.roundTrips).toBeGreaterThan(onPlain.roundTrips);
  });

  it('an appointment waits for the visit, not for a call', async () => {
    const c = own();
    const appt = ok(await call<TaskView>('zhangwei', 'tasks', 'schedule', { taskId: `appt-${++n}-abc`, customerId: c._id, kind: 'appointment', appointment: 'test_drive', at: stack.clock.now() + 86_400_000, note: '' }));
    expect(appt.title).toBe('预约试驾');
    ok(await call('zhangwei', 'customers', 'followUp', { customerId: c._id, messageId: `appt-call-${++n}`, kind: 'call', outcome: 'connected' }));
    expect(task(appt.id)!.status).toBe('open');
    ok(await call('zhangwei', 'customers', 'followUp', { customerId: c._id, messageId: `appt-td-${++n}`, kind: 'test_drive', modelId: 'lanyue' }));
    expect(task(appt.id)!.status).toBe('done');
  });

  it('refuses a 下次跟进 for someone else’s customer, or in the past', async () => {
    const colleague = own('lina');
    expect((await call('zhangwei', 'tasks', 'schedule', { taskId: `x-${++n}-abcd`, customerId: colleague._id, kind: 'next_follow_up', at: stack.clock.now() + 3_600_000 })).status).toBe(404);
    const mine = own();
    const past = await call('zhangwei', 'tasks', 'schedule', { taskId: `x-${++n}-abcd`, customerId: mine._id, kind: 'next_follow_up', at: stack.clock.now() - 86_400_000 });
    expect(past.reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ field: 'at' }] } });
  });
});

describe('sends', () => {
  it('records a send with a signed link attributed to task and strategy, completes the strategy task, and is idempotent under retry', async () => {
    const t = db().find<TaskDoc>('tasks', { ownerId: 'zhangwei', kind: 'strategy_send', status: 'open' }, { sort: { _id: 1 } })[0];
    used.add(t.customerId);
    const id = sendId();
    const params = { sendId: id, customerId: t.customerId, materialId: t.materialId!, channel: 'wecom_chat', taskId: t._id };
    const first = ok(await call<SendResult>('zhangwei', 'sends', 'send', params));
    expect(first).toMatchObject({ sent: true, sendId: id, repeated: false, marketing: true });
    if (!first.sent) throw new Error('unreachable');
    const token = new URLSearchParams(first.message.path.split('?')[1]).get('t')!;
    expect(verifyLink(token, readFileSync(join(stack.dataDir, 'session-secret'), 'utf8').trim())).toBe(id);
    expect(first.message.path).toContain('id=act-suv-weekend');
    expect(db().findById<SendDoc>('sends', id)).toMatchObject({ customerId: t.customerId, consultantId: 'zhangwei', taskId: t._id, strategyId: 'st-pd-suv-weekend', activityId: 'act-suv-weekend', channel: 'wecom_chat', marketing: true });
    expect(task(t._id)).toMatchObject({ status: 'done', sendId: id });
    const touches = customer(t.customerId).marketingTouches;
    expect(touches).toHaveLength(1);

    const again = ok(await call<SendResult>('zhangwei', 'sends', 'send', params));
    expect(again).toMatchObject({ sent: true, sendId: id, repeated: true });
    expect(customer(t.customerId).marketingTouches).toEqual(touches);
    expect(db().count('sends', { customerId: t.customerId })).toBe(1);
    // The profile lists it.
    const list = ok(await call<SendView[]>('zhangwei', 'sends', 'ofCustomer', { customerId: t.customerId }));
    expect(list[0]).toMatchObject({ id, materialTitle: 'SUV 试驾周末 · 浦东店', consultantName: '张伟', channel: 'wecom_chat' });
  });

  it('never passes the frequency cap, whoever sends at once', async () => {
    const c = own();
    stack.patchCustomer(c._id, { marketingTouches: [stack.clock.now() - 2 * 86_400_000] });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => call<SendResult>('zhangwei', 'sends', 'send', { sendId: sendId(), customerId: c._id, materialId: 'mat-pd-p1', channel: 'copy' })),
    );
    const replies = results.map((r) => ok(r));
    expect(replies.filter((r) => r.sent)).toHaveLength(1);
    const refused = replies.filter((r) => !r.sent);
    expect(refused).toHaveLength(5);
    for (const r of refused) expect(r).toMatchObject({ sent: false, code: 'capped', reason: expect.stringContaining('7天内已收到2次营销触达') });
    expect(customer(c._id).marketingTouches).toHaveLength(2);
    expect(db().count('sends', { customerId: c._id })).toBe(1);
    // A script typed into the chat is a reply, not marketing: it still goes.
    const script = ok(await call<SendResult>('zhangwei', 'sends', 'send', { sendId: sendId(), customerId: c._id, materialId: 'mat-pd-s2', channel: 'wecom_chat' }));
    expect(script).toMatchObject({ sent: true, marketing: false, message: { text: expect.stringContaining('周六') } });
  });

  it('follows the cap the store’s manager sets; only a manager sets it, and a bad value names its field', async () => {
    expect(ok(await call<FrequencyCapView>('xuhaiyan', 'sends', 'cap', {}))).toEqual({ touches: 2, days: 7, isDefault: true });
    expect((await call('zhujun', 'sends', 'setCap', { touches: 5, days: 3 })).status).toBe(403);
    const bad = await call('xuhaiyan', 'sends', 'setCap', { touches: 0, days: 3 });
    expect(bad.reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ field: 'touches' }] } });
    expect(ok(await call<FrequencyCapView>('xuhaiyan', 'sends', 'setCap', { touches: 1, days: 3 }))).toEqual({ touches: 1, days: 3, isDefault: false });
    expect(ok(await call<FrequencyCapView>('xuhaiyan', 'sends', 'cap', {}))).toEqual({ touches: 1, days: 3, isDefault: false });
    // Another store's cap is untouched.
    expect(ok(await call<FrequencyCapView>('wangjianguo', 'sends', 'cap', {}))).toEqual({ touches: 2, days: 7, isDefault: true });
    const c = own('zhujun');
    const first = ok(await call<SendResult>('zhujun', 'sends', 'send', { sendId: sendId(), customerId: c._id, materialId: 'mat-jd-p1', channel: 'copy' }));
    const second = ok(await call<SendResult>('zhujun', 'sends', 'send', { sendId: sendId(), customerId: c._id, materialId: 'mat-jd-i1', channel: 'copy' }));
    expect([first.sent, second.sent]).toEqual([true, false]);
    expect(second).toMatchObject({ reason: expect.stringContaining('3天内已收到1次营销触达') });
  });

  it('sends nothing to a customer who withdrew consent to be contacted, and the task says why', async () => {
    const c = own();
    ok(await call('zhangwei', 'customers', 'withdrawConsent', { customerId: c._id, purpose: 'contact' }));
    const t = ok(await call<TaskView>('zhangwei', 'tasks', 'schedule', { taskId: `consent-${++n}-x`, customerId: c._id, kind: 'next_follow_up', at: stack.clock.now() + 3_600_000 }));
    const r = ok(await call<SendResult>('zhangwei', 'sends', 'send', { sendId: sendId(), customerId: c._id, materialId: 'mat-pd-s1', channel: 'wecom_chat', taskId: t.id }));
    expect(r).toEqual({ sent: false, code: 'no_consent', reason: '客户已撤回联系授权，不能发送' });
    expect(task(t.id)).toMatchObject({ status: 'skipped', skipReason: '客户已撤回联系授权，不能发送' });
    const inbox = ok(await call<TaskInbox>('zhangwei', 'tasks', 'inbox', {}));
    expect(inbox.byDue.find((s) => s.key === 'skipped')?.items.find((x) => x.id === t.id)?.skipReason).toBe('客户已撤回联系授权，不能发送');
  });

  it('refuses another store’s material or customer, and a colleague’s customer, as unknown', async () => {
    const mine = own();
    const foreign = await call('zhangwei', 'sends', 'send', { sendId: sendId(), customerId: mine._id, materialId: 'mat-jd-s1', channel: 'copy' });
    expect(foreign.reply).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', issues: [{ field: 'materialId' }] } });
    const theirs = own('zhujun');
    expect((await call('zhangwei', 'sends', 'send', { sendId: sendId(), customerId: theirs._id, materialId: 'mat-pd-s1', channel: 'copy' })).status).toBe(404);
    const colleague = own('lina');
    expect((await call('zhangwei', 'sends', 'batch', { materialId: 'mat-pd-s1', channel: 'copy', items: [{ sendId: sendId(), customerId: mine._id }, { sendId: sendId(), customerId: colleague._id }] })).status).toBe(404);
    expect(db().count('sends', { customerId: mine._id })).toBe(0);
  });

  it('a send naming a customer merged away reaches the survivor; one merged into a colleague’s customer is refused', async () => {
    // Customers of colleagues made zhangwei's survivor and its tombstone: his own are scarce in this file.
    const [survivor, tombstone] = [own('chenxiaodong'), own('chenxiaodong')];
    stack.patchCustomer(survivor._id, { ownerId: 'zhangwei' });
    stack.patchCustomer(tombstone._id, { mergedInto: survivor._id });
    const r = ok(await call<SendResult>('zhangwei', 'sends', 'send', { sendId: sendId(), customerId: tombstone._id, materialId: 'mat-pd-s1', channel: 'copy' }));
    expect(r).toMatchObject({ sent: true });
    expect(db().findById<SendDoc>('sends', r.sent ? r.sendId : '')).toMatchObject({ customerId: survivor._id });
    const [theirs, gone] = [own('zhoulei'), own('liuting')];
    stack.patchCustomer(gone._id, { mergedInto: theirs._id });
    expect((await call('zhangwei', 'sends', 'send', { sendId: sendId(), customerId: gone._id, materialId: 'mat-pd-s1', channel: 'copy' })).status).toBe(404);
    expect(db().count('sends', { customerId: { $in: [theirs._id, gone._id] } })).toBe(0);
  });

  it('a batch becomes one WeCom mass-send task per customer, each with the customer’s own link', async () => {
    const withWecom = [own('zhangwei', { 'identities.externalUserId': { $exists: true } }), own('zhangwei', { 'identities.externalUserId': { $exists: true } })];
    const without = own('zhangwei', { 'identities.externalUserId': { $exists: false } });
    const before = stack.wecom.massTasks.length;
    const r = ok(await call<BatchSendResult>('zhangwei', 'sends', 'batch', { materialId: 'mat-pd-i1', channel: 'wecom_mass', items: [...withWecom, without].map((c) => ({ sendId: sendId(), customerId: c._id })) }));
    expect(r.sent.map((s) => s.customerId).sort()).toEqual(withWecom.map((c) => c._id).sort());
    expect(r.skipped).toEqual([{ customerId: without._id, reason: '客户未添加企业微信，无法群发' }]);
    expect(r).toMatchObject({ massTasks: 2, message: '已为 2 位客户创建企业微信群发，请在企业微信中确认发送；1 位未发送' });
    const created = stack.wecom.massTasks.slice(before);
    expect(created.map((t) => t.externalUserIds[0]).sort()).toEqual(withWecom.map((c) => c.identities.externalUserId).sort());
    for (const t of created) expect(t.sender).toBe(db().findById<{ wecomUserId: string }>('staff', 'zhangwei')!.wecomUserId);
    const links = created.map((t) => (t.attachments[0] as { link: { url: string } }).link.url);
    expect(new Set(links).size).toBe(2);
    for (const s of r.sent) expect(db().findById<SendDoc>('sends', s.sendId)).toMatchObject({ channel: 'wecom_mass', wecomMsgId: expect.stringMatching(/^msg/) });
  });
});

describe('batch sends outside WeCom and through WeCom’s share sheet', () => {
  /** Strategy tasks as issuing the SUV weekend strategy stores them, for customers nobody in this file used. */
  function strategyTasks(count: number): TaskDoc[] {
    return Array.from({ length: count }, (_, i) => {
      const c = own();
      const t: TaskDoc = {
        _id: `test/st-pd-suv-weekend/${c._id}`,
        storeId: c.storeId,
        ownerId: 'zhangwei',
        customerId: c._id,
        kind: 'strategy_send',
        title: '邀约参加SUV 试驾周末',
        dueAt: stack.clock.now() + (i + 1) * 3_600_000,
        status: 'open',
        strategyId: 'st-pd-suv-weekend',
        strategyName: 'SUV 试驾周末邀约',
        materialId: 'mat-pd-i1',
        activityId: 'act-suv-weekend',
        completesOn: ['send'],
        createdAt: stack.clock.now(),
      };
      db().insertOne('tasks', t);
      stack.patchCustomer(c._id, { openTaskOn: ['send'], taskMarkSeq: 1 });
      return t;
    });
  }

  it('copying one customer at a time records each send with its own link, and says per customer why one was refused', async () => {
    const [fine, capped, withdrawn] = strategyTasks(3);
    stack.patchCustomer(capped.customerId, { marketingTouches: [stack.clock.now() - 86_400_000, stack.clock.now() - 2 * 86_400_000] });
    ok(await call('zhangwei', 'customers', 'withdrawConsent', { customerId: withdrawn.customerId, purpose: 'contact' }));
    const replies: SendResult[] = [];
    // The page's sequence: 复制并记为已发送, then the next customer.
    for (const t of [fine, capped, withdrawn]) replies.push(ok(await call<SendResult>('zhangwei', 'sends', 'send', { sendId: sendId(), customerId: t.customerId, materialId: t.materialId!, channel: 'copy', taskId: t._id })));
    expect(replies[0]).toMatchObject({ sent: true, marketing: true, message: { path: expect.stringContaining('?t=') } });
    expect(replies[1]).toMatchObject({ sent: false, code: 'capped', reason: expect.stringContaining('7天内已收到2次营销触达') });
    expect(replies[2]).toEqual({ sent: false, code: 'no_consent', reason: '客户已撤回联系授权，不能发送' });
    expect(db().find<SendDoc>('sends', { customerId: { $in: [fine.customerId, capped.customerId, withdrawn.customerId] } }).map((x) => [x.customerId, x.channel, x.taskId])).toEqual([[fine.customerId, 'copy', fine._id]]);
    expect(task(fine._id)).toMatchObject({ status: 'done' });
    // Capped: still open, to send when the window allows; no consent: skipped for good. The inbox says why.
    expect(task(capped._id)).toMatchObject({ status: 'open', skipReason: expect.stringContaining('营销触达') });
    expect(task(withdrawn._id)).toMatchObject({ status: 'skipped', skipReason: '客户已撤回联系授权，不能发送' });
    const inbox = ok(await call<TaskInbox>('zhangwei', 'tasks', 'inbox', {}));
    const group = inbox.byStrategy.find((g) => g.strategyId === 'st-pd-suv-weekend')!;
    expect(group.items.find((x) => x.id === capped._id)?.skipReason).toContain('营销触达');
  });

  it('a share through WeCom names the customer’s WeCom contact; a customer without one is refused before anything is recorded', async () => {
    const c = own('zhangwei', { 'identities.externalUserId': { $exists: true } });
    const shared = ok(await call<SendResult>('zhangwei', 'sends', 'send', { sendId: sendId(), customerId: c._id, materialId: 'mat-pd-i1', channel: 'wecom_share' }));
    expect(shared).toMatchObject({ sent: true, externalUserId: c.identities.externalUserId });
    if (shared.sent) expect(db().findById<SendDoc>('sends', shared.sendId)).toMatchObject({ channel: 'wecom_share', marketing: true });
    const without = own('zhangwei', { 'identities.externalUserId': { $exists: false } });
    const refused = ok(await call<SendResult>('zhangwei', 'sends', 'send', { sendId: sendId(), customerId: without._id, materialId: 'mat-pd-i1', channel: 'wecom_share' }));
    expect(refused).toEqual({ sent: false, code: 'no_wecom', reason: '客户未添加企业微信，无法发送' });
    expect(db().count('sends', { customerId: without._id })).toBe(0);
    expect(customer(without._id).marketingTouches ?? []).toEqual([]);
  });
});

describe('the material library', () => {
  it('managers create, edit and archive their store’s materials; consultants pick from the brand’s and their store’s', async () => {
    const created = ok(await call<MaterialView>('wangjianguo', 'materials', 'save', { materialId: 'mat-pd-test-script', kind: 'script', title: '周末到店提醒', body: '周六上午十点试驾车已为您备好，到店报我名字即可。' }));
    expect(created).toMatchObject({ storeOwned: true, archived: false, body: '周六上午十点试驾车已为您备好，到店报我名字即可。' });
    const invitation = ok(await call<MaterialView>('wangjianguo', 'materials', 'save', { materialId: 'mat-pd-test-inv', kind: 'invitation', title: 'SUV 试驾周末（老客户专场）', summary: '老客户带朋友到店试驾，双方各得保养券。', activityId: 'act-suv-weekend' }));
    expect(invitation.activity).toMatchObject({ id: 'act-suv-weekend', capacity: 120, perks: expect.arrayContaining(['到店试驾送车载香氛']) });
    // Another store's event, the brand's material and another store's material are not theirs to use or change.
    expect((await call('wangjianguo', 'materials', 'save', { materialId: 'mat-pd-test-x', kind: 'invitation', title: 'x', activityId: 'act-nev-tasting' })).status).toBe(404);
    expect((await call('wangjianguo', 'materials', 'save', { materialId: 'mat-001', kind: 'article', title: '改品牌素材' })).status).toBe(404);
    expect((await call('xuhaiyan', 'materials', 'archive', { materialId: 'mat-pd-test-script', archived: true })).status).toBe(404);
    expect((await call('zhangwei', 'materials', 'save', { materialId: 'mat-pd-test-y', kind: 'script', title: 'x', body: 'y' })).status).toBe(403);

    const list = ok(await call<MaterialView[]>('zhangwei', 'materials', 'list', {}));
    const ids = list.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['mat-pd-test-script', 'mat-pd-i1', 'mat-001']));
    expect(ids.some((id) => id.startsWith('mat-jd-') || id.startsWith('mat-sz-'))).toBe(false);
    const scripts = ok(await call<MaterialView[]>('zhangwei', 'materials', 'list', { kind: 'script' }));
    expect(scripts.every((m) => m.kind === 'script')).toBe(true);

    ok(await call('wangjianguo', 'materials', 'archive', { materialId: 'mat-pd-test-script', archived: true }));
    expect(ok(await call<MaterialView[]>('zhangwei', 'materials', 'list', {})).some((m) => m.id === 'mat-pd-test-script')).toBe(false);
    expect(ok(await call<MaterialView[]>('wangjianguo', 'materials', 'list', { archived: true })).map((m) => m.id)).toEqual(['mat-pd-test-script']);
    // An archived material can no longer be sent.
    const c = own();
    expect((await call('zhangwei', 'sends', 'send', { sendId: sendId(), customerId: c._id, materialId: 'mat-pd-test-script', channel: 'copy' })).status).toBe(404);
  });

  it('a manager sees the brand’s materials read-only beside the store’s own; another store cannot touch them, and a missing field is named', async () => {
    const mine = ok(await call<MaterialView[]>('wangjianguo', 'materials', 'list', {}));
    expect(mine.find((m) => m.id === 'mat-001')).toMatchObject({ storeOwned: false });
    expect(mine.find((m) => m.id === 'mat-pd-s1')).toMatchObject({ storeOwned: true, kind: 'script' });
    expect(mine.some((m) => m.id.startsWith('mat-jd-'))).toBe(false);
    // Another store's manager cannot overwrite or archive store A's material (it reads as unknown), nor see it.
    const before = db().findById('materials', 'mat-pd-s1');
    expect((await call('xuhaiyan', 'materials', 'save', { materialId: 'mat-pd-s1', kind: 'script', title: '改别店话术', body: 'x' })).status).toBe(404);
    expect((await call('xuhaiyan', 'materials', 'archive', { materialId: 'mat-pd-s1', archived: true })).status).toBe(404);
    expect(db().findById('materials', 'mat-pd-s1')).toEqual(before);
    expect(ok(await call<MaterialView[]>('xuhaiyan', 'materials', 'list', {})).some((m) => m.id === 'mat-pd-s1')).toBe(false);
    // The brand's material cannot be archived by a store either.
    expect((await call('wangjianguo', 'materials', 'archive', { materialId: 'mat-001', archived: true })).status).toBe(404);
    // What the editor shows beside the field.
    const noText = await call('wangjianguo', 'materials', 'save', { materialId: 'mat-pd-test-empty', kind: 'script', title: '空话术' });
    expect(noText.reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ field: 'body' }] } });
    const noEvent = await call('wangjianguo', 'materials', 'save', { materialId: 'mat-pd-test-empty', kind: 'invitation', title: '邀约' });
    expect(noEvent.reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ field: 'activityId' }] } });
    const badCover = await call('wangjianguo', 'materials', 'save', { materialId: 'mat-pd-test-empty', kind: 'poster', title: '海报', coverUrl: '不是链接' });
    expect(badCover.reply).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', issues: [{ field: 'coverUrl' }] } });
    expect(db().findById('materials', 'mat-pd-test-empty')).toBeUndefined();
    // Archived and put back: a save keeps the archive state, archive:false restores it.
    ok(await call('wangjianguo', 'materials', 'save', { materialId: 'mat-pd-test-back', kind: 'poster', title: '春季保养海报', summary: '到店保养送洗车', coverUrl: 'https://example.com/p.png' }));
    ok(await call('wangjianguo', 'materials', 'archive', { materialId: 'mat-pd-test-back', archived: true }));
    expect(ok(await call<MaterialView>('wangjianguo', 'materials', 'save', { materialId: 'mat-pd-test-back', kind: 'poster', title: '春季保养海报（改）' }))).toMatchObject({ archived: true });
    expect(ok(await call<MaterialView>('wangjianguo', 'materials', 'archive', { materialId: 'mat-pd-test-back', archived: false }))).toMatchObject({ archived: false, title: '春季保养海报（改）' });
  });
});

describe('reminders of 下次跟进', () => {
  const messagesAbout = (name: string) => stack.wecom.appMessages.filter((m) => m.text.includes(`】${name} ·`));
  const linaWecom = () => db().findById<{ wecomUserId: string }>('staff', 'lina')!.wecomUserId;

  it('reach the consultant’s WeCom once at the reminder time, however many timer runs, and never for a task already done', async () => {
    const [remind, done] = [own('lina'), own('lina')];
    const at = stack.clock.now() + 30 * 60_000;
    const t = ok(await call<TaskView>('lina', 'tasks', 'schedule', { taskId: `remind-${++n}-abc`, customerId: remind._id, kind: 'next_follow_up', at, note: '问问家人意见' }));
    const d = ok(await call<TaskView>('lina', 'tasks', 'schedule', { taskId: `remind-${++n}-abc`, customerId: done._id, kind: 'next_follow_up', at, note: '' }));
    ok(await call('lina', 'tasks', 'complete', { taskId: d.id }));

    // Not yet due: nothing goes.
    await stack.emulator.fireTimer('tasks', 'remind');
    expect(messagesAbout(remind.name)).toEqual([]);

    stack.clock.advance(31 * 60_000);
    // Two runs at once, then another: one message, asked of WeCom once (not merely deduplicated by it).
    const asked = stack.wecom.calls.messageSend;
    await Promise.all([stack.emulator.fireTimer('tasks', 'remind'), stack.emulator.fireTimer('tasks', 'remind')]);
    await stack.emulator.fireTimer('tasks', 'remind');
    const sent = messagesAbout(remind.name);
    expect(sent).toHaveLength(1);
    expect(stack.wecom.calls.messageSend - asked).toBe(1);
    expect(sent[0]).toMatchObject({ toUser: linaWecom(), msgtype: 'text', agentId: 1000002 });
    expect(sent[0].text).toContain('【下次跟进提醒】');
    expect(sent[0].text).toContain('备注：问问家人意见');
    expect(task(t.id)).toMatchObject({ remindState: 'sent', remindedAt: expect.any(Number) });
    expect(messagesAbout(done.name)).toEqual([]);
    expect(task(d.id)!.remindedAt).toBeUndefined();

    // The inbox marks it 已提醒.
    const inbox = ok(await call<TaskInbox>('lina', 'tasks', 'inbox', {}));
    const item = inbox.byDue.flatMap((s) => s.items).find((x) => x.id === t.id);
    expect(item?.remindedAt).toBe(task(t.id)!.remindedAt);
  });

  it('a run that reads the same page as another, but claims after it, takes none of it', async () => {
    const c = own('lina');
    const now = stack.clock.now();
    const t = ok(await call<TaskView>('lina', 'tasks', 'schedule', { taskId: `remind-${++n}-abc`, customerId: c._id, kind: 'next_follow_up', at: now + 60_000, note: '' }));
    const at = now + 2 * 60_000;
    const claim = (who: string) => stack.emulator.withContext(async () => {
      await taskRepo.claimReminders([t.id], who, at, at + 120_000);
      return taskRepo.heldBy([t.id], who);
    });
    // Both runs saw it due; the first claims and reads it back, then the second tries.
    expect(await claim('run-a')).toEqual([t.id]);
    expect(await claim('run-b')).toEqual([]);
    expect(await claim('run-a')).toEqual([t.id]);
  });

  it('a run that died holding a reminder leaves it to the next run once its claim lapses; one hours late is dropped', async () => {
    const [held, late] = [own('lina'), own('lina')];
    const now = stack.clock.now();
    const h = ok(await call<TaskView>('lina', 'tasks', 'schedule', { taskId: `remind-${++n}-abc`, customerId: held._id, kind: 'next_follow_up', at: now + 60_000, note: '' }));
    const l = ok(await call<TaskView>('lina', 'tasks', 'schedule', { taskId: `remind-${++n}-abc`, customerId: late._id, kind: 'next_follow_up', at: now + 60_000, note: '' }));
    // A crashed run's claim on one; the other is made to look 7 hours late.
    db().update('tasks', { _id: h.id }, { $set: { remindClaim: 'crashed-run', remindClaimUntil: now + 3 * 60_000 } }, { multi: false });
    db().update('tasks', { _id: l.id }, { $set: { remindAt: now - 7 * 3_600_000 } }, { multi: false });
    stack.clock.advance(2 * 60_000);
    await stack.emulator.fireTimer('tasks', 'remind');
    expect(messagesAbout(held.name)).toEqual([]);
    expect(task(l.id)).toMatchObject({ remindState: 'dropped' });
    expect(messagesAbout(late.name)).toEqual([]);
    stack.clock.advance(2 * 60_000);
    await stack.emulator.fireTimer('tasks', 'remind');
    expect(messagesAbout(held.name)).toHaveLength(1);
    expect(task(h.id)).toMatchObject({ remindState: 'sent' });
  });
});

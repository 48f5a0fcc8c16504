/**
 * The MA loop's consultant side through the real SDK: the 任务 inbox (seeded and derived tasks,
 * one-tap completion, tasks completing themselves on a logged call or a send), sends (tracked
 * link, idempotent under retry, the frequency cap under concurrent senders, consent, refusals
 * across stores, WeCom mass-send tasks) and the material library's scoping.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchSendResult, FollowUpResult, MaterialView, SendResult, SendView, TaskInbox, TaskView } from '../../types/api';
import type { CustomerDoc, SendDoc, TaskDoc } from '../../types/model';
import { verifyLink } from '../../cloudfunctions/_core/links';
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

  it('follows the store’s own cap', async () => {
    db().update('stores', { _id: 'store-sh-jiading' }, { $set: { frequencyCap: { touches: 1, days: 3 } } }, { multi: false });
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
});

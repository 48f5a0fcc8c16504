/**
 * The MA loop end to end in real Chromium on the built H5 app and the local cloud: a manager
 * builds an "SUV 试驾周末" strategy on a saved audience and issues it (390 px and 1280 px); the
 * consultant sends the invitation from the WeCom chat sidebar with one tap; one customer (their
 * own browser context, 390 px) opens it, agrees to the notice, stays 40 s and registers, another
 * opens it and leaves; the manager's progress shows opened, dwell and registered; after T (48 h
 * on the stack's clock and the strategies timer) the call task for the customer who opened but
 * did not register is in the consultant's 任务 inbox.
 */
import type { Browser, Page } from 'playwright-core';
import type { CustomerDoc, SendDoc, StrategyMemberDoc, TaskDoc } from '../types/model';
import { signLink } from '../cloudfunctions/_core/links';
import { stackSecret } from '../test/support/sends';
import { startTestStack, type TestStack } from '../test/support/stack';
import { H5_DIR, launch, newPage, screenshot } from './support/browser';
import { pageInWecom } from './support/wecom-client';

const PHONE = { width: 390, height: 844 };
const WIDE = { width: 1280, height: 900 };
const H = 3_600_000;
let stack: TestStack;
let browser: Browser;
const db = () => stack.emulator.db;

let registers: CustomerDoc;
let leaves: CustomerDoc;

beforeAll(async () => {
  stack = await startTestStack({ customers: 800, staticDir: H5_DIR });
  browser = await launch();
  const mine = db()
    .find<CustomerDoc & { mergedInto?: string }>('customers', { ownerId: 'zhangwei', 'identities.externalUserId': { $exists: true }, 'identities.phone': { $exists: true }, mergedInto: { $exists: false } }, { sort: { _id: 1 } })
    .filter((c) => !c.marketingTouches?.length && !c.consent && !['cus-0000001', 'cus-0000002'].includes(c._id));
  [registers, leaves] = mine.slice(-2);
  // The saved audience the manager picks (saved as a snapshot; audiences are built on their own page).
  const at = stack.clock.now() - 3600_000;
  db().insertOne('audiences', { _id: 'aud-e2e-suv', storeId: 'store-sh-pudong', name: 'SUV 试驾人群', rule: { version: 1, root: { kind: 'stage', in: ['lead', 'prospect'] } }, mode: 'snapshot', status: 'active', version: 1, description: '线索或潜客', count: 2, countedAt: at, snapshotAt: at, createdBy: 'wangjianguo', createdAt: at, updatedBy: 'wangjianguo', updatedAt: at });
  for (const c of [registers, leaves]) db().insertOne('audienceMembers', { _id: `aud-e2e-suv:${c._id}`, audienceId: 'aud-e2e-suv', storeId: 'store-sh-pudong', customerId: c._id });
});

afterAll(async () => {
  await browser?.close();
  await stack?.destroy();
});

async function signIn(page: Page, name: string, ready = '.sk-lead__name'): Promise<void> {
  await page.goto(`${stack.url}/#/pages/sign-in/index`);
  await page.locator('.sk-signin__person', { hasText: name }).first().click();
  await page.locator(ready).first().waitFor();
}

async function until<T>(read: () => T, want: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 80 && !want(read()); i++) await new Promise((r) => setTimeout(r, 100));
  expect(want(read())).toBe(true);
  return read();
}

let strategyId = '';

test('a manager builds "SUV 试驾周末" and issues it; the store KPIs are on the home', async () => {
  const page = await newPage(browser, stack.clock, PHONE);
  await signIn(page, '王建国');
  await page.locator('.sk-kpi__label', { hasText: '今日新线索' }).waitFor();
  await page.locator('.sk-kpi__label', { hasText: '7天跟进率' }).waitFor();
  await screenshot(page, 'manager-home-kpis-390');
  await page.locator('.sk-store__tool', { hasText: '营销策略' }).click();
  await page.getByText('还没有营销策略').waitFor();
  await page.locator('.sk-action', { hasText: '新建策略' }).first().click();
  await page.locator('.sk-builder').waitFor();
  await page.locator('.sk-input input, input.sk-input').first().fill('SUV 试驾周末');
  await page.locator('.sk-chip', { hasText: 'SUV 试驾人群' }).click();
  await page.locator('.sk-chip', { hasText: 'SUV 试驾周末 · 浦东店' }).click();
  // Two people: no holdout, so both get the invitation.
  await page.locator('.sk-chip', { hasText: '不设对照组' }).click();
  await screenshot(page, 'strategy-builder-390');
  await page.setViewportSize(WIDE);
  await screenshot(page, 'strategy-builder-1280');
  await page.setViewportSize(PHONE);
  await page.locator('.sk-action', { hasText: '保存并下发给顾问' }).click();
  await page.locator('.sk-progress__name', { hasText: 'SUV 试驾周末' }).waitFor();
  await page.locator('.sk-live__name', { hasText: '张伟' }).waitFor();
  const strategies = db().find<{ _id: string; name: string; status: string }>('strategies', { name: 'SUV 试驾周末' });
  expect(strategies).toMatchObject([{ status: 'issued' }]);
  strategyId = strategies[0]._id;
  const members = db().find<StrategyMemberDoc>('strategyMembers', { strategyId });
  expect(members.map((m) => m.holdout)).toEqual([false, false]);
  for (const m of members) expect(db().find<TaskDoc>('tasks', { strategyId, customerId: m.customerId, kind: 'strategy_send' })).toHaveLength(1);
  await screenshot(page, 'strategy-progress-390');
  await page.context().close();
});

/** The consultant's one tap in the chat with the customer: the invitation goes with the customer's own link. */
async function sendFromSidebar(c: CustomerDoc): Promise<SendDoc> {
  const page = await pageInWecom(browser, stack.clock, { entry: 'single_chat_tools', externalUserId: c.identities.externalUserId! });
  await signIn(page, '张伟');
  await page.goto(`${stack.url}/#/pages/sidebar/index`);
  await page.locator('.sk-prof-head__name', { hasText: c.name }).waitFor();
  await page.locator('.sk-contact__btn', { hasText: '发送' }).click();
  await page.locator('[data-material="mat-pd-i1"] .sk-mat__send').click();
  await page.getByText('已发送《SUV 试驾周末 · 浦东店》').waitFor();
  await page.context().close();
  return until(() => db().find<SendDoc>('sends', { customerId: c._id, materialId: 'mat-pd-i1' })[0], (s) => !!s?.strategyId);
}

test('the consultant sends with one tap; a customer opens, stays 40 s and registers, another opens and leaves; after T a call task appears', async () => {
  stack.clock.freeze();
  const sentAt = stack.clock.now();
  const first = await sendFromSidebar(registers);
  const second = await sendFromSidebar(leaves);
  expect(first).toMatchObject({ strategyId, channel: 'wecom_chat' });
  expect(second.strategyId).toBe(strategyId);

  // The first customer, on their own phone.
  const customer = await newPage(browser, stack.clock, PHONE);
  await customer.goto(`${stack.url}/#/invite/pages/activity/index?t=${encodeURIComponent(signLink(first._id, stackSecret(stack)))}`);
  await customer.getByText('同意并继续').click();
  await customer.getByText('撤回浏览记录授权').waitFor();
  for (const ms of [15_000, 15_000, 10_000]) {
    stack.clock.set(stack.clock.now() + ms);
    await customer.clock.runFor(ms);
    await customer.waitForLoadState('networkidle');
  }
  await customer.getByText('立即报名').click();
  await customer.getByText('提交报名').click();
  await customer.locator('.sk-invite__done', { hasText: '已报名' }).waitFor();
  await customer.context().close();

  // The second one opens and leaves.
  const other = await newPage(browser, stack.clock, PHONE);
  await other.goto(`${stack.url}/#/invite/pages/activity/index?t=${encodeURIComponent(signLink(second._id, stackSecret(stack)))}`);
  await other.getByText('同意并继续').click();
  await other.getByText('撤回浏览记录授权').waitFor();
  await other.context().close();

  const member = (c: CustomerDoc) => db().findById<StrategyMemberDoc>('strategyMembers', `${strategyId}/${c._id}`)!;
  await until(() => member(registers).registeredAt, (v) => v !== undefined);
  expect(member(registers).dwellSeconds).toBeGreaterThanOrEqual(30);
  await until(() => member(leaves).openedAt, (v) => v !== undefined);

  // The manager sees opened, dwell and registered.
  const manager = await newPage(browser, stack.clock, WIDE);
  await signIn(manager, '王建国');
  await manager.goto(`${stack.url}/#/manager/pages/strategy/index?id=${strategyId}`);
  await manager.locator('.sk-card__foot', { hasText: '打开者平均停留' }).waitFor();
  const row = manager.locator('.sk-live__row', { hasText: '张伟' });
  await row.waitFor();
  expect(await row.locator('.sk-live__cell').allInnerTexts()).toEqual(['2', '2', '2', '1', '0']);
  await screenshot(manager, 'strategy-progress-1280');
  await manager.context().close();

  // After T: the strategies timer gives the consultant a call for who opened but did not register.
  stack.clock.set(sentAt + 48 * H);
  await stack.emulator.fireTimer('strategies', 'react');
  const calls = db().find<TaskDoc>('tasks', { strategyId, kind: 'reaction_call' });
  expect(calls.map((t) => t.customerId)).toEqual([leaves._id]);
  stack.clock.resume();
  const inbox = await newPage(browser, stack.clock, PHONE);
  await signIn(inbox, '张伟');
  await inbox.goto(`${stack.url}/#/pages/tasks/index`);
  const task = inbox.locator(`[data-task="${calls[0]._id}"]`);
  await task.waitFor();
  expect(await task.innerText()).toContain('电话回访：已打开邀请，48小时内未报名');
  expect(await task.innerText()).toContain(leaves.name);
  await screenshot(inbox, 'tasks-reaction-call-390');
  await inbox.context().close();
});

/**
 * The consultant's day in real Chromium: 任务 shows the demo's real tasks, one is completed with
 * one tap (and stays done), and in the WeCom sidebar opened from a one-to-one chat the
 * consultant sends the store's event invitation to the chat's customer with one tap: WeCom's
 * sendChatMessage carries the customer's own tracked link and the send is recorded.
 */
import type { Browser } from 'playwright-core';
import type { CustomerDoc, SendDoc, StaffDoc, TaskDoc } from '../types/model';
import { verifyLink } from '../cloudfunctions/_core/links';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestStack, type TestStack } from '../test/support/stack';
import { H5_DIR, launch, newPage, screenshot } from './support/browser';
import { bridgeCalls, pageInWecom } from './support/wecom-client';

let stack: TestStack;
let browser: Browser;
const db = () => stack.emulator.db;

beforeAll(async () => {
  stack = await startTestStack({ customers: 800, staticDir: H5_DIR });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await stack?.destroy();
});

async function signIn(page: import('playwright-core').Page, name: string): Promise<void> {
  await page.goto(`${stack.url}/#/pages/sign-in/index`);
  await page.locator('.sk-signin__person', { hasText: name }).first().click();
  await page.locator('.sk-lead__name').first().waitFor();
}

it('任务 lists the real demo tasks, and one tap completes one', async () => {
  const page = await newPage(browser, stack.clock);
  await signIn(page, '张伟');
  await page.goto(`${stack.url}/#/pages/tasks/index`);
  await page.locator('.sk-task').first().waitFor();
  const open = db().find<TaskDoc>('tasks', { ownerId: 'zhangwei', status: 'open', kind: 'next_follow_up' }, { sort: { dueAt: 1 } });
  const target = open.find((t) => t.dueAt > stack.clock.now())!;
  const name = db().findById<CustomerDoc>('customers', target.customerId)!.name;
  await page.locator('.sk-inbox__title', { hasText: '今天' }).first().waitFor();
  const row = page.locator(`[data-task="${target._id}"]`);
  await row.waitFor();
  expect(await row.innerText()).toContain(name);
  await screenshot(page, 'tasks-inbox');
  const heights = await page.locator('.sk-task__done').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
  for (const h of heights) expect(h).toBeGreaterThanOrEqual(44);

  await row.locator('.sk-task__done').click();
  await row.waitFor({ state: 'detached' });
  for (let i = 0; i < 50 && db().findById<TaskDoc>('tasks', target._id)?.status !== 'done'; i++) await page.waitForTimeout(100);
  expect(db().findById<TaskDoc>('tasks', target._id)?.status).toBe('done');
  // Still done after a reload.
  await page.reload();
  await page.locator('.sk-task').first().waitFor();
  expect(await page.locator(`[data-task="${target._id}"]`).count()).toBe(0);

  await page.locator('.sk-inbox__mode', { hasText: '按策略' }).click();
  await page.getByText('SUV 试驾周末邀约').first().waitFor();
  await screenshot(page, 'tasks-by-strategy');
  await page.context().close();
});

it('in the chat sidebar, one tap sends the invitation into the chat with the customer’s own link, and the send is recorded', async () => {
  const zhangwei = db().findById<StaffDoc>('staff', 'zhangwei')!;
  const customer = db()
    .find<CustomerDoc & { mergedInto?: string }>('customers', { ownerId: zhangwei._id, 'identities.externalUserId': { $exists: true }, mergedInto: { $exists: false } }, { sort: { _id: 1 } })
    .find((c) => !c.marketingTouches?.length)!;
  const page = await pageInWecom(browser, stack.clock, { entry: 'single_chat_tools', externalUserId: customer.identities.externalUserId! });
  await signIn(page, zhangwei.name);
  await page.goto(`${stack.url}/#/pages/sidebar/index`);
  await page.locator('.sk-prof-head__name', { hasText: customer.name }).waitFor();
  await page.locator('.sk-contact__btn', { hasText: '发送' }).click();
  await page.getByText('发送到当前聊天').waitFor();
  const invitation = page.locator('[data-material="mat-pd-i1"]');
  await invitation.waitFor();
  await screenshot(page, 'sidebar-send-picker');
  await invitation.locator('.sk-mat__send').click();

  await page.getByText('已发送《SUV 试驾周末 · 浦东店》').waitFor();
  const sent = (await bridgeCalls(page)).filter((c) => c.name === 'sendChatMessage');
  expect(sent).toHaveLength(1);
  const news = sent[0].params.news as { link: string; title: string };
  expect(sent[0].params.msgtype).toBe('news');
  expect(news.title).toBe('SUV 试驾周末 · 浦东店');
  const token = new URL(news.link.replace('#/', '')).searchParams.get('t')!;
  const sendId = verifyLink(token, readFileSync(join(stack.dataDir, 'session-secret'), 'utf8').trim())!;
  expect(db().findById<SendDoc>('sends', sendId)).toMatchObject({ customerId: customer._id, consultantId: 'zhangwei', channel: 'wecom_chat', materialId: 'mat-pd-i1', activityId: 'act-suv-weekend', marketing: true });
  // The profile lists the send.
  await page.locator('.sk-sends__title', { hasText: 'SUV 试驾周末 · 浦东店' }).waitFor();
  await screenshot(page, 'sidebar-sent');
  await page.context().close();
});

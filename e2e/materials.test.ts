/**
 * The material library end to end in real Chromium: the manager opens 素材库 from the home's
 * tools, sees the brand's materials read-only, tries to save an empty 话术 (the field's error
 * shows beside it, in Chinese), writes one, and a consultant then finds it in the 发送 picker
 * under 话术. Then, outside WeCom, the consultant works a strategy's batch one customer at a
 * time (复制并记为已发送): each send is recorded with the customer's own link, and a customer
 * over the frequency cap is listed with the reason.
 */
import type { Browser, Page } from 'playwright-core';
import type { CustomerDoc, MaterialDoc, SendDoc, TaskDoc } from '../types/model';
import { startTestStack, type TestStack } from '../test/support/stack';
import { H5_DIR, launch, newPage, screenshot } from './support/browser';

let stack: TestStack;
let browser: Browser;
const db = () => stack.emulator.db;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

beforeAll(async () => {
  stack = await startTestStack({ customers: 800, staticDir: H5_DIR });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await stack?.destroy();
});

async function signedIn(name: string, viewport = PHONE): Promise<Page> {
  const page = await newPage(browser, stack.clock, viewport);
  await page.goto(`${stack.url}/#/pages/sign-in/index`);
  await page.locator('.sk-signin__person', { hasText: name }).first().click();
  await page.locator('.sk-lead__name').first().waitFor();
  return page;
}

it('a manager writes a 话术 in 素材库 and a consultant finds it in the 发送 picker', async () => {
  const wide = await signedIn('王建国', DESKTOP);
  await wide.locator('.sk-store__tool', { hasText: '素材库' }).click();
  await wide.locator('[data-cap]').waitFor();
  await wide.locator('.sk-mlib__row').first().waitFor();
  // The brand's materials are there, read-only: no edit or archive on them.
  const brandRow = wide.locator('.sk-mlib__row--brand').first();
  expect(await brandRow.innerText()).toContain('品牌素材 · 只读');
  expect(await brandRow.locator('.sk-mlib__btn').count()).toBe(0);
  await screenshot(wide, 'manager-materials-1280');
  await wide.context().close();

  const page = await signedIn('王建国');
  await page.goto(`${stack.url}/#/manager/pages/materials/index`);
  await page.locator('.sk-mlib__row').first().waitFor();
  await screenshot(page, 'manager-materials-390');
  await page.locator('.sk-mlib__tab', { hasText: '话术' }).click();
  await page.locator('.sk-mlib__new', { hasText: '新建话术' }).click();
  await page.locator('.sk-mlib__editor').waitFor();
  // Saved empty: the server names the field and the editor says so beside it.
  await page.locator('.sk-mlib__editor .sk-mlib__btn--primary').click();
  await page.locator('.sk-mlib__field--title .sk-mlib__field-error', { hasText: '请填写' }).waitFor();
  await screenshot(page, 'manager-material-editor-error-390');
  await page.locator('.sk-mlib__field--title input').fill('周六试驾提醒（店长版）');
  await page.locator('.sk-mlib__field--body textarea').fill('周六上午十点试驾车已为您备好，到店报我的名字就行，停车位也留好了。');
  await page.locator('.sk-mlib__editor .sk-mlib__btn--primary').click();
  await page.locator('.sk-mlib__editor').waitFor({ state: 'detached' });
  await page.locator('.sk-mlib__row', { hasText: '周六试驾提醒（店长版）' }).waitFor();
  const saved = db().find<MaterialDoc>('materials', { title: '周六试驾提醒（店长版）' });
  expect(saved).toHaveLength(1);
  expect(saved[0]).toMatchObject({ kind: 'script', storeId: 'store-sh-pudong', updatedBy: 'wangjianguo', body: expect.stringContaining('停车位') });
  await page.context().close();

  const consultant = await signedIn('张伟');
  const mine = db().find<CustomerDoc & { mergedInto?: string }>('customers', { ownerId: 'zhangwei', mergedInto: { $exists: false } }, { sort: { _id: 1 } })[0];
  await consultant.goto(`${stack.url}/#/pages/customer/index?id=${mine._id}`);
  await consultant.locator('.sk-contact__btn', { hasText: '发送' }).click();
  await consultant.locator('.sk-picker__tab', { hasText: '话术' }).click();
  await consultant.locator(`[data-material="${saved[0]._id}"]`).waitFor();
  expect(await consultant.locator(`[data-material="${saved[0]._id}"]`).innerText()).toContain('停车位也留好了');
  await screenshot(consultant, 'send-picker-manager-script-390');
  await consultant.context().close();
});

it('outside WeCom a strategy’s batch goes one customer at a time, copied and recorded, with the capped customer’s reason', async () => {
  const open = db().find<TaskDoc>('tasks', { ownerId: 'zhangwei', kind: 'strategy_send', status: 'open', strategyId: 'st-pd-suv-weekend' }, { sort: { dueAt: 1, _id: 1 } });
  expect(open.length).toBeGreaterThanOrEqual(2);
  const page = await signedIn('张伟');
  await page.goto(`${stack.url}/#/pages/tasks/index`);
  await page.locator('.sk-task').first().waitFor();
  await page.goto(`${stack.url}/#/work/pages/batch/index?strategy=st-pd-suv-weekend`);
  await page.locator('.sk-action', { hasText: '逐位复制发送' }).click();
  await page.locator('.sk-batch__current').waitFor();
  // Whoever comes second has reached the cap since the list was read.
  const first = await page.locator('.sk-batch__current').getAttribute('data-customer');
  await screenshot(page, 'batch-copy-sequence-390');
  await page.locator('.sk-action', { hasText: '复制并记为已发送' }).click();
  await page.locator('.sk-batch__outcome--sent').first().waitFor();
  const second = await page.locator('.sk-batch__current').getAttribute('data-customer');
  expect(second).not.toBe(first);
  stack.patchCustomer(second!, { marketingTouches: [stack.clock.now() - 3_600_000, stack.clock.now() - 7_200_000] });
  await page.locator('.sk-action', { hasText: '复制并记为已发送' }).click();
  await page.locator('.sk-batch__outcome--refused', { hasText: '营销触达' }).waitFor();
  await screenshot(page, 'batch-copy-outcomes-390');
  const sends = db().find<SendDoc>('sends', { customerId: { $in: [first!, second!] } });
  expect(sends.map((s) => [s.customerId, s.channel, s.strategyId])).toEqual([[first, 'copy', 'st-pd-suv-weekend']]);
  expect(db().find<TaskDoc>('tasks', { customerId: second!, strategyId: 'st-pd-suv-weekend' })[0]).toMatchObject({ status: 'open', skipReason: expect.stringContaining('营销触达') });
  await page.context().close();
});

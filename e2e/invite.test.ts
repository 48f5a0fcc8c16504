/**
 * A customer on a phone (390 px, real Chromium, the built H5 app, the local cloud) opens a
 * tracked invitation a consultant sent: agrees to the privacy notice, stays 40 s (the page's
 * clock and the cloud's are advanced together, no waiting), registers with the short form, sees
 * 我的报名 and cancels. The send, the ledger and the activity's counter show each step.
 * Screenshots go to .artifacts/screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import type { ActivityDoc, ConsentDoc, CustomerDoc, RegistrationDoc, SendDoc } from '../types/model';
import { makeSend } from '../test/support/sends';
import { startTestStack, type TestStack } from '../test/support/stack';
import { H5_DIR, launch, newPage, screenshot } from './support/browser';

const PHONE = { width: 390, height: 844 };
let stack: TestStack;
let browser: Browser;
let page: Page;
let customer: CustomerDoc;
let send: SendDoc;
let link: string;

const db = () => stack.emulator.db;
const storedSend = () => db().findById<SendDoc>('sends', send._id)!;
const registered = () => db().findById<ActivityDoc>('activities', 'act-suv-weekend')!.registered ?? 0;

beforeAll(async () => {
  stack = await startTestStack({ customers: 1200, staticDir: H5_DIR });
  browser = await launch();
  customer = db()
    .find<CustomerDoc>('customers', { ownerId: 'zhangwei', 'identities.phone': { $exists: true } }, { sort: { _id: 1 } })
    .find((c) => !['cus-0000001', 'cus-0000002'].includes(c._id))!;
  ({ send, link } = makeSend(stack, { customerId: customer._id, storeId: customer.storeId, consultantId: 'zhangwei' }));
  page = await newPage(browser, stack.clock, PHONE);
});

afterAll(async () => {
  await browser?.close();
  await stack?.destroy();
});

/** Waits until `read` gives `want` (the page's calls land a moment after its clicks). */
async function until<T>(read: () => T, want: T): Promise<void> {
  for (let i = 0; i < 50 && read() !== want; i++) await new Promise((r) => setTimeout(r, 100));
  expect(read()).toBe(want);
}

/** Time passes for the page (its timers fire) and for the cloud alike. */
async function stay(ms: number) {
  stack.clock.advance(ms);
  await page.clock.runFor(ms);
  await page.waitForLoadState('networkidle');
}

test('a customer opens a tracked invitation, consents, stays, registers, and cancels in 我的报名', async () => {
  await page.goto(`${stack.url}/#/invite/pages/activity/index?t=${encodeURIComponent(link)}`);
  await page.getByText('SUV 试驾周末').first().waitFor();
  await page.getByText('顾问 张伟 邀请您').waitFor();
  await page.locator('.sk-invite__places', { hasText: '剩余' }).waitFor();
  // Nothing is tracked before the notice is agreed to.
  await page.getByText('隐私保护提示').waitFor();
  await screenshot(page, 'invite-privacy-390');
  expect(storedSend().opens).toBeUndefined();

  await page.getByText('同意并继续').click();
  await page.getByText('撤回浏览记录授权').waitFor();
  const consent = db().find<ConsentDoc>('consents', { customerId: customer._id, purpose: 'tracking' });
  expect(consent).toMatchObject([{ granted: true, channel: 'miniprogram', noticeVersion: 'invite-2025-03' }]);
  await until(() => storedSend().opens, 1);

  await stay(15_000);
  await stay(15_000);
  await stay(10_000);
  await until(() => storedSend().dwellSeconds, 30);
  await screenshot(page, 'invite-tracked-390');

  // Two taps: 立即报名, then 提交报名 (the name is prefilled, the store knows the phone).
  await page.getByText('立即报名').click();
  await screenshot(page, 'invite-register-form-390');
  await page.getByText('提交报名').click();
  await page.locator('.sk-invite__done', { hasText: '已报名' }).waitFor();
  await screenshot(page, 'invite-registered-390');
  expect(db().findById<RegistrationDoc>('registrations', `act-suv-weekend/${customer._id}`)).toMatchObject({ status: 'registered', sendId: send._id, contact: { name: customer.name, phone: customer.identities.phone } });
  expect(storedSend().registeredAt).toBeDefined();
  const taken = registered();
  expect(taken).toBeGreaterThan(0);

  await page.getByText('我的报名').click();
  await page.locator('.sk-mine__item', { hasText: 'SUV 试驾周末' }).waitFor();
  await page.locator('.sk-mine__status', { hasText: '已报名' }).waitFor();
  await screenshot(page, 'invite-mine-390');
  await page.getByText('取消报名').first().click();
  await page.getByText('取消后名额会让给其他客户').waitFor();
  await page.locator('.sk-sheet .sk-action', { hasText: '取消报名' }).click();
  await page.locator('.sk-mine__status', { hasText: '已取消' }).waitFor();
  await screenshot(page, 'invite-mine-cancelled-390');
  expect(registered()).toBe(taken - 1);
  await page.close();
});

test('a changed link says so, and records nothing', async () => {
  const [id, mac] = link.split('.');
  const before = db().writeCounts();
  const other = await newPage(browser, stack.clock, PHONE);
  await other.goto(`${stack.url}/#/invite/pages/activity/index?t=${encodeURIComponent(`${id}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`)}`);
  await other.getByText('链接无效或已过期').waitFor();
  await screenshot(other, 'invite-link-invalid-390');
  const after = db().writeCounts();
  delete before.rateLimits;
  delete after.rateLimits;
  expect(after).toEqual(before);
});

/**
 * The OEM link as people see it, in real Chromium against the local cloud and the OEM
 * simulator: a lead the OEM creates appears in the list of the consultant it was given to,
 * marked with its campaign and the OEM's first-contact deadline; a follow-up the consultant
 * records there reaches the simulator; the profile says how the customer stands with the OEM;
 * the manager's sync page shows a failed upload and sends it again. Screenshots go to
 * .artifacts/screenshots (oem-lead-in-list, oem-profile-sync, manager-sync).
 */
import type { Browser, Page } from 'playwright-core';
import type { CustomerDoc } from '../types/model';
import type { SyncReport } from '../cloudfunctions/_lib/oem/sync';
import { startTestStack, type TestStack } from '../test/support/stack';
import { H5_DIR, launch, newPage, screenshot } from './support/browser';

const DESKTOP = { width: 1280, height: 800 };
const NAME = '欧阳一诺';

let stack: TestStack;
let browser: Browser;
let customer: CustomerDoc;

beforeAll(async () => {
  stack = await startTestStack({ customers: 1500, staticDir: H5_DIR });
  browser = await launch();
  stack.oem!.createLead({ storeId: 'store-sh-pudong', name: NAME, modelId: 'lanyue' });
  await stack.oem!.pushesSettled();
  [customer] = stack.emulator.db.find('customers', { name: NAME }, {}) as CustomerDoc[];
});

afterAll(async () => {
  await browser?.close();
  await stack?.destroy();
});

async function signIn(page: Page, name: string): Promise<void> {
  await page.goto(`${stack.url}/#/pages/sign-in/index`);
  await page.locator('.sk-signin__person', { hasText: name }).first().click();
  await page.locator('.sk-lead__name').first().waitFor();
}

it('puts the OEM lead in its consultant list with the campaign, and the consultant follow-up reaches the OEM', async () => {
  expect(customer?.ownerId).toBeDefined();
  const owner = stack.emulator.db.find('staff', { _id: customer.ownerId }, {})[0] as { name: string };
  const page = await newPage(browser, stack.clock);
  await signIn(page, owner.name);
  await page.locator('.sk-filters input').fill(NAME);
  const card = page.locator('.sk-lead', { hasText: NAME }).first();
  await card.waitFor();
  expect(await card.innerText()).toContain('主机厂');
  expect(await card.innerText()).toMatch(/首联剩余/);
  await screenshot(page, 'oem-lead-in-list');

  await card.click();
  await page.locator('.sk-prof-head__name', { hasText: NAME }).waitFor();
  await page.locator('.sk-fs-bar .sk-action', { hasText: '记录跟进' }).click();
  await page.locator('.sk-fs__kind', { hasText: '试驾' }).click();
  await page.locator('.sk-fs__field--modelId .sk-fs__chip').first().click();
  await page.locator('.sk-fs__actions .sk-action', { hasText: '保存' }).click();
  await page.locator('.sk-fu__title').first().waitFor({ timeout: 5000 });
  await page.locator('.sk-sync__line', { hasText: '1条记录待上传' }).waitFor({ timeout: 8000 });

  const run = (await stack.emulator.fireTimer('oemSync')) as SyncReport;
  expect(run.upload?.sent).toBe(1);
  const received = [...stack.oem!.received().values()].find((r) => r.item.userId === customer.identities.oemId);
  expect(received?.item).toMatchObject({ event: 'test_drive', context: { storeId: 'store-sh-pudong', staffId: customer.ownerId } });
  await page.reload();
  await page.locator('.sk-sync__line', { hasText: '已与主机厂同步' }).waitFor({ timeout: 8000 });
  await page.locator('.sk-sync').scrollIntoViewIfNeeded();
  await screenshot(page, 'oem-profile-sync');
});

it('shows the manager a failed upload in words and sends it again', async () => {
  // A store visit the OEM will refuse, so it becomes a dead letter.
  const at = stack.clock.now();
  stack.oem!.rejectMessages(['evt:e2e-oem-refused']);
  const token = await stack.signIn('wangjianguo');
  await stack.http(
    'track',
    { action: 'ingest', params: { events: [{ messageId: 'e2e-oem-refused', event: 'store_visit', customerId: customer._id, properties: { durationMinutes: 40 }, originalTimestamp: at, sentAt: at, source: 'store', storeId: 'store-sh-pudong' }] } },
    token,
  );
  await stack.emulator.fireTimer('oemSync');
  const page = await newPage(browser, stack.clock, DESKTOP);
  await signIn(page, '王建国');
  await page.locator('.sk-store__tool', { hasText: '主机厂同步' }).click();
  await page.locator('.sk-dead', { hasText: NAME }).waitFor();
  await screenshot(page, 'manager-sync');
  const text = await page.locator('.sk-mgr').innerText();
  expect(text).toContain('主机厂拒收该记录');
  expect(text).toContain('门店记录');
  await page.locator('.sk-btn', { hasText: '全部重新发送' }).click();
  await page.locator('.sk-mgr__notice', { hasText: '已重新排队 1 条记录' }).waitFor();
});

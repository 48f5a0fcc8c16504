/**
 * The H5 app in real Chromium against the local cloud with the demo dealership: what a
 * consultant, a manager of another store, and a customer see. Screenshots go to
 * .artifacts/screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import type { LeadSummary, Page as ListPage, TimelineItem } from '../types/api';
import type { CustomerDoc } from '../types/model';
import { ok, startTestStack, type TestStack } from '../test/support/stack';
import { H5_DIR, launch, newPage, screenshot } from './support/browser';

let stack: TestStack;
let browser: Browser;

const CONSULTANT = { id: 'zhangwei', name: '张伟' };
const OTHER_STORE_MANAGER = { id: 'xuhaiyan', name: '徐海燕' };

beforeAll(async () => {
  stack = await startTestStack({ customers: 1500, staticDir: H5_DIR });
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.destroy();
});

async function signIn(page: Page, name: string): Promise<void> {
  await page.goto(`${stack.url}/#/pages/sign-in/index`);
  await page.locator('.sk-signin__person', { hasText: name }).first().click();
}

const texts = (page: Page, selector: string) => page.locator(selector).allInnerTexts();

describe('consultant', () => {
  it('signs in, sees their leads in the order the server ranks them, and opens a profile with the timeline', async () => {
    const page = await newPage(browser, stack.clock);
    await signIn(page, CONSULTANT.name);
    await page.locator('.sk-lead__name').first().waitFor();
    await screenshot(page, 'consultant-leads');

    const token = await stack.signIn(CONSULTANT.id);
    const api = ok(await stack.http<ListPage<LeadSummary>>('leads', { action: 'list', params: { limit: 5 } }, token));
    const shown = await texts(page, '.sk-lead__name');
    expect(shown.slice(0, 5)).toEqual(api.items.map((l) => l.name));
    expect(await page.locator('.sk-lead__phone').first().innerText()).toMatch(/^1\d{2}\*{4}\d{4}$/);

    await page.locator('.sk-lead').first().click();
    await page.locator('.sk-prof-head__name').waitFor();
    expect(await page.locator('.sk-prof-head__name').innerText()).toBe(api.items[0].name);
    expect(await page.locator('.sk-prof-head__number').innerText()).toMatch(/^1\d{2}\*{4}\d{4}$/);
    await page.locator('.sk-tl__title').first().waitFor();
    const timeline = ok(
      await stack.http<ListPage<TimelineItem>>('customers', { action: 'timeline', params: { customerId: api.items[0].id, limit: 3 } }, token),
    );
    expect((await texts(page, '.sk-tl__title')).slice(0, 3)).toEqual(timeline.items.map((i) => i.title));
    await screenshot(page, 'consultant-profile');

    await page.locator('.sk-prof-head__reveal').click();
    await expect(page.locator('.sk-prof-head__number').innerText()).resolves.toMatch(/^1\d{10}$/);
    await page.context().close();
  });

  it('opens the WeCom sidebar page outside WeCom, says so, and lets them pick the chat customer', async () => {
    const page = await newPage(browser, stack.clock);
    await signIn(page, CONSULTANT.name);
    await page.locator('.sk-lead__name').first().waitFor();
    await page.goto(`${stack.url}/#/pages/sidebar/index`);
    await page.getByText('当前不在企业微信聊天中').first().waitFor();
    await screenshot(page, 'sidebar-outside-wecom');
    const first = page.locator('.sk-lead').first();
    const name = await first.locator('.sk-lead__name').innerText();
    await first.click();
    await page.locator('.sk-prof-head__name', { hasText: name }).waitFor();
    await screenshot(page, 'sidebar-picked-customer');
    await page.context().close();
  });

  it('退出所有设备 on a phone ends the session in the other browser too, and a new sign-in works', async () => {
    const phone = await newPage(browser, stack.clock);
    const laptop = await newPage(browser, stack.clock);
    for (const page of [phone, laptop]) {
      await signIn(page, '李娜');
      await page.locator('.sk-lead__name').first().waitFor();
    }
    await phone.goto(`${stack.url}/#/pages/me/index`);
    await phone.locator('.sk-action', { hasText: '退出所有设备' }).click();
    // Cancelling changes nothing; confirming signs this device out at once.
    await phone.locator('.sk-action', { hasText: '取消' }).click();
    await phone.locator('.sk-dialog').waitFor({ state: 'detached' });
    await phone.locator('.sk-action', { hasText: '退出所有设备' }).click();
    await screenshot(phone, 'me-sign-out-everywhere');
    await phone.locator('.sk-action', { hasText: '全部退出' }).click();
    await phone.locator('.sk-signin__person').first().waitFor();

    // The other browser still holds its token, which the server no longer accepts.
    await laptop.reload();
    await laptop.locator('.sk-signin__person').first().waitFor();
    await signIn(laptop, '李娜');
    await laptop.locator('.sk-lead__name').first().waitFor();
    await phone.context().close();
    await laptop.context().close();
  });
});

describe('store manager of another store', () => {
  it("sees their own store's leads and none of the first consultant's customers", async () => {
    const page = await newPage(browser, stack.clock);
    await signIn(page, OTHER_STORE_MANAGER.name);
    await page.locator('.sk-lead__name').first().waitFor();
    await screenshot(page, 'manager-other-store');

    const all = (await Promise.resolve(stack.emulator.db.find('customers', {}, { limit: 100000 }))) as CustomerDoc[];
    const nameCount = new Map<string, number>();
    for (const c of all) nameCount.set(c.name, (nameCount.get(c.name) ?? 0) + 1);
    // Names shared by several customers could belong to this store too; compare the unique ones.
    const consultantsOnly = all.filter((c) => c.ownerId === CONSULTANT.id && nameCount.get(c.name) === 1).map((c) => c.name);
    expect(consultantsOnly.length).toBeGreaterThan(10);

    const shown = await texts(page, '.sk-lead__name');
    expect(shown.length).toBeGreaterThan(5);
    const managerStore = all.filter((c) => c.storeId === 'store-sh-jiading').map((c) => c.name);
    expect(shown.every((n) => managerStore.includes(n))).toBe(true);
    expect(shown.filter((n) => consultantsOnly.includes(n))).toEqual([]);
    await page.context().close();
  });
});

describe('customer', () => {
  it('opens the invitation to an upcoming store event', async () => {
    const page = await newPage(browser, stack.clock);
    await signIn(page, '李明');
    const upcoming = ok(await stack.http<{ title: string }[]>('activities', { action: 'upcoming' }));
    expect(upcoming.length).toBeGreaterThan(0);
    await page.getByText(upcoming[0].title).first().waitFor();
    await screenshot(page, 'customer-invitation');
    await page.context().close();
  });
});

describe('pool (公海)', () => {
  it('lets a consultant claim a lead from the pool in one tap and says so', async () => {
    const page = await newPage(browser, stack.clock);
    await signIn(page, CONSULTANT.name);
    await page.locator('.sk-lead__name').first().waitFor();
    await page.locator('.sk-my-leads__view', { hasText: '公海' }).click();
    await page.locator('.sk-lead__action').first().waitFor();
    await screenshot(page, 'consultant-pool');
    const name = await page.locator('.sk-lead__name').first().innerText();
    await page.locator('.sk-lead__action').first().click();
    await page.locator('.sk-my-leads__notice--claimed', { hasText: `已领取 ${name}` }).waitFor();
    await screenshot(page, 'consultant-pool-claimed');
    expect(await texts(page, '.sk-lead__name')).not.toContain(name);

    const claimed = (await Promise.resolve(stack.emulator.db.find('customers', { name, ownerId: CONSULTANT.id }, {}))) as CustomerDoc[];
    expect(claimed.length).toBeGreaterThan(0);
    await page.context().close();
  });
});

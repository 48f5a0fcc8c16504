/**
 * The sidebar inside WeCom, in real Chromium: the page presents WeCom's user agent and a WeCom
 * client bridge (support/wecom-client.ts) under the real @wecom/jssdk, against the local cloud
 * and the WeCom simulator. Opened from a customer group it lists the consultant's customers
 * there; opened from a customer's detail page it shows that customer.
 */
import { createHash } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import type { GroupChatCustomers, SessionGrant } from '../types/api';
import type { CustomerDoc, StaffDoc, WecomTokenDoc } from '../types/model';
import { ok, startTestStack, type TestStack } from '../test/support/stack';
import { H5_DIR, launch, screenshot } from './support/browser';
import { bridgeCalls, pageInWecom, type WecomClientSetup } from './support/wecom-client';

let stack: TestStack;
let browser: Browser;
let consultant: StaffDoc;
let colleague: StaffDoc;
let otherStore: StaffDoc;

const find = async <T>(collection: string, query: object): Promise<T[]> =>
  (await Promise.resolve(stack.emulator.db.find(collection, query, { limit: 100000 }))) as T[];
const withWecom = (ownerId: string) => find<CustomerDoc>('customers', { ownerId, mergedInto: { $exists: false }, 'identities.externalUserId': { $exists: true } });
const ext = (c: CustomerDoc) => c.identities.externalUserId!;

beforeAll(async () => {
  stack = await startTestStack({ customers: 800, staticDir: H5_DIR });
  browser = await launch();
  const staff = await find<StaffDoc>('staff', {});
  consultant = staff.find((s) => s._id === 'zhangwei')!;
  colleague = staff.find((s) => s.role === 'consultant' && s.storeId === consultant.storeId && s._id !== consultant._id)!;
  otherStore = staff.find((s) => s.role === 'consultant' && s.storeId !== consultant.storeId)!;
});

afterAll(async () => {
  await browser?.close();
  await stack?.destroy();
});

/** Signs in through the demo page (the cloud build uses WeCom OAuth), then opens the sidebar. */
async function openSidebar(setup: WecomClientSetup): Promise<Page> {
  const page = await pageInWecom(browser, stack.clock, setup);
  await page.goto(`${stack.url}/#/pages/sign-in/index`);
  await page.locator('.sk-signin__person', { hasText: consultant.name }).first().click();
  await page.locator('.sk-lead__name').first().waitFor();
  await page.goto(`${stack.url}/#/pages/sidebar/index`);
  return page;
}

async function expectTapTarget(page: Page, selector: string): Promise<void> {
  const boxes = await page.locator(selector).evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
  expect(boxes.length).toBeGreaterThan(0);
  for (const height of boxes) expect(height).toBeGreaterThanOrEqual(44);
}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

describe('opened from a customer group (group_chat_tools)', () => {
  it("lists the consultant's customers in the group, nobody else's, and opens one with a tap", async () => {
    const mine = (await withWecom(consultant._id)).slice(0, 3);
    const [theirs] = await withWecom(colleague._id);
    const [elsewhere] = await withWecom(otherStore._id);
    const chatId = stack.wecom.registerGroupChat({
      name: '揽月试驾交流群',
      members: [consultant.wecomUserId, colleague.wecomUserId],
      externalContacts: [ext(theirs), ...mine.map(ext), ext(elsewhere)],
    });
    const page = await openSidebar({ entry: 'group_chat_tools', chatId });

    await page.getByText('揽月试驾交流群').waitFor();
    const api = ok(await stack.http<GroupChatCustomers>('customers', { action: 'byExternalChat', params: { chatId } }, await stack.signIn(consultant._id)));
    expect(api.customers.map((c) => c.id).sort()).toEqual(mine.map((c) => c._id).sort());
    expect(await page.locator('.sk-lead__name').allInnerTexts()).toEqual(api.customers.map((c) => c.name));
    await page.getByText('群里有 3 位你的客户，另有 2 位群成员不在你的线索中').waitFor();
    const text = await page.locator('body').innerText();
    for (const hidden of [theirs, elsewhere]) expect(text).not.toContain(hidden.name);
    expect(text).not.toMatch(/\bw[mr][A-Za-z0-9_-]{10,}/); // no WeCom ids on screen
    await expectTapTarget(page, '.sk-lead');
    await screenshot(page, 'sidebar-group-chat');

    // The real SDK signed in as our agent, with the signature our server computed for this page.
    const calls = await bridgeCalls(page);
    expect(calls.map((c) => c.name)).toContain('getCurExternalChat');
    expect(calls.map((c) => c.name)).not.toContain('getCurExternalContact');
    const agent = calls.find((c) => c.name === 'agentConfig')!.params;
    const ticket = (await find<WecomTokenDoc>('wecomTokens', { _id: 'agent_ticket' }))[0].value;
    expect(agent.signature).toBe(sha1(`jsapi_ticket=${ticket}&noncestr=${String(agent.nonceStr)}&timestamp=${String(agent.timestamp)}&url=${stack.url}/`));

    const second = api.customers[1];
    await page.locator('.sk-lead', { hasText: second.name }).click();
    await page.locator('.sk-prof-head__name', { hasText: second.name }).waitFor();
    await page.getByText('客户群 · 揽月试驾交流群').waitFor();
    await expectTapTarget(page, '.sk-chat__switch');
    await screenshot(page, 'sidebar-group-customer');

    await page.locator('.sk-chat__switch', { hasText: '群里的客户（3）' }).click();
    await page.locator('.sk-lead__name', { hasText: api.customers[0].name }).waitFor();
    expect(await page.locator('.sk-prof-head__name').count()).toBe(0);
    await page.context().close();
  });

  it('opens the only customer of the consultant in the group at once', async () => {
    const [only] = await withWecom(consultant._id);
    const [theirs] = await withWecom(colleague._id);
    const chatId = stack.wecom.registerGroupChat({ name: '', members: [consultant.wecomUserId], externalContacts: [ext(theirs), ext(only)] });
    const page = await openSidebar({ entry: 'group_chat_tools', chatId });
    await page.locator('.sk-prof-head__name', { hasText: only.name }).waitFor();
    await page.getByText('客户群 · 未命名的客户群').waitFor();
    expect(await page.locator('body').innerText()).not.toContain(theirs.name);
    await page.context().close();
  });

  it('says so in plain words when none of the group is theirs', async () => {
    const [theirs] = await withWecom(colleague._id);
    const chatId = stack.wecom.registerGroupChat({ name: '车友会', members: [consultant.wecomUserId], externalContacts: [ext(theirs)] });
    const page = await openSidebar({ entry: 'group_chat_tools', chatId });
    await page.getByText('这个群里还没有你的客户').waitFor();
    await page.getByText('群里的 1 位客户不在你的线索中').waitFor();
    expect(await page.locator('body').innerText()).not.toContain(theirs.name);
    await screenshot(page, 'sidebar-group-none');
    await page.context().close();
  });
});

describe("opened from a customer's detail page (contact_profile)", () => {
  it('shows that customer', async () => {
    const [customer] = await withWecom(consultant._id);
    const page = await openSidebar({ entry: 'contact_profile', externalUserId: ext(customer) });
    await page.locator('.sk-prof-head__name', { hasText: customer.name }).waitFor();
    const names = (await bridgeCalls(page)).map((c) => c.name);
    expect(names).toContain('getCurExternalContact');
    expect(names).not.toContain('getCurExternalChat');
    await screenshot(page, 'sidebar-contact-profile');
    await page.context().close();
  });
});

describe('opened cold from a one-to-one chat (single_chat_tools), as WeCom opens it', () => {
  it("loads the sidebar straight away with the kept session and shows the chat's customer", async () => {
    const [customer] = await withWecom(consultant._id);
    const grant = ok(await stack.http<SessionGrant>('auth', { action: 'demoSignIn', params: { personId: consultant._id } }));
    const page = await pageInWecom(browser, stack.clock, { entry: 'single_chat_tools', externalUserId: ext(customer) });
    // The session as the app keeps it (zustand's JSON inside Taro storage's { data } envelope),
    // and no earlier page: the first document WeCom loads is the sidebar itself.
    const state = JSON.stringify({ state: { token: grant.token, expiresAt: grant.expiresAt, me: grant.me }, version: 0 });
    await page.context().addInitScript((s) => window.localStorage.setItem('sidekick-session', s), JSON.stringify({ data: state }));
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/fn/customers')) asked.push(String((JSON.parse(r.postData() ?? '{}') as { action?: string }).action));
    });
    await page.goto(`${stack.url}/#/pages/sidebar/index`);
    await page.locator('.sk-prof-head__name', { hasText: customer.name }).waitFor();
    await page.locator('.sk-tl__title').first().waitFor();
    expect((await bridgeCalls(page)).map((c) => c.name)).toEqual(['agentConfig', 'getContext', 'getCurExternalContact']);
    // The data starts loading with the app, before the page's code, in one call that finds the
    // chat's customer and their first screen; the page then asks nothing twice.
    expect(asked.filter((a) => ['profile', 'timeline', 'followUps', 'byExternalUserId', 'firstScreen'].includes(a))).toEqual(['firstScreen']);
    await page.context().close();
  });
});

/// <reference lib="dom" />
/**
 * The consultant's ranked leads in the WeCom sidebar (360 px), in real Chromium against the local
 * cloud: the order and reasons are leads.list's, the grade filter, the 筛选 sheet and the 尾号
 * search show what the API returns for the same filters, the pool still claims, and a consultant
 * with 5,000+ leads scrolls to the end while the page keeps only a bounded number of cards.
 * Screenshots go to .artifacts/screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import type { LeadFilterOptions, LeadSummary, Page as ListPage } from '../types/api';
import type { CustomerDoc, StaffDoc } from '../types/model';
import { ok, startTestStack, type TestStack } from '../test/support/stack';
import { H5_DIR, launch, newPage, screenshot } from './support/browser';

jest.setTimeout(600_000);

let stack: TestStack;
let browser: Browser;
let token: string;

const CONSULTANT = { id: 'zhangwei', name: '张伟' };
/** Leads the consultant owns after the setup below. */
const OWNED = 5200;
/** More cards than this in the page means the list is not virtualized. */
const MAX_CARDS = 40;

beforeAll(async () => {
  stack = await startTestStack({ customers: 1500, staticDir: H5_DIR });
  token = await stack.signIn(CONSULTANT.id);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.destroy();
});

/**
 * Every owned lead of the consultant's store becomes 张伟's, and copies of them bring him past
 * 5,000 (the pool stays as it is).
 */
function giveManyLeads(): void {
  const db = stack.emulator.db;
  const me = db.findById<StaffDoc>('staff', CONSULTANT.id);
  if (!me) throw new Error('the demo has no consultant zhangwei');
  db.update('customers', { storeId: me.storeId, ownerId: { $exists: true } }, { $set: { ownerId: CONSULTANT.id } }, { multi: true });
  const mine = db.find<CustomerDoc>('customers', { ownerId: CONSULTANT.id });
  const copies: CustomerDoc[] = [];
  for (let i = 0; mine.length + copies.length < OWNED; i++) {
    const c = mine[i % mine.length];
    copies.push({ ...c, _id: `${c._id}-copy${i}` });
  }
  db.insertMany('customers', copies);
}

async function signedIn(): Promise<Page> {
  const page = await newPage(browser, stack.clock);
  await page.goto(`${stack.url}/#/pages/sign-in/index`);
  await page.locator('.sk-signin__person', { hasText: CONSULTANT.name }).first().click();
  await page.locator('.sk-lead__name').first().waitFor();
  return page;
}

const api = async (action: 'list' | 'pool', params: Record<string, unknown>) =>
  ok(await stack.http<ListPage<LeadSummary>>('leads', { action, params: { limit: 8, ...params } }, token)).items;

/** Waits until the first cards on screen are these names (after a filter reloads the list). */
async function shows(page: Page, expected: string[]): Promise<void> {
  await page.waitForFunction(
    (want) => {
      const got = Array.from(document.querySelectorAll('.sk-lead__name')).map((el) => el.textContent);
      // A result shorter than one API page must be the whole list on screen.
      const whole = want.length < 8 ? got.length === want.length : true;
      return whole && want.every((n, i) => got[i] === n) && !document.querySelector('.sk-state--loading');
    },
    expected,
    { timeout: 20_000 },
  );
}

it('ranks the leads as leads.list does and shows each one\'s first reason', async () => {
  const page = await signedIn();
  const top = await api('list', {});
  expect(top.length).toBe(8);
  await shows(page, top.map((l) => l.name));
  const reasons = await page.locator('.sk-lead__reason').allInnerTexts();
  expect(reasons.slice(0, 8)).toEqual(top.map((l) => l.reason ?? '暂无评分依据'));
  expect(top.some((l) => l.reason)).toBe(true);
  const scores = await page.locator('.sk-lead__score-num').allInnerTexts();
  expect(scores.slice(0, 3)).toEqual(top.slice(0, 3).map((l) => String(l.score)));
  // The sidebar is 720 px tall: at least 4 whole cards fit on the first screen.
  const onScreen = await page.locator('.sk-lead').evaluateAll((els) => els.filter((el) => el.getBoundingClientRect().bottom <= window.innerHeight).length);
  expect(onScreen).toBeGreaterThanOrEqual(4);
  await screenshot(page, 'leads-ranked');
  await page.context().close();
});

it('filters by grade and by the 筛选 sheet as the API does, and searches by phone tail', async () => {
  const page = await signedIn();
  await page.locator('.sk-filters__chip--A').click();
  const gradeA = await api('list', { grades: ['A'] });
  expect(gradeA.length).toBeGreaterThan(0);
  await shows(page, gradeA.map((l) => l.name));
  expect(gradeA.every((l) => l.grade === 'A')).toBe(true);

  await page.locator('.sk-filters__more').click();
  await page.locator('.sk-sheet-chip__count').first().waitFor();
  const options = ok(await stack.http<LeadFilterOptions>('leads', { action: 'filters', params: {} }, token));
  const model = options.models[0];
  await screenshot(page, 'leads-filter-sheet');
  await page.locator('.sk-sheet-chip', { hasText: model.name }).first().click();
  const byModel = await api('list', { grades: ['A'], modelId: model.id });
  await page.locator('.sk-sheet .sk-action', { hasText: '查看结果' }).click();
  if (byModel.length) await shows(page, byModel.map((l) => l.name));
  else await page.getByText('没有符合条件的线索').waitFor();
  await page.locator('.sk-filters__clear').click();

  // 尾号: the last 4 digits of the first lead's masked phone.
  const first = (await api('list', {}))[0];
  const tail = first.phoneMasked.slice(-4);
  await page.locator('.sk-my-leads .sk-search input').first().fill(tail);
  const byTail = await api('list', { q: tail });
  expect(byTail.map((l) => l.id)).toContain(first.id);
  await shows(page, byTail.map((l) => l.name));
  expect(await page.locator('.sk-lead__phone').allInnerTexts()).toEqual(byTail.map((l) => l.phoneMasked));

  await page.locator('.sk-my-leads .sk-search input').first().fill('查无此人');
  await page.getByText('没有找到“查无此人”').waitFor();
  await screenshot(page, 'leads-search-empty');
  await page.locator('.sk-state__action .sk-action', { hasText: '清除筛选' }).click();
  await shows(page, (await api('list', {})).map((l) => l.name));
  expect(await page.locator('.sk-my-leads .sk-search input').first().inputValue()).toBe('');
  await page.context().close();
});

it('claims from the pool in one tap', async () => {
  const page = await signedIn();
  await page.locator('.sk-my-leads__view', { hasText: '公海' }).click();
  const pool = await api('pool', {});
  expect(pool.length).toBeGreaterThan(0);
  await shows(page, pool.map((l) => l.name));
  await screenshot(page, 'leads-pool');
  const name = pool[0].name;
  await page.locator('.sk-lead__action').first().click();
  await page.locator('.sk-my-leads__notice--claimed', { hasText: `已领取 ${name}` }).waitFor();
  const claimed = stack.emulator.db.findById<CustomerDoc>('customers', pool[0].id);
  expect(claimed?.ownerId).toBe(CONSULTANT.id);
  await page.context().close();
});

it('scrolls through 5,000+ leads to the end with a bounded number of cards on the page', async () => {
  giveManyLeads();
  expect(stack.emulator.db.count('customers', { ownerId: CONSULTANT.id })).toBeGreaterThanOrEqual(5000);
  const page = await signedIn();
  let pages = 0;
  let answered = 0;
  const isNextPage = (r: { url(): string; postData(): string | null }) => r.url().endsWith('/fn/leads') && (r.postData() ?? '').includes('"cursor"');
  page.on('request', (r) => {
    if (isNextPage(r)) pages++;
  });
  page.on('requestfinished', (r) => {
    if (isNextPage(r)) answered++;
  });
  const end = page.getByText('没有更多线索了');
  const scroller = () =>
    page.evaluate(() => {
      const candidates = [document.scrollingElement, ...Array.from(document.querySelectorAll('.taro-tabbar__panel, .taro_page'))];
      const el = candidates.find((c): c is Element => !!c && c.scrollHeight > c.clientHeight + 10);
      if (!el) return { top: 0, height: 0 };
      // Up a little, then to the end, as a finger would: the page's reach-bottom fires again.
      el.scrollTop = el.scrollHeight - el.clientHeight - 1500;
      el.scrollTop = el.scrollHeight;
      return { top: el.scrollTop, height: el.scrollHeight };
    });

  let maxCards = 0;
  // Generous: on a quiet 2-core machine this takes about 35 s; CI may share the cores with other suites.
  const deadline = Date.now() + 480_000;
  for (;;) {
    const before = answered;
    await scroller();
    // The next page arriving (or the end of the list) is what the user waits for, not a fixed time.
    for (let i = 0; i < 100 && answered === before && !(await end.isVisible()); i++) await new Promise((r) => setTimeout(r, 20));
    const cards = await page.locator('.sk-lead').count();
    maxCards = Math.max(maxCards, cards);
    expect(cards).toBeLessThanOrEqual(MAX_CARDS);
    if (await end.isVisible()) break;
    if (Date.now() > deadline) throw new Error(`did not reach the end; ${pages} pages loaded`);
  }
  // Every lead came in, and the cards on screen are the last ones.
  expect(pages).toBeGreaterThanOrEqual(Math.floor((OWNED - 20) / 50));
  const onScreen = await page.locator('.sk-lead').evaluateAll((els) =>
    els.filter((el) => {
      const r = el.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight;
    }).length,
  );
  expect(onScreen).toBeGreaterThan(0);
  expect(maxCards).toBeGreaterThan(3);
  await screenshot(page, 'leads-scrolled-end');
  await page.context().close();
});

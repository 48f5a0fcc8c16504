/**
 * The live customer profile in the WeCom sidebar (360 px), in real Chromium against the local
 * cloud: an event tracked elsewhere shows up without a reload, a test drive recorded through the
 * follow-up sheet lands in the follow-ups and the timeline and moves the stage, and the
 * consultant's grade shows at once. Screenshots go to .artifacts/screenshots.
 */
import type { Browser, Page } from 'playwright-core';
import type { LeadSummary, Page as ListPage, TimelineItem } from '../types/api';
import type { CustomerDoc } from '../types/model';
import { ok, startTestStack, type TestStack } from '../test/support/stack';
import { H5_DIR, launch, newPage, screenshot } from './support/browser';

let stack: TestStack;
let browser: Browser;
let page: Page;
let token: string;
let lead: LeadSummary;

const CONSULTANT = { id: 'zhangwei', name: '张伟' };

beforeAll(async () => {
  stack = await startTestStack({ customers: 1500, staticDir: H5_DIR });
  browser = await launch();
  token = await stack.signIn(CONSULTANT.id);
  // A lead (线索 stage) among those the sidebar's picker shows first.
  const first = ok(await stack.http<ListPage<LeadSummary>>('leads', { action: 'list', params: { limit: 20 } }, token));
  const found = first.items.find((l) => l.stage === 'lead');
  if (!found) throw new Error('the demo has no lead-stage customer among the first 20 of 张伟');
  lead = found;

  page = await newPage(browser, stack.clock);
  await page.goto(`${stack.url}/#/pages/sign-in/index`);
  await page.locator('.sk-signin__person', { hasText: CONSULTANT.name }).first().click();
  await page.locator('.sk-lead__name').first().waitFor();
  await page.goto(`${stack.url}/#/pages/sidebar/index`);
  await page.locator('.sk-lead', { hasText: lead.name }).first().click();
  await page.locator('.sk-prof-head__name', { hasText: lead.name }).waitFor();
});

afterAll(async () => {
  await browser?.close();
  await stack?.destroy();
});

const timelineTitles = () => page.locator('.sk-tl__title').allInnerTexts();

async function apiTimeline(limit: number): Promise<TimelineItem[]> {
  return ok(await stack.http<ListPage<TimelineItem>>('customers', { action: 'timeline', params: { customerId: lead.id, limit } }, token)).items;
}

it('opens on the score and its reasons', async () => {
  await page.locator('.sk-score').waitFor();
  await page.locator('.sk-tl__title').first().waitFor();
  const profile = ok(await stack.http<{ score?: { total: number; reasons: string[] } }>('customers', { action: 'profile', params: { customerId: lead.id } }, token));
  if (profile.score) {
    expect(await page.locator('.sk-score__number').innerText()).toBe(String(profile.score.total));
    expect(await page.locator('.sk-score__text').allInnerTexts()).toEqual(expect.arrayContaining(profile.score.reasons));
  }
  await screenshot(page, 'profile-score');
});

it('records a test drive through the sheet: it shows in follow-ups and timeline, and the stage becomes 潜客', async () => {
  await page.locator('.sk-prof-head__name').scrollIntoViewIfNeeded();
  expect(await page.locator('.sk-prof-head__line').innerText()).toContain('线索');
  await page.locator('.sk-fs-bar .sk-action', { hasText: '记录跟进' }).click();
  await page.locator('.sk-fs__kind', { hasText: '试驾' }).click();
  const model = page.locator('.sk-fs__field--modelId .sk-fs__chip').first();
  await model.waitFor();
  const modelName = (await model.innerText()).replace('（意向）', '');
  await model.click();
  await screenshot(page, 'follow-up-sheet');
  await page.locator('.sk-fs__actions .sk-action', { hasText: '保存' }).click();

  await page.locator('.sk-fu__title', { hasText: modelName }).first().waitFor({ timeout: 5000 });
  await page.locator('.sk-prof-head__line', { hasText: '潜客' }).waitFor({ timeout: 5000 });
  const newest = (await apiTimeline(1))[0];
  expect(newest.type).toBe('test_drive');
  await page.locator('.sk-tl__title', { hasText: newest.title }).first().waitFor({ timeout: 5000 });
  const followUps = ok(await stack.http<ListPage<{ kind: string }>>('customers', { action: 'followUps', params: { customerId: lead.id } }, token));
  expect(followUps.items.filter((f) => f.kind === 'test_drive')).toHaveLength(1);
});

it('sets grade H from the badge and the badge shows H', async () => {
  await page.locator('.sk-prof-head__name').scrollIntoViewIfNeeded();
  // Through C first, so H is a change whatever grade the demo gave this customer.
  for (const [meaning, letter] of [['3个月内购车', 'C级'], ['7天内购车', 'H级']]) {
    await page.locator('.sk-grade__badge').click();
    await page.locator('.nut-actionsheet-item', { hasText: meaning }).click();
    await page.locator('.sk-grade__letter', { hasText: letter }).waitFor({ timeout: 3000 });
  }
  // The badge changes before the server answers; give the save a moment to land.
  let gradeInfo: { grade?: string; source?: string } = {};
  for (let i = 0; i < 30 && gradeInfo.grade !== 'H'; i++) {
    if (i) await page.waitForTimeout(100);
    gradeInfo = ok(await stack.http<{ gradeInfo: typeof gradeInfo }>('customers', { action: 'profile', params: { customerId: lead.id } }, token)).gradeInfo;
  }
  expect(gradeInfo).toMatchObject({ grade: 'H', source: 'consultant' });
});

it('shows an event tracked elsewhere within 5 s, without a reload', async () => {
  const c = (await Promise.resolve(stack.emulator.db.find('customers', { _id: lead.id }, {}))) as CustomerDoc[];
  const at = stack.clock.now();
  const messageId = `e2e-live-${at}`;
  ok(
    await stack.http(
      'track',
      {
        action: 'ingest',
        params: {
          events: [
            {
              messageId,
              event: 'store_visit',
              customerId: lead.id,
              properties: { durationMinutes: 35 },
              originalTimestamp: at,
              sentAt: at,
              source: 'store',
              storeId: c[0].storeId,
            },
          ],
        },
      },
      token,
    ),
  );
  const expected = (await apiTimeline(1))[0];
  expect(expected.id).toBe(messageId);
  // Live: it appears while the profile stays open, without a reload or a tap.
  await page.locator('.sk-tl__title', { hasText: expected.title }).first().waitFor({ timeout: 15_000 });
  expect((await timelineTitles())[0]).toBe(expected.title);
  await page.locator('.sk-tl__title').first().scrollIntoViewIfNeeded();
  await screenshot(page, 'sidebar-live');
});

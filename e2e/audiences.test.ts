/**
 * The store manager builds an audience (人群) in real Chromium against the local cloud: opens 人群
 * from the manager home, taps the SUV试驾 template, sees a count, edits one condition, sees the
 * count change, saves; adds a property filter to a behaviour condition. Screenshots go to
 * .artifacts/screenshots (manager-audiences-390, manager-audiences-edited-390,
 * manager-audiences-property-390, manager-audiences-property-added-390, manager-audiences-1280).
 */
import type { Browser, Page } from 'playwright-core';
import { startTestStack, type TestStack } from '../test/support/stack';
import { H5_DIR, launch, newPage, screenshot } from './support/browser';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };
const MANAGER = { id: 'wangjianguo', name: '王建国' };

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startTestStack({ customers: 1500, staticDir: H5_DIR });
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await stack?.destroy();
});

async function openAudiences(viewport: { width: number; height: number }): Promise<Page> {
  const page = await newPage(browser, stack.clock, viewport);
  await page.goto(`${stack.url}/#/pages/sign-in/index`);
  await page.locator('.sk-signin__person', { hasText: MANAGER.name }).first().click();
  // The store home has settled (its KPIs are in) before the tap, as a manager would see it.
  await page.locator('.sk-kpi__label', { hasText: '今日新线索' }).waitFor();
  await page.locator('.sk-store__tool', { hasText: /^人群/ }).click();
  await page.waitForFunction(() => document.title === '人群');
  await page.locator('.sk-aud-count__num, .sk-aud-count__error').first().waitFor();
  const failed = await page.locator('.sk-aud-count__error').count();
  if (failed) throw new Error(`the count failed: ${await page.locator('.sk-aud-count__error').innerText()}`);
  return page;
}

/** The count shown once no count is on its way: a number, or the text shown instead. */
async function settledCount(page: Page): Promise<string> {
  await page.locator('.sk-aud-count--busy').waitFor({ state: 'detached' });
  return (await page.locator('.sk-aud-count__num').innerText()).replace(/\s/g, '');
}

it('taps the SUV template, sees a count, edits the share count, sees it change, and saves', async () => {
  const page = await openAudiences(PHONE);
  await page.locator('.sk-aud-template[data-template="suv_test_drive"]').click();
  await page.locator('.sk-aud-count__desc', { hasText: 'SUV' }).waitFor();
  const first = await settledCount(page);
  expect(first).toMatch(/^[\d,]+人$/);
  await screenshot(page, 'manager-audiences-390');

  // The share condition: at least 3 → at least 1.
  const share = page.locator('.sk-aud-cond[data-kind="behaviour"]').nth(1);
  await share.locator('.sk-aud-num__input input, input.sk-aud-num__input').first().fill('1');
  // The count is asked for again once the typing stops: wait for a different figure.
  let second = first;
  for (const deadline = Date.now() + 15_000; second === first && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    second = await settledCount(page);
  }
  expect(second).toMatch(/^[\d,]+人$/);
  expect(Number(second.replace(/\D/g, ''))).toBeGreaterThan(Number(first.replace(/\D/g, '')));
  await screenshot(page, 'manager-audiences-edited-390');

  await page.locator('.sk-aud-name input, input.sk-aud-name').first().fill('SUV试驾周末邀约');
  await page.locator('.sk-aud-save__btn').click();
  await page.locator('.sk-aud-notice', { hasText: '已保存「SUV试驾周末邀约」' }).waitFor();
  await page.locator('.sk-aud-saved', { hasText: 'SUV试驾周末邀约' }).waitFor();
  await page.close();
});

it('adds a property filter to a behaviour condition: a property its event carries, then a value, in words', async () => {
  const page = await openAudiences(PHONE);
  await page.locator('.sk-aud-template[data-template="high_intent_active"]').click();
  await page.locator('.sk-aud-count__desc', { hasText: '意向高' }).waitFor();
  await settledCount(page);
  // The first condition: shared ≥ 3 times in the last 90 days.
  const share = page.locator('.sk-aud-cond[data-kind="behaviour"]').first();
  await share.locator('.sk-aud-link', { hasText: '更多' }).click();
  await share.locator('.sk-aud-prop-add').click();
  // A share carries its target, not a form: the properties offered are the event's own.
  const offered = share.locator('.sk-aud-prop-new .sk-aud-chips').first();
  await offered.locator('.sk-aud-chip', { hasText: '分享去向' }).waitFor();
  expect(await offered.locator('.sk-aud-chip', { hasText: '表单类型' }).count()).toBe(0);
  await offered.locator('.sk-aud-chip', { hasText: '分享去向' }).click();
  await share.locator('.sk-aud-prop-value', { hasText: '朋友圈' }).waitFor();
  await share.locator('.sk-aud-prop-new').scrollIntoViewIfNeeded();
  await screenshot(page, 'manager-audiences-property-390');
  await share.locator('.sk-aud-prop-value', { hasText: '朋友圈' }).click();
  await share.locator('.sk-aud-prop', { hasText: '分享去向为朋友圈' }).waitFor();
  await page.locator('.sk-aud-count__desc', { hasText: '分享去向为朋友圈' }).waitFor();
  await settledCount(page);
  await screenshot(page, 'manager-audiences-property-added-390');
  // Tapping the filter removes it again.
  await share.locator('.sk-aud-prop', { hasText: '分享去向为朋友圈' }).click();
  await page.locator('.sk-aud-count__desc', { hasText: '分享去向为朋友圈' }).waitFor({ state: 'detached' });
  expect(await share.locator('.sk-aud-prop').count()).toBe(0);
  await page.close();
});

it('shows the builder and the count side by side on a wide screen', async () => {
  const page = await openAudiences(DESKTOP);
  await page.locator('.sk-aud-template[data-template="high_intent_active"]').click();
  await page.locator('.sk-aud-count__desc', { hasText: '意向高' }).waitFor();
  expect(await settledCount(page)).toMatch(/^[\d,]+人$/);
  const count = await page.locator('.sk-aud__count').boundingBox();
  const main = await page.locator('.sk-aud__main').boundingBox();
  expect(count!.x).toBeGreaterThan(main!.x + main!.width - 1);
  await screenshot(page, 'manager-audiences-1280');
  await page.close();
});

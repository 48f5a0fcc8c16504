/**
 * Every page and sheet of every role, in one list: the browser checks (e2e/support/page-checks.ts,
 * run by e2e/pages-*.test.ts) visit each of them at phone and sidebar widths. A new page or sheet joins the checks with one entry.
 */
import type { Page } from 'playwright-core';

/** Who looks: a demo person (see seed/directory.ts), or nobody signed in. */
export type Viewer = 'consultant' | 'manager' | 'customer' | 'nobody';

export const PEOPLE: Record<Exclude<Viewer, 'nobody'>, { id: string; name: string }> = {
  consultant: { id: 'zhangwei', name: '张伟' },
  manager: { id: 'wangjianguo', name: '王建国' },
  customer: { id: 'cus-0000001', name: '李明' },
};

/** Customers the routes name, found in the seeded data before the checks run. */
export interface DemoIds {
  /** One of the consultant's own customers (the top of their list). */
  mine: string;
  /** A customer of a colleague in the same store. */
  theirs: string;
  /** One of the consultant's customers far down their list, and the phone tail (尾号) to find them by. */
  deep: { name: string; tail: string };
  /** A tracked link (token) of store A's invitation sent to one of the consultant's customers. */
  link: string;
}

export interface PageState {
  /** Test and screenshot name. */
  name: string;
  viewer: Viewer;
  /** The hash route opened, e.g. /pages/customer/index?id=... */
  route: (ids: DemoIds) => string;
  /** What the page is called: the document title, and the title bar of a page with a way back. */
  title: string;
  /** A page one starts from (tab, home, sidebar, invitation): a title, but no way back needed. */
  root?: true;
  /** Shows once the page has rendered what it is about. */
  ready: string;
  /** The sheet or dialog this state opens: only what is on it can be tapped, so only it is checked. */
  layer?: string;
  /** Taps that bring the page into this state (a sheet opened, an option picked); may report problems. */
  open?: (page: Page, ids: DemoIds) => Promise<string[] | void>;
  /** Text that must show, and text that must not. */
  shows?: string[];
  hides?: string[];
}

/** The counts on the sheet's chips, by label. */
async function chipCounts(page: Page): Promise<Map<string, string>> {
  const chips = await page.locator('.sk-sheet-chip').evaluateAll((els) =>
    els.map((el) => [el.querySelector('.sk-sheet-chip__label')?.textContent ?? '', el.querySelector('.sk-sheet-chip__count')?.textContent ?? ''] as const),
  );
  return new Map(chips.filter(([, count]) => count !== ''));
}

/**
 * Until an opened sheet or dialog has finished moving in: two frames for its transition to start,
 * then until no animation runs (what the user sees, not a fixed time).
 */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, { polling: 50 });
}

export const PAGES: PageState[] = [
  { name: 'sign-in', viewer: 'nobody', route: () => '/pages/sign-in/index', title: '选择演示身份', root: true, ready: '.sk-signin__person', shows: ['张伟'] },
  {
    name: 'not-found',
    viewer: 'consultant',
    route: () => '/pages/no-such-page/index',
    title: '页面不存在',
    root: true,
    ready: '.sk-not-found',
    shows: ['回到首页'],
  },

  // ---------- consultant ----------
  { name: 'leads', viewer: 'consultant', route: () => '/pages/leads/index', title: '线索', root: true, ready: '.sk-lead' },
  {
    name: 'leads-filter-sheet',
    viewer: 'consultant',
    route: () => '/pages/leads/index',
    title: '线索',
    root: true,
    ready: '.sk-lead',
    layer: '.sk-sheet',
    open: async (page) => {
      await page.locator('.sk-filters__more').click();
      await page.locator('.sk-sheet-chip__count').first().waitFor();
      await settle(page);
    },
  },
  {
    name: 'leads-filter-sheet-stage',
    viewer: 'consultant',
    route: () => '/pages/leads/index',
    title: '线索',
    root: true,
    ready: '.sk-lead',
    layer: '.sk-sheet',
    open: async (page) => {
      await page.locator('.sk-filters__more').click();
      await page.locator('.sk-sheet-chip__count').first().waitFor();
      const before = await chipCounts(page);
      await page.locator('.sk-sheet-chip', { hasText: '潜客' }).first().click();
      // The counts answer the filters in force: picking a stage changes them.
      const changed = await page
        .waitForFunction((was) => {
          const now = Array.from(document.querySelectorAll('.sk-sheet-chip')).map((el) => [el.querySelector('.sk-sheet-chip__label')?.textContent, el.querySelector('.sk-sheet-chip__count')?.textContent]);
          return now.some(([label, count]) => count && was[label ?? ''] !== undefined && was[label ?? ''] !== count);
        }, Object.fromEntries(before), { timeout: 5000 })
        .then(() => true, () => false);
      await settle(page);
      return changed ? [] : ['the model and channel counts stay the same after 潜客 is picked'];
    },
  },
  {
    name: 'leads-pool',
    viewer: 'consultant',
    route: () => '/pages/leads/index',
    title: '线索',
    root: true,
    ready: '.sk-lead',
    open: async (page) => {
      await page.locator('.sk-my-leads__view', { hasText: '公海' }).click();
      await page.locator('.sk-lead__action').first().waitFor();
    },
    hides: ['张伟的线索'],
  },
  { name: 'tasks', viewer: 'consultant', route: () => '/pages/tasks/index', title: '任务', root: true, ready: '.sk-task', shows: ['今天', '完成'] },
  { name: 'tasks-by-strategy', viewer: 'consultant', route: () => '/pages/tasks/index', title: '任务', root: true, ready: '.sk-task', open: async (page) => void (await page.locator('.sk-inbox__mode', { hasText: '按策略' }).click()), shows: ['SUV 试驾周末邀约', '批量发送'] },
  { name: 'tasks-batch-send', viewer: 'consultant', route: () => '/work/pages/batch/index?strategy=st-pd-suv-weekend', title: '批量发送', ready: '.sk-batch', shows: ['逐位复制发送', '创建企业微信群发'] },
  { name: 'tasks-batch-copy-sequence', viewer: 'consultant', route: () => '/work/pages/batch/index?strategy=st-pd-suv-weekend', title: '批量发送', ready: '.sk-batch', open: async (page) => { await page.locator('.sk-action', { hasText: '逐位复制发送' }).click(); await page.locator('.sk-batch__current').waitFor(); }, shows: ['复制并记为已发送', '跳过这位'] },
  {
    name: 'customer-send-picker',
    viewer: 'consultant',
    route: (ids) => `/pages/customer/index?id=${ids.mine}`,
    title: '客户画像',
    ready: '.sk-contact',
    layer: '.sk-picker',
    open: async (page) => {
      await page.locator('.sk-contact__btn', { hasText: '发送' }).click();
      await page.locator('.sk-mat').first().waitFor();
      await settle(page);
    },
    shows: ['活动邀约', '话术'],
  },
  {
    name: 'customer-next-follow-up-sheet',
    viewer: 'consultant',
    route: (ids) => `/pages/customer/index?id=${ids.mine}`,
    title: '客户画像',
    ready: '.sk-contact',
    layer: '.sk-sched',
    open: async (page) => {
      await page.locator('.sk-contact__btn', { hasText: '下次跟进' }).click();
      await page.locator('.sk-sched__chip').first().waitFor();
      await settle(page);
    },
    shows: ['预约试驾', '明天上午'],
  },
  { name: 'me', viewer: 'consultant', route: () => '/pages/me/index', title: '我的', root: true, ready: '.sk-me' },
  {
    name: 'me-sign-out-everywhere',
    viewer: 'consultant',
    route: () => '/pages/me/index',
    title: '我的',
    root: true,
    ready: '.sk-me',
    layer: '.sk-dialog__box',
    open: async (page) => {
      await page.locator('.sk-action', { hasText: '退出所有设备' }).click();
      await page.locator('.sk-dialog__box').waitFor();
      await settle(page);
    },
    shows: ['在所有设备上退出？', '全部退出'],
  },
  { name: 'customer', viewer: 'consultant', route: (ids) => `/pages/customer/index?id=${ids.mine}`, title: '客户画像', ready: '.sk-tl__title' },
  {
    name: 'customer-follow-up-sheet',
    viewer: 'consultant',
    route: (ids) => `/pages/customer/index?id=${ids.mine}`,
    title: '客户画像',
    ready: '.sk-prof-head__name',
    layer: '.sk-fs',
    open: async (page) => {
      await page.locator('.sk-fs-bar .sk-action', { hasText: '记录跟进' }).click();
      await page.locator('.sk-fs__kind', { hasText: '试驾' }).click();
      await page.locator('.sk-fs__field--modelId .sk-fs__chip').first().waitFor();
      await settle(page);
    },
  },
  {
    name: 'customer-grade-sheet',
    viewer: 'consultant',
    route: (ids) => `/pages/customer/index?id=${ids.mine}`,
    title: '客户画像',
    ready: '.sk-prof-head__name',
    layer: '.sk-grade-sheet',
    open: async (page) => {
      await page.locator('.sk-grade__badge').click();
      await page.locator('.nut-actionsheet-item').first().waitFor();
      await settle(page);
    },
  },
  {
    name: 'customer-not-yours',
    viewer: 'consultant',
    route: (ids) => `/pages/customer/index?id=${ids.theirs}`,
    title: '客户画像',
    ready: '.sk-state',
    hides: ['没有找到相关内容', '重试', '记录跟进'],
  },
  { name: 'sidebar', viewer: 'consultant', route: () => '/pages/sidebar/index', title: '客户', root: true, ready: '.sk-lead' },
  {
    name: 'sidebar-search',
    viewer: 'consultant',
    route: () => '/pages/sidebar/index',
    title: '客户',
    root: true,
    ready: '.sk-lead',
    open: async (page, ids) => {
      // 尾号 of a customer of theirs far down the list: the server searches all of them.
      await page.locator('.sk-chat input').first().fill(ids.deep.tail);
      const found = await page
        .locator('.sk-lead__name', { hasText: ids.deep.name })
        .first()
        .waitFor({ timeout: 5000 })
        .then(() => true, () => false);
      await settle(page);
      return found ? [] : [`searching 尾号 ${ids.deep.tail} does not find ${ids.deep.name}`];
    },
  },
  {
    name: 'sidebar-picked',
    viewer: 'consultant',
    route: () => '/pages/sidebar/index',
    title: '客户',
    root: true,
    ready: '.sk-lead',
    open: async (page) => {
      await page.locator('.sk-lead').first().click();
      await page.locator('.sk-tl__title').first().waitFor();
      await settle(page);
    },
  },

  // ---------- store manager ----------
  {
    name: 'manager-home',
    viewer: 'manager',
    route: () => '/manager/pages/home/index',
    title: '门店概览',
    root: true,
    ready: '.sk-lead',
    shows: ['张伟', '李娜', '陈晓东', '刘婷', '周磊'],
    hides: ['按最近互动排序'],
  },
  { name: 'manager-strategies', viewer: 'manager', route: () => '/manager/pages/strategies/index', title: '营销策略', ready: '.sk-strat-head', shows: ['新建策略'] },
  { name: 'manager-strategy-edit', viewer: 'manager', route: () => '/manager/pages/strategy-edit/index', title: '新建策略', ready: '.sk-builder, .sk-state--empty' },
  { name: 'manager-strategy-none', viewer: 'manager', route: () => '/manager/pages/strategy/index', title: '策略进度', ready: '.sk-state', shows: ['没有指定策略'] },
  { name: 'manager-assign', viewer: 'manager', route: () => '/manager/pages/assign/index', title: '线索分配', ready: '.sk-asg__row' },
  {
    name: 'manager-assign-picker',
    viewer: 'manager',
    route: () => '/manager/pages/assign/index',
    title: '线索分配',
    ready: '.sk-asg__row',
    layer: '.sk-picker',
    open: async (page) => {
      await page.locator('.sk-asg__link').first().click();
      await page.locator('.sk-picker__member').first().waitFor();
      await settle(page);
    },
  },
  { name: 'manager-merges', viewer: 'manager', route: () => '/manager/pages/merges/index', title: '合并记录', ready: '.sk-merge', shows: ['已撤销'] },
  {
    name: 'manager-merges-undo',
    viewer: 'manager',
    route: () => '/manager/pages/merges/index',
    title: '合并记录',
    ready: '.sk-merge',
    layer: '.sk-dialog__box',
    open: async (page) => {
      await page.locator('.sk-merge__undo').first().click();
      await page.locator('.sk-dialog__box').waitFor();
      await settle(page);
    },
  },
  { name: 'manager-audiences', viewer: 'manager', route: () => '/manager/pages/audiences/index', title: '人群', ready: '.sk-aud-count__num', shows: ['从模板开始', '满足全部'] },
  { name: 'manager-materials', viewer: 'manager', route: () => '/manager/pages/materials/index', title: '素材库', ready: '.sk-mlib__row', shows: ['营销频率上限', '品牌素材 · 只读'] },
  { name: 'manager-material-editor', viewer: 'manager', route: () => '/manager/pages/materials/index', title: '素材库', ready: '.sk-mlib__row', layer: '.sk-mlib__editor', open: async (page) => { await page.locator('.sk-mlib__new').click(); await page.locator('.sk-mlib__editor').waitFor(); await settle(page); }, shows: ['话术内容', '保存'] },
  { name: 'manager-scoring', viewer: 'manager', route: () => '/manager/pages/scoring/index', title: '评分模型', ready: '.sk-score__rule' },
  {
    name: 'manager-customer',
    viewer: 'manager',
    route: (ids) => `/pages/customer/index?id=${ids.mine}`,
    title: '客户画像',
    ready: '.sk-tl__title',
    hides: ['记录跟进'],
  },

  // ---------- customer ----------
  { name: 'customer-invitation', viewer: 'customer', route: () => '/invite/pages/activity/index', title: '活动邀请', root: true, ready: '.sk-invite' },
  {
    name: 'tracked-invitation-privacy',
    viewer: 'nobody',
    route: (ids) => `/invite/pages/activity/index?t=${encodeURIComponent(ids.link)}`,
    title: '活动邀请',
    root: true,
    ready: '.sk-invite__places',
    layer: '.sk-sheet',
    // A fresh open of the link (an earlier check may have declined the notice on this page).
    open: async (page) => {
      await page.reload();
      await page.getByText('同意并继续').waitFor();
    },
    shows: ['隐私保护提示', '同意并继续'],
  },
  {
    name: 'tracked-invitation-register',
    viewer: 'nobody',
    route: (ids) => `/invite/pages/activity/index?t=${encodeURIComponent(ids.link)}`,
    title: '活动邀请',
    root: true,
    ready: '.sk-invite__places',
    layer: '.sk-sheet',
    open: async (page) => {
      const decline = page.getByText('暂不同意');
      if (await decline.isVisible()) await decline.click();
      await page.getByText('立即报名').click();
      await page.getByText('提交报名').waitFor();
    },
    shows: ['姓名', '手机号', '提交报名'],
  },
  { name: 'my-registrations', viewer: 'nobody', route: (ids) => `/invite/pages/mine/index?t=${encodeURIComponent(ids.link)}`, title: '我的报名', ready: '.sk-mine', shows: ['还没有报名'] },
  {
    name: 'customer-opens-the-leads-tab',
    viewer: 'customer',
    route: () => '/pages/leads/index',
    title: '活动邀请',
    root: true,
    ready: '.sk-invite',
    hides: ['李明的线索'],
  },
];

/** Phone and WeCom sidebar widths. */
export const VIEWPORTS = [
  { width: 360, height: 720 },
  { width: 390, height: 844 },
] as const;

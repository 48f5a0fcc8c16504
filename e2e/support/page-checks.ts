/**
 * Every page and sheet of every role (support/pages.ts), opened as a newcomer would at one width,
 * in real Chromium against the local cloud. `e2e/pages-sidebar.test.ts` runs it at the WeCom
 * sidebar's width (360 px) and `e2e/pages-phone.test.ts` at a phone's (390 px), as two files so
 * jest's two workers check both widths at once. For each state:
 * - nothing one can tap is covered by the tab bar or a fixed bar, and each is at least 44×44 px
 *   (or has a hit area that big);
 * - nothing scrolls sideways or runs past the right edge;
 * - no raw ids, English placeholders or error traces show;
 * - each page has its title, and every page but a starting one a title bar with a way back that
 *   leads somewhere; an unknown route shows a page with a way home.
 * Each state leaves a screenshot in .artifacts/screenshots/pages/.
 */
import type { Browser, Page } from 'playwright-core';
import type { LeadSummary, Me } from '../../types/api';
import type { CustomerDoc } from '../../types/model';
import { ok, startTestStack, type TestStack } from '../../test/support/stack';
import { H5_DIR, launch, newPage, screenshot } from './browser';
import { inspectOptions, inspectPage, type Findings } from './checks';
import { makeSend } from '../../test/support/sends';
import { PEOPLE, type DemoIds, type PageState, type Viewer } from './pages';

type Viewport = { width: number; height: number };

let stack: TestStack;
let browser: Browser;
let ids: DemoIds;
const sessions = new Map<Viewer, { token: string; expiresAt: number; me: Me }>();
/** One tab per viewer, reused from state to state. */
const tabs = new Map<Viewer, Page>();
const options = inspectOptions();

/**
 * A tab signed in as `viewer` (the session the app keeps in local storage) on a blank document,
 * so each state starts the app afresh as a newcomer's link would. The tab and its context are
 * kept from state to state: opening a tab costs more than loading a page.
 */
async function pageFor(viewer: Viewer, viewport: Viewport): Promise<Page> {
  const open = tabs.get(viewer);
  if (open) {
    // Through a blank document (the last state left it there): the next address may differ from
    // the last only after its #, a same-document navigation that would keep the app's state.
    if (open.url() !== 'about:blank') await open.goto('about:blank');
    return open;
  }
  const page = await newPage(browser, stack.clock, viewport);
  page.setDefaultTimeout(15_000);
  const session = sessions.get(viewer);
  if (session) {
    // As the app keeps it: zustand's JSON inside Taro storage's { data } envelope.
    const state = JSON.stringify({ state: { token: session.token, expiresAt: session.expiresAt, me: session.me }, version: 0 });
    await page.context().addInitScript((s) => window.localStorage.setItem('sidekick-session', s), JSON.stringify({ data: state }));
  }
  tabs.set(viewer, page);
  return page;
}

/** What the page shows as text, for a failure message. */
const glimpse = async (page: Page) => (await page.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 120);

async function visit(state: PageState, viewport: Viewport): Promise<string[]> {
  const page = await pageFor(state.viewer, viewport);
  const problems: string[] = [];
  try {
    await page.goto(`${stack.url}/#${state.route(ids)}`);
    const ready = await page.locator(state.ready).first().waitFor({ timeout: 15_000 }).then(() => true, () => false);
    if (!ready) return [`never shows ${state.ready}; the page says: ${await glimpse(page)}`];
    await page.locator('[aria-busy=true]').first().waitFor({ state: 'hidden' }).catch(() => undefined);
    problems.push(...((await state.open?.(page, ids)) ?? []));
    await screenshot(page, `pages/${state.name}-${viewport.width}`);

    const findings: Findings = await page.evaluate(inspectPage, { ...options, ...(state.layer ? { layer: state.layer } : {}) });
    problems.push(...findings.covered, ...findings.small, ...findings.sideways, ...findings.text);

    const body = await page.locator('body').innerText();
    for (const text of state.shows ?? []) if (!body.includes(text)) problems.push(`does not show “${text}”`);
    for (const text of state.hides ?? []) if (body.includes(text)) problems.push(`shows “${text}”`);

    const title = await page.title();
    if (title !== state.title) problems.push(`is titled “${title}”, not “${state.title}”`);
    if (!state.root) problems.push(...(await wayBack(page, state)));
  } finally {
    // What the page still runs (polls, a sheet's timers) stops with its document.
    await page.goto('about:blank').catch(() => undefined);
  }
  return problems;
}

/** A title bar with the page's title and a back control that leads to another page. */
async function wayBack(page: Page, state: PageState): Promise<string[]> {
  const bar = page.locator('.sk-titlebar:visible');
  if (!(await bar.count())) return ['has no title bar with a way back'];
  const shown = (await bar.locator('.sk-titlebar__title').innerText()).trim();
  const problems = shown === state.title ? [] : [`the title bar says “${shown}”, not “${state.title}”`];
  // With a sheet open the back control waits under it, as it should; the sheet's own state checks it.
  if (state.layer) return problems;
  await bar.locator('.sk-titlebar__back').click();
  const left = await page.waitForFunction((t) => document.title !== t, state.title, { timeout: 5000 }).then(() => true, () => false);
  if (!left) problems.push('its back control goes nowhere');
  return problems;
}

/**
 * Sets up, at this width, a stack and a browser of its own for the page checks; the returned
 * function opens one page state and lists what a user would trip over (empty: nothing).
 */
export function pageChecksAt(viewport: Viewport): (state: PageState) => Promise<string[]> {
  jest.setTimeout(120_000);

  beforeAll(async () => {
    stack = await startTestStack({ customers: 1500, staticDir: H5_DIR });
    browser = await launch();
    for (const viewer of ['consultant', 'manager', 'customer'] as const) {
      const reply = ok(await stack.http<{ token: string; expiresAt: number; me: Me }>('auth', { action: 'demoSignIn', params: { personId: PEOPLE[viewer].id } }));
      sessions.set(viewer, reply);
    }
    const token = sessions.get('consultant')!.token;
    const leads = await stack.allLeads(token);
    const all = (await Promise.resolve(stack.emulator.db.find('customers', {}, { limit: 100000 }))) as CustomerDoc[];
    const me = all.find((c) => c.ownerId === PEOPLE.consultant.id)!;
    const theirs = all.find((c) => c.storeId === me.storeId && c.ownerId && c.ownerId !== PEOPLE.consultant.id && !('mergedInto' in c));
    // Past the first page the sidebar loads, with a phone tail no one before it shares.
    const deep = leads.slice(20).find((l) => leads.filter((x) => x.phoneMasked.slice(-4) === l.phoneMasked.slice(-4)).length === 1) as LeadSummary;
    if (!theirs || !deep) throw new Error('the demo lacks a colleague’s customer or a consultant with more than 20 leads');
    const invited = all.filter((c) => c.ownerId === PEOPLE.consultant.id && c.identities.phone && c._id !== leads[0].id);
    // A tracked link for this width's browser contexts (a new device: a link's first device is its recipient).
    const link = makeSend(stack, { customerId: invited[0]._id, storeId: invited[0].storeId, consultantId: PEOPLE.consultant.id }).link;
    ids = { mine: leads[0].id, theirs: theirs._id, deep: { name: deep.name, tail: deep.phoneMasked.slice(-4) }, link };
  });

  afterAll(async () => {
    for (const tab of tabs.values()) await tab.context().close();
    await browser?.close();
    await stack?.destroy();
  });

  return (state) => visit(state, viewport);
}

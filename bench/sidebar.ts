/**
 * How fast the WeCom sidebar answers: `h5.sidebar_profile_ms` is the time from navigating to the
 * sidebar page until the customer's profile header and the first page of the timeline are on
 * screen at 360 px, the median of 10 cold loads (a fresh browser context each: no HTTP cache, no
 * parsed code) in real Chromium against the local cloud. Two ways in:
 * - `h5.sidebar_profile_ms`: the chat's customer given in the URL (`?customerId=`);
 * - `h5.sidebar_profile_wecom_ms`: opened from a customer's chat inside WeCom, where the page
 *   asks the JS-SDK (which answers at once here) who the customer is, then the server.
 * Baseline, in the same run: `h5.app_shell_ms`, the same cold load of a page that needs no data
 * (the unknown-route page), i.e. what loading the app costs before any call.
 *
 * Needs the H5 build in dist/h5 (bench.sh builds it). The time is taken in this process: from
 * just before `page.goto` to the page reporting, from a MutationObserver, that both are shown.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { ApiReply, LeadSummary, Page as ListPage, SessionGrant } from '../types/api';
import type { CustomerDoc } from '../types/model';
import { startLocalStack, type LocalStack } from '../scripts/local-stack';
import { H5_DIR, initScript, launch, newPage, SIDEBAR } from '../e2e/support/browser';
import { pageInWecom } from '../e2e/support/wecom-client';
import { figure, type Figure } from './report';
import { p50 } from './stats';

const RUNS = 10;
/** Measured at a phone's pixel density, as the consultant sees it (the tests paint at 1). */
const PHONE_DENSITY = { deviceScaleFactor: 2 };
const TARGET_MS = 600;
const PROFILE_HEAD = '.sk-prof-head__name';
const TIMELINE_ITEM = '.sk-tl__title';

async function call<T>(stack: LocalStack, fn: string, action: string, params: unknown, token = ''): Promise<T> {
  const res = await fetch(`${stack.url}/fn/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ action, params }),
  });
  const reply = (await res.json()) as ApiReply<T>;
  if (!reply.ok) throw new Error(`sidebar bench: ${fn}.${action} failed: ${reply.error.code} ${reply.error.message}`);
  return reply.data;
}

/**
 * The signed-in session as the app keeps it: zustand's persisted JSON under `sidekick-session`,
 * wrapped the way Taro's H5 storage wraps every value (`{ data }`).
 */
function sessionScript(grant: SessionGrant): { key: string; value: string } {
  const state = JSON.stringify({ state: { token: grant.token, expiresAt: grant.expiresAt, me: grant.me }, version: 0 });
  return { key: 'sidekick-session', value: JSON.stringify({ data: state }) };
}

/** Installed before the page's own scripts (`initScript`): reports once every selector is in the document. */
function watchFor(selectors: string[]): void {
  const observer = new MutationObserver(() => {
    if (selectors.every((s) => document.querySelector(s) !== null)) {
      observer.disconnect();
      (window as unknown as { __benchReady: () => void }).__benchReady();
    }
  });
  // Taro's elements get their class after they are inserted: watch attributes as well.
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] });
}

/** One cold load: a fresh context, signed in, timed from `goto` to every selector shown. */
async function coldLoad(open: () => Promise<Page>, session: { key: string; value: string }, url: string, selectors: string[]): Promise<number> {
  const page = await open();
  const context = page.context();
  try {
    await context.addInitScript(({ key, value }) => window.localStorage.setItem(key, value), session);
    let shownAt = 0;
    let markShown = () => {};
    const shown = new Promise<void>((resolve) => (markShown = resolve));
    await context.exposeBinding('__benchReady', () => {
      shownAt = performance.now();
      markShown();
    });
    await context.addInitScript(initScript(watchFor, selectors));
    const started = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    await Promise.race([shown, page.waitForTimeout(20_000).then(() => Promise.reject(new Error(`sidebar bench: ${selectors.join(' + ')} not shown within 20 s at ${url}`)))]);
    return shownAt - started;
  } finally {
    await context.close();
  }
}

async function series(label: string, load: () => Promise<number>): Promise<number> {
  await load(); // the first load warms the function instances, as a consultant's earlier calls would
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await load());
  const median = p50(times);
  process.stderr.write(`  sidebar: ${label} median ${median.toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})\n`);
  return median;
}

export async function sidebarBench(record: (f: Figure) => void): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sidekick-bench-sidebar-'));
  // The stack's clock is the real one, so the app's clock and the session's expiry agree.
  const stack = await startLocalStack({ dataDir, customers: 1200, seed: 7, now: Date.now(), staticDir: H5_DIR });
  let browser: Browser | undefined;
  try {
    const grant = await call<SessionGrant>(stack, 'auth', 'demoSignIn', { personId: 'zhangwei' });
    const leads = await call<ListPage<LeadSummary>>(stack, 'leads', 'list', { limit: 20 }, grant.token);
    // A lead who is also the consultant's WeCom contact, so both ways in open the same profile.
    const docs = stack.emulator.db.find('customers', { _id: { $in: leads.items.map((l) => l.id) } }) as CustomerDoc[];
    const contact = docs.find((c) => c.identities.externalUserId);
    const customer = leads.items.find((l) => l.id === contact?._id) ?? leads.items[0];
    if (!customer) throw new Error('sidebar bench: the demo consultant has no leads');
    const session = sessionScript(grant);
    browser = await launch();
    const b = browser;
    const plain = () => newPage(b, stack.clock, SIDEBAR, PHONE_DENSITY);

    const shell = await series('app shell (unknown route)', () => coldLoad(plain, session, `${stack.url}/#/pages/nowhere/index`, ['.sk-not-found']));
    const byUrl = await series('profile, customer in the URL', () =>
      coldLoad(plain, session, `${stack.url}/#/pages/sidebar/index?customerId=${encodeURIComponent(customer.id)}`, [PROFILE_HEAD, TIMELINE_ITEM]),
    );
    record(figure('h5.app_shell_ms', shell, 'ms'));
    record(figure('h5.sidebar_profile_ms', byUrl, 'ms', { baseline: shell, target: TARGET_MS }));

    const externalUserId = contact?.identities.externalUserId;
    if (externalUserId) {
      const inWecom = () => pageInWecom(b, stack.clock, { entry: 'single_chat_tools', externalUserId }, PHONE_DENSITY);
      const wecom = await series('profile, opened from the chat in WeCom', () => coldLoad(inWecom, session, `${stack.url}/#/pages/sidebar/index`, [PROFILE_HEAD, TIMELINE_ITEM]));
      record(figure('h5.sidebar_profile_wecom_ms', wecom, 'ms', { baseline: shell, target: TARGET_MS }));
    } else {
      process.stderr.write('  sidebar: the first lead is not a WeCom contact; the in-WeCom figure is skipped\n');
    }
  } finally {
    await browser?.close();
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

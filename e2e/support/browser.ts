/**
 * Real Chromium (Debian's, driven by playwright-core) at the WeCom sidebar's width, with
 * screenshots kept under .artifacts/screenshots as test artifacts.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SCREENSHOTS = resolve(__dirname, '../../.artifacts/screenshots');
export const SIDEBAR = { width: 360, height: 720 };
/** The built H5 app the tests serve (`SIDEKICK_OUT_DIR` as in config/index.ts). */
export const H5_DIR = resolve(__dirname, '../..', process.env.SIDEKICK_OUT_DIR || 'dist', 'h5');

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export type PageOptions = {
  /** Lets a page present itself as the WeCom client (see wecom-client.ts). */
  userAgent?: string;
  /**
   * Device pixels per CSS pixel. Tests check layout in CSS pixels and use 1: Chromium without a
   * GPU paints on the CPU, and a phone's density of 2 paints four times the pixels on every
   * frame and screenshot (it doubled the page checks' time). The benchmarks ask for 2, as a phone shows.
   */
  deviceScaleFactor?: number;
};

/**
 * A page in its own context whose clock reads the stack's clock (the functions' "now"), so
 * relative times, SLA chips and session expiry agree with the server on any real date.
 */
export async function newPage(browser: Browser, clock: { now(): number }, viewport = SIDEBAR, options: PageOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
  // Only a clock set apart from the wall clock (the tests' pinned day) needs the page's clock
  // moved with it; a stack on the wall clock (the benchmarks) leaves the browser as users have it.
  if (Math.abs(clock.now() - Date.now()) > 1000) {
    await context.clock.install({ time: clock.now() });
    await context.clock.resume();
  }
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  return page;
}

/**
 * A script for `addInitScript` that runs `fn(arg)` in the page before any of its own scripts.
 * Playwright sends a function as its source text, and that text is whatever the loader made of
 * ours: tsx (esbuild `keepNames`, used by the benchmarks) wraps every named inner function in
 * `__name(fn, "name")`, a helper that exists in Node but not in the page, so the script would
 * throw at its first named closure. A local `__name` that only sets the name makes the same
 * source run under jest's Babel, tsx or anything else, without touching the page's globals.
 */
export function initScript<A>(fn: (arg: A) => void, arg: A): { content: string } {
  const keepName = 'function __name(target, value) { try { Object.defineProperty(target, "name", { value: value, configurable: true }); } catch (e) {} return target; }';
  return { content: `(function () { ${keepName} (${fn.toString()})(${JSON.stringify(arg)}); })();` };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  // The picture shows what the user sees once the page and sheet transitions have finished and
  // every image has loaded: wait for exactly that rather than a fixed time.
  await page.waitForFunction(
    () => document.getAnimations().every((a) => a.playState !== 'running') && Array.from(document.images).every((img) => img.complete),
    undefined,
    { polling: 50 },
  );
  const file = join(SCREENSHOTS, `${name}.png`);
  mkdirSync(dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  return file;
}

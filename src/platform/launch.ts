/**
 * Where the app was opened. Taro builds `launch.h5.ts` or `launch.weapp.ts` in place of this
 * file; it only declares what both export.
 */

/** The page the app opened at (a route of `routes`) and its query. */
export interface OpeningPage {
  route: string;
  params: Record<string, string>;
}

/**
 * The page the app is opening at, readable while the app's own code first runs, before the page's
 * code has loaded; `undefined` where that gap does not exist (the mini-program ships its pages
 * with the package) or the address names no page.
 */
export declare function openingPage(): OpeningPage | undefined;

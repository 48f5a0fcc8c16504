/**
 * What the platform draws around a page. Taro builds `chrome.h5.ts` or `chrome.weapp.ts` in
 * place of this file; it only declares what both export.
 */

/**
 * Whether pages draw their own title bar: the mini-program has WeChat's native navigation bar
 * (title and back), a browser page (the WeCom sidebar, the H5 demo) has nothing.
 */
export declare const drawsOwnTitleBar: boolean;

/**
 * Page-level hooks, wrapped so that features and pages never import Taro for them. They only
 * fire inside a real page (not in unit tests): keep logic out of their callbacks.
 */
import Taro, { useReachBottom, useRouter, usePullDownRefresh } from '@tarojs/taro';

/** The page's query parameters, e.g. `{ id: 'c_123' }` for `...?id=c_123`. */
export function usePageParams(): Record<string, string | undefined> {
  return useRouter().params;
}

/** Calls `onBottom` when the user scrolls to the end of the page. */
export function useScrolledToBottom(onBottom: () => void): void {
  useReachBottom(onBottom);
}

/** Calls `onRefresh` on pull-down and stops the spinner when its promise settles. */
export function usePullToRefresh(onRefresh: () => Promise<void>): void {
  usePullDownRefresh(() => {
    void onRefresh().finally(() => Taro.stopPullDownRefresh());
  });
}

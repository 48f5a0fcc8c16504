/**
 * The page's scroll position and sizes, for lists that render only the rows on screen. Like the
 * other page hooks, the scroll hook fires only inside a real page (not in unit tests).
 */
import Taro, { usePageScroll } from '@tarojs/taro';

/** Calls `onScroll` with the page's scroll offset (px) whenever the page scrolls. */
export function useOnPageScroll(onScroll: (scrollTop: number) => void): void {
  usePageScroll(({ scrollTop }) => onScroll(scrollTop));
}

/** The visible height of the page in px. */
export function viewportHeight(): number {
  try {
    return Taro.getWindowInfo().windowHeight;
  } catch {
    return 0;
  }
}

/** The rendered height (px) of the first node matching `selector`; undefined when it has none. */
export function measureHeight(selector: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    // Outside a loaded page (unit tests) the query has nothing to search and throws later.
    if (!Taro.getCurrentInstance()?.page) {
      resolve(undefined);
      return;
    }
    try {
      Taro.createSelectorQuery()
        .select(selector)
        .boundingClientRect()
        .exec((res: unknown[]) => {
          const rect = res?.[0] as { height?: number } | null | undefined;
          resolve(rect?.height ? rect.height : undefined);
        });
    } catch {
      resolve(undefined);
    }
  });
}

/** Back to the top of the page, e.g. after the list was filtered. */
export function scrollPageToTop(): void {
  void Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined);
}

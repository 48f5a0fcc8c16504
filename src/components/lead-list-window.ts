/** Which rows of a long list of equal-height rows to render for the current scroll position. */
export interface RowWindow {
  /** First row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
  /** Height of one row in px, as measured on screen. */
  rowPx: number;
}

export interface ScrollState {
  /** Page scroll offset in px. */
  scrollTop: number;
  /** Visible page height in px. */
  viewport: number;
  rowPx: number;
  count: number;
  /** Extra rows kept above and below. */
  overscan?: number;
}

/**
 * The list starts somewhere within the first screen of the page (below the filters), so the rows
 * on screen lie within one viewport either side of the scroll offset: render those, plus
 * `overscan`. The DOM then holds about 2 * viewport / rowPx + 2 * overscan rows, whatever the count.
 */
export function visibleRows({ scrollTop, viewport, rowPx, count, overscan = 3 }: ScrollState): RowWindow {
  const start = Math.max(0, Math.floor((scrollTop - viewport) / rowPx) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + viewport) / rowPx) + overscan);
  return { start: Math.min(start, end), end, rowPx };
}

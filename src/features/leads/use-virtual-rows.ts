import { useEffect, useRef, useState } from 'react';
import { visibleRows, type RowWindow } from '@/components/lead-list-window';
import { measureHeight, useOnPageScroll, viewportHeight } from '@/platform/viewport';

/**
 * Keeps a long page-scrolled list to the rows near the screen. Until a row has been measured
 * (or where nothing can be measured, as in unit tests) every row renders.
 */
export function useVirtualRows(count: number, rowSelector: string): RowWindow | undefined {
  const [rowPx, setRowPx] = useState<number>();
  const [range, setRange] = useState<RowWindow>();
  const scrollTop = useRef(0);

  const update = () => {
    if (!rowPx) return;
    const next = visibleRows({ scrollTop: scrollTop.current, viewport: viewportHeight() || 800, rowPx, count });
    // Re-render only when the rendered rows change, not on every scroll event.
    setRange((prev) => (prev && prev.start === next.start && prev.end === next.end && prev.rowPx === next.rowPx ? prev : next));
  };
  const latest = useRef(update);
  latest.current = update;

  useOnPageScroll((top) => {
    scrollTop.current = top;
    latest.current();
  });

  const hasRows = count > 0;
  useEffect(() => {
    if (!hasRows || rowPx) return;
    let live = true;
    void measureHeight(rowSelector).then((px) => {
      if (live && px) setRowPx(px);
    });
    return () => {
      live = false;
    };
  }, [hasRows, rowPx, rowSelector]);

  useEffect(() => latest.current(), [count, rowPx]);

  return rowPx ? range : undefined;
}

import type { TimelineItem } from '@/contract';

/** A timeline row: one touchpoint, or a run of glances (content looked at for a few seconds). */
export type TimelineRow = { kind: 'item'; item: TimelineItem } | { kind: 'glances'; id: string; items: TimelineItem[] };

/** Glances in a row fold into one line from this many on; fewer stay as they are. */
export const FOLD_FROM = 2;

/**
 * Folds each run of consecutive brief items (停留 6 秒…) into one row, so a customer who
 * skimmed ten posters does not push their test drive off the screen.
 */
export function foldGlances(items: readonly TimelineItem[]): TimelineRow[] {
  const rows: TimelineRow[] = [];
  let run: TimelineItem[] = [];
  const flush = () => {
    if (run.length >= FOLD_FROM) rows.push({ kind: 'glances', id: run[0].id, items: run });
    else for (const item of run) rows.push({ kind: 'item', item });
    run = [];
  };
  for (const item of items) {
    if (item.brief) {
      run.push(item);
      continue;
    }
    flush();
    rows.push({ kind: 'item', item });
  }
  flush();
  return rows;
}

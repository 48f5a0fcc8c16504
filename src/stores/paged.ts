import type { Page } from '@/contract';
import { toCloudError, type CloudError } from '@/services/cloud-error';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

/** A list read page by page through `nextCursor`. */
export interface Paged<T> {
  items: T[];
  nextCursor?: string;
  /** State of the first page (a reload keeps the old items visible meanwhile). */
  status: LoadStatus;
  error?: CloudError;
  moreStatus: 'idle' | 'loading' | 'error';
  moreError?: CloudError;
  /** Bumped by every first-page load so replies to an older load are dropped. */
  generation: number;
}

export const emptyPaged = <T>(): Paged<T> => ({ items: [], status: 'idle', moreStatus: 'idle', generation: 0 });

type Fetch<T> = (cursor?: string) => Promise<Page<T>>;

export async function loadFirstPage<T>(read: () => Paged<T>, write: (next: Paged<T>) => void, fetchPage: Fetch<T>): Promise<void> {
  const generation = read().generation + 1;
  write({ ...read(), generation, status: 'loading', error: undefined, moreStatus: 'idle', moreError: undefined });
  try {
    const page = await fetchPage(undefined);
    if (read().generation !== generation) return;
    write({ ...read(), items: page.items, nextCursor: page.nextCursor, status: 'ready' });
  } catch (e) {
    if (read().generation !== generation) return;
    write({ ...read(), status: 'error', error: toCloudError(e) });
  }
}

export async function loadNextPage<T extends { id: string }>(
  read: () => Paged<T>,
  write: (next: Paged<T>) => void,
  fetchPage: Fetch<T>,
): Promise<void> {
  const start = read();
  if (start.status !== 'ready' || !start.nextCursor || start.moreStatus === 'loading') return;
  const { generation, nextCursor } = start;
  write({ ...start, moreStatus: 'loading', moreError: undefined });
  try {
    const page = await fetchPage(nextCursor);
    const now = read();
    if (now.generation !== generation) return;
    const seen = new Set(now.items.map((item) => item.id));
    write({
      ...now,
      items: [...now.items, ...page.items.filter((item) => !seen.has(item.id))],
      nextCursor: page.nextCursor,
      moreStatus: 'idle',
    });
  } catch (e) {
    if (read().generation !== generation) return;
    write({ ...read(), moreStatus: 'error', moreError: toCloudError(e) });
  }
}

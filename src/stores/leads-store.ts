import { create } from 'zustand';
import type { LeadSummary } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { filterParams, noFilters, type LeadFilters } from './leads-store-filters';
import { emptyPaged, loadFirstPage, loadNextPage, type Paged } from './paged';
import { registerReset } from './registry';

const PAGE_SIZE = 20;
/** Later pages are larger: scrolling a long list needs fewer round trips. */
const MORE_SIZE = 50;

interface LeadsState extends Paged<LeadSummary> {
  /** Managers only: narrow the store's leads to one consultant (undefined = everyone). */
  ownerId?: string;
  /** Grade, stage, tag, model, channel and search; the server filters and ranks. */
  filters: LeadFilters;
  load(): Promise<void>;
  loadMore(): Promise<void>;
  filterByOwner(ownerId: string | undefined): Promise<void>;
  /** Changes some filters and reloads the list from its first page. */
  setFilters(patch: Partial<LeadFilters>): Promise<void>;
  clearFilters(): Promise<void>;
}

/**
 * One list of leads, ranked (grade, then score): the consultant's own, or for a manager the
 * store's (the server decides by role).
 */
function createLeadsStore() {
  const store = create<LeadsState>()((set, get) => {
    const read = (): Paged<LeadSummary> => get();
    const write = (next: Paged<LeadSummary>) => set(next);
    const fetchPage = (cursor?: string) => {
      const { ownerId, filters } = get();
      return callCloud('leads', 'list', {
        limit: cursor ? MORE_SIZE : PAGE_SIZE,
        ...filterParams(filters),
        ...(cursor ? { cursor } : {}),
        ...(ownerId ? { ownerId } : {}),
      });
    };
    const reload = () => loadFirstPage(read, write, fetchPage);
    return {
      ...emptyPaged<LeadSummary>(),
      filters: noFilters(),
      load: reload,
      loadMore: () => loadNextPage(read, write, fetchPage),
      filterByOwner: (ownerId) => {
        set({ ownerId, items: [] });
        return reload();
      },
      setFilters: (patch) => {
        set({ filters: { ...get().filters, ...patch }, items: [], nextCursor: undefined });
        return reload();
      },
      clearFilters: () => {
        set({ filters: noFilters(), items: [], nextCursor: undefined });
        return reload();
      },
    };
  });
  registerReset(() =>
    store.setState({
      ...emptyPaged<LeadSummary>(),
      generation: store.getState().generation + 1,
      ownerId: undefined,
      filters: noFilters(),
    }),
  );
  return store;
}

/** The signed-in consultant's leads (线索 tab). */
export const useLeadsStore = createLeadsStore();
/** The sidebar's customer picker: its own search, so the 线索 tab's filters stay as they were. */
export const usePickerLeadsStore = createLeadsStore();
/** The store's leads as the manager sees them. */
export const useStoreLeadsStore = createLeadsStore();

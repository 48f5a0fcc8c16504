import { create } from 'zustand';
import type { LeadSummary } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { toCloudError } from '@/services/cloud-error';
import { filterParams, noFilters, type LeadFilters } from './leads-store-filters';
import { emptyPaged, loadFirstPage, loadNextPage, type Paged } from './paged';
import { registerReset } from './registry';
import { useLeadsStore } from './leads-store';

const PAGE_SIZE = 20;
/** Later pages are larger: scrolling a long list needs fewer round trips. */
const MORE_SIZE = 50;

export interface ClaimNotice {
  kind: 'claimed' | 'refused';
  text: string;
}

interface PoolState extends Paged<LeadSummary> {
  /** The lead being claimed right now. */
  claimingId?: string;
  /** What the last claim came to, in Chinese, shown above the list. */
  notice?: ClaimNotice;
  /** The same filters as the consultant's own list, applied by the server to the pool. */
  filters: LeadFilters;
  load(): Promise<void>;
  loadMore(): Promise<void>;
  claim(lead: LeadSummary): Promise<void>;
  setFilters(patch: Partial<LeadFilters>): Promise<void>;
  clearFilters(): Promise<void>;
}

/** The store's pool (公海): unowned leads a consultant can claim. */
export const usePoolStore = create<PoolState>()((set, get) => {
  const read = (): Paged<LeadSummary> => get();
  const write = (next: Paged<LeadSummary>) => set(next);
  const fetchPage = (cursor?: string) =>
    callCloud('leads', 'pool', { limit: cursor ? MORE_SIZE : PAGE_SIZE, ...filterParams(get().filters), ...(cursor ? { cursor } : {}) });
  const reload = () => loadFirstPage(read, write, fetchPage);
  return {
    ...emptyPaged<LeadSummary>(),
    filters: noFilters(),
    load: reload,
    setFilters: (patch) => {
      set({ filters: { ...get().filters, ...patch }, items: [], nextCursor: undefined, notice: undefined });
      return reload();
    },
    clearFilters: () => {
      set({ filters: noFilters(), items: [], nextCursor: undefined, notice: undefined });
      return reload();
    },
    loadMore: () => loadNextPage(read, write, fetchPage),
    async claim(lead) {
      set({ claimingId: lead.id, notice: undefined });
      try {
        const r = await callCloud('leads', 'claim', { customerId: lead.id });
        // Claimed or taken by someone else: either way it has left the pool.
        const rest = get().items.filter((l) => l.id !== lead.id);
        if (r.claimed) {
          set({ items: rest, notice: { kind: 'claimed', text: `已领取 ${lead.name}，在「我的线索」里跟进` } });
          void useLeadsStore.getState().load();
        } else {
          set({ items: r.code === 'ALREADY_OWNED' ? rest : get().items, notice: { kind: 'refused', text: r.message } });
        }
      } catch (e) {
        set({ notice: { kind: 'refused', text: toCloudError(e).userMessage } });
      } finally {
        set({ claimingId: undefined });
      }
    },
  };
});

registerReset(() =>
  usePoolStore.setState({ ...emptyPaged<LeadSummary>(), generation: usePoolStore.getState().generation + 1, claimingId: undefined, notice: undefined, filters: noFilters() }),
);

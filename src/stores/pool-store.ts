import { create } from 'zustand';
import type { LeadSummary } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { toCloudError } from '@/services/cloud-error';
import { emptyPaged, loadFirstPage, loadNextPage, type Paged } from './paged';
import { registerReset } from './registry';
import { useLeadsStore } from './leads-store';

const PAGE_SIZE = 20;

export interface ClaimNotice {
  kind: 'claimed' | 'refused';
  text: string;
}

interface PoolState extends Paged<LeadSummary> {
  /** The lead being claimed right now. */
  claimingId?: string;
  /** What the last claim came to, in Chinese, shown above the list. */
  notice?: ClaimNotice;
  load(): Promise<void>;
  loadMore(): Promise<void>;
  claim(lead: LeadSummary): Promise<void>;
}

/** The store's pool (公海): unowned leads a consultant can claim. */
export const usePoolStore = create<PoolState>()((set, get) => {
  const read = (): Paged<LeadSummary> => get();
  const write = (next: Paged<LeadSummary>) => set(next);
  const fetchPage = (cursor?: string) => callCloud('leads', 'pool', { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
  return {
    ...emptyPaged<LeadSummary>(),
    load: () => loadFirstPage(read, write, fetchPage),
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

registerReset(() => usePoolStore.setState({ ...emptyPaged<LeadSummary>(), generation: usePoolStore.getState().generation + 1, claimingId: undefined, notice: undefined }));

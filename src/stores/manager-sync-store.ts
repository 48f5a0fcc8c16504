import { create } from 'zustand';
import type { DeadLetterView, OemSyncStatus } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { toCloudError, type CloudError } from '@/services/cloud-error';
import { emptyPaged, loadFirstPage, loadNextPage, type LoadStatus, type Paged } from './paged';
import { registerReset } from './registry';

const PAGE_SIZE = 20;

interface SyncState {
  status?: OemSyncStatus;
  statusLoad: LoadStatus;
  statusError?: CloudError;
  deadLetters: Paged<DeadLetterView>;
  replaying: boolean;
  replayError?: CloudError;
  /** Chinese confirmation of the last replay, shown above the list. */
  notice?: string;
  load(): Promise<void>;
  loadMore(): Promise<void>;
  /** Sends these dead letters again, or every one of the store; resolves true when queued. */
  replay(ids?: string[]): Promise<boolean>;
}

/** The store's sync with the OEM: queue depth, failures, dead letters and their replay. */
export const useSyncStore = create<SyncState>()((set, get) => {
  const read = () => get().deadLetters;
  const write = (deadLetters: Paged<DeadLetterView>) => set({ deadLetters });
  const fetchPage = (cursor?: string) => callCloud('oemSync', 'deadLetters', { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
  const loadStatus = async () => {
    set({ statusLoad: 'loading', statusError: undefined });
    try {
      set({ status: await callCloud('oemSync', 'status', {}), statusLoad: 'ready' });
    } catch (e) {
      set({ statusLoad: 'error', statusError: toCloudError(e) });
    }
  };
  return {
    statusLoad: 'idle',
    deadLetters: emptyPaged<DeadLetterView>(),
    replaying: false,
    load: async () => {
      await Promise.all([loadStatus(), loadFirstPage(read, write, fetchPage)]);
    },
    loadMore: () => loadNextPage(read, write, fetchPage),
    replay: async (ids) => {
      if (get().replaying) return false;
      set({ replaying: true, replayError: undefined, notice: undefined });
      try {
        const r = await callCloud('oemSync', 'replay', ids ? { ids } : { all: true });
        set({ replaying: false, notice: r.queued ? `已重新排队 ${r.queued} 条记录，将在下一次同步时发送` : '没有需要重新发送的记录' });
        await get().load();
        return true;
      } catch (e) {
        set({ replaying: false, replayError: toCloudError(e) });
        return false;
      }
    },
  };
});

registerReset(() =>
  useSyncStore.setState({
    status: undefined,
    statusLoad: 'idle',
    statusError: undefined,
    deadLetters: { ...emptyPaged<DeadLetterView>(), generation: useSyncStore.getState().deadLetters.generation + 1 },
    replaying: false,
    replayError: undefined,
    notice: undefined,
  }),
);

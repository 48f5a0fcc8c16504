import { create } from 'zustand';
import type { CustomerProfile, TimelineItem } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { toCloudError, type CloudError } from '@/services/cloud-error';
import { emptyPaged, loadFirstPage, loadNextPage, type LoadStatus, type Paged } from './paged';
import { registerReset } from './registry';

const TIMELINE_PAGE = 20;

interface ProfileState {
  customerId?: string;
  profile?: CustomerProfile;
  status: LoadStatus;
  error?: CloudError;
  timeline: Paged<TimelineItem>;
  /** Shows the customer `customerId`; loads only what is not already on screen. */
  open(customerId: string): Promise<void>;
  reload(): Promise<void>;
  loadMoreTimeline(): Promise<void>;
  retryTimeline(): Promise<void>;
}

const initial = { customerId: undefined, profile: undefined, status: 'idle' as LoadStatus, error: undefined };

export const useProfileStore = create<ProfileState>()((set, get) => {
  const readTimeline = () => get().timeline;
  const writeTimeline = (timeline: Paged<TimelineItem>) => set({ timeline });
  const fetchTimeline = (cursor?: string) => {
    const customerId = get().customerId ?? '';
    return callCloud('customers', 'timeline', { customerId, limit: TIMELINE_PAGE, ...(cursor ? { cursor } : {}) });
  };

  const loadProfile = async (customerId: string) => {
    set({ status: 'loading', error: undefined });
    try {
      const profile = await callCloud('customers', 'profile', { customerId });
      if (get().customerId === customerId) set({ profile, status: 'ready' });
    } catch (e) {
      if (get().customerId === customerId) set({ status: 'error', error: toCloudError(e) });
    }
  };

  const loadAll = async (customerId: string) => {
    await Promise.all([loadProfile(customerId), loadFirstPage(readTimeline, writeTimeline, fetchTimeline)]);
  };

  return {
    ...initial,
    timeline: emptyPaged<TimelineItem>(),
    open: async (customerId) => {
      const current = get();
      if (current.customerId === customerId && current.status !== 'error' && current.status !== 'idle') return;
      set({ ...initial, customerId, timeline: { ...emptyPaged<TimelineItem>(), generation: current.timeline.generation } });
      await loadAll(customerId);
    },
    reload: async () => {
      const { customerId } = get();
      if (customerId) await loadAll(customerId);
    },
    loadMoreTimeline: () => loadNextPage(readTimeline, writeTimeline, fetchTimeline),
    retryTimeline: () => loadFirstPage(readTimeline, writeTimeline, fetchTimeline),
  };
});

registerReset(() =>
  useProfileStore.setState({
    ...initial,
    timeline: { ...emptyPaged<TimelineItem>(), generation: useProfileStore.getState().timeline.generation + 1 },
  }),
);

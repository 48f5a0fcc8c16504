import { create } from 'zustand';
import type { DemoStore } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { toCloudError, type CloudError } from '@/services/cloud-error';
import type { LoadStatus } from './paged';
import { registerReset } from './registry';

interface DemoPeopleState {
  stores: DemoStore[];
  status: LoadStatus;
  error?: CloudError;
  load(): Promise<void>;
}

const initial = { stores: [] as DemoStore[], status: 'idle' as LoadStatus, error: undefined };

/** The local demo's stores and people, for the sign-in page. */
export const useDemoPeopleStore = create<DemoPeopleState>()((set) => ({
  ...initial,
  load: async () => {
    set({ status: 'loading', error: undefined });
    try {
      set({ stores: await callCloud('auth', 'demoPeople', {}), status: 'ready' });
    } catch (e) {
      set({ status: 'error', error: toCloudError(e) });
    }
  },
}));

registerReset(() => useDemoPeopleStore.setState(initial));

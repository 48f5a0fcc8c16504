import { create } from 'zustand';
import type { LeadFilterOptions } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { toCloudError, type CloudError } from '@/services/cloud-error';
import { registerReset } from './registry';

/** Which list the 线索 tab shows: the consultant's own leads or the store's pool (公海). */
export type LeadsView = 'mine' | 'pool';

interface LeadsViewState {
  view: LeadsView;
  /** Whether the 筛选 sheet is open. */
  sheetOpen: boolean;
  /** Tags, models and channels to filter by, with counts (leads.filters), loaded once. */
  options?: LeadFilterOptions;
  optionsStatus: 'idle' | 'loading' | 'ready' | 'error';
  optionsError?: CloudError;
  setView(view: LeadsView): void;
  openSheet(): void;
  closeSheet(): void;
  loadOptions(): Promise<void>;
}

export const useLeadsViewStore = create<LeadsViewState>()((set, get) => ({
  view: 'mine',
  sheetOpen: false,
  optionsStatus: 'idle',
  setView: (view) => set({ view }),
  openSheet: () => {
    set({ sheetOpen: true });
    if (get().optionsStatus === 'idle' || get().optionsStatus === 'error') void get().loadOptions();
  },
  closeSheet: () => set({ sheetOpen: false }),
  async loadOptions() {
    set({ optionsStatus: 'loading', optionsError: undefined });
    try {
      set({ options: await callCloud('leads', 'filters', {}), optionsStatus: 'ready' });
    } catch (e) {
      set({ optionsStatus: 'error', optionsError: toCloudError(e) });
    }
  },
}));

registerReset(() =>
  useLeadsViewStore.setState({ view: 'mine', sheetOpen: false, options: undefined, optionsStatus: 'idle', optionsError: undefined }),
);

import { create } from 'zustand';
import type { LeadFilterOptions, Params } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { toCloudError, type CloudError } from '@/services/cloud-error';
import { registerReset } from './registry';

/** Which list the 线索 tab shows: the consultant's own leads or the store's pool (公海). */
export type LeadsView = 'mine' | 'pool';

export type OptionsQuery = Params<'leads', 'filters'>;

interface LeadsViewState {
  view: LeadsView;
  /** Whether the 筛选 sheet is open. */
  sheetOpen: boolean;
  /** Tags, models and channels to filter by, counted under the filters in force (leads.filters). */
  options?: LeadFilterOptions;
  /** The filters the options were counted for. */
  optionsKey?: string;
  optionsStatus: 'idle' | 'loading' | 'ready' | 'error';
  optionsError?: CloudError;
  setView(view: LeadsView): void;
  openSheet(): void;
  closeSheet(): void;
  /** Counts the options for these filters (again only when they changed or the last try failed). */
  loadOptions(query: OptionsQuery): Promise<void>;
}

const initial = { view: 'mine' as LeadsView, sheetOpen: false, options: undefined, optionsKey: undefined, optionsStatus: 'idle' as const, optionsError: undefined };

export const useLeadsViewStore = create<LeadsViewState>()((set, get) => ({
  ...initial,
  setView: (view) => set({ view }),
  openSheet: () => set({ sheetOpen: true }),
  closeSheet: () => set({ sheetOpen: false }),
  async loadOptions(query) {
    const key = JSON.stringify(query);
    if (get().optionsKey === key && get().optionsStatus !== 'error') return;
    // The counts on screen stay until the new ones arrive: a tap does not blank the sheet.
    set({ optionsKey: key, optionsStatus: 'loading', optionsError: undefined });
    try {
      const options = await callCloud('leads', 'filters', query);
      if (get().optionsKey === key) set({ options, optionsStatus: 'ready' });
    } catch (e) {
      if (get().optionsKey === key) set({ optionsStatus: 'error', optionsError: toCloudError(e) });
    }
  },
}));

registerReset(() => useLeadsViewStore.setState(initial));

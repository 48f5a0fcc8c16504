import { create } from 'zustand';
import { registerReset } from './registry';

/** Which list the 线索 tab shows: the consultant's own leads or the store's pool (公海). */
export type LeadsView = 'mine' | 'pool';

export const useLeadsViewStore = create<{ view: LeadsView; setView(view: LeadsView): void }>()((set) => ({
  view: 'mine',
  setView: (view) => set({ view }),
}));

registerReset(() => useLeadsViewStore.setState({ view: 'mine' }));

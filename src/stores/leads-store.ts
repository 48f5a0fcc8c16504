import { create } from 'zustand';
import type { LeadSummary } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { emptyPaged, loadFirstPage, loadNextPage, type Paged } from './paged';
import { registerReset } from './registry';

const PAGE_SIZE = 20;

export interface Owner {
  id: string;
  name: string;
}

interface LeadsState extends Paged<LeadSummary> {
  /** Managers only: narrow the store's leads to one consultant (undefined = everyone). */
  ownerId?: string;
  /** Consultants seen as owners so far, for the manager's filter. */
  owners: Owner[];
  load(): Promise<void>;
  loadMore(): Promise<void>;
  filterByOwner(ownerId: string | undefined): Promise<void>;
}

function mergeOwners(known: Owner[], leads: LeadSummary[]): Owner[] {
  const byId = new Map(known.map((o) => [o.id, o]));
  for (const lead of leads) if (lead.owner && !byId.has(lead.owner.id)) byId.set(lead.owner.id, lead.owner);
  return [...byId.values()];
}

/** One list of leads: the consultant's own, or for a manager the store's (server decides by role). */
function createLeadsStore() {
  const store = create<LeadsState>()((set, get) => {
    const read = (): Paged<LeadSummary> => get();
    const write = (next: Paged<LeadSummary>) =>
      set({ ...next, owners: get().ownerId === undefined ? mergeOwners(get().owners, next.items) : get().owners });
    const fetchPage = (cursor?: string) => {
      const { ownerId } = get();
      return callCloud('leads', 'list', {
        limit: PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
        ...(ownerId ? { ownerId } : {}),
      });
    };
    return {
      ...emptyPaged<LeadSummary>(),
      owners: [],
      load: () => loadFirstPage(read, write, fetchPage),
      loadMore: () => loadNextPage(read, write, fetchPage),
      filterByOwner: (ownerId) => {
        set({ ownerId, items: [] });
        return loadFirstPage(read, write, fetchPage);
      },
    };
  });
  registerReset(() =>
    store.setState({ ...emptyPaged<LeadSummary>(), generation: store.getState().generation + 1, ownerId: undefined, owners: [] }),
  );
  return store;
}

/** The signed-in consultant's leads (线索 tab, sidebar picker). */
export const useLeadsStore = createLeadsStore();
/** The store's leads as the manager sees them. */
export const useStoreLeadsStore = createLeadsStore();

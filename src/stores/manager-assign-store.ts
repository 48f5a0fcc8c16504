import { create } from 'zustand';
import type { GradeFilter, LeadSummary, Page, ReassignResult, TeamMember } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { toCloudError, type CloudError } from '@/services/cloud-error';
import type { LoadStatus } from './paged';
import { registerReset } from './registry';

const PAGE_SIZE = 20;

export const POOL = 'pool';
export type { GradeFilter } from '@/contract';

export interface AssignFilters {
  /** undefined = the whole store, 'pool' = 公海, otherwise a consultant's id. */
  owner?: string;
  grades: GradeFilter[];
  overdueOnly: boolean;
  /** Name or phone tail (尾号) as applied to the list. */
  q?: string;
}

/** What the last action did to one row: shown on the row until the next action. */
export interface RowOutcome {
  kind: 'moved' | 'refused';
  text: string;
}

export interface AssignNotice {
  kind: 'done' | 'partial' | 'failed';
  text: string;
}

interface AssignState {
  filters: AssignFilters;
  /** The search box as typed (applied with search()). */
  query: string;
  rows: LeadSummary[];
  status: LoadStatus;
  error?: CloudError;
  /** Cursors of the pages visited so far: pageCursors[i] opens page i. */
  pageCursors: (string | undefined)[];
  pageIndex: number;
  nextCursor?: string;
  generation: number;
  team: TeamMember[];
  teamStatus: LoadStatus;
  teamError?: CloudError;
  /** Selected lead ids (kept across pages). */
  selected: string[];
  /** The leads the consultant picker is open for, if it is. */
  pickerFor?: string[];
  acting: boolean;
  outcomes: Record<string, RowOutcome>;
  notice?: AssignNotice;

  load(): Promise<void>;
  nextPage(): Promise<void>;
  previousPage(): Promise<void>;
  loadTeam(): Promise<void>;
  setOwner(owner: string | undefined): Promise<void>;
  toggleGrade(grade: GradeFilter): Promise<void>;
  setOverdueOnly(on: boolean): Promise<void>;
  setQuery(text: string): void;
  search(): Promise<void>;
  toggleRow(id: string): void;
  toggleAllOnPage(): void;
  clearSelection(): void;
  openPicker(ids: string[]): void;
  closePicker(): void;
  /** Gives the leads to a consultant, or back to the pool with 'pool'. */
  reassign(ids: string[], to: string): Promise<void>;
}

const initial = () => ({
  filters: { grades: [], overdueOnly: false } as AssignFilters,
  query: '',
  rows: [] as LeadSummary[],
  status: 'idle' as LoadStatus,
  error: undefined,
  pageCursors: [undefined] as (string | undefined)[],
  pageIndex: 0,
  nextCursor: undefined,
  team: [] as TeamMember[],
  teamStatus: 'idle' as LoadStatus,
  teamError: undefined,
  selected: [] as string[],
  pickerFor: undefined,
  acting: false,
  outcomes: {} as Record<string, RowOutcome>,
  notice: undefined,
  generation: 0,
});

function fetchTablePage(filters: AssignFilters, cursor: string | undefined): Promise<Page<LeadSummary>> {
  const common = {
    limit: PAGE_SIZE,
    ...(cursor ? { cursor } : {}),
    ...(filters.grades.length ? { grades: filters.grades } : {}),
    ...(filters.q ? { q: filters.q } : {}),
    ...(filters.overdueOnly ? { overdue: true } : {}),
  };
  if (filters.owner === POOL) return callCloud('leads', 'pool', common);
  return callCloud('leads', 'list', { ...common, ...(filters.owner ? { ownerId: filters.owner } : {}) });
}

/** The new owner of moved rows, and the team's counts moved along with them (until the server's arrive). */
function applyMoves(state: AssignState, result: ReassignResult, to: string): Partial<AssignState> {
  const moved = new Set(result.moved);
  const target = state.team.find((m) => m.id === to);
  const fromCounts = new Map<string, number>();
  const rows = state.rows.map((row) => {
    if (!moved.has(row.id)) return row;
    if (row.owner) fromCounts.set(row.owner.id, (fromCounts.get(row.owner.id) ?? 0) + 1);
    return { ...row, owner: to === POOL ? undefined : target ? { id: target.id, name: target.name } : row.owner };
  });
  const team = state.team.map((m) => {
    const out = fromCounts.get(m.id) ?? 0;
    const inn = m.id === to ? result.moved.length : 0;
    if (!out && !inn) return m;
    return { ...m, activeLeads: Math.max(0, m.activeLeads - out + inn), receivedToday: m.receivedToday + inn };
  });
  return { rows, team };
}

/** The manager's assignment view: the store's leads page by page, the team's load, reassigning. */
export const useAssignStore = create<AssignState>()((set, get) => {
  const showPage = async (index: number, cursor: string | undefined) => {
    const generation = get().generation + 1;
    set({ generation, status: 'loading', error: undefined });
    try {
      const page = await fetchTablePage(get().filters, cursor);
      if (get().generation !== generation) return;
      const cursors = get().pageCursors.slice(0, index + 1);
      cursors[index] = cursor;
      set({ rows: page.items, nextCursor: page.nextCursor, pageIndex: index, pageCursors: cursors, status: 'ready' });
    } catch (e) {
      if (get().generation !== generation) return;
      set({ status: 'error', error: toCloudError(e) });
    }
  };
  const restart = (filters: AssignFilters) => {
    set({ filters, pageCursors: [undefined], pageIndex: 0, outcomes: {} });
    return showPage(0, undefined);
  };

  return {
    ...initial(),
    load: () => showPage(get().pageIndex, get().pageCursors[get().pageIndex]),
    nextPage: async () => {
      const { nextCursor, pageIndex, status } = get();
      if (!nextCursor || status === 'loading') return;
      await showPage(pageIndex + 1, nextCursor);
    },
    previousPage: async () => {
      const { pageIndex, pageCursors, status } = get();
      if (pageIndex === 0 || status === 'loading') return;
      await showPage(pageIndex - 1, pageCursors[pageIndex - 1]);
    },
    loadTeam: async () => {
      set({ teamStatus: 'loading', teamError: undefined });
      try {
        set({ team: await callCloud('leads', 'team', {}), teamStatus: 'ready' });
      } catch (e) {
        set({ teamStatus: 'error', teamError: toCloudError(e) });
      }
    },
    setOwner: (owner) => restart({ ...get().filters, owner }),
    toggleGrade: (grade) => {
      const { grades } = get().filters;
      return restart({ ...get().filters, grades: grades.includes(grade) ? grades.filter((g) => g !== grade) : [...grades, grade] });
    },
    setOverdueOnly: (on) => restart({ ...get().filters, overdueOnly: on }),
    setQuery: (text) => set({ query: text }),
    search: () => {
      const q = get().query.trim().slice(0, 20);
      return restart({ ...get().filters, q: q || undefined });
    },
    toggleRow: (id) => {
      const { selected } = get();
      set({ selected: selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id] });
    },
    toggleAllOnPage: () => {
      const { selected, rows } = get();
      const ids = rows.map((r) => r.id);
      const all = ids.length > 0 && ids.every((id) => selected.includes(id));
      set({ selected: all ? selected.filter((s) => !ids.includes(s)) : [...new Set([...selected, ...ids])] });
    },
    clearSelection: () => set({ selected: [] }),
    openPicker: (ids) => set({ pickerFor: ids }),
    closePicker: () => set({ pickerFor: undefined }),
    reassign: async (ids, to) => {
      if (ids.length === 0 || get().acting) return;
      set({ acting: true, notice: undefined, pickerFor: undefined });
      try {
        const result = await callCloud('leads', 'reassign', { customerIds: ids, to });
        const outcomes: Record<string, RowOutcome> = {};
        const targetName = to === POOL ? '公海' : (get().team.find((m) => m.id === to)?.name ?? '');
        for (const id of result.moved) outcomes[id] = { kind: 'moved', text: to === POOL ? '已退回公海' : `已分配给 ${targetName}` };
        for (const r of result.refused) outcomes[r.customerId] = { kind: 'refused', text: r.message };
        const handled = new Set([...result.moved, ...result.refused.map((r) => r.customerId)]);
        set({
          ...applyMoves(get(), result, to),
          outcomes,
          selected: get().selected.filter((id) => !handled.has(id) || result.refused.some((r) => r.customerId === id)),
          notice: { kind: result.refused.length === 0 ? 'done' : result.moved.length === 0 ? 'failed' : 'partial', text: result.message },
        });
        void get().loadTeam();
      } catch (e) {
        set({ notice: { kind: 'failed', text: toCloudError(e).userMessage } });
      } finally {
        set({ acting: false });
      }
    },
  };
});

registerReset(() => useAssignStore.setState({ ...initial(), generation: useAssignStore.getState().generation + 1 }));

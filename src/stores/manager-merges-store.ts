import { create } from 'zustand';
import type { MergeView } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { toCloudError, type CloudError } from '@/services/cloud-error';
import { emptyPaged, loadFirstPage, loadNextPage, type Paged } from './paged';
import { registerReset } from './registry';

const PAGE_SIZE = 20;

interface UndoDraft {
  merge: MergeView;
  reason: string;
  busy: boolean;
  error?: CloudError;
}

interface MergesState extends Paged<MergeView> {
  /** The merge the confirm dialog is open for. */
  undo?: UndoDraft;
  /** Chinese confirmation of the last undo, shown above the list. */
  notice?: string;
  load(): Promise<void>;
  loadMore(): Promise<void>;
  askUndo(merge: MergeView): void;
  setUndoReason(reason: string): void;
  cancelUndo(): void;
  /** Undoes the merge the dialog is open for; resolves true when it is undone. */
  confirmUndo(): Promise<boolean>;
}

/** The store's merge records (OneID) and undoing one. */
export const useMergesStore = create<MergesState>()((set, get) => {
  const read = (): Paged<MergeView> => get();
  const write = (next: Paged<MergeView>) => set(next);
  const fetchPage = (cursor?: string) => callCloud('customers', 'merges', { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
  return {
    ...emptyPaged<MergeView>(),
    load: () => loadFirstPage(read, write, fetchPage),
    loadMore: () => loadNextPage(read, write, fetchPage),
    askUndo: (merge) => set({ undo: { merge, reason: '', busy: false }, notice: undefined }),
    setUndoReason: (reason) => {
      const { undo } = get();
      if (undo) set({ undo: { ...undo, reason, error: undefined } });
    },
    cancelUndo: () => {
      if (!get().undo?.busy) set({ undo: undefined });
    },
    confirmUndo: async () => {
      const draft = get().undo;
      const reason = draft?.reason.trim() ?? '';
      if (!draft || draft.busy || !reason) return false;
      set({ undo: { ...draft, busy: true, error: undefined } });
      try {
        const undone = await callCloud('customers', 'undoMerge', { mergeId: draft.merge.id, reason: reason.slice(0, 100) });
        set({
          items: get().items.map((m) => (m.id === undone.id ? undone : m)),
          undo: undefined,
          notice: `已撤销合并，${[undone.survivor, ...undone.merged].map((c) => c.name).join('、')} 恢复为各自独立的客户`,
        });
        return true;
      } catch (e) {
        const current = get().undo;
        if (current) set({ undo: { ...current, busy: false, error: toCloudError(e) } });
        return false;
      }
    },
  };
});

registerReset(() =>
  useMergesStore.setState({ ...emptyPaged<MergeView>(), generation: useMergesStore.getState().generation + 1, undo: undefined, notice: undefined }),
);

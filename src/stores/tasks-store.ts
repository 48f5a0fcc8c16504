import { create } from 'zustand';
import type { TaskInbox } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { toCloudError, type CloudError } from '@/services/cloud-error';
import { registerReset } from './registry';

export type InboxMode = 'due' | 'strategy';

interface TasksState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  inbox?: TaskInbox;
  error?: CloudError;
  mode: InboxMode;
  /** Tasks being ticked off, and the last one that failed (with why). */
  completing: string[];
  completeError?: { taskId: string; message: string };
  load(): Promise<void>;
  setMode(mode: InboxMode): void;
  /** Ticks a task off (it leaves the list at once; it comes back if the server refused). */
  complete(taskId: string): Promise<boolean>;
}

const initial = { status: 'idle' as const, inbox: undefined, error: undefined, mode: 'due' as InboxMode, completing: [], completeError: undefined };

const without = (inbox: TaskInbox, taskId: string): TaskInbox => ({
  ...inbox,
  byDue: inbox.byDue.map((s) => ({ ...s, items: s.items.filter((t) => t.id !== taskId) })).filter((s) => s.items.length),
  byStrategy: inbox.byStrategy.map((g) => ({ ...g, items: g.items.filter((t) => t.id !== taskId) })).filter((g) => g.items.length),
  open: Math.max(0, inbox.open - 1),
  doneToday: inbox.doneToday + 1,
});

export const useTasksStore = create<TasksState>()((set, get) => ({
  ...initial,
  async load() {
    set({ status: get().inbox ? 'ready' : 'loading', error: undefined });
    try {
      set({ inbox: await callCloud('tasks', 'inbox', {}), status: 'ready' });
    } catch (e) {
      set({ status: 'error', error: toCloudError(e) });
    }
  },
  setMode: (mode) => set({ mode }),
  async complete(taskId) {
    const before = get().inbox;
    if (!before) return false;
    set({ inbox: without(before, taskId), completing: [...get().completing, taskId], completeError: undefined });
    try {
      await callCloud('tasks', 'complete', { taskId });
      return true;
    } catch (e) {
      set({ inbox: before, completeError: { taskId, message: toCloudError(e).userMessage } });
      return false;
    } finally {
      set({ completing: get().completing.filter((id) => id !== taskId) });
    }
  },
}));

registerReset(() => useTasksStore.setState(initial));

import { create } from 'zustand';
import type { BatchSendResult } from '@/contract';
import { randomId } from '@/platform/contact';
import { callCloud } from '@/services/call-cloud';
import { toCloudError } from '@/services/cloud-error';
import { registerReset } from './registry';
import { useTasksStore } from './tasks-store';

interface BatchState {
  sending: boolean;
  result?: BatchSendResult;
  error?: string;
  /** Sends a strategy's open invitations as WeCom mass-send tasks (one per customer, each with its own link). */
  send(materialId: string, items: { customerId: string; taskId: string }[]): Promise<void>;
  reset(): void;
}

export const useBatchStore = create<BatchState>()((set, get) => ({
  sending: false,
  async send(materialId, items) {
    if (get().sending) return;
    set({ sending: true, error: undefined, result: undefined });
    try {
      const result = await callCloud('sends', 'batch', { materialId, channel: 'wecom_mass', items: items.slice(0, 50).map((i) => ({ ...i, sendId: randomId() })) });
      set({ result });
      void useTasksStore.getState().load();
    } catch (e) {
      set({ error: toCloudError(e).userMessage });
    } finally {
      set({ sending: false });
    }
  },
  reset: () => set({ sending: false, result: undefined, error: undefined }),
}));

registerReset(() => useBatchStore.getState().reset());

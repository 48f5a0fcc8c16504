/**
 * A strategy's batch send, chosen by what the platform can do:
 * - in WeCom (the sidebar's JS-SDK): one customer at a time through WeCom's share sheet
 *   (`shareToExternalContact`, the customer preselected, their own link in the message), which
 *   the consultant confirms there and comes back for the next;
 * - elsewhere (a browser, the mini-program): one customer at a time copied (text + their own
 *   link, 复制并记为已发送) to paste into that customer's chat, or all of them as WeCom mass-send
 *   tasks the consultant confirms later in WeCom's 群发助手.
 * Every send is recorded first, with its own id (a retry records it once); the server checks
 * consent and the frequency cap and a refusal is listed with its reason.
 */
import { create } from 'zustand';
import type { BatchSendResult } from '@/contract';
import { copyText, randomId } from '@/platform/contact';
import { detectWecomContext, shareToContact, WecomFailure } from '@/platform/wecom';
import { callCloud } from '@/services/call-cloud';
import { toCloudError } from '@/services/cloud-error';
import { registerReset } from './registry';
import { copied, outgoing } from './send-store';
import { useTasksStore } from './tasks-store';

export interface BatchItem {
  customerId: string;
  taskId: string;
  materialId: string;
  name: string;
  phoneMasked: string;
}

export interface BatchOutcome {
  customerId: string;
  name: string;
  state: 'sent' | 'refused' | 'skipped';
  /** Chinese: what happened, or why it was refused. */
  text: string;
}

type Platform = 'detecting' | 'wecom' | 'elsewhere';

interface BatchState {
  platform: Platform;
  sending: boolean;
  /** The mass-send answer (elsewhere). */
  result?: BatchSendResult;
  error?: string;
  /** The one-at-a-time sequence (copy, or WeCom's share sheet), once started. */
  queue?: BatchItem[];
  index: number;
  outcomes: BatchOutcome[];
  detect(): Promise<void>;
  /** Sends a strategy's open invitations as WeCom mass-send tasks (one per customer, each with its own link). */
  send(materialId: string, items: { customerId: string; taskId: string }[]): Promise<void>;
  start(items: BatchItem[]): void;
  /** Records the current customer's send, then copies it or opens WeCom's share sheet; moves on. */
  sendCurrent(): Promise<void>;
  skipCurrent(): void;
  reset(): void;
}

const initial = { platform: 'detecting' as Platform, sending: false, result: undefined, error: undefined, queue: undefined, index: 0, outcomes: [] as BatchOutcome[] };

export const useBatchStore = create<BatchState>()((set, get) => ({
  ...initial,
  async detect() {
    try {
      const context = await detectWecomContext({ fetchSignatures: (url) => callCloud('auth', 'jsapiConfig', { url }) });
      set({ platform: context.inWecom ? 'wecom' : 'elsewhere' });
    } catch {
      // WeCom refused the JS-SDK: its share sheet is out of reach, the fallbacks are not.
      set({ platform: 'elsewhere' });
    }
  },
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
  start: (items) => set({ queue: items, index: 0, outcomes: [], error: undefined }),
  async sendCurrent() {
    const { queue, index, sending, platform } = get();
    const item = queue?.[index];
    if (!item || sending) return;
    const inWecom = platform === 'wecom';
    set({ sending: true, error: undefined });
    const next = (o: Omit<BatchOutcome, 'customerId' | 'name'>) =>
      set({ outcomes: [...get().outcomes, { customerId: item.customerId, name: item.name, ...o }], index: get().index + 1 });
    try {
      const r = await callCloud('sends', 'send', { sendId: randomId(), customerId: item.customerId, materialId: item.materialId, channel: inWecom ? 'wecom_share' : 'copy', taskId: item.taskId });
      if (!r.sent) return next({ state: 'refused', text: r.reason });
      if (inWecom && r.externalUserId) {
        try {
          await shareToContact([r.externalUserId], outgoing(r.message));
          next({ state: 'sent', text: '已在企业微信中发送' });
        } catch (e) {
          // Recorded already (the cap errs on the customer's side); the consultant may still forward it by hand.
          const cancelled = e instanceof WecomFailure;
          next({ state: 'sent', text: cancelled ? '已记录，企业微信未完成发送，请在聊天中手动转发' : '已记录发送' });
        }
      } else {
        const done = await copyText(copied(r.message));
        next({ state: 'sent', text: done ? '已复制并记为已发送' : '已记为已发送，复制失败，请手动转发' });
      }
    } catch (e) {
      set({ error: toCloudError(e).userMessage });
    } finally {
      set({ sending: false });
      if (get().queue && get().index >= get().queue!.length) void useTasksStore.getState().load();
    }
  },
  skipCurrent() {
    const { queue, index } = get();
    const item = queue?.[index];
    if (!item) return;
    set({ outcomes: [...get().outcomes, { customerId: item.customerId, name: item.name, state: 'skipped', text: '已跳过，任务保留' }], index: index + 1 });
    if (index + 1 >= queue!.length) void useTasksStore.getState().load();
  },
  reset: () => set({ ...initial, platform: get().platform }),
}));

registerReset(() => useBatchStore.setState(initial));

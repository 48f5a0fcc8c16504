/**
 * The 发送 flow: the material picker (kind tabs + list, two taps to a send) and the send itself.
 * In the WeCom chat sidebar the message goes into the chat (`sendChatMessage`); anywhere else the
 * text and the customer's tracked link are copied. Either way the send is recorded first, with a
 * send id made here, so a retry records it once and the cap and consent are checked by the server.
 */
import { create } from 'zustand';
import type { MaterialKind, MaterialView, SendMessage, SendView } from '@/contract';
import { copyText, randomId, trackedUrl } from '@/platform/contact';
import { sendToChat, type OutgoingMessage } from '@/platform/wecom';
import { callCloud } from '@/services/call-cloud';
import { toCloudError } from '@/services/cloud-error';
import { registerReset } from './registry';

export type PickerTab = 'invitation' | 'content' | 'script' | 'miniprogram';

export const PICKER_TABS: { tab: PickerTab; label: string; kinds: MaterialKind[] }[] = [
  { tab: 'invitation', label: '活动邀约', kinds: ['invitation'] },
  { tab: 'content', label: '文章海报', kinds: ['article', 'poster', 'video', 'live'] },
  { tab: 'script', label: '话术', kinds: ['script'] },
  { tab: 'miniprogram', label: '小程序', kinds: ['miniprogram'] },
];

interface Target {
  customerId: string;
  taskId?: string;
  /** The sidebar in a WeCom chat: the message goes into it. */
  inChat: boolean;
}

interface SendState {
  visible: boolean;
  target?: Target;
  tab: PickerTab;
  materials: MaterialView[];
  materialsStatus: 'idle' | 'loading' | 'ready' | 'error';
  materialsError?: string;
  /** The material being sent. */
  sending?: string;
  /** What the last send did, in Chinese (sent, copied, or why it was refused). */
  result?: { ok: boolean; text: string };
  /** The customer's recent sends, for the profile. */
  history: { customerId?: string; items: SendView[]; status: 'idle' | 'loading' | 'ready' | 'error' };
  open(target: Target): void;
  close(): void;
  setTab(tab: PickerTab): void;
  loadMaterials(): Promise<void>;
  send(material: MaterialView): Promise<boolean>;
  loadHistory(customerId: string): Promise<void>;
}

/** A recorded send's message as WeCom takes it (chat, share sheet). */
export function outgoing(m: SendMessage): OutgoingMessage {
  if (m.text) return { kind: 'text', text: m.text };
  if (m.kind === 'miniprogram') return { kind: 'miniprogram', title: m.title, page: m.path, ...(m.imageUrl ? { imgUrl: m.imageUrl } : {}) };
  return { kind: 'news', title: m.title, desc: m.description, url: trackedUrl(m.path), ...(m.imageUrl ? { imgUrl: m.imageUrl } : {}) };
}

/** What is copied outside WeCom: a script as it is; anything else as its title and the customer's link. */
export const copied = (m: SendMessage) => m.text ?? `${m.title}\n${m.description}\n${trackedUrl(m.path)}`;

const initial = {
  visible: false,
  target: undefined,
  tab: 'invitation' as PickerTab,
  sending: undefined,
  result: undefined,
  history: { customerId: undefined, items: [], status: 'idle' as const },
};

export const useSendStore = create<SendState>()((set, get) => ({
  ...initial,
  materials: [],
  materialsStatus: 'idle',
  materialsError: undefined,
  open(target) {
    set({ visible: true, target, result: undefined });
    if (get().materialsStatus !== 'ready') void get().loadMaterials();
  },
  close: () => set({ visible: false }),
  setTab: (tab) => set({ tab }),
  async loadMaterials() {
    set({ materialsStatus: 'loading', materialsError: undefined });
    try {
      set({ materials: await callCloud('materials', 'list', {}), materialsStatus: 'ready' });
    } catch (e) {
      set({ materialsStatus: 'error', materialsError: toCloudError(e).userMessage });
    }
  },
  async send(material) {
    const target = get().target;
    if (!target || get().sending) return false;
    set({ sending: material.id, result: undefined });
    try {
      const r = await callCloud('sends', 'send', {
        sendId: randomId(),
        customerId: target.customerId,
        materialId: material.id,
        channel: target.inChat ? 'wecom_chat' : 'copy',
        ...(target.taskId ? { taskId: target.taskId } : {}),
      });
      if (!r.sent) {
        set({ result: { ok: false, text: r.reason } });
        return false;
      }
      if (target.inChat) {
        await sendToChat(outgoing(r.message));
        set({ result: { ok: true, text: `已发送《${material.title}》` }, visible: false });
      } else {
        const done = await copyText(copied(r.message));
        set({ result: { ok: true, text: done ? '已复制内容和专属链接，并记录发送' : '已记录发送，复制失败，请手动转发' }, visible: false });
      }
      void get().loadHistory(target.customerId);
      return true;
    } catch (e) {
      set({ result: { ok: false, text: toCloudError(e).userMessage } });
      return false;
    } finally {
      set({ sending: undefined });
    }
  },
  async loadHistory(customerId) {
    set({ history: { ...get().history, customerId, status: get().history.customerId === customerId ? get().history.status : 'loading' } });
    try {
      const items = await callCloud('sends', 'ofCustomer', { customerId });
      if (get().history.customerId === customerId) set({ history: { customerId, items, status: 'ready' } });
    } catch {
      if (get().history.customerId === customerId) set({ history: { customerId, items: get().history.items, status: 'error' } });
    }
  },
}));

registerReset(() => useSendStore.setState({ ...initial, materials: [], materialsStatus: 'idle', materialsError: undefined }));

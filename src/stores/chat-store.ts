import { create } from 'zustand';
import type { GroupChatCustomers } from '@/contract';
import { callCloud } from '@/services/call-cloud';
import { CloudError, toCloudError } from '@/services/cloud-error';
import { CHAT_ENTRIES, detectWecomContext, WecomFailure, type WecomFailureReason } from '@/platform/wecom';
import { firstScreenOf, useProfileStore } from './profile-store';
import { registerReset } from './registry';

/**
 * Which customer the sidebar is about:
 * - matched: opened from a customer's detail page or a one-to-one chat whose contact we know;
 * - group: opened from a customer group's toolbar (`group` lists the caller's customers in it);
 * - outside: not inside WeCom at all;
 * - no-chat: inside WeCom but not from a customer's page or chat;
 * - unknown-contact: the chat's contact has no customer record the caller may see;
 * - error: WeCom or the server failed (the message says which).
 */
export type ChatPhase = 'idle' | 'detecting' | 'matched' | 'group' | 'outside' | 'no-chat' | 'unknown-contact' | 'error';

interface ChatState {
  phase: ChatPhase;
  /** The chat's customer (phase matched). */
  chatCustomerId?: string;
  /** The customer group and the caller's customers in it (phase group). */
  group?: GroupChatCustomers;
  /** Chinese message for phase error. */
  errorMessage?: string;
  /** Opened from a chat's toolbar: a send goes straight into the chat. */
  inChat: boolean;
  /** A customer opened from the group's list, or picked by hand when the chat could not tell. */
  pickedCustomerId?: string;
  pickedFrom?: 'group' | 'search';
  query: string;
  detect(): Promise<void>;
  pick(customerId: string, from?: 'group' | 'search'): void;
  unpick(): void;
  setQuery(query: string): void;
}

const initial = {
  phase: 'idle' as ChatPhase,
  chatCustomerId: undefined,
  group: undefined,
  errorMessage: undefined,
  inChat: false,
  pickedCustomerId: undefined,
  pickedFrom: undefined,
  query: '',
};

const wecomMessages: Record<WecomFailureReason, string> = {
  permission: '企业微信没有授权销售助手读取当前聊天，请联系管理员开通客户联系权限',
  context: '企业微信没有提供当前聊天的客户，请从客户聊天的工具栏重新打开',
  timeout: '企业微信没有响应，请稍后重试',
  failed: '企业微信没有授权这次访问，请稍后重试',
};

export const useChatStore = create<ChatState>()((set) => ({
  ...initial,
  detect: async () => {
    set({ ...initial, phase: 'detecting', query: useChatStore.getState().query });
    try {
      const context = await detectWecomContext({ fetchSignatures: (url) => callCloud('auth', 'jsapiConfig', { url }) });
      if (!context.inWecom) return set({ phase: 'outside' });
      if (context.kind === 'none') return set({ phase: 'no-chat' });
      set({ inChat: CHAT_ENTRIES.includes(context.entry) });
      if (context.kind === 'group') {
        const group = await callCloud('customers', 'byExternalChat', { chatId: context.chatId });
        // One customer in the group is the one the consultant is talking to: open them at once.
        const only = group.customers.length === 1 ? group.customers[0].id : undefined;
        return set({ phase: 'group', group, ...(only ? { pickedCustomerId: only, pickedFrom: 'group' as const } : {}) });
      }
      try {
        // Whom the chat is with and what their page shows first, in one round trip: the profile
        // store gets it before anyone learns the customer, so nothing asks for it again.
        const screen = await firstScreenOf({ externalUserId: context.externalUserId });
        void useProfileStore.getState().open(screen.customerId, Promise.resolve(screen));
        set({ phase: 'matched', chatCustomerId: screen.customerId });
      } catch (e) {
        if (e instanceof CloudError && e.code === 'NOT_FOUND') return set({ phase: 'unknown-contact' });
        throw e;
      }
    } catch (e) {
      const errorMessage = e instanceof WecomFailure ? wecomMessages[e.reason] : toCloudError(e).userMessage;
      set({ phase: 'error', errorMessage });
    }
  },
  pick: (customerId, from = 'search') => set({ pickedCustomerId: customerId, pickedFrom: from }),
  unpick: () => set({ pickedCustomerId: undefined, pickedFrom: undefined }),
  setQuery: (query) => set({ query }),
}));

registerReset(() => useChatStore.setState(initial));

import { create } from 'zustand';
import { callCloud } from '@/services/call-cloud';
import { CloudError, toCloudError } from '@/services/cloud-error';
import { detectWecomContext, WecomFailure } from '@/platform/wecom';
import { registerReset } from './registry';

/**
 * Which customer the sidebar is about:
 * - matched: opened from a one-to-one chat whose contact we know;
 * - outside: not inside WeCom at all;
 * - no-chat: inside WeCom but not from a one-to-one chat's toolbar;
 * - unknown-contact: the chat's contact has no customer record yet;
 * - error: WeCom or the server failed (the message says which).
 */
export type ChatPhase = 'idle' | 'detecting' | 'matched' | 'outside' | 'no-chat' | 'unknown-contact' | 'error';

interface ChatState {
  phase: ChatPhase;
  /** The chat's customer (phase matched). */
  chatCustomerId?: string;
  /** Chinese message for phase error. */
  errorMessage?: string;
  /** A customer picked by hand when the chat could not tell. */
  pickedCustomerId?: string;
  query: string;
  detect(): Promise<void>;
  pick(customerId: string): void;
  unpick(): void;
  setQuery(query: string): void;
}

const initial = {
  phase: 'idle' as ChatPhase,
  chatCustomerId: undefined,
  errorMessage: undefined,
  pickedCustomerId: undefined,
  query: '',
};

export const useChatStore = create<ChatState>()((set) => ({
  ...initial,
  detect: async () => {
    set({ phase: 'detecting', errorMessage: undefined, chatCustomerId: undefined });
    try {
      const context = await detectWecomContext({
        corpId: WECOM_CORP_ID,
        agentId: WECOM_AGENT_ID,
        fetchSignatures: (url) => callCloud('auth', 'jsapiConfig', { url }),
      });
      if (!context.inWecom) return set({ phase: 'outside' });
      if (!context.externalUserId) return set({ phase: 'no-chat' });
      const { customerId } = await callCloud('customers', 'byExternalUserId', { externalUserId: context.externalUserId });
      set({ phase: 'matched', chatCustomerId: customerId });
    } catch (e) {
      if (e instanceof CloudError && e.code === 'NOT_FOUND') return set({ phase: 'unknown-contact' });
      const errorMessage = e instanceof WecomFailure ? '企业微信没有授权这次访问，请稍后重试' : toCloudError(e).userMessage;
      set({ phase: 'error', errorMessage });
    }
  },
  pick: (customerId) => set({ pickedCustomerId: customerId }),
  unpick: () => set({ pickedCustomerId: undefined }),
  setQuery: (query) => set({ query }),
}));

registerReset(() => useChatStore.setState(initial));

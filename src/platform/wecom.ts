/**
 * The WeCom bridge. Taro builds `wecom.h5.ts` or `wecom.weapp.ts` in place of this file; it only
 * declares what both export.
 */
import type { OutgoingMessage, WecomContext, WecomSetup } from './wecom-common';

export {
  CHAT_ENTRIES,
  type OutgoingMessage,
  CONTACT_ENTRIES,
  GROUP_ENTRIES,
  WecomFailure,
  type WecomContext,
  type WecomFailureReason,
  type WecomSetup,
  type JsapiSignatureData,
} from './wecom-common';

/** Whether this runtime can sign people in with WeCom OAuth (only the H5 sidebar can). */
export declare const canUseWecomOAuth: boolean;

/**
 * Where the page is running: outside WeCom `{ inWecom: false }`; inside, the entry and whom it
 * is about: the customer (detail page, one-to-one chat) or the customer group (group chat).
 * Rejects with `WecomFailure` when WeCom refuses, or with what `fetchSignatures` threw.
 */
export declare function detectWecomContext(setup: WecomSetup): Promise<WecomContext>;

/** Reads the OAuth `code` WeCom appended to our URL and removes it so a reload cannot reuse it. */
export declare function takeOAuthCode(): string | undefined;

/** Leaves the app for WeCom's silent (snsapi_base) authorisation; WeCom comes back with `code`. */
export declare function redirectToOAuth(corpId: string, agentId: string): void;

/**
 * Sends into the chat the sidebar was opened from (`sendChatMessage`, chat toolbar only).
 * Rejects with `WecomFailure` outside such a chat or when the consultant cancels.
 */
export declare function sendToChat(message: OutgoingMessage): Promise<void>;

/** Opens WeCom's 群发 to this customer with the message (`shareToExternalContact`); the consultant confirms it there. */
export declare function shareToContact(externalUserIds: readonly string[], message: OutgoingMessage): Promise<void>;

/** What both WeCom bridges share. Lives apart from `wecom.ts`, which Taro swaps per platform. */

/**
 * `getContext().entry` values where `getCurExternalContact` names one customer: their detail
 * page, a one-to-one chat's toolbar, a WeChat customer-service chat's toolbar.
 */
export const CONTACT_ENTRIES: readonly string[] = ['contact_profile', 'single_chat_tools', 'single_kf_tools'];
/** The customer group's toolbar: `getCurExternalChat` names the group, never a customer. */
export const GROUP_ENTRIES: readonly string[] = ['group_chat_tools'];

/**
 * Where the page runs. Inside WeCom, `entry` is WeCom's own name for where it was opened and the
 * rest says who it is about: one customer (`externalUserId`, WeCom's external_userid), a
 * customer group (`chatId`), or nobody (the workbench, an internal chat...).
 */
export type WecomContext =
  | { inWecom: false }
  | { inWecom: true; entry: string; kind: 'contact'; externalUserId: string }
  | { inWecom: true; entry: string; kind: 'group'; chatId: string }
  | { inWecom: true; entry: string; kind: 'none' };

export interface JsapiSignatureData {
  timestamp: number;
  nonceStr: string;
  signature: string;
}

export interface WecomSetup {
  /**
   * Asks our server to sign `url` for both the corp and the agent (auth.jsapiConfig). The server
   * also says which corp and app it signs for, so a build needs no WeCom ids for the JS-SDK.
   */
  fetchSignatures: (url: string) => Promise<{ corpId: string; agentId: string; config: JsapiSignatureData; agentConfig: JsapiSignatureData }>;
}

/**
 * Why a JS-SDK call failed: the app lacks the customer-contact permission or the signature was
 * refused (`permission`), the page was opened where the call does not apply (`context`), WeCom
 * never answered (`timeout`), or anything else (`failed`).
 */
export type WecomFailureReason = 'permission' | 'context' | 'timeout' | 'failed';

/** WeCom refused a JS-SDK call (bad signature, no permission, old client). */
export class WecomFailure extends Error {
  constructor(
    message: string,
    readonly reason: WecomFailureReason = 'failed',
  ) {
    super(message);
    this.name = 'WecomFailure';
  }
}

/** What goes into a WeCom chat or mass message: a script's text, a link card, or a mini-program card. */
export type OutgoingMessage =
  | { kind: 'text'; text: string }
  | { kind: 'news'; title: string; desc: string; url: string; imgUrl?: string }
  | { kind: 'miniprogram'; title: string; page: string; imgUrl?: string };

/** Entries from which `sendChatMessage` reaches the open chat. */
export const CHAT_ENTRIES: readonly string[] = ['single_chat_tools', 'group_chat_tools', 'single_kf_tools'];

/** What both WeCom bridges share. Lives apart from `wecom.ts`, which Taro swaps per platform. */

/** `getContext().entry` values that mean the page was opened from a chat's toolbar. */
export const CHAT_TOOLBAR_ENTRIES: readonly string[] = ['single_chat_tools', 'group_chat_tools'];

export type WecomContext =
  | { inWecom: false }
  /** `externalUserId` is the customer of the current one-to-one chat, when there is one. */
  | { inWecom: true; entry: string; externalUserId?: string };

export interface JsapiSignatureData {
  timestamp: number;
  nonceStr: string;
  signature: string;
}

export interface WecomSetup {
  corpId: string;
  agentId: string;
  /** Asks our server to sign `url` for both the corp and the agent (auth.jsapiConfig). */
  fetchSignatures: (url: string) => Promise<{ config: JsapiSignatureData; agentConfig: JsapiSignatureData }>;
}

/** WeCom refused a JS-SDK call (bad signature, no permission, old client). */
export class WecomFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WecomFailure';
  }
}

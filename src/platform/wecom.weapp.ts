import { WecomFailure, type OutgoingMessage, type WecomContext, type WecomSetup } from './wecom-common';

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

/** The mini-program is not the WeCom chat sidebar: the platform identifies the caller instead. */
export const canUseWecomOAuth = false;

export async function detectWecomContext(_setup: WecomSetup): Promise<WecomContext> {
  return { inWecom: false };
}

export function takeOAuthCode(): string | undefined {
  return undefined;
}

export function redirectToOAuth(_corpId: string, _agentId: string): void {
  throw new Error('WeCom OAuth runs only in the H5 sidebar');
}

export async function sendToChat(_message: OutgoingMessage): Promise<void> {
  throw new WecomFailure('sendChatMessage runs only in the WeCom sidebar', 'context');
}

export async function shareToContact(_ids: readonly string[], _message: OutgoingMessage): Promise<void> {
  throw new WecomFailure('shareToExternalContact runs only in WeCom', 'context');
}

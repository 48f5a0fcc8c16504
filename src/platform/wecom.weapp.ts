import type { WecomContext, WecomSetup } from './wecom-common';

export {
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

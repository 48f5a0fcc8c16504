import { CHAT_TOOLBAR_ENTRIES, WecomFailure, type WecomContext, type WecomSetup } from './wecom-common';

export {
  CHAT_TOOLBAR_ENTRIES,
  WecomFailure,
  type WecomContext,
  type WecomSetup,
  type JsapiSignatureData,
} from './wecom-common';

export const canUseWecomOAuth = true;

const isWecomBrowser = (): boolean => /wxwork/i.test(navigator.userAgent);

/** WeCom answers within a second or two; a bridge that never answers must not hang the sidebar. */
const BRIDGE_TIMEOUT_MS = 8000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new WecomFailure(`${what} timed out after ${BRIDGE_TIMEOUT_MS} ms`)), BRIDGE_TIMEOUT_MS);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

const errMsg = (e: unknown): string =>
  typeof e === 'object' && e !== null && 'errMsg' in e ? String((e as { errMsg: unknown }).errMsg) : String(e);

export async function detectWecomContext(setup: WecomSetup): Promise<WecomContext> {
  if (!isWecomBrowser()) return { inWecom: false };
  // Loaded only inside WeCom: browsers elsewhere never download the SDK.
  const ww = await import('@wecom/jssdk');

  // One server round trip signs both the corp config and the agent config for the same URL.
  let signing: { url: string; reply: ReturnType<WecomSetup['fetchSignatures']> } | undefined;
  const signaturesFor = (url: string) => {
    if (!signing || signing.url !== url) signing = { url, reply: setup.fetchSignatures(url) };
    return signing.reply;
  };

  ww.register({
    corpId: setup.corpId,
    agentId: setup.agentId,
    jsApiList: ['getContext', 'getCurExternalContact', 'sendChatMessage'],
    getConfigSignature: async (url) => (await signaturesFor(url)).config,
    getAgentConfigSignature: async (url) => (await signaturesFor(url)).agentConfig,
  });

  let entry: string;
  try {
    entry = (await withTimeout(ww.getContext(), 'getContext')).entry;
  } catch (e) {
    throw new WecomFailure(`getContext failed: ${errMsg(e)}`);
  }
  if (!CHAT_TOOLBAR_ENTRIES.includes(entry)) return { inWecom: true, entry };
  try {
    const { userId } = await withTimeout(ww.getCurExternalContact(), 'getCurExternalContact');
    return { inWecom: true, entry, externalUserId: userId };
  } catch (e) {
    // A group chat has no single external contact; that is not a failure.
    if (entry === 'group_chat_tools') return { inWecom: true, entry };
    throw new WecomFailure(`getCurExternalContact failed: ${errMsg(e)}`);
  }
}

export function takeOAuthCode(): string | undefined {
  const url = new URL(window.location.href);
  // WeCom puts `code` before the '#'; some proxies keep it in the hash route's query instead.
  const [route, hashQuery = ''] = url.hash.split('?');
  const inHash = new URLSearchParams(hashQuery);
  const code = url.searchParams.get('code') ?? inHash.get('code') ?? undefined;
  if (!code) return undefined;
  url.searchParams.delete('code');
  url.searchParams.delete('state');
  inHash.delete('code');
  inHash.delete('state');
  const rest = inHash.toString();
  url.hash = rest ? `${route}?${rest}` : route;
  window.history.replaceState(window.history.state, '', url.toString());
  return code;
}

export function redirectToOAuth(corpId: string, agentId: string): void {
  const query = new URLSearchParams({
    appid: corpId,
    redirect_uri: window.location.href,
    response_type: 'code',
    scope: 'snsapi_base',
    state: 'sidekick',
  });
  if (agentId) query.set('agentid', agentId);
  window.location.replace(`https://open.weixin.qq.com/connect/oauth2/authorize?${query.toString()}#wechat_redirect`);
}

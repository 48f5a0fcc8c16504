import { CHAT_ENTRIES, CONTACT_ENTRIES, GROUP_ENTRIES, WecomFailure, type OutgoingMessage, type WecomContext, type WecomFailureReason, type WecomSetup } from './wecom-common';

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

export const canUseWecomOAuth = true;

/** The JS-SDK once `detectWecomContext` registered it, and where WeCom opened the page. */
let registered: typeof import('@wecom/jssdk') | undefined;
let openedFrom: string | undefined;

const isWecomBrowser = (): boolean => /wxwork/i.test(navigator.userAgent);

/** WeCom answers within a second or two; a bridge that never answers must not hang the sidebar. */
const BRIDGE_TIMEOUT_MS = 8000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new WecomFailure(`${what} timed out after ${BRIDGE_TIMEOUT_MS} ms`, 'timeout')), BRIDGE_TIMEOUT_MS);
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

/** WeCom's errMsg is `api:fail <why>`; the why is all we can go on. */
function failureReason(message: string): WecomFailureReason {
  if (/permission|signature/i.test(message)) return 'permission';
  if (/without context/i.test(message)) return 'context';
  return 'failed';
}

/** Runs one JS-SDK call, turning its rejection into a WecomFailure that says why. */
async function bridge<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await withTimeout(call(), what);
  } catch (e) {
    if (e instanceof WecomFailure) throw e;
    const message = errMsg(e);
    throw new WecomFailure(`${what} failed: ${message}`, failureReason(message));
  }
}

export async function detectWecomContext(setup: WecomSetup): Promise<WecomContext> {
  if (!isWecomBrowser()) return { inWecom: false };

  // One server round trip signs both the corp config and the agent config for the same URL.
  let signing: { url: string; reply: ReturnType<WecomSetup['fetchSignatures']> } | undefined;
  const signaturesFor = (url: string) => {
    if (!signing || signing.url !== url) signing = { url, reply: setup.fetchSignatures(url) };
    return signing.reply;
  };
  // The JS-SDK signs the URL without its fragment; asking for it first tells us the corp and app.
  // The signatures are on their way while the SDK downloads (only inside WeCom: browsers elsewhere
  // never download it).
  const first = signaturesFor(window.location.href.split('#')[0]);
  first.catch(() => undefined); // awaited below, after the SDK: no unhandled rejection meanwhile
  const ww = await import('@wecom/jssdk');
  registered = ww;
  const { corpId, agentId } = await first;

  ww.register({
    corpId,
    agentId,
    jsApiList: ['getContext', 'getCurExternalContact', 'getCurExternalChat', 'sendChatMessage', 'shareToExternalContact'],
    getConfigSignature: async (url) => (await signaturesFor(url)).config,
    getAgentConfigSignature: async (url) => (await signaturesFor(url)).agentConfig,
  });

  const { entry } = await bridge('getContext', () => ww.getContext());
  openedFrom = entry;
  // Each entry has its own API: getCurExternalContact fails in a group chat, getCurExternalChat everywhere else.
  if (CONTACT_ENTRIES.includes(entry)) {
    const { userId } = await bridge('getCurExternalContact', () => ww.getCurExternalContact());
    return { inWecom: true, entry, kind: 'contact', externalUserId: userId };
  }
  if (GROUP_ENTRIES.includes(entry)) {
    const { chatId } = await bridge('getCurExternalChat', () => ww.getCurExternalChat());
    return { inWecom: true, entry, kind: 'group', chatId };
  }
  return { inWecom: true, entry, kind: 'none' };
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

export async function sendToChat(message: OutgoingMessage): Promise<void> {
  const ww = registered;
  if (!ww || !openedFrom || !CHAT_ENTRIES.includes(openedFrom)) throw new WecomFailure('sendChatMessage works only from a chat toolbar', 'context');
  const params =
    message.kind === 'text'
      ? { msgtype: 'text' as const, text: { content: message.text } }
      : message.kind === 'news'
        ? { msgtype: 'news' as const, news: { link: message.url, title: message.title, desc: message.desc, imgUrl: message.imgUrl ?? '' } }
        : { msgtype: 'miniprogram' as const, miniprogram: { appid: '', title: message.title, imgUrl: message.imgUrl ?? '', page: message.page } };
  await bridge('sendChatMessage', () => ww.sendChatMessage(params as Parameters<typeof ww.sendChatMessage>[0]));
}

export async function shareToContact(externalUserIds: readonly string[], message: OutgoingMessage): Promise<void> {
  const ww = registered;
  if (!ww) throw new WecomFailure('shareToExternalContact works only inside WeCom', 'context');
  const text = message.kind === 'text' ? message.text : message.title;
  const attachments = message.kind === 'news' ? [{ msgtype: 'link', link: { title: message.title, desc: message.desc, url: message.url, imgUrl: message.imgUrl ?? '' } }] : [];
  const params = { externalUserIds: [...externalUserIds], text: { content: text }, attachments };
  await bridge('shareToExternalContact', () => ww.shareToExternalContact(params as unknown as Parameters<typeof ww.shareToExternalContact>[0]));
}

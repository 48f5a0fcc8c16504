/**
 * The WeCom client, as far as the sidebar page can tell: WeCom's user agent and the native
 * bridge (`window.WeixinJSBridge`) that the real @wecom/jssdk talks to. Nothing in the app is
 * replaced: the app loads the SDK as it does inside WeCom, registers with the signatures our
 * server computes, and asks the bridge where it was opened; the bridge answers like WeCom does
 * (each API only from its own entries, nothing before agentConfig) and records every call.
 */
import type { Browser, Page } from 'playwright-core';
import { initScript, newPage, SIDEBAR, type PageOptions } from './browser';

/** WeCom 4.1 on Android: the SDK reads `wxwork/<version>` from here to know it runs in WeCom. */
export const WECOM_USER_AGENT =
  'Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230901.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 wxwork/4.1.30 MicroMessenger/7.0.1 NetType/WIFI Language/zh ColorScheme/Light';

export interface WecomClientSetup {
  /** What `getContext` reports, e.g. group_chat_tools, contact_profile, single_chat_tools. */
  entry: string;
  /** What `getCurExternalChat` returns (group_chat_tools). */
  chatId?: string;
  /** What `getCurExternalContact` returns (contact_profile, single_chat_tools). */
  externalUserId?: string;
}

export interface BridgeCall {
  name: string;
  params: Record<string, unknown>;
}

/** Runs in the page before any of its scripts; self-contained because it is sent as source (see `initScript`). */
function installBridge(setup: WecomClientSetup): void {
  const calls: BridgeCall[] = [];
  const contactEntries = ['contact_profile', 'single_chat_tools', 'single_kf_tools'];
  let agentConfigured = false;
  const w = window as unknown as { WeixinJSBridge: unknown; __wecomCalls: BridgeCall[] };
  w.__wecomCalls = calls;
  w.WeixinJSBridge = {
    invoke(name: string, params: Record<string, unknown>, callback: (result: Record<string, unknown>) => void) {
      calls.push({ name, params: JSON.parse(JSON.stringify(params)) as Record<string, unknown> });
      const answer = (errMsg: string, extra?: Record<string, unknown>) => setTimeout(() => callback(Object.assign({ errMsg }, extra)), 5);
      switch (name) {
        case 'preVerifyJSAPI':
          return answer('config:ok');
        case 'agentConfig':
          agentConfigured = typeof params.signature === 'string' && typeof params.corpid === 'string' && typeof params.agentid === 'string';
          return answer(agentConfigured ? 'agentConfig:ok' : 'agentConfig:fail invalid signature');
        case 'getContext':
          return answer('getContext:ok', { entry: setup.entry });
        case 'getCurExternalContact':
          if (!agentConfigured) return answer('getCurExternalContact:fail no permission');
          return contactEntries.indexOf(setup.entry) >= 0
            ? answer('getCurExternalContact:ok', { userId: setup.externalUserId })
            : answer('getCurExternalContact:fail without context of external contact');
        case 'getCurExternalChat':
          if (!agentConfigured) return answer('getCurExternalChat:fail no permission');
          return setup.entry === 'group_chat_tools'
            ? answer('getCurExternalChat:ok', { chatId: setup.chatId })
            : answer('getCurExternalChat:fail without context of external contact');
        case 'sendChatMessage':
          // Only from a chat's toolbar, and only what WeCom knows how to send.
          if (!agentConfigured) return answer('sendChatMessage:fail no permission');
          if (['single_chat_tools', 'group_chat_tools', 'single_kf_tools'].indexOf(setup.entry) < 0) return answer('sendChatMessage:fail without context of chat');
          return ['text', 'news', 'miniprogram', 'image', 'video', 'file'].indexOf(String(params.msgtype)) >= 0 ? answer('sendChatMessage:ok') : answer('sendChatMessage:fail invalid msgtype');
        case 'shareToExternalContact':
          if (!agentConfigured) return answer('shareToExternalContact:fail no permission');
          return answer('shareToExternalContact:ok');
        default:
          return answer(`${name}:fail not supported in this test`);
      }
    },
    on() {},
  };
}

/** A sidebar-sized page that WeCom opened from `setup.entry`. */
export async function pageInWecom(browser: Browser, clock: { now(): number }, setup: WecomClientSetup, options: Omit<PageOptions, 'userAgent'> = {}): Promise<Page> {
  const page = await newPage(browser, clock, SIDEBAR, { ...options, userAgent: WECOM_USER_AGENT });
  await page.addInitScript(initScript(installBridge, setup));
  return page;
}

/** What the page asked the WeCom client so far. */
export function bridgeCalls(page: Page): Promise<BridgeCall[]> {
  return page.evaluate(() => (window as unknown as { __wecomCalls?: BridgeCall[] }).__wecomCalls ?? []);
}

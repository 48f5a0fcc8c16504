/**
 * WeCom server API client: access token, jsapi and agent tickets (cached in the database for
 * their lifetime, since WeCom rate-limits them per corp and per app), OAuth code -> member, and
 * customer groups. WeCom errors are read by `errcode`, never by `errmsg`.
 * In the cloud the function's egress IP must be on the app's trusted-IP list.
 */
import { z } from 'zod';
import type { WecomTokenDoc } from '../../types/model';
import type { GroupMember } from '../_core/group-chat';
import { ApiError, refused } from './errors';
import { wecomTokenRepo } from './repo/wecom-tokens';

/** Refresh a little before WeCom's expiry so a token never dies mid-request. */
const SAFETY_MS = 5 * 60 * 1000;
/** invalid access_token, access_token expired */
const TOKEN_INVALID = new Set([40014, 42001]);
/** invalid code (used, expired or made up) */
const CODE_INVALID = 40029;
/** invalid chat id; chat is not external group chat */
const CHAT_UNKNOWN = new Set([40050, 90501]);

export interface WecomSettings {
  corpId: string;
  agentId: string;
  secret: string;
  apiBase: string;
}

export function wecomSettings(): WecomSettings {
  const corpId = process.env.WECOM_CORP_ID;
  const agentId = process.env.WECOM_AGENT_ID;
  const secret = process.env.WECOM_SECRET;
  if (!corpId || !agentId || !secret) {
    throw new ApiError('NOT_AVAILABLE', 'WeCom is not configured: set WECOM_CORP_ID, WECOM_AGENT_ID and WECOM_SECRET');
  }
  return { corpId, agentId, secret, apiBase: process.env.WECOM_API_BASE || 'https://qyapi.weixin.qq.com' };
}

interface WecomReply {
  errcode?: number;
  errmsg?: string;
  [k: string]: unknown;
}

/** A GET with `query`, or a POST of `body` as JSON (WeCom reads POST parameters only from a JSON body). */
interface WecomRequest {
  query?: Record<string, string>;
  body?: Record<string, unknown>;
}

async function send(s: WecomSettings, path: string, req: WecomRequest): Promise<WecomReply> {
  const url = `${s.apiBase}${path}?${new URLSearchParams(req.query ?? {}).toString()}`;
  const init: RequestInit = req.body
    ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req.body) }
    : { method: 'GET' };
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  } catch (err) {
    throw new ApiError('UPSTREAM', `WeCom ${path} unreachable: ${(err as Error).message}`);
  }
  if (!res.ok) throw new ApiError('UPSTREAM', `WeCom ${path} answered HTTP ${res.status}`);
  const body: unknown = await res.json().catch(() => undefined);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError('UPSTREAM', `WeCom ${path} answered with something that is not JSON`);
  return body as WecomReply;
}

/** WeCom's errmsg ends with a hint, our egress IP and a link: keep the words only. */
const brief = (errmsg: string | undefined) => (errmsg ?? '').split(/,\s*hint:/)[0];

function failed(path: string, r: WecomReply): ApiError {
  return new ApiError('UPSTREAM', `WeCom ${path} failed: ${r.errcode ?? '?'} ${brief(r.errmsg)}`.trim());
}

function stringField(path: string, r: WecomReply, field: string): string {
  const v = r[field];
  if (r.errcode || typeof v !== 'string' || !v) throw failed(path, r);
  return v;
}

async function cached(id: WecomTokenDoc['_id'], now: number, fetchFresh: () => Promise<{ value: string; expiresIn: number }>): Promise<string> {
  const hit = await wecomTokenRepo.get(id);
  if (hit && hit.expiresAt - SAFETY_MS > now) return hit.value;
  const fresh = await fetchFresh();
  await wecomTokenRepo.put({ _id: id, value: fresh.value, expiresAt: now + fresh.expiresIn * 1000 });
  return fresh.value;
}

export function accessToken(s: WecomSettings, now: number): Promise<string> {
  return cached('access_token', now, async () => {
    const path = '/cgi-bin/gettoken';
    const r = await send(s, path, { query: { corpid: s.corpId, corpsecret: s.secret } });
    return { value: stringField(path, r, 'access_token'), expiresIn: Number(r.expires_in ?? 7200) };
  });
}

/**
 * Calls an API that needs the access token, refreshing the token once if WeCom says it is stale.
 * Returns WeCom's reply whatever its errcode: the caller knows which codes mean what.
 */
async function withToken(s: WecomSettings, now: number, path: string, req: WecomRequest): Promise<WecomReply> {
  for (let attempt = 0; ; attempt++) {
    const token = await accessToken(s, now);
    const r = await send(s, path, { ...req, query: { access_token: token, ...req.query } });
    if (attempt === 0 && r.errcode && TOKEN_INVALID.has(r.errcode)) {
      await wecomTokenRepo.drop('access_token');
      continue;
    }
    return r;
  }
}

export function jsapiTicket(s: WecomSettings, now: number): Promise<string> {
  return cached('jsapi_ticket', now, async () => {
    const path = '/cgi-bin/get_jsapi_ticket';
    const r = await withToken(s, now, path, {});
    return { value: stringField(path, r, 'ticket'), expiresIn: Number(r.expires_in ?? 7200) };
  });
}

export function agentTicket(s: WecomSettings, now: number): Promise<string> {
  return cached('agent_ticket', now, async () => {
    const path = '/cgi-bin/ticket/get';
    const r = await withToken(s, now, path, { query: { type: 'agent_config' } });
    return { value: stringField(path, r, 'ticket'), expiresIn: Number(r.expires_in ?? 7200) };
  });
}

/** Who WeCom says opened the page: a member of the corp, or someone from outside it. */
export type WecomVisitor = { kind: 'member'; userId: string } | { kind: 'outsider' };

/**
 * OAuth (snsapi_base) code -> the visitor. WeCom answers a non-member with errcode 0 and an
 * `openid` (plus `external_userid` when they are a customer) instead of a `userid`.
 */
export async function visitorFromCode(s: WecomSettings, code: string, now: number): Promise<WecomVisitor> {
  const path = '/cgi-bin/auth/getuserinfo';
  const r = await withToken(s, now, path, { query: { code } });
  if (r.errcode === CODE_INVALID) throw new ApiError('UNAUTHENTICATED', 'code: the WeCom sign-in code is invalid or used; open the sidebar again');
  if (r.errcode) throw failed(path, r);
  if (typeof r.userid === 'string' && r.userid) return { kind: 'member', userId: r.userid };
  if (typeof r.openid === 'string' && r.openid) return { kind: 'outsider' };
  throw failed(path, r);
}

const groupChatReply = z.object({
  group_chat: z.object({
    chat_id: z.string(),
    name: z.string().default(''),
    owner: z.string(),
    member_list: z.array(z.object({ userid: z.string(), type: z.number().int() })),
  }),
});

export interface GroupChat {
  chatId: string;
  /** '' when nobody named the group. */
  name: string;
  /** The owner's WeCom userid. */
  owner: string;
  members: GroupMember[];
}

/**
 * A customer group (客户群) as WeCom knows it now. Member names are not asked for: the sidebar
 * shows our own records of the caller's customers and nothing about anyone else.
 */
export async function groupChat(s: WecomSettings, chatId: string, now: number): Promise<GroupChat> {
  const path = '/cgi-bin/externalcontact/groupchat/get';
  const r = await withToken(s, now, path, { body: { chat_id: chatId, need_name: 0 } });
  if (r.errcode && CHAT_UNKNOWN.has(r.errcode)) {
    throw refused('CHAT_NOT_FOUND', `chatId: WeCom knows no customer group ${chatId} (${r.errcode} ${brief(r.errmsg)})`);
  }
  if (r.errcode) throw failed(path, r);
  const parsed = groupChatReply.safeParse(r);
  if (!parsed.success) throw new ApiError('UPSTREAM', `WeCom ${path} replied without a readable group_chat`);
  const g = parsed.data.group_chat;
  return { chatId: g.chat_id, name: g.name, owner: g.owner, members: g.member_list.map((m) => ({ userId: m.userid, type: m.type })) };
}

/** A link card in a WeCom mass-send task. */
export interface MassLink {
  title: string;
  desc: string;
  url: string;
  picurl?: string;
}

/**
 * Creates a WeCom mass-send task (客户群发, `add_msg_template`) from `sender` to these customers;
 * it waits in the consultant's WeCom until they confirm it there. Returns WeCom's msgid and the
 * customers WeCom would not send to (not the sender's contacts).
 */
export async function addMsgTemplate(s: WecomSettings, now: number, sender: string, externalUserIds: readonly string[], text: string, link?: MassLink): Promise<{ msgId: string; failed: string[] }> {
  const path = '/cgi-bin/externalcontact/add_msg_template';
  const body = {
    chat_type: 'single',
    sender,
    external_userid: [...externalUserIds],
    text: { content: text },
    ...(link ? { attachments: [{ msgtype: 'link', link }] } : {}),
  };
  const r = await withToken(s, now, path, { body });
  if (r.errcode) throw failed(path, r);
  const msgId = stringField(path, r, 'msgid');
  const failedList = Array.isArray(r.fail_list) ? r.fail_list.filter((x): x is string => typeof x === 'string') : [];
  return { msgId, failed: failedList };
}

/** user & party & tag all invalid: the recipient is not (or no longer) a member the app can reach. */
const RECIPIENT_INVALID = 81013;

/**
 * Sends the app's message (应用消息, `message/send`) to one member: text in their WeCom, from the
 * Sidekick app. WeCom's duplicate check is on (same text to the same member within 30 minutes is
 * sent once), a second guard for a run that died between sending and recording it.
 * `delivered: false` when WeCom cannot reach that member (left the corp, outside the app's range).
 */
export async function sendAppMessage(s: WecomSettings, now: number, toUser: string, text: string): Promise<{ delivered: boolean; msgId?: string }> {
  const path = '/cgi-bin/message/send';
  const body = { touser: toUser, msgtype: 'text', agentid: Number(s.agentId), text: { content: text }, safe: 0, enable_duplicate_check: 1, duplicate_check_interval: 1800 };
  const r = await withToken(s, now, path, { body });
  if (r.errcode === RECIPIENT_INVALID) return { delivered: false };
  if (r.errcode) throw failed(path, r);
  const invalid = typeof r.invaliduser === 'string' ? r.invaliduser.split('|') : [];
  if (invalid.includes(toUser)) return { delivered: false };
  return { delivered: true, ...(typeof r.msgid === 'string' ? { msgId: r.msgid } : {}) };
}

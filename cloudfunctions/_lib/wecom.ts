/**
 * WeCom server API client: access token, jsapi and agent tickets (cached in the database for
 * their lifetime, since WeCom rate-limits them per corp and per app), and OAuth code -> userid.
 * In the cloud the function's egress IP must be on the app's trusted-IP list.
 */
import type { WecomTokenDoc } from '../../types/model';
import { ApiError } from './errors';
import { wecomTokenRepo } from './repo/wecom-tokens';

/** Refresh a little before WeCom's expiry so a token never dies mid-request. */
const SAFETY_MS = 5 * 60 * 1000;
const TOKEN_INVALID = new Set([40014, 42001]);

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

async function get(s: WecomSettings, path: string, query: Record<string, string>): Promise<WecomReply> {
  const url = `${s.apiBase}${path}?${new URLSearchParams(query).toString()}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  } catch (err) {
    throw new ApiError('UPSTREAM', `WeCom ${path} unreachable: ${(err as Error).message}`);
  }
  if (!res.ok) throw new ApiError('UPSTREAM', `WeCom ${path} answered HTTP ${res.status}`);
  return (await res.json()) as WecomReply;
}

async function cached(id: WecomTokenDoc['_id'], now: number, fetchFresh: () => Promise<{ value: string; expiresIn: number }>): Promise<string> {
  const hit = await wecomTokenRepo.get(id);
  if (hit && hit.expiresAt - SAFETY_MS > now) return hit.value;
  const fresh = await fetchFresh();
  await wecomTokenRepo.put({ _id: id, value: fresh.value, expiresAt: now + fresh.expiresIn * 1000 });
  return fresh.value;
}

function check(path: string, r: WecomReply, field: string): string {
  const v = r[field];
  if (r.errcode || typeof v !== 'string') {
    throw new ApiError('UPSTREAM', `WeCom ${path} failed: ${r.errcode ?? '?'} ${r.errmsg ?? ''}`.trim());
  }
  return v;
}

export function accessToken(s: WecomSettings, now: number): Promise<string> {
  return cached('access_token', now, async () => {
    const r = await get(s, '/cgi-bin/gettoken', { corpid: s.corpId, corpsecret: s.secret });
    return { value: check('/cgi-bin/gettoken', r, 'access_token'), expiresIn: Number(r.expires_in ?? 7200) };
  });
}

/** Calls an API that needs the access token, refreshing the token once if WeCom says it is stale. */
async function withToken(s: WecomSettings, now: number, path: string, query: Record<string, string>, field: string): Promise<WecomReply & Record<string, unknown>> {
  for (let attempt = 0; ; attempt++) {
    const token = await accessToken(s, now);
    const r = await get(s, path, { access_token: token, ...query });
    if (attempt === 0 && r.errcode && TOKEN_INVALID.has(r.errcode)) {
      await wecomTokenRepo.drop('access_token');
      continue;
    }
    check(path, r, field);
    return r;
  }
}

export function jsapiTicket(s: WecomSettings, now: number): Promise<string> {
  return cached('jsapi_ticket', now, async () => {
    const r = await withToken(s, now, '/cgi-bin/get_jsapi_ticket', {}, 'ticket');
    return { value: r.ticket as string, expiresIn: Number(r.expires_in ?? 7200) };
  });
}

export function agentTicket(s: WecomSettings, now: number): Promise<string> {
  return cached('agent_ticket', now, async () => {
    const r = await withToken(s, now, '/cgi-bin/ticket/get', { type: 'agent_config' }, 'ticket');
    return { value: r.ticket as string, expiresIn: Number(r.expires_in ?? 7200) };
  });
}

/** OAuth (snsapi_base) code -> the member's WeCom userid. */
export async function userIdFromCode(s: WecomSettings, code: string, now: number): Promise<string> {
  const r = await withToken(s, now, '/cgi-bin/auth/getuserinfo', { code }, 'userid').catch((err: unknown) => {
    if (err instanceof ApiError && err.code === 'UPSTREAM' && /\b40029\b/.test(err.message)) {
      throw new ApiError('UNAUTHENTICATED', 'code: the WeCom sign-in code is invalid or used; open the sidebar again');
    }
    throw err;
  });
  return r.userid as string;
}

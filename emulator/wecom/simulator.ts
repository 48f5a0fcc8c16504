/**
 * A local WeCom server API: the endpoints Sidekick's functions call (access token, jsapi and
 * agent tickets, OAuth code -> userid), with WeCom's reply shapes and error codes. It counts
 * calls so tests can prove tickets are cached, and can expire tokens early to test the retry.
 */
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface WecomSimulatorOptions {
  corpId: string;
  secret: string;
  port?: number;
}

export interface WecomSimulator {
  url: string;
  /** How many times each endpoint was called. */
  calls: Record<'gettoken' | 'jsapiTicket' | 'agentTicket' | 'getuserinfo', number>;
  /** Issues a one-time OAuth code for a member, as WeCom does on the redirect after consent. */
  issueCode(userId: string): string;
  /** Makes every issued access token invalid (WeCom answers 40014), as after a secret reset. */
  revokeTokens(): void;
  close(): Promise<void>;
}

const TTL_S = 7200;

export async function startWecomSimulator(o: WecomSimulatorOptions): Promise<WecomSimulator> {
  const tokens = new Set<string>();
  const codes = new Map<string, string>();
  const calls = { gettoken: 0, jsapiTicket: 0, agentTicket: 0, getuserinfo: 0 };
  const rand = () => randomBytes(12).toString('hex');

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const q = url.searchParams;
    const reply = (body: Record<string, unknown>) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', ...body }));
    };
    const withToken = (fn: () => void) => {
      if (!tokens.has(q.get('access_token') ?? '')) return reply({ errcode: 40014, errmsg: 'invalid access_token' });
      fn();
    };
    switch (url.pathname) {
      case '/cgi-bin/gettoken':
        calls.gettoken++;
        if (q.get('corpid') !== o.corpId || q.get('corpsecret') !== o.secret) return reply({ errcode: 40001, errmsg: 'invalid credential' });
        {
          const t = rand();
          tokens.add(t);
          return reply({ access_token: t, expires_in: TTL_S });
        }
      case '/cgi-bin/get_jsapi_ticket':
        calls.jsapiTicket++;
        return withToken(() => reply({ ticket: `jsapi-${rand()}`, expires_in: TTL_S }));
      case '/cgi-bin/ticket/get':
        calls.agentTicket++;
        return withToken(() =>
          q.get('type') === 'agent_config' ? reply({ ticket: `agent-${rand()}`, expires_in: TTL_S }) : reply({ errcode: 40097, errmsg: 'invalid type' }),
        );
      case '/cgi-bin/auth/getuserinfo':
        calls.getuserinfo++;
        return withToken(() => {
          const userId = codes.get(q.get('code') ?? '');
          if (!userId) return reply({ errcode: 40029, errmsg: 'invalid code' });
          codes.delete(q.get('code') ?? '');
          reply({ userid: userId, user_ticket: rand(), expires_in: 1800 });
        });
      default:
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errcode: 404, errmsg: 'not found' }));
    }
  });
  await new Promise<void>((ok) => server.listen(o.port ?? 0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    issueCode(userId) {
      const code = rand();
      codes.set(code, userId);
      return code;
    },
    revokeTokens: () => tokens.clear(),
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

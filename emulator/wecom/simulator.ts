/**
 * A local WeCom server API: the endpoints Sidekick's functions call (access token, jsapi and
 * agent tickets, OAuth code -> member or outsider, customer group details, mass-send tasks,
 * application messages to members), with WeCom's reply
 * shapes, error codes and errmsg hints. It counts calls so tests can prove tickets are cached,
 * and can expire tokens early to test the retry. Tests register group chats and OAuth codes.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export interface WecomSimulatorOptions {
  corpId: string;
  secret: string;
  port?: number;
  /** The stack's clock, for the times WeCom reports (join and create times). */
  clock?: { now(): number };
}

export interface GroupChatSpec {
  /** The group's name ('' for an unnamed group, as WeCom returns it). */
  name: string;
  /** Corp members (userids) in the group; the first is the owner unless `owner` says otherwise. */
  members: string[];
  /** External contacts (external_userids) in the group. */
  externalContacts: string[];
  owner?: string;
  /** An internal group (only corp members, not a customer group): WeCom refuses it with 90501. */
  internal?: boolean;
  /** Display names by userid, returned with need_name=1. */
  names?: Record<string, string>;
}

export interface WecomSimulator {
  url: string;
  /** How many times each endpoint was called. */
  calls: Record<'gettoken' | 'jsapiTicket' | 'agentTicket' | 'getuserinfo' | 'groupChatGet' | 'addMsgTemplate' | 'messageSend', number>;
  /** Issues a one-time OAuth code for a member, as WeCom does on the redirect after consent. */
  issueCode(userId: string): string;
  /**
   * Issues a one-time OAuth code for someone outside the corp: WeCom then answers getuserinfo
   * with their `openid` (and `external_userid` when they are a customer of the corp), no userid.
   */
  issueOutsiderCode(who?: { externalUserId?: string }): string;
  /** Creates a group chat as WeCom would hold it and returns its chat_id (`wr…`). */
  registerGroupChat(spec: GroupChatSpec): string;
  /**
   * Mass-send tasks (`add_msg_template`) as WeCom holds them until the sender confirms them in
   * the WeCom client; `confirmMassTask` is that tap.
   */
  massTasks: MassTask[];
  confirmMassTask(msgId: string): void;
  /**
   * Application messages (`message/send`) as the members received them, in order. A duplicate
   * WeCom's duplicate check caught (same text to the same member within the interval) is not here.
   */
  appMessages: AppMessage[];
  /** Members (userids) of the corp the app can reach; unset: every userid is. */
  setMembers(userIds: readonly string[] | undefined): void;
  /** Makes every issued access token invalid (WeCom answers 40014), as after a secret reset. */
  revokeTokens(): void;
  close(): Promise<void>;
}

const TTL_S = 7200;

export interface MassTask {
  msgId: string;
  sender: string;
  externalUserIds: string[];
  text: string;
  attachments: unknown[];
  createdAt: number;
  /** When the sender confirmed it in WeCom (then WeCom delivers it). */
  confirmedAt?: number;
}

export interface AppMessage {
  msgId: string;
  toUser: string;
  agentId: number;
  msgtype: string;
  text: string;
  at: number;
}

type OAuthIdentity = { userid: string } | { openid: string; external_userid?: string };

interface StoredChat extends GroupChatSpec {
  chatId: string;
  createdAt: number;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

export async function startWecomSimulator(o: WecomSimulatorOptions): Promise<WecomSimulator> {
  const tokens = new Set<string>();
  const codes = new Map<string, OAuthIdentity>();
  const chats = new Map<string, StoredChat>();
  const calls = { gettoken: 0, jsapiTicket: 0, agentTicket: 0, getuserinfo: 0, groupChatGet: 0, addMsgTemplate: 0, messageSend: 0 };
  const massTasks: MassTask[] = [];
  const appMessages: AppMessage[] = [];
  let members: Set<string> | undefined;
  const now = () => (o.clock ? o.clock.now() : Date.now());
  const rand = () => randomBytes(12).toString('hex');
  const base64url = (bytes: number) => randomBytes(bytes).toString('base64url');

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const q = url.searchParams;
    const reply = (body: Record<string, unknown>) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok', ...body }));
    };
    // WeCom's error text carries a hint and the caller's IP; clients must read errcode, not this.
    const fail = (errcode: number, errmsg: string) =>
      reply({ errcode, errmsg: `${errmsg}, hint: [${Math.floor(now() / 1000)}_${rand()}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}` });
    const withToken = (fn: () => void) => {
      if (!tokens.has(q.get('access_token') ?? '')) return fail(40014, 'invalid access_token');
      fn();
    };
    switch (url.pathname) {
      case '/cgi-bin/gettoken':
        calls.gettoken++;
        if (q.get('corpid') !== o.corpId || q.get('corpsecret') !== o.secret) return fail(40001, 'invalid credential');
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
        return withToken(() => (q.get('type') === 'agent_config' ? reply({ ticket: `agent-${rand()}`, expires_in: TTL_S }) : fail(40097, 'invalid type')));
      case '/cgi-bin/auth/getuserinfo':
        calls.getuserinfo++;
        return withToken(() => {
          const code = q.get('code') ?? '';
          const who = codes.get(code);
          if (!who) return fail(40029, 'invalid code');
          codes.delete(code);
          // A member gets a user_ticket with their userid; someone outside the corp only an openid.
          reply('userid' in who ? { ...who, user_ticket: rand(), expires_in: 1800 } : { ...who });
        });
      case '/cgi-bin/externalcontact/groupchat/get':
        calls.groupChatGet++;
        return withToken(() => {
          // WeCom reads this API's parameters from a JSON body only: a GET finds no chat_id.
          const body = req.method === 'POST' ? readBody(req) : Promise.resolve('{}');
          void body.then((text) => {
            let params: { chat_id?: unknown; need_name?: unknown };
            try {
              params = JSON.parse(text || '{}') as typeof params;
            } catch {
              return fail(40058, 'invalid Request Parameter');
            }
            const chat = typeof params.chat_id === 'string' ? chats.get(params.chat_id) : undefined;
            if (!chat) return fail(40050, 'invalid group id');
            if (chat.internal) return fail(90501, 'chat is not external group chat');
            const withNames = params.need_name === 1;
            const joined = Math.floor(chat.createdAt / 1000);
            const owner = chat.owner ?? chat.members[0] ?? '';
            const member = (userid: string, type: 1 | 2, i: number) => ({
              userid,
              type,
              join_time: joined + i * 60,
              join_scene: type === 1 ? 1 : 3,
              ...(userid === owner ? {} : { invitor: { userid: owner } }),
              group_nickname: '',
              ...(withNames && chat.names?.[userid] ? { name: chat.names[userid] } : {}),
            });
            reply({
              group_chat: {
                chat_id: chat.chatId,
                name: chat.name,
                owner,
                create_time: joined,
                notice: '',
                member_list: [
                  ...chat.members.map((u, i) => member(u, 1, i)),
                  ...chat.externalContacts.map((u, i) => member(u, 2, chat.members.length + i)),
                ],
                admin_list: [],
                member_version: rand(),
              },
            });
          });
        });
      case '/cgi-bin/externalcontact/add_msg_template':
        calls.addMsgTemplate++;
        return withToken(() => {
          void readBody(req).then((text) => {
            let p: { chat_type?: unknown; sender?: unknown; external_userid?: unknown; text?: { content?: unknown }; attachments?: unknown };
            try {
              p = JSON.parse(text || '{}') as typeof p;
            } catch {
              return fail(40058, 'invalid Request Parameter');
            }
            const ids = Array.isArray(p.external_userid) ? p.external_userid.filter((x): x is string => typeof x === 'string') : [];
            // WeCom wants a sender for single chats, and some content.
            if (p.chat_type !== 'single' || typeof p.sender !== 'string' || !p.sender || !ids.length) return fail(40058, 'invalid Request Parameter');
            if (typeof p.text?.content !== 'string' && !Array.isArray(p.attachments)) return fail(41048, 'no content');
            const msgId = `msg${base64url(18)}`;
            massTasks.push({ msgId, sender: p.sender, externalUserIds: ids, text: String(p.text?.content ?? ''), attachments: Array.isArray(p.attachments) ? p.attachments : [], createdAt: now() });
            reply({ fail_list: ids.filter((id) => !id.startsWith('wm')), msgid: msgId });
          });
        });
      case '/cgi-bin/message/send':
        calls.messageSend++;
        return withToken(() => {
          void readBody(req).then((text) => {
            let p: { touser?: unknown; msgtype?: unknown; agentid?: unknown; text?: { content?: unknown }; enable_duplicate_check?: unknown; duplicate_check_interval?: unknown };
            try {
              p = JSON.parse(text || '{}') as typeof p;
            } catch {
              return fail(40058, 'invalid Request Parameter');
            }
            if (typeof p.agentid !== 'number' || !Number.isInteger(p.agentid)) return fail(40056, 'invalid agentid');
            if (p.msgtype !== 'text' || typeof p.text?.content !== 'string' || !p.text.content) return fail(41009, 'missing content');
            const users = typeof p.touser === 'string' ? p.touser.split('|').filter(Boolean) : [];
            const reachable = users.filter((u) => !members || members.has(u));
            const invaliduser = users.filter((u) => !reachable.includes(u)).join('|');
            if (!reachable.length) return fail(81013, 'user & party & tag all invalid');
            const content = p.text.content;
            const t = now();
            const windowMs = Math.min(Number(p.duplicate_check_interval ?? 1800), 4 * 3600) * 1000;
            const msgId = `msg${base64url(12)}`;
            for (const toUser of reachable) {
              // WeCom's duplicate check: the same content to the same member within the interval is dropped.
              const dup = p.enable_duplicate_check === 1 && appMessages.some((m) => m.toUser === toUser && m.text === content && t - m.at < windowMs);
              if (!dup) appMessages.push({ msgId, toUser, agentId: p.agentid, msgtype: 'text', text: content, at: t });
            }
            reply({ invaliduser, invalidparty: '', invalidtag: '', unlicenseduser: '', msgid: msgId, response_code: '' });
          });
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
      codes.set(code, { userid: userId });
      return code;
    },
    issueOutsiderCode(who = {}) {
      const code = rand();
      codes.set(code, { openid: `o${base64url(20)}`, ...(who.externalUserId ? { external_userid: who.externalUserId } : {}) });
      return code;
    },
    registerGroupChat(spec) {
      const chatId = `wr${base64url(22)}`;
      chats.set(chatId, { ...spec, chatId, createdAt: now() });
      return chatId;
    },
    massTasks,
    confirmMassTask(msgId) {
      const task = massTasks.find((t) => t.msgId === msgId);
      if (!task) throw new Error(`no mass-send task ${msgId}`);
      task.confirmedAt = now();
    },
    appMessages,
    setMembers(userIds) {
      members = userIds ? new Set(userIds) : undefined;
    },
    revokeTokens: () => tokens.clear(),
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

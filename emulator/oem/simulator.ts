/**
 * A local OEM platform (the car maker's CDP) implementing docs/oem-api.md with its own data:
 * the change feed (`GET /v1/changes`), the upload of store-side items (`POST /v1/events`) and
 * pushes to the dealer's webhook, every message signed both ways. It fails on purpose when
 * told to: 5xx, timeouts, slow answers, duplicate deliveries, reordered, short and truncated
 * pages, an expired cursor, bad signatures. Tests and the demo drive it through its methods
 * or its control endpoint (`/control/...`), which is loopback-only like the rest of it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { OemChangeInput } from '../../types/schemas';
import { HEADERS, NONCE_TTL_MS, headerOf, signRequest, signResponse, verifyRequest } from '../../cloudfunctions/_core/oem/signature';
import { leadChange, prng, type LeadSpec } from './data';

export interface OemFaults {
  /** 503 instead of an answer, nothing done. */
  serverError?: number;
  /** No answer until the client gives up (an upload is processed first, so the retry is a duplicate). */
  timeout?: number;
  /** An answer after `slowMs`, within the client's patience. */
  slow?: number;
  /** Pages repeat changes already delivered; pushes arrive twice; uploads are processed, then answered 500. */
  duplicate?: number;
  /** A page's changes in another order. */
  reorder?: number;
  /** A page shorter than asked (it says there is more). */
  short?: number;
  /** The answer's body cut off half-way. */
  truncate?: number;
  /** 410: the dealer's cursor has expired. */
  cursorReset?: number;
  /** Answers and pushes signed with the wrong key. */
  badSignature?: number;
}

export type FaultName = keyof OemFaults;

export interface ReceivedItem {
  messageId: string;
  item: Record<string, unknown>;
  /** How many times it arrived (the OEM dedups; more than 1 means the dealer retried). */
  deliveries: number;
  receivedAt: number;
}

export interface OemSimulatorOptions {
  dealerId: string;
  /** Verifies the dealer's calls and signs the answers (the dealer's SIDEKICK_OEM_SECRET). */
  secret: string;
  /** Signs pushes to the dealer's webhook (the dealer's SIDEKICK_OEM_WEBHOOK_SECRET). */
  webhookSecret: string;
  port?: number;
  clock?: { now(): number };
  faults?: OemFaults;
  seed?: number;
  /** How long a "timeout" holds the answer; above the client's timeout. */
  holdMs?: number;
  slowMs?: number;
  /** Where pushes go (`…/fn/oemSync/webhook`); pushes wait until it is set. */
  webhookUrl?: string;
  /** Keeps feed and uploads in this JSON file across restarts (the demo). */
  stateFile?: string;
  /** Emits a `person` change when a store visit of a known person arrives (cross-store visits). */
  echoVisits?: boolean;
  /** Each fault with a rate strikes the first time it can, then by its rate (a short test still sees every one). */
  firstEach?: boolean;
}

interface State {
  /** Changes the cursor of which carries it: a new epoch means every old cursor is void. */
  epoch: string;
  feed: OemChangeInput[];
  received: Record<string, ReceivedItem>;
  /** Accepted messageIds in arrival order. */
  log: string[];
  /** Per person (userId or anonymousId): the sequences accepted, in arrival order. */
  sequences: Record<string, number[]>;
  /** Visits by OEM id and store, for `person` changes. */
  visits: Record<string, Record<string, { visits: number; lastAt: number }>>;
  leadCounter: number;
}

export interface OemSimulator {
  url: string;
  /** Appends changes to the feed (and, with `push`, sends them to the webhook too). */
  addChanges(changes: readonly OemChangeInput[], opts?: { push?: boolean }): void;
  /** Creates a new lead for a store, feeds and pushes it; returns the change. */
  createLead(spec: { storeId: string; name?: string; phone?: string; modelId?: string }): OemChangeInput;
  setWebhookUrl(url: string): void;
  setFaults(faults: OemFaults): void;
  /** Pushes waiting or being retried. */
  pendingPushes(): number;
  /** Resolves when every push was accepted (or `timeoutMs` passed: false). */
  pushesSettled(timeoutMs?: number): Promise<boolean>;
  /** Makes every cursor the dealer holds void (as after the OEM rebuilt its feed). */
  resetCursors(): void;
  /** Items received, by messageId. */
  received(): ReadonlyMap<string, ReceivedItem>;
  /** Sequences of one person in arrival order (to check per-customer order). */
  sequences(): ReadonlyMap<string, readonly number[]>;
  /** Messages that will be refused (answered `rejected`) when they arrive. */
  rejectMessages(ids: readonly string[]): void;
  feedLength(): number;
  faultsFired(): Readonly<Record<FaultName, number>>;
  requests(): Readonly<Record<'changes' | 'events' | 'pushes', number>>;
  /** Answers given in full with 200 (a page served, an upload acknowledged). */
  served(): Readonly<Record<'changes' | 'events', number>>;
  close(): Promise<void>;
}

const FAULTS: readonly FaultName[] = ['serverError', 'timeout', 'slow', 'duplicate', 'reorder', 'short', 'truncate', 'cursorReset', 'badSignature'];
const MAX_PAGE = 1000;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

const newEpoch = () => randomBytes(6).toString('hex');
const cursorOf = (epoch: string, offset: number) => (offset === 0 ? '' : Buffer.from(`v1:${epoch}:${offset}`).toString('base64url'));

function offsetOf(cursor: string, epoch: string): number | undefined {
  if (cursor === '') return 0;
  const [v, e, n] = Buffer.from(cursor, 'base64url').toString('utf8').split(':');
  const offset = Number(n);
  return v === 'v1' && e === epoch && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
}

function personKey(item: Record<string, unknown>): string | undefined {
  const id = item.userId ?? item.anonymousId;
  return typeof id === 'string' ? id : undefined;
}

export async function startOemSimulator(o: OemSimulatorOptions): Promise<OemSimulator> {
  const now = () => (o.clock ? o.clock.now() : Date.now());
  const rand = prng(o.seed ?? 1);
  let faults: OemFaults = { ...o.faults };
  const fired = Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<FaultName, number>;
  const counts = { changes: 0, events: 0, pushes: 0 };
  const ok = { changes: 0, events: 0 };
  const seenNonces = new Map<string, number>();
  const rejected = new Set<string>();
  let webhookUrl = o.webhookUrl;
  let state: State = { epoch: newEpoch(), feed: [], received: {}, log: [], sequences: {}, visits: {}, leadCounter: 0 };
  if (o.stateFile && existsSync(o.stateFile)) state = { ...state, ...(JSON.parse(readFileSync(o.stateFile, 'utf8')) as State) };
  const held = new Set<NodeJS.Timeout>();
  let closed = false;

  let saveTimer: NodeJS.Timeout | undefined;
  const save = () => {
    if (!o.stateFile || saveTimer) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      const tmp = `${o.stateFile}.tmp`;
      writeFileSync(tmp, JSON.stringify(state));
      renameSync(tmp, o.stateFile!);
    }, 200);
    saveTimer.unref();
  };

  /** Whether a fault strikes this time (and counts it). */
  const strikes = (f: FaultName): boolean => {
    const rate = faults[f] ?? 0;
    if (rate <= 0 || (rand() >= rate && !(o.firstEach && fired[f] === 0))) return false;
    fired[f]++;
    return true;
  };
  const later = (ms: number) =>
    new Promise<void>((ok) => {
      const t = setTimeout(() => {
        held.delete(t);
        ok();
      }, ms);
      held.add(t);
    });

  function send(res: ServerResponse, status: number, value: unknown, requestNonce: string | undefined, opts: { badSignature?: boolean; truncate?: boolean } = {}): void {
    const body = JSON.stringify(value);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (requestNonce) Object.assign(headers, signResponse(status, requestNonce, body, opts.badSignature ? `wrong-${o.secret}` : o.secret, now()));
    if (opts.truncate) {
      // Declared whole, sent half: the client sees the body break off.
      res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
      res.write(body.slice(0, Math.floor(body.length / 2)));
      res.destroy();
      return;
    }
    res.writeHead(status, headers);
    res.end(body);
  }

  /** The dealer's signature, nonce once, five-minute window; undefined when refused (already answered 401). */
  function authenticate(req: IncomingMessage, res: ServerResponse, url: URL, body: string): string | undefined {
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const query = Object.fromEntries(url.searchParams);
    const check = verifyRequest({ method: req.method ?? 'GET', path: url.pathname, query, body }, headers, [o.secret], now());
    if (!check.ok) {
      send(res, 401, { error: check.reason }, undefined);
      return undefined;
    }
    if (headerOf(headers, HEADERS.dealer) !== o.dealerId) {
      send(res, 403, { error: 'unknown_dealer' }, undefined);
      return undefined;
    }
    for (const [n, exp] of seenNonces) if (exp < now()) seenNonces.delete(n);
    if (seenNonces.has(check.nonce)) {
      send(res, 401, { error: 'replayed' }, undefined);
      return undefined;
    }
    seenNonces.set(check.nonce, check.timestamp + NONCE_TTL_MS);
    return check.nonce;
  }

  /** Transport faults common to both endpoints; true when the answer was taken care of. */
  async function transportFault(res: ServerResponse, afterWork?: () => void): Promise<boolean> {
    if (strikes('timeout')) {
      afterWork?.();
      await later(o.holdMs ?? 10_000);
      res.destroy();
      return true;
    }
    if (strikes('serverError')) {
      send(res, 503, { error: 'unavailable' }, undefined);
      return true;
    }
    if (strikes('slow')) await later(o.slowMs ?? 300);
    return false;
  }

  async function changes(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    counts.changes++;
    const nonce = authenticate(req, res, url, '');
    if (!nonce) return;
    if (await transportFault(res)) return;
    const cursor = url.searchParams.get('cursor') ?? '';
    const limit = Math.min(MAX_PAGE, Math.max(1, Number(url.searchParams.get('limit') ?? 100) || 100));
    let offset = offsetOf(cursor, state.epoch);
    if (offset !== undefined && cursor !== '' && strikes('cursorReset')) offset = undefined;
    if (offset === undefined) return send(res, 410, { error: 'cursor_expired' }, nonce, { badSignature: strikes('badSignature') });
    let size = Math.min(limit, state.feed.length - offset);
    if (size > 1 && strikes('short')) size = 1 + Math.floor(rand() * (size - 1));
    let page = state.feed.slice(offset, offset + size);
    let next = offset + size;
    // A duplicate delivery: the next page starts a little before this one ends.
    if (page.length > 2 && strikes('duplicate')) {
      page = [...page, ...page.slice(0, 2)];
      next = Math.max(offset + 1, next - 2);
    }
    const bad = { badSignature: strikes('badSignature'), truncate: strikes('truncate') };
    if (!bad.badSignature && !bad.truncate) ok.changes++;
    if (page.length > 1 && strikes('reorder')) {
      page = [...page];
      for (let i = page.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [page[i], page[j]] = [page[j], page[i]];
      }
    }
    send(res, 200, { changes: page, nextCursor: cursorOf(state.epoch, next), hasMore: next < state.feed.length }, nonce, bad);
  }

  function accept(item: Record<string, unknown>): { messageId: string; status: 'accepted' | 'duplicate' | 'rejected'; reason?: string } {
    const messageId = typeof item.messageId === 'string' ? item.messageId : '';
    if (!messageId || typeof item.event !== 'string') return { messageId, status: 'rejected', reason: 'messageId and event are required' };
    if (rejected.has(messageId)) return { messageId, status: 'rejected', reason: 'refused by the OEM' };
    const had = state.received[messageId];
    if (had) {
      had.deliveries++;
      return { messageId, status: 'duplicate' };
    }
    state.received[messageId] = { messageId, item, deliveries: 1, receivedAt: now() };
    state.log.push(messageId);
    const who = personKey(item);
    const seq = (item.context as { sequence?: unknown } | undefined)?.sequence;
    if (who && typeof seq === 'number') (state.sequences[who] ??= []).push(seq);
    if (o.echoVisits && item.event === 'store_visit' && typeof item.userId === 'string') echoVisit(item.userId, item);
    return { messageId, status: 'accepted' };
  }

  /** What other stores a person visited, told to every store that knows them. */
  function echoVisit(oemId: string, item: Record<string, unknown>): void {
    const storeId = (item.context as { storeId?: unknown } | undefined)?.storeId;
    if (typeof storeId !== 'string') return;
    const at = typeof item.timestamp === 'string' ? Date.parse(item.timestamp) : now();
    const byStore = (state.visits[oemId] ??= {});
    const v = (byStore[storeId] ??= { visits: 0, lastAt: 0 });
    v.visits++;
    v.lastAt = Math.max(v.lastAt, at);
    if (Object.keys(byStore).length < 2) return;
    const stores = Object.entries(byStore).map(([id, s]) => ({ storeId: id, visits: s.visits, lastVisitAt: s.lastAt }));
    addChanges([{ id: `chg-${oemId}-person-${state.log.length}`, type: 'person', oemId, changedAt: now(), data: { stores } }], { push: true });
  }

  async function events(req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<void> {
    counts.events++;
    const nonce = authenticate(req, res, url, body);
    if (!nonce) return;
    let batch: unknown;
    try {
      batch = (JSON.parse(body) as { batch?: unknown }).batch;
    } catch {
      return send(res, 400, { error: 'invalid_body' }, nonce);
    }
    if (!Array.isArray(batch) || batch.length > MAX_PAGE) return send(res, 400, { error: 'batch must be an array of at most 1000 items' }, nonce);
    let results: ReturnType<typeof accept>[] = [];
    const work = () => {
      results = (batch as Record<string, unknown>[]).map((item) => accept(typeof item === 'object' && item !== null ? item : {}));
      save();
    };
    if (await transportFault(res, work)) return;
    work();
    // Processed, then the answer is lost: the dealer sends it all again.
    if (strikes('duplicate')) return send(res, 500, { error: 'internal' }, undefined);
    const bad = { badSignature: strikes('badSignature'), truncate: strikes('truncate') };
    if (!bad.badSignature && !bad.truncate) ok.events++;
    send(res, 200, { results }, nonce, bad);
  }

  // ---------- pushes ----------

  const queue: { changes: OemChangeInput[]; attempts: number }[] = [];
  let pushing = false;

  async function pushOnce(changes: readonly OemChangeInput[]): Promise<boolean> {
    if (!webhookUrl) return false;
    counts.pushes++;
    const url = new URL(webhookUrl);
    const body = JSON.stringify({ changes });
    const nonce = randomBytes(18).toString('base64url');
    const bad = strikes('badSignature');
    const headers = signRequest({ method: 'POST', path: url.pathname, query: Object.fromEntries(url.searchParams), body }, bad ? `wrong-${o.webhookSecret}` : o.webhookSecret, now(), nonce);
    try {
      const res = await fetch(url, { method: 'POST', headers: { ...headers, [HEADERS.dealer]: o.dealerId, 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(30_000) });
      await res.arrayBuffer();
      return res.status === 200;
    } catch {
      return false;
    }
  }

  async function drainPushes(): Promise<void> {
    if (pushing) return;
    pushing = true;
    try {
      while (queue.length && !closed && webhookUrl) {
        const next = queue[0];
        if (await pushOnce(next.changes)) {
          queue.shift();
          if (strikes('duplicate')) await pushOnce(next.changes);
        } else {
          next.attempts++;
          await later(Math.min(5_000, 100 * 2 ** Math.min(next.attempts, 6)));
        }
      }
    } finally {
      pushing = false;
    }
  }

  function addChanges(changes: readonly OemChangeInput[], opts: { push?: boolean } = {}): void {
    state.feed.push(...changes);
    save();
    if (opts.push) {
      for (let i = 0; i < changes.length; i += 200) queue.push({ changes: changes.slice(i, i + 200), attempts: 0 });
      void drainPushes();
    }
  }

  function createLead(spec: { storeId: string; name?: string; phone?: string; modelId?: string }): OemChangeInput {
    const n = 800_000 + state.leadCounter++;
    const lead = leadChange({ n, storeId: spec.storeId, at: now(), prefix: 'OEML', rand } satisfies LeadSpec);
    const data = { ...lead.data, ...(spec.name ? { name: spec.name } : {}), ...(spec.phone ? { phone: spec.phone } : {}), ...(spec.modelId ? { modelId: spec.modelId } : {}) };
    const change = { ...lead, data };
    addChanges([change], { push: true });
    return change;
  }

  // ---------- control (tests, the demo) ----------

  async function control(req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<void> {
    const json = (status: number, v: unknown) => send(res, status, v, undefined);
    const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /control/state':
        return json(200, { feed: state.feed.length, received: state.log.length, pendingPushes: pendingPushes(), faults, faultsFired: fired, requests: counts, webhookUrl: webhookUrl ?? null });
      case 'GET /control/received':
        return json(200, { items: state.log.slice(-200).reverse().map((id) => state.received[id]), total: state.log.length });
      case 'POST /control/leads':
        return json(200, { lead: createLead(input as { storeId: string }) });
      case 'POST /control/changes':
        addChanges((input.changes as OemChangeInput[]) ?? [], { push: input.push === true });
        return json(200, { feed: state.feed.length });
      case 'POST /control/faults':
        faults = { ...(input.faults as OemFaults) };
        return json(200, { faults });
      case 'POST /control/webhook':
        webhookUrl = String(input.url);
        void drainPushes();
        return json(200, { webhookUrl });
      case 'POST /control/reset-cursors':
        state.epoch = newEpoch();
        return json(200, { epoch: state.epoch });
      default:
        return json(404, { error: 'not_found' });
    }
  }

  const pendingPushes = () => queue.length;

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://oem.local');
    readBody(req)
      .then(async (body) => {
        if (url.pathname.startsWith('/control/')) return control(req, res, url, body);
        if (req.method === 'GET' && url.pathname === '/v1/changes') return changes(req, res, url);
        if (req.method === 'POST' && url.pathname === '/v1/events') return events(req, res, url, body);
        send(res, 404, { error: 'not_found' }, undefined);
      })
      .catch((err: unknown) => {
        if (!res.headersSent) send(res, 500, { error: 'internal', message: (err as Error).message }, undefined);
      });
  });
  await new Promise<void>((ok) => server.listen(o.port ?? 0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    addChanges,
    createLead,
    setWebhookUrl(u) {
      webhookUrl = u;
      void drainPushes();
    },
    setFaults(f) {
      faults = { ...f };
    },
    pendingPushes,
    async pushesSettled(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (queue.length || pushing) {
        if (Date.now() > until) return false;
        await new Promise((r) => setTimeout(r, 50));
      }
      return true;
    },
    resetCursors() {
      state.epoch = newEpoch();
    },
    received: () => new Map(Object.entries(state.received)),
    sequences: () => new Map(Object.entries(state.sequences)),
    rejectMessages(ids) {
      for (const id of ids) rejected.add(id);
    },
    feedLength: () => state.feed.length,
    faultsFired: () => ({ ...fired }),
    requests: () => ({ ...counts }),
    served: () => ({ ...ok }),
    async close() {
      closed = true;
      for (const t of held) clearTimeout(t);
      if (saveTimer) {
        clearTimeout(saveTimer);
        saveTimer = undefined;
        if (o.stateFile) writeFileSync(o.stateFile, JSON.stringify(state));
      }
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

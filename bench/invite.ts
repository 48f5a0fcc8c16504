/**
 * The customer's side of an invitation and the consultant's send, through the HTTP gateway the
 * H5 invite page and the sidebar call (`/fn/activities`, `/fn/sends`), on the local cloud.
 *
 * - `track.customer_events_per_s`: what customers' invite pages send, as they send it: each of
 *   SESSIONS customers opens their invitation, beats three times 15 s apart, leaves (the final
 *   beat, which closes the visit into a `content_view`) and shares it: six calls a session, each
 *   a customer event. CONCURRENCY calls at once; the stack clock moves 15 s between the steps so
 *   each beat adds dwell as a real one does. Baseline: the same number of events (share events
 *   of the same customers) stored and applied by the pipeline directly (`eventRepo.insert` +
 *   `applyEvents`, what `activities` does for an event) from this process through the same SDK
 *   and local cloud, at the same concurrency: the ratio is what the gateway, the link's
 *   signature, the viewer, the consent check and the visit bookkeeping cost on top of the data
 *   core. Both again at 10 ms per round trip (`_10ms`). Round trips per call are reported beside,
 *   and `track.customer_cpu_ms_per_event`: the CPU this process (local cloud, functions and
 *   client together) spends per event, steadier than a rate on a shared machine.
 * - `cloud.send_*`: a consultant's one-tap send of the store's invitation to one customer
 *   (`sends.send`: scope, consent and the frequency cap, the tracked link, the record), and
 *   `cloud.send_strategy_task_*` the same for the strategy task it answers (the member's round
 *   starts too).
 * - `cloud.register_*`: a customer registering for the event from their link on H5 (form path:
 *   link + device; consent given before). Round trips and wall time at 10 ms per round trip,
 *   the same calls at 0 ms the baseline; medians of RUNS calls.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiReply } from '../types/api';
import { INVITE_NOTICE_VERSION } from '../types/catalog';
import type { ActivityDoc, CustomerDoc, SendDoc, TaskDoc } from '../types/model';
import { signLink } from '../cloudfunctions/_core/links';
import { shareEvent } from '../cloudfunctions/_core/invite/invite';
import { inParallel } from '../cloudfunctions/_core/parallel';
import { startLocalStack, type LocalStack } from '../scripts/local-stack';
import { figure, type Figure } from './report';
import { p50 } from './stats';

const LATENCY_MS = 10;
const NOW = Date.parse('2026-11-23T10:00:00+08:00');
const STORE = 'store-sh-pudong';
const SESSIONS = 200;
const CONCURRENCY = 8;
const RUNS = 7;
const MANAGER = 'wangjianguo';
const CONSULTANT = 'zhangwei';
/** The H5 page beats every 15 s. */
const BEAT_S = 15;

interface Call {
  reply: ApiReply<unknown>;
  roundTrips: number;
  ms: number;
}

async function post(stack: LocalStack, fn: string, body: unknown, token = ''): Promise<Call> {
  const started = performance.now();
  const res = await fetch(`${stack.url}/fn/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const reply = (await res.json()) as ApiReply<unknown>;
  const ms = performance.now() - started;
  if (!reply.ok) throw new Error(`invite bench: ${fn} failed: ${reply.error ? `${reply.error.code} ${reply.error.message}` : JSON.stringify(reply)}`);
  return { reply, roundTrips: Number(res.headers.get('x-local-round-trips')), ms };
}

const data = <T>(c: Call) => (c.reply as { ok: true; data: T }).data;
const id = () => randomBytes(12).toString('base64url');
/** A device token as the H5 page makes one; also a send id (16+ random bytes). */
const device = () => randomBytes(18).toString('base64url');

type Person = CustomerDoc & { identities: { phone: string } };

/** Store customers with a phone and an owner (that one, if named), in id order, handed out without repeats. */
function people(stack: LocalStack, ownerId?: string): () => Person[] {
  const rows = stack.emulator.db
    .find<Person & { mergedInto?: string }>('customers', { storeId: STORE, 'identities.phone': { $exists: true }, ownerId: ownerId ?? { $exists: true }, mergedInto: { $exists: false } }, { sort: { _id: 1 } })
    .filter((c) => !c.consent?.contact || c.consent.contact.granted);
  let next = 0;
  return () => {
    if (next >= rows.length) throw new Error('invite bench: the store ran out of customers');
    return [rows[next++]];
  };
}

/** A send of the activity's invitation to the customer, as the consultant's one-tap send stores it, with its link. */
function sendTo(stack: LocalStack, secret: string, c: Person, activityId: string): { send: SendDoc; link: string } {
  const send: SendDoc = { _id: device(), storeId: c.storeId, customerId: c._id, consultantId: c.ownerId!, materialId: 'mat-pd-i1', activityId, channel: 'wecom_chat', marketing: true, at: stack.clock.now() };
  stack.emulator.db.insertOne('sends', send);
  return { send, link: signLink(send._id, secret) };
}

interface Rate {
  perSecond: number;
  /** CPU of this whole process (local cloud, functions, client) per event, ms: steadier than wall time on a shared machine. */
  cpuMs: number;
  roundTrips: Map<string, number>;
}

const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

/** SESSIONS invite-page sessions through the gateway; calls per second over the time spent in calls. */
async function gatewaySessions(stack: LocalStack, secret: string, take: () => Person[], activityId: string): Promise<Rate> {
  const sessions = Array.from({ length: SESSIONS }, () => {
    const [c] = take();
    return { c, ...sendTo(stack, secret, c, activityId), device: device(), visitId: id() };
  });
  // Consent is given once, before the page tracks anything (not counted: it is not an event).
  await inParallel(sessions, CONCURRENCY, async (s) => void (await post(stack, 'activities', { action: 'consent', params: { link: s.link, device: s.device, granted: true, noticeVersion: INVITE_NOTICE_VERSION } })));
  const trips = new Map<string, number[]>();
  let calls = 0;
  let ms = 0;
  let cpu = 0;
  const step = async (name: string, params: (s: (typeof sessions)[number]) => object, action = name) => {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    await inParallel(sessions, CONCURRENCY, async (s) => {
      const c = await post(stack, 'activities', { action, params: params(s) });
      if (action !== 'open' && !(data<{ tracked: boolean }>(c).tracked)) throw new Error(`invite bench: ${name} was not tracked`);
      trips.set(name, [...(trips.get(name) ?? []), c.roundTrips]);
    });
    ms += performance.now() - started;
    cpu += cpuMsSince(cpuStart);
    calls += sessions.length;
  };
  await step('open', (s) => ({ link: s.link, device: s.device, visitId: s.visitId }));
  for (let i = 1; i <= 3; i++) {
    stack.clock.advance(BEAT_S * 1000);
    await step('beat', (s) => ({ link: s.link, device: s.device, visitId: s.visitId, seconds: i * BEAT_S, final: false }));
  }
  stack.clock.advance(5000);
  await step('leave', (s) => ({ link: s.link, device: s.device, visitId: s.visitId, seconds: 3 * BEAT_S + 5, final: true }), 'beat');
  await step('share', (s) => ({ link: s.link, device: s.device, shareId: id(), target: 'friend' }));
  return { perSecond: calls / (ms / 1000), cpuMs: cpu / calls, roundTrips: new Map([...trips].map(([k, v]) => [k, p50(v)])) };
}

/** The same number of events into the pipeline directly, from this process, at the same concurrency. */
async function pipelineDirect(stack: LocalStack, take: () => Person[], n: number): Promise<{ perSecond: number; cpuMs: number }> {
  // Loaded here, once the stack runs: the SDK then talks to the local cloud (emulator/functions/env-context.ts).
  const { applyEvents } = await import('../cloudfunctions/_lib/pipeline');
  const { eventRepo } = await import('../cloudfunctions/_lib/repo/events');
  const owners = Array.from({ length: SESSIONS }, () => take()[0]);
  const now = stack.clock.now();
  const events = Array.from({ length: n }, (_, i) => {
    const c = owners[i % owners.length];
    return shareEvent({ _id: `bench-${id()}`, materialId: 'mat-pd-i1' }, { customerId: c._id, storeId: c.storeId }, id(), 'friend', now + i);
  });
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  await inParallel(events, CONCURRENCY, async (e) => {
    if (!(await eventRepo.insert(e, { pending: true }))) throw new Error('invite bench: a direct event was a duplicate');
    await applyEvents(e.customerId, [{ ...e, pending: true }], now, new Map(), e.storeId);
  });
  return { perSecond: n / ((performance.now() - started) / 1000), cpuMs: cpuMsSince(cpuStart) / n };
}

/** A strategy issued to these customers (all owned, no holdout): each one's task, as the inbox holds it. */
async function strategyTasks(stack: LocalStack, manager: string, tag: string, members: readonly Person[]): Promise<[Person, string][]> {
  const at = stack.clock.now() - 60_000;
  const audienceId = `aud-bench-invite-${tag}`;
  stack.emulator.db.insertOne('audiences', { _id: audienceId, storeId: STORE, name: `基准人群${tag}`, rule: { version: 1, root: { kind: 'stage', in: ['lead', 'prospect'] } }, mode: 'snapshot', status: 'active', version: 1, description: '线索或潜客', count: members.length, countedAt: at, snapshotAt: at, createdBy: 'bench', createdAt: at, updatedBy: 'bench', updatedAt: at });
  for (const c of members) stack.emulator.db.insertOne('audienceMembers', { _id: `${audienceId}:${c._id}`, audienceId, storeId: STORE, customerId: c._id });
  const strategyId = `str-bench-invite-${tag}`;
  const window = { startAt: NOW - 86_400_000, endAt: NOW + 7 * 86_400_000, fromMinute: 0, toMinute: 1440 };
  const rules = [{ id: 'q', when: { kind: 'not_opened', hours: 24 }, then: [{ kind: 'reinvite', max: 1 }] }];
  await post(stack, 'strategies', { action: 'save', params: { strategyId, expectedVersion: 0, name: '基准邀约', audienceId, materialId: 'mat-pd-i1', channel: 'wecom_chat', window, rules, holdoutPercent: 0 } }, manager);
  await post(stack, 'strategies', { action: 'issue', params: { strategyId } }, manager);
  return members.map((c) => {
    const taskId = `strategy/${strategyId}/${c._id}/1`;
    if (!stack.emulator.db.findById<TaskDoc>('tasks', taskId)) throw new Error(`invite bench: issuing made no task for ${c._id}`);
    return [c, taskId];
  });
}

/** RUNS sends and RUNS registrations, one after the other; medians of their round trips and wall times. */
async function oneAtATime(stack: LocalStack, secret: string, take: () => Person[], activityId: string, tokens: Map<string, string>, tag: string) {
  const tasks = await strategyTasks(stack, tokens.get(MANAGER)!, tag, Array.from({ length: RUNS }, () => take()[0]));
  const out = { send: { trips: [] as number[], ms: [] as number[] }, task: { trips: [] as number[], ms: [] as number[] }, register: { trips: [] as number[], ms: [] as number[] } };
  for (let i = 0; i < RUNS; i++) {
    const [c] = take();
    const token = tokens.get(c.ownerId!);
    if (!token) throw new Error(`invite bench: no session for ${c.ownerId}`);
    const s = await post(stack, 'sends', { action: 'send', params: { sendId: device(), customerId: c._id, materialId: 'mat-pd-i1', channel: 'wecom_chat' } }, token);
    if (!data<{ sent: boolean }>(s).sent) throw new Error('invite bench: the send was refused');
    out.send.trips.push(s.roundTrips);
    out.send.ms.push(s.ms);

    // The strategy task the send answers, as issuing made it (the member's round starts with the send).
    const [d, taskId] = tasks[i];
    const t = await post(stack, 'sends', { action: 'send', params: { sendId: device(), customerId: d._id, materialId: 'mat-pd-i1', channel: 'wecom_chat', taskId } }, tokens.get(d.ownerId!)!);
    if (!data<{ sent: boolean }>(t).sent) throw new Error('invite bench: the strategy send was refused');
    out.task.trips.push(t.roundTrips);
    out.task.ms.push(t.ms);

    const [r] = take();
    const l = sendTo(stack, secret, r, activityId);
    const dev = device();
    await post(stack, 'activities', { action: 'consent', params: { link: l.link, device: dev, granted: true, noticeVersion: INVITE_NOTICE_VERSION } });
    const reg = await post(stack, 'activities', { action: 'register', params: { activityId, link: l.link, device: dev, name: r.name, phone: r.identities.phone, party: 1 } });
    if (!data<{ registered: boolean }>(reg).registered) throw new Error('invite bench: the registration was refused');
    out.register.trips.push(reg.roundTrips);
    out.register.ms.push(reg.ms);
  }
  const med = (x: { trips: number[]; ms: number[] }) => ({ roundTrips: p50(x.trips), ms: p50(x.ms) });
  return { send: med(out.send), task: med(out.task), register: med(out.register) };
}

export async function inviteBench(record: (f: Figure) => void): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sidekick-bench-invite-'));
  const stack = await startLocalStack({ dataDir, customers: 20_000, seed: 42, now: NOW });
  try {
    const secret = readFileSync(join(dataDir, 'session-secret'), 'utf8').trim();
    const take = people(stack);
    const base = stack.emulator.db.findById<ActivityDoc>('activities', 'act-suv-weekend');
    if (!base) throw new Error('invite bench: the demo activity is missing');
    const activityId = 'act-bench-invite';
    stack.emulator.db.insertOne('activities', { ...base, _id: activityId, capacity: 100_000, registered: 0, startAt: NOW + 5 * 86_400_000, endAt: NOW + 6 * 86_400_000 });

    // The manager issues; the consultant sends to their own customers (sign-ins are rate-limited per IP).
    const tokens = new Map<string, string>();
    for (const who of [MANAGER, CONSULTANT]) tokens.set(who, data<{ token: string }>(await post(stack, 'auth', { action: 'demoSignIn', params: { personId: who } })).token);
    const theirs = people(stack, CONSULTANT);

    const local = await gatewaySessions(stack, secret, take, activityId);
    const localDirect = await pipelineDirect(stack, take, SESSIONS * 6);
    const localOne = await oneAtATime(stack, secret, theirs, activityId, tokens, '0');
    stack.emulator.setLatency(LATENCY_MS);
    const cloud = await gatewaySessions(stack, secret, take, activityId);
    const cloudDirect = await pipelineDirect(stack, take, SESSIONS * 6);
    const cloudOne = await oneAtATime(stack, secret, theirs, activityId, tokens, '1');
    stack.emulator.setLatency(0);

    record(figure('track.customer_events_per_s', local.perSecond, `events/s (${CONCURRENCY} at once)`, { baseline: localDirect.perSecond, target: 2000, atLeast: true }));
    record(figure('track.customer_events_per_s_10ms', cloud.perSecond, `events/s at ${LATENCY_MS} ms/round trip`, { baseline: cloudDirect.perSecond }));
    record(figure('track.customer_cpu_ms_per_event', local.cpuMs, 'ms CPU', { baseline: localDirect.cpuMs }));
    for (const [name, trips] of cloud.roundTrips) record(figure(`track.customer_${name}_round_trips`, trips, 'round trips'));
    const one = [
      ['send', cloudOne.send, localOne.send],
      ['send_strategy_task', cloudOne.task, localOne.task],
      ['register', cloudOne.register, localOne.register],
    ] as const;
    for (const [name, c, l] of one) {
      record(figure(`cloud.${name}_round_trips`, c.roundTrips, 'round trips'));
      record(figure(`cloud.${name}_ms`, c.ms, `ms at ${LATENCY_MS} ms/round trip`, { baseline: l.ms }));
    }
  } finally {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

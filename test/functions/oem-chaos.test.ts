/**
 * Chaos: OEM changes move down and store events move up with every fault of the OEM simulator
 * switched on (5xx, timeouts, slow answers, duplicate deliveries, reordered, short and truncated
 * pages, an expired cursor, bad signatures), and the local cloud is killed (`kill -9`) in the
 * middle of a sync run, once while it writes OEM changes and once while it uploads, then
 * started again on the same data. The end state must equal a fault-free run of the same data:
 * the customers' OEM-owned fields and the OEM events by id, and the store events the OEM
 * received by idempotency key, each customer's in order: 0 lost, 0 duplicated.
 *
 * `CHAOS_RECORDS` changes each way, set by SIDEKICK_CHAOS_RECORDS (scripts/test.sh sets it for
 * `npm test`). The issue asks for 10,000; on the shared 2-core machine that takes several
 * minutes (BENCHMARKS.md, docs/decisions/0011-oem-sync.md), more than the suite's budget allows,
 * so `npm test` moves 2,000 each way and `SIDEKICK_CHAOS_RECORDS=10000` runs the full size.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { ApiReply, TrackResult } from '../../types/api';
import type { CustomerDoc, EventDoc, OutboxDoc } from '../../types/model';
import { StackClock } from '../../emulator/clock';
import { bulkFeed } from '../../emulator/oem/data';
import { startOemSimulator, type OemFaults, type OemSimulator } from '../../emulator/oem/simulator';
import { DEMO_OEM } from '../../scripts/local-stack';
import type { SyncReport } from '../../cloudfunctions/_lib/oem/sync';
import { LEASE_MS } from '../../cloudfunctions/_lib/oem/sync';
import { startTestStack, TEST_NOW, type TestStack } from '../support/stack';

/** Records each way: SIDEKICK_CHAOS_RECORDS, which `npm test` sets (scripts/test.sh); 2,000 when run alone. */
export const CHAOS_RECORDS = chaosRecords(process.env.SIDEKICK_CHAOS_RECORDS);

function chaosRecords(setting: string | undefined): number {
  if (setting === undefined || setting === '') return 2_000;
  const n = Number(setting);
  if (!Number.isInteger(n) || n < 100) throw new Error(`SIDEKICK_CHAOS_RECORDS must be a whole number of at least 100, not "${setting}"`);
  return n;
}
const ROOT = resolve(__dirname, '../..');
const STORES = ['store-sh-pudong', 'store-sh-jiading', 'store-sz-sip'];
const MANAGERS: Record<string, string> = { 'store-sh-pudong': 'wangjianguo', 'store-sh-jiading': 'xuhaiyan', 'store-sz-sip': 'guzhiqiang' };
/** Store events per customer and per track call: ten customers' ten events each. */
const EVENTS_PER_CUSTOMER = 10;
const CUSTOMERS_PER_CALL = 10;
const FUNCTION_ENV = { SIDEKICK_OEM_TIMEOUT_MS: '1500' };
const FAULTS: OemFaults = { serverError: 0.08, timeout: 0.05, slow: 0.1, duplicate: 0.15, reorder: 0.3, short: 0.15, truncate: 0.05, cursorReset: 0.05, badSignature: 0.06 };

const feed = bulkFeed({ changes: CHAOS_RECORDS, stores: STORES, startAt: TEST_NOW - 2 * 86400_000, prefix: 'OEMX', seed: 29, updates: 0.1 });
const dirs: string[] = [];
const cleanup: (() => Promise<unknown> | unknown)[] = [];

afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A clock that reads whichever stack clock the run is on now (the simulator checks signatures by it). */
class FollowingClock {
  constructor(public clock: { now(): number }) {}
  now(): number {
    return this.clock.now();
  }
}

/** One simulator per run. */
async function simulator(faults: OemFaults, clock: { now(): number }): Promise<OemSimulator> {
  const sim = await startOemSimulator({ dealerId: DEMO_OEM.dealerId, secret: DEMO_OEM.secret, webhookSecret: DEMO_OEM.webhookSecret, clock, faults, seed: 5, holdMs: 1800, slowMs: 150, firstEach: true });
  cleanup.push(() => sim.close());
  sim.addChanges(feed.changes);
  return sim;
}

// ---------- a stack in a child process, to kill ----------

interface Child {
  url: string;
  proc: ChildProcess;
  lines: Interface;
  send(command: string): Promise<{ result?: unknown; error?: string }>;
}

async function startChild(dataDir: string, now: number, oemUrl: string): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/support/stack-process.ts'), dataDir, String(now), '600'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, SIDEKICK_TEST_OEM_URL: oemUrl, SIDEKICK_TEST_FUNCTION_ENV: JSON.stringify(FUNCTION_ENV) },
  });
  cleanup.push(() => proc.kill('SIGKILL'));
  const lines = createInterface({ input: proc.stdout! });
  const waiting: ((v: { result?: unknown; error?: string }) => void)[] = [];
  const url = await new Promise<string>((ok, fail) => {
    proc.once('exit', (code) => fail(new Error(`stack process exited with ${code}`)));
    lines.once('line', (line) => ok((JSON.parse(line) as { url: string }).url));
  });
  lines.on('line', (line) => waiting.shift()?.(JSON.parse(line) as { result?: unknown }));
  return {
    url,
    proc,
    lines,
    send: (command) =>
      new Promise((ok) => {
        waiting.push(ok);
        proc.stdin!.write(`${command}\n`);
      }),
  };
}

async function kill(child: Child): Promise<void> {
  child.proc.kill('SIGKILL');
  if (child.proc.exitCode === null && !child.proc.signalCode) await new Promise((r) => child.proc.once('exit', r));
}

// ---------- what both runs do ----------

async function post<T>(url: string, fn: string, body: unknown, token?: string): Promise<ApiReply<T> | undefined> {
  try {
    const res = await fetch(`${url}/fn/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    return (await res.json()) as ApiReply<T>;
  } catch {
    return undefined;
  }
}

async function signIn(url: string, personId: string): Promise<string> {
  const r = await post<{ token: string }>(url, 'auth', { action: 'demoSignIn', params: { personId } });
  if (!r?.ok) throw new Error(`sign-in of ${personId} failed`);
  return r.data.token;
}

/** The store events: ten per customer for as many OEM customers as it takes, in calls of a hundred per store. */
function storeEvents(at: number): { storeId: string; events: Record<string, unknown>[] }[] {
  const calls: { storeId: string; events: Record<string, unknown>[] }[] = [];
  const people = feed.people.slice(0, Math.ceil(CHAOS_RECORDS / EVENTS_PER_CUSTOMER));
  for (const storeId of STORES) {
    const mine = people.filter((p) => p.storeId === storeId);
    for (let i = 0; i < mine.length; i += CUSTOMERS_PER_CALL) {
      const events = mine.slice(i, i + CUSTOMERS_PER_CALL).flatMap((p) =>
        Array.from({ length: EVENTS_PER_CUSTOMER }, (_, k) => {
          const t = at - (EVENTS_PER_CUSTOMER - k) * 60_000;
          const type = (['store_visit', 'test_drive', 'quote', 'call'] as const)[k % 4];
          const properties = type === 'store_visit' ? { durationMinutes: 20 + k } : type === 'test_drive' ? { modelId: 'lanyue' } : type === 'quote' ? { modelId: 'lanyue', price: 259_800, priceCut: 1000 * k } : { direction: 'outbound', connected: true };
          // No sentAt: nothing to correct, so the stored time is the same in any run.
          return { messageId: `chaos-${p.oemId}-${k}`, event: type, identities: { oemId: p.oemId }, properties, originalTimestamp: t, source: 'store', storeId };
        }),
      );
      calls.push({ storeId, events });
    }
  }
  return calls;
}

/** Records the store events, three stores at once. */
async function recordStoreEvents(url: string, at: number): Promise<void> {
  const tokens = Object.fromEntries(await Promise.all(STORES.map(async (s) => [s, await signIn(url, MANAGERS[s])] as const)));
  const calls = storeEvents(at);
  await Promise.all(
    STORES.map(async (storeId) => {
      for (const call of calls.filter((c) => c.storeId === storeId)) {
        const r = await post<TrackResult>(url, 'track', { action: 'ingest', params: { events: call.events } }, tokens[storeId]);
        if (!r?.ok || r.data.rejected.length) throw new Error(`track failed: ${JSON.stringify(r)}`);
      }
    }),
  );
}

type Fire = () => Promise<SyncReport>;

/**
 * Keeps firing the sync in the child until it is killed, and kills it `afterMs` after the
 * simulator answered a `kind` request in full: the run is then writing what it got.
 */
async function killMidRun(child: Child, sim: OemSimulator, kind: 'changes' | 'events', afterMs: number): Promise<void> {
  const from = sim.served()[kind];
  let dead = false;
  void (async () => {
    while (!dead) await child.send('fire oemSync');
  })();
  for (let i = 0; i < 3000 && sim.served()[kind] === from; i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, afterMs));
  dead = true;
  await kill(child);
}

/** Runs the sync until the feed is read, the webhook's pushes are in and nothing waits to go up. */
async function settle(fire: Fire, advance: (ms: number) => Promise<void>, sim: OemSimulator, done: () => boolean): Promise<number> {
  let runs = 0;
  for (; runs < 400; runs++) {
    const t = Date.now();
    const r = await fire();
    if (process.env.CHAOS_TRACE) process.stderr.write(`fire ${Date.now() - t} ms ${JSON.stringify({ i: r.ingest, u: r.upload })} pushes ${sim.pendingPushes()}\n`);
    if (r.ingest?.caughtUp && !r.ingest.error && sim.pendingPushes() === 0 && done()) return runs;
    // Backoffs are minutes long; the clock moves instead of the test waiting.
    if (r.upload?.error || r.ingest?.error || r.ingest?.busy || r.upload?.busy) await advance(10 * 60_000);
  }
  throw new Error('oem chaos: the sync never settled');
}

// ---------- the comparison ----------

interface Outcome {
  customers: Map<string, unknown>;
  events: Map<string, unknown>;
  received: Map<string, unknown>;
}

function outcome(stack: TestStack, sim: OemSimulator): Outcome {
  const db = stack.emulator.db;
  const customers = new Map<string, unknown>();
  for (const c of db.find('customers', { 'identities.oemId': { $regex: '^OEMX' } }, { limit: 10_000_000 }) as (CustomerDoc & { mergedInto?: string; fieldSources?: unknown })[]) {
    if (c.mergedInto) continue;
    const key = `${c.storeId}/${c.identities.oemId}`;
    expect(customers.has(key)).toBe(false);
    customers.set(key, {
      name: c.name,
      gender: c.gender,
      city: c.city,
      phone: c.identities.phone,
      fieldSources: c.fieldSources,
      sourceChannel: c.sourceChannel,
      lead: c.oem?.lead,
      tagsAt: c.oem?.tagsAt,
      oemTags: c.tags.filter((t) => t.source === 'oem').map((t) => [t.tagId, t.assignedAt]).sort(),
      consent: c.consent,
    });
  }
  const byId = new Map((db.find('customers', { 'identities.oemId': { $regex: '^OEMX' } }, { limit: 10_000_000 }) as CustomerDoc[]).map((c) => [c._id, c]));
  const events = new Map<string, unknown>();
  for (const e of db.find('events', { _id: { $regex: '^oem:' } }, { limit: 10_000_000 }) as (EventDoc & { pending?: boolean })[]) {
    const owner = byId.get(e.customerId);
    if (!owner) continue;
    events.set(e._id, { who: `${owner.storeId}/${owner.identities.oemId}`, type: e.type, source: e.source, properties: e.properties, timestamp: e.timestamp, pending: e.pending ?? false });
  }
  const received = new Map<string, unknown>();
  for (const [id, r] of sim.received()) {
    const { context, ...item } = r.item as { context: Record<string, unknown> };
    received.set(id, { ...item, storeId: context.storeId, sequence: context.sequence });
  }
  return { customers, events, received };
}

/** Every outbox entry sent, each received once (deliveries counted), each customer's in sequence order. */
function checkUpstream(stack: TestStack, sim: OemSimulator): void {
  const entries = stack.emulator.db.find('oemOutbox', {}, { limit: 10_000_000 }) as OutboxDoc[];
  expect(entries.filter((e) => e.status !== 'sent')).toEqual([]);
  const received = sim.received();
  expect(entries.map((e) => e._id).filter((id) => !received.has(id))).toEqual([]);
  expect(received.size).toBe(entries.length);
  for (const [who, seqs] of sim.sequences()) expect([who, seqs]).toEqual([who, [...seqs].sort((a, b) => a - b)]);
}

// About 30 ms per record each way on a busy shared machine, with room: 2,000 fit in 400 s, 10,000 in 25 minutes.
jest.setTimeout(Math.max(400_000, CHAOS_RECORDS * 150));

it(`moves ${CHAOS_RECORDS} records each way through every fault and two kills, ending as a fault-free run does`, async () => {
  const started = Date.now();
  const trace = (what: string) => process.env.CHAOS_TRACE && process.stderr.write(`${((Date.now() - started) / 1000).toFixed(1)} s ${what}\n`);
  // Store events happen in the minutes before the test's "now", in both runs.
  const eventsAt = TEST_NOW;

  // ---- the chaos run: a child stack, killed twice ----
  const dataDir = mkdtempSync(join(tmpdir(), 'sidekick-oem-chaos-'));
  dirs.push(dataDir);
  const simClock = new FollowingClock(new StackClock(TEST_NOW));
  const sim = await simulator(FAULTS, simClock);
  sim.addChanges(feed.changes.slice(0, 400), { push: true });

  let child = await startChild(dataDir, TEST_NOW, sim.url);
  trace('child started');
  sim.setWebhookUrl(`${child.url}/fn/oemSync/webhook`);
  const childFire: Fire = async () => (await child.send('fire oemSync')).result as SyncReport;
  const childAdvance = async (ms: number) => {
    await child.send(`advance ${ms}`);
    (simClock.clock as StackClock).advance(ms);
  };
  const restartAfterLease = () => {
    const at = simClock.now() + LEASE_MS + 60_000;
    (simClock.clock as StackClock).set(at);
    return at;
  };

  // Kill #1: while a run writes a page of OEM changes.
  await killMidRun(child, sim, 'changes', 300);
  trace('killed while writing changes');
  // Started again past the dead holder's lease: the feed and the pushes are finished.
  child = await startChild(dataDir, restartAfterLease(), sim.url);
  sim.setWebhookUrl(`${child.url}/fn/oemSync/webhook`);
  await settle(childFire, childAdvance, sim, () => true);
  const downAt = Date.now();
  trace('down');

  // Store events up; kill #2 while a run uploads them.
  await recordStoreEvents(child.url, eventsAt);
  const recordedAt = Date.now();
  trace('store events recorded');
  await killMidRun(child, sim, 'events', 50);
  trace('killed while uploading');

  const stack = await startTestStack({ dataDir, now: restartAfterLease(), customers: 600, oem: { url: sim.url }, env: FUNCTION_ENV });
  cleanup.push(() => stack.destroy());
  simClock.clock = stack.clock;
  sim.setWebhookUrl(`${stack.url}/fn/oemSync/webhook`);
  const settled = () => stack.emulator.db.count('oemOutbox', { status: { $in: ['pending', 'dead'] } }) === 0 && stack.emulator.db.count('oemInbox', {}) === 0;
  await settle(async () => (await stack.emulator.fireTimer('oemSync')) as SyncReport, async (ms) => stack.clock.advance(ms), sim, settled);
  const chaosDone = Date.now();
  trace('up');
  const fired = sim.faultsFired();
  for (const f of Object.keys(FAULTS) as (keyof OemFaults)[]) expect([f, fired[f] > 0]).toEqual([f, true]);
  expect(stack.emulator.db.count('events', { pending: true })).toBe(0);
  const chaos = outcome(stack, sim);

  // Up: exactly the store events recorded (0 lost, 0 duplicated), as the outbox queued them, each customer's in order.
  checkUpstream(stack, sim);
  const recorded = storeEvents(eventsAt).flatMap((c) => c.events.map((e) => `evt:${String(e.messageId)}`));
  expect([...chaos.received.keys()].sort()).toEqual([...recorded].sort());
  // One copy of what the simulator received (each `received()` copies all of it).
  const receivedById = sim.received();
  for (const e of stack.emulator.db.find('oemOutbox', {}, { limit: 10_000_000 }) as OutboxDoc[]) {
    const got = receivedById.get(e._id)!.item as { context: Record<string, unknown> };
    expect({ ...got, context: { ...got.context, dealerId: undefined, sequence: undefined } }).toEqual({ ...e.item, context: { ...(e.item.context as object), dealerId: undefined, sequence: undefined } });
    expect(got.context.sequence).toBe(e.seq);
  }

  // Down: the same changes without faults or kills give the same customers and events.
  const refDir = mkdtempSync(join(tmpdir(), 'sidekick-oem-ref-'));
  dirs.push(refDir);
  const refClock = new FollowingClock(new StackClock(TEST_NOW));
  const refSim = await simulator({}, refClock);
  const ref = await startTestStack({ dataDir: refDir, now: TEST_NOW, customers: 600, oem: { url: refSim.url }, env: FUNCTION_ENV });
  cleanup.push(() => ref.destroy());
  refClock.clock = ref.clock;
  refSim.setWebhookUrl(`${ref.url}/fn/oemSync/webhook`);
  refSim.addChanges(feed.changes.slice(0, 400), { push: true });
  await settle(async () => (await ref.emulator.fireTimer('oemSync')) as SyncReport, async (ms) => ref.clock.advance(ms), refSim, () => ref.emulator.db.count('oemInbox', {}) === 0);
  const clean = outcome(ref, refSim);

  expect(chaos.customers.size).toBe(feed.people.length);
  expect(chaos.events.size).toBe(feed.changes.filter((c) => c.type === 'lead' || c.type === 'event').length);
  const differing = (a: Map<string, unknown>, b: Map<string, unknown>) =>
    [...new Set([...a.keys(), ...b.keys()])].filter((k) => JSON.stringify(a.get(k)) !== JSON.stringify(b.get(k))).slice(0, 5).map((k) => [k, a.get(k), b.get(k)]);
  expect(differing(chaos.customers, clean.customers)).toEqual([]);
  expect(differing(chaos.events, clean.events)).toEqual([]);
  const deliveries = [...sim.received().values()].reduce((n, r) => n + r.deliveries, 0);
  process.stderr.write(
    `oem chaos: ${CHAOS_RECORDS} each way; down ${((downAt - started) / 1000).toFixed(1)} s, store events recorded ${((recordedAt - downAt) / 1000).toFixed(1)} s, ` +
      `up ${((chaosDone - recordedAt) / 1000).toFixed(1)} s, fault-free twin ${((Date.now() - chaosDone) / 1000).toFixed(1)} s; ` +
      `faults ${JSON.stringify(fired)}; ${deliveries - sim.received().size} repeated deliveries absorbed\n`,
  );
});

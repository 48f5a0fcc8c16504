/**
 * A crash in the middle of a burst of events: the local cloud is killed (`kill -9`) while
 * track calls are in flight, started again on the same data, and the repair job runs. Every
 * acknowledged event is stored and applied, no person has two live customers, every
 * identifier of every customer is indexed to it, and the senders' retries of what was never
 * acknowledged land once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { ApiReply, TrackResult } from '../../types/api';
import type { CustomerDoc, EventDoc, IdentityDoc } from '../../types/model';
import { PENDING_GRACE_MS } from '../../cloudfunctions/_lib/pipeline';
import { startTestStack, TEST_NOW, type TestStack } from '../support/stack';

const ROOT = resolve(__dirname, '../..');
const STORE = 'store-sh-pudong';
const BATCHES = 30;
const PER_BATCH = 50;

let dataDir: string;
let child: ChildProcess | undefined;
let stack: TestStack | undefined;

afterAll(async () => {
  child?.kill('SIGKILL');
  await stack?.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

function startChild(): Promise<{ url: string; proc: ChildProcess }> {
  // tsx as a loader in this very process (its CLI would run the stack in a grandchild that outlives a kill).
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/support/stack-process.ts'), dataDir, String(TEST_NOW), '600'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    proc.once('exit', (code) => fail(new Error(`stack process exited with ${code}`)));
    createInterface({ input: proc.stdout! }).once('line', (line) => ok({ url: (JSON.parse(line) as { url: string }).url, proc }));
  });
}

/** 1,500 events: 300 new people, each seen five times across batches, some with an OEM id too. */
function burst(): Record<string, unknown>[][] {
  const events: Record<string, unknown>[] = [];
  for (let round = 0; round < 5; round++) {
    for (let p = 0; p < 300; p++) {
      const phone = `1370${String(1_000_000 + p).slice(-7)}`;
      const identities = p % 3 === 0 && round > 1 ? { phone, oemId: `LSC${String(p).padStart(8, '0')}` } : { phone };
      const at = TEST_NOW - (5 - round) * 60_000;
      events.push({ messageId: `crash-${round}-${p}`, event: round === 2 ? 'test_drive' : 'store_visit', identities, properties: round === 2 ? { modelId: 'lanyue' } : { durationMinutes: 20 }, originalTimestamp: at, sentAt: at, source: 'store', storeId: STORE });
    }
  }
  return Array.from({ length: BATCHES }, (_, i) => events.slice(i * PER_BATCH, (i + 1) * PER_BATCH));
}

async function post(url: string, token: string, events: unknown[]): Promise<TrackResult | undefined> {
  try {
    const res = await fetch(`${url}/fn/track`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ action: 'ingest', params: { events } }) });
    const reply = (await res.json()) as ApiReply<TrackResult>;
    return reply.ok ? reply.data : undefined;
  } catch {
    return undefined; // the cloud died under this call: nothing was acknowledged
  }
}

it('loses nothing acknowledged, makes no twins and indexes every identity after a kill -9 mid-burst', async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sidekick-crash-'));
  const first = await startChild();
  child = first.proc;
  const signIn = await fetch(`${first.url}/fn/auth`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'demoSignIn', params: { personId: 'wangjianguo' } }) });
  const token = ((await signIn.json()) as ApiReply<{ token: string }>) as { ok: true; data: { token: string } };

  const batches = burst();
  const acknowledged = new Set<string>();
  let sent = 0;
  // Three senders; the cloud is killed once a third of the batches are on their way.
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      while (sent < BATCHES) {
        const batch = batches[sent++];
        if (sent === 10) setTimeout(() => child?.kill('SIGKILL'), 150);
        const res = await post(first.url, token.data.token, batch);
        for (const id of [...(res?.accepted ?? []), ...(res?.duplicates ?? [])]) acknowledged.add(id);
      }
    }),
  );
  await new Promise((r) => (child!.exitCode !== null || child!.signalCode ? r(undefined) : child!.once('exit', r)));
  child = undefined;
  expect(acknowledged.size).toBeGreaterThan(0);
  expect(acknowledged.size).toBeLessThan(BATCHES * PER_BATCH);

  // Started again on the same data, later than the grace period: the repair job finishes the crashed work.
  stack = await startTestStack({ dataDir, now: TEST_NOW + PENDING_GRACE_MS + 60_000 });
  for (let i = 0; i < 5 && stack.emulator.db.count('events', { pending: true }) > 0; i++) await stack.emulator.fireTimer('track', 'repair-pending');
  expect(stack.emulator.db.count('events', { pending: true })).toBe(0);
  const stored = new Map((stack.emulator.db.find('events', { _id: { $regex: '^crash-' } }, { limit: 100000 }) as EventDoc[]).map((e) => [e._id, e]));
  for (const id of acknowledged) expect(stored.has(id)).toBe(true);

  // The senders retry what was never acknowledged; it lands once.
  const token2 = await stack.signIn('wangjianguo');
  for (const batch of batches) {
    const retry = batch.filter((e) => !acknowledged.has(e.messageId as string));
    if (retry.length) expect((await post(stack.url, token2, retry))?.rejected).toEqual([]);
  }
  expect(stack.emulator.db.count('events', { pending: true })).toBe(0);
  const events = stack.emulator.db.find('events', { _id: { $regex: '^crash-' } }, { limit: 100000 }) as EventDoc[];
  expect(events).toHaveLength(BATCHES * PER_BATCH);

  // One live customer per person, every identifier indexed to it, every event on a live customer of it.
  const customers = (stack.emulator.db.find('customers', { storeId: STORE }, { limit: 100000 }) as (CustomerDoc & { mergedInto?: string; identifiers?: { type: string; value: string }[] })[]).filter((c) => !c.mergedInto);
  const byPhone = new Map<string, string[]>();
  for (const c of customers) if (c.identities.phone?.startsWith('1370')) byPhone.set(c.identities.phone, [...(byPhone.get(c.identities.phone) ?? []), c._id]);
  expect(byPhone.size).toBe(300);
  expect([...byPhone.values()].filter((ids) => ids.length > 1)).toEqual([]);
  const index = new Map((stack.emulator.db.find('identities', { storeId: STORE }, { limit: 1_000_000 }) as IdentityDoc[]).map((d) => [d._id, d.customerId]));
  const live = new Map(customers.map((c) => [c._id, c]));
  for (const [phone, [id]] of byPhone) {
    const c = live.get(id)!;
    for (const x of c.identifiers ?? []) expect([`${x.type}:${x.value}`, index.get(`${STORE}/${x.type}:${x.value}`)]).toEqual([`${x.type}:${x.value}`, id]);
    expect(index.get(`${STORE}/phone:${phone}`)).toBe(id);
  }
  // Each visit counted once: the store's visit count of each person is their number of visit events.
  const liveOf = (customerId: string): string => {
    const c = stack!.emulator.db.find('customers', { _id: customerId }, {})[0] as { _id: string; mergedInto?: string };
    return c.mergedInto ? liveOf(c.mergedInto) : c._id;
  };
  const visits = new Map<string, number>();
  for (const e of events) if (e.type === 'store_visit') visits.set(liveOf(e.customerId), (visits.get(liveOf(e.customerId)) ?? 0) + 1);
  for (const [id, n] of visits) expect([id, live.get(id)!.storesVisited.find((s) => s.storeId === STORE)?.count]).toEqual([id, n]);
});

/**
 * `audience.live_count_100k_ms`: a manager's live count while editing an audience, through the
 * `audiences` function and the local cloud, for a store of 100,000 customers, at 10 ms per SDK
 * round trip. Each call edits the rule (the SUV test-drive audience with another share count),
 * so the edited condition is computed from the columns, not served from the leaf cache; the
 * store's index itself is warm in the function instance, as it is in the cloud after the first
 * preview. Baseline: the first preview of the instance, which builds the index from the
 * customers' stored features (every customer read through the SDK, page by page).
 *
 * The store is the demo's 上海浦东店 copied under new ids (`<id>~<k>`) up to 100,000 customers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiReply, AudiencePreview } from '../types/api';
import type { AudienceRule } from '../types/audience';
import { SUV_TEST_DRIVE } from '../types/article-audiences';
import { Collections } from '../types/model';
import { startLocalStack, type LocalStack } from '../scripts/local-stack';
import { figure, type Figure } from './report';
import { p50 } from './stats';

const NOW = Date.parse('2026-11-23T10:00:00+08:00');
const STORE = 'store-sh-pudong';
const CUSTOMERS = 100_000;
const LATENCY_MS = 10;
const RUNS = 15;

async function send<T>(stack: LocalStack, fn: string, body: unknown, token: string): Promise<{ reply: ApiReply<T>; ms: number; roundTrips: number }> {
  const started = performance.now();
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await fetch(`${stack.url}/fn/${fn}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const reply = (await res.json()) as ApiReply<T>;
  return { reply, ms: performance.now() - started, roundTrips: Number(res.headers.get('x-local-round-trips')) };
}

async function post<T>(stack: LocalStack, fn: string, body: unknown, token: string): Promise<{ data: T; ms: number; roundTrips: number }> {
  const r = await send<T>(stack, fn, body, token);
  if (!r.reply.ok) throw new Error(`audience bench: ${fn} failed: ${r.reply.error?.code} ${r.reply.error?.message}`);
  return { data: r.reply.data, ms: r.ms, roundTrips: r.roundTrips };
}

/**
 * The first preview of an instance, until one answers: the local cloud's store scans every
 * customer for each page read (no compound indexes), so building a 100k index can outlast the
 * function's timeout; the build carries on in the instance and a retry joins it.
 */
async function firstPreview(stack: LocalStack, token: string): Promise<{ data: AudiencePreview; ms: number; roundTrips: number }> {
  const started = performance.now();
  let roundTrips = 0;
  for (let attempt = 0; attempt < 20; attempt++) {
    const r = await send<AudiencePreview>(stack, 'audiences', { action: 'preview', params: { rule: SUV_TEST_DRIVE } }, token);
    roundTrips += r.roundTrips || 0;
    if (r.reply.ok) return { data: r.reply.data, ms: performance.now() - started, roundTrips };
  }
  throw new Error('audience bench: the first preview never answered');
}

/** The SUV test-drive audience with "shared SUV content at least `n` times". */
function withShares(n: number): AudienceRule {
  const root = SUV_TEST_DRIVE.root as Extract<AudienceRule['root'], { kind: 'and' }>;
  return { version: 1, root: { kind: 'and', of: root.of.map((c) => (c.kind === 'behaviour' && c.event.types?.includes('share') ? { ...c, count: { op: 'gte', value: n } } : c)) } };
}

export async function audienceLiveBench(record: (f: Figure) => void): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sidekick-bench-audience-'));
  const stack = await startLocalStack({ dataDir, customers: 3000, seed: 42, now: NOW, timers: false });
  try {
    const db = stack.emulator.db;
    const originals = (await Promise.resolve(db.find(Collections.customers, { storeId: STORE, mergedInto: { $exists: false } }, { limit: 1_000_000 }))) as { _id: string }[];
    let total = originals.length;
    for (let k = 1; total < CUSTOMERS; k++) {
      const batch = originals.slice(0, CUSTOMERS - total).map((c) => ({ ...c, _id: `${c._id}~${k}` }));
      db.insertMany(Collections.customers, batch);
      total += batch.length;
    }
    const token = (await post<{ token: string }>(stack, 'auth', { action: 'demoSignIn', params: { personId: 'wangjianguo' } }, '')).data.token;
    stack.emulator.setLatency(LATENCY_MS);
    const cold = await firstPreview(stack, token);
    if (cold.data.total !== CUSTOMERS) throw new Error(`audience bench: the store holds ${cold.data.total} customers, not ${CUSTOMERS}`);
    const ms: number[] = [];
    const trips: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await post<AudiencePreview>(stack, 'audiences', { action: 'preview', params: { rule: withShares(1 + (i % 6)), sample: 6 } }, token);
      if (r.data.count === null) throw new Error('audience bench: the preview could not count');
      ms.push(r.ms);
      trips.push(r.roundTrips);
    }
    record(figure('audience.live_count_100k_ms', p50(ms), `ms (p50, ${LATENCY_MS} ms/round trip)`, { baseline: cold.ms, target: 300 }));
    record(figure('audience.live_count_100k_round_trips', p50(trips), 'round trips', { baseline: cold.roundTrips }));
  } finally {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

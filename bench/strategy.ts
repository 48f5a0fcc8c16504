/**
 * Issuing a strategy to 1,000 customers through the function on the local cloud: the manager's
 * `strategies.issue` call and any slices of its job that run on in the `jobs` function, until the
 * job is done, with the SDK round trips of all of them (counted by the local cloud), at 0 ms
 * (baseline) and at 10 ms per round trip (about CloudBase). Each run issues a new strategy to its
 * own 1,000 customers of one store (owned ones and some of the pool, which are allocated first),
 * so both runs do the same work; a re-issue of the same strategy is reported beside it.
 *
 * Figures: `strategy.issue_1000_customers_ms` (until the job is done),
 * `strategy.issue_1000_customers_call_ms` (the manager's wait), `strategy.issue_1000_customers_round_trips`,
 * `strategy.reissue_1000_customers_round_trips`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiReply } from '../types/api';
import type { CustomerDoc, JobDoc } from '../types/model';
import { startLocalStack, type LocalStack } from '../scripts/local-stack';
import { figure, type Figure } from './report';

const LATENCY_MS = 10;
const NOW = Date.parse('2026-11-23T10:00:00+08:00');
const STORE = 'store-sh-pudong';
const N = 1000;

async function post(stack: LocalStack, fn: string, body: unknown, token: string) {
  const started = performance.now();
  const res = await fetch(`${stack.url}/fn/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
  const reply = (await res.json()) as ApiReply<unknown>;
  const ms = performance.now() - started;
  if (!reply.ok) throw new Error(`strategy bench: ${fn} failed: ${reply.error.code} ${reply.error.message}`);
  return { data: reply.data as Record<string, unknown>, roundTrips: Number(res.headers.get('x-local-round-trips')), ms };
}

function audienceOf(stack: LocalStack, id: string, members: readonly string[]): void {
  const at = stack.clock.now() - 60_000;
  stack.emulator.db.insertOne('audiences', { _id: id, storeId: STORE, name: `基准人群${id}`, rule: { version: 1, root: { kind: 'stage', in: ['lead', 'prospect'] } }, mode: 'snapshot', status: 'active', version: 1, description: '线索或潜客', count: members.length, countedAt: at, snapshotAt: at, createdBy: 'bench', createdAt: at, updatedBy: 'bench', updatedAt: at });
  for (const c of members) stack.emulator.db.insertOne('audienceMembers', { _id: `${id}:${c}`, audienceId: id, storeId: STORE, customerId: c });
}

export async function strategyBench(record: (f: Figure) => void): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sidekick-bench-strategy-'));
  const stack = await startLocalStack({ dataDir, customers: 20_000, seed: 42, now: NOW });
  try {
    // Owned customers (a consultant gets each task), then the pool (allocated first, while consultants have room).
    const all = stack.emulator.db.find('customers', { storeId: STORE, mergedInto: { $exists: false } }, { sort: { _id: 1 } }) as CustomerDoc[];
    const live = [...all.filter((c) => c.ownerId), ...all.filter((c) => !c.ownerId)].map((c) => c._id);
    if (live.length < 2 * N) throw new Error(`strategy bench: the store has ${live.length} customers, fewer than ${2 * N}`);
    const token = ((await post(stack, 'auth', { action: 'demoSignIn', params: { personId: 'wangjianguo' } }, '')).data as { token: string }).token;
    const trips: { name: string; roundTrips: number }[] = [];
    stack.emulator.onInvocation((r) => trips.push(r));
    /** The issue call, then its job until done: wall time and the round trips of every invocation meanwhile. */
    const issue = async (strategyId: string) => {
      trips.length = 0;
      const started = performance.now();
      const call = await post(stack, 'strategies', { action: 'issue', params: { strategyId } }, token);
      let job: JobDoc | undefined;
      for (;;) {
        job = stack.emulator.db.findById<JobDoc>('jobs', `strategies:issue:${strategyId}`);
        if (job && job.status !== 'queued' && job.status !== 'running' && job.leaseUntil === 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const ms = performance.now() - started;
      if (job.status !== 'done') throw new Error(`strategy bench: the issue job ${job.status}: ${job.lastError?.message ?? ''}`);
      const roundTrips = trips.filter((t) => t.name === 'strategies' || t.name === 'jobs').reduce((n, t) => n + t.roundTrips, 0);
      // The run's tally: what the call and the slices after it did.
      return { data: { ...call.data, ...job.issue }, callMs: call.ms, ms, roundTrips, slices: trips.filter((t) => t.name === 'jobs').length + 1 };
    };
    const run = async (latency: number, tag: string, members: readonly string[]) => {
      audienceOf(stack, `aud-bench-${tag}`, members);
      const window = { startAt: NOW - 86_400_000, endAt: NOW + 7 * 86_400_000, fromMinute: 540, toMinute: 1260 };
      const rules = [{ id: 'q', when: { kind: 'not_opened', hours: 24 }, then: [{ kind: 'reinvite', max: 1 }] }];
      await post(stack, 'strategies', { action: 'save', params: { strategyId: `str-bench-${tag}`, expectedVersion: 0, name: '基准策略', audienceId: `aud-bench-${tag}`, materialId: 'mat-pd-i1', channel: 'wecom_chat', window, rules, holdoutPercent: 10 } }, token);
      stack.emulator.setLatency(latency);
      const first = await issue(`str-bench-${tag}`);
      const again = await issue(`str-bench-${tag}`);
      stack.emulator.setLatency(0);
      // Pool customers nobody had room for are left out (no member, no task): the rest are members.
      if ((first.data.members as number) + (first.data.unallocated as number) !== members.length) throw new Error(`strategy bench: issued to ${String(first.data.members)} of ${members.length}`);
      return { first, again };
    };
    const local = await run(0, '0', live.slice(0, N));
    const cloud = await run(LATENCY_MS, '1', live.slice(N, 2 * N));
    record(figure('strategy.issue_1000_customers_ms', cloud.first.ms, `ms at ${LATENCY_MS} ms/round trip`, { baseline: local.first.ms }));
    record(figure('strategy.issue_1000_customers_call_ms', cloud.first.callMs, `ms at ${LATENCY_MS} ms/round trip`, { baseline: local.first.callMs }));
    record(figure('strategy.issue_1000_customers_round_trips', cloud.first.roundTrips, 'round trips'));
    record(figure('strategy.reissue_1000_customers_round_trips', cloud.again.roundTrips, 'round trips'));
    record(figure('strategy.issue_1000_customers_slices', cloud.first.slices, 'invocations'));
  } finally {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

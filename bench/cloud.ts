/**
 * What the functions cost in the cloud: SDK round trips per call (counted by the local cloud)
 * and wall time with 10 ms added to every round trip, about what one costs inside CloudBase.
 * The same calls at 0 ms are the baseline: the difference is the latency the cloud adds.
 *
 * Cases (figures `cloud.<case>_round_trips` and `cloud.<case>_ms`):
 * - track_ingest_100_new / track_ingest_100_known: a batch of 100 store visits by a manager,
 *   people nobody knows / the same people again;
 * - leads_page, profile_open, follow_up, claim: what a consultant does between messages,
 *   measured on a warm function instance (the first call of an instance also reads the
 *   reference data it keeps for a minute; reported as `cloud.leads_page_cold_round_trips`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiReply, LeadSummary, Page } from '../types/api';
import { startLocalStack, type LocalStack } from '../scripts/local-stack';
import { figure, type Figure } from './report';

const LATENCY_MS = 10;
const NOW = Date.parse('2026-11-23T10:00:00+08:00');
const STORE = 'store-sh-pudong';

interface Call {
  status: number;
  reply: ApiReply<unknown>;
  roundTrips: number;
  ms: number;
}

async function post(stack: LocalStack, fn: string, body: unknown, token: string): Promise<Call> {
  const started = performance.now();
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await fetch(`${stack.url}/fn/${fn}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const reply = (await res.json()) as ApiReply<unknown>;
  const ms = performance.now() - started;
  if (!reply.ok) throw new Error(`cloud bench: ${fn} failed: ${reply.error.code} ${reply.error.message}`);
  return { status: res.status, reply, roundTrips: Number(res.headers.get('x-local-round-trips')), ms };
}

const data = <T>(c: Call) => (c.reply as { ok: true; data: T }).data;

function visits(prefix: string, phones: readonly string[], at: number) {
  return phones.map((phone, i) => ({ messageId: `${prefix}-${i}`, event: 'store_visit', identities: { phone }, properties: { durationMinutes: 25 }, originalTimestamp: at, sentAt: at, source: 'store', storeId: STORE }));
}

/** Runs the cases once at `latency` ms per round trip; returns round trips and wall time per case. */
async function cases(stack: LocalStack, latency: number, tag: string): Promise<Map<string, { roundTrips: number; ms: number }>> {
  stack.emulator.setLatency(latency);
  const out = new Map<string, { roundTrips: number; ms: number }>();
  const grant = async (id: string) => data<{ token: string }>(await post(stack, 'auth', { action: 'demoSignIn', params: { personId: id } }, ''));
  const manager = (await grant('wangjianguo')).token;
  const consultant = (await grant('lina')).token;
  const now = stack.clock.now();

  const phones = Array.from({ length: 100 }, (_, i) => `1376${tag}${String(100000 + i).slice(-6)}`.slice(0, 11));
  const fresh = await post(stack, 'track', { action: 'ingest', params: { events: visits(`bench-new-${tag}`, phones, now) } }, manager);
  if (data<{ accepted: string[] }>(fresh).accepted.length !== 100) throw new Error('cloud bench: the new batch was not fully accepted');
  out.set('track_ingest_100_new', fresh);
  const known = await post(stack, 'track', { action: 'ingest', params: { events: visits(`bench-known-${tag}`, phones, now + 60_000) } }, manager);
  out.set('track_ingest_100_known', known);

  await post(stack, 'leads', { action: 'list', params: { limit: 20 } }, consultant); // warm the instance's reference data
  const page = await post(stack, 'leads', { action: 'list', params: { limit: 20 } }, consultant);
  out.set('leads_page', page);
  const lead = data<Page<LeadSummary>>(page).items[0];
  out.set('profile_open', await post(stack, 'customers', { action: 'profile', params: { customerId: lead.id } }, consultant));
  out.set('follow_up', await post(stack, 'customers', { action: 'followUp', params: { customerId: lead.id, messageId: `bench-fu-${tag}`, kind: 'call', outcome: 'connected' } }, consultant));
  const pool = data<Page<LeadSummary>>(await post(stack, 'leads', { action: 'pool', params: { limit: 5 } }, consultant)).items;
  out.set('claim', await post(stack, 'leads', { action: 'claim', params: { customerId: pool[0].id } }, consultant));
  return out;
}

export async function cloudBench(record: (f: Figure) => void): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sidekick-bench-cloud-'));
  // A fresh function instance per stack: the first call pays for its reference data.
  const stack = await startLocalStack({ dataDir, customers: 20_000, seed: 42, now: NOW });
  try {
    const cold = await post(stack, 'leads', { action: 'list', params: { limit: 20 } }, data<{ token: string }>(await post(stack, 'auth', { action: 'demoSignIn', params: { personId: 'zhangwei' } }, '')).token);
    const local = await cases(stack, 0, '0');
    const cloud = await cases(stack, LATENCY_MS, '1');
    const targets: Record<string, { roundTrips?: number; ms?: number }> = {
      track_ingest_100_new: { ms: 1500 },
      track_ingest_100_known: { ms: 1500 },
      leads_page: { roundTrips: 3 },
      profile_open: { roundTrips: 4 },
    };
    for (const [name, c] of cloud) {
      const base = local.get(name)!;
      record(figure(`cloud.${name}_round_trips`, c.roundTrips, 'round trips', targets[name]?.roundTrips === undefined ? {} : { target: targets[name].roundTrips }));
      record(figure(`cloud.${name}_ms`, c.ms, `ms at ${LATENCY_MS} ms/round trip`, { baseline: base.ms, ...(targets[name]?.ms === undefined ? {} : { target: targets[name].ms }) }));
    }
    record(figure('cloud.leads_page_cold_round_trips', cold.roundTrips, 'round trips'));
  } finally {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

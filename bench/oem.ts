/**
 * The OEM sync's throughput, through the real wx-server-sdk and the local cloud, against the
 * OEM simulator (no faults):
 *
 * - `oem.ingest_records_per_s`: OEM changes (new leads with their campaign and consent, most
 *   with an online event, some profile and tag updates of people fed earlier) applied by the
 *   `oemSync` timer from the change feed, per second of the timer's runs. Baseline: the same
 *   documents the sync wrote (identity claims, customers, scoring states, events, consent
 *   entries) inserted straight into the emulator's store, per record: what the data alone costs
 *   to write here. `oem.ingest_round_trips_per_record` is the SDK calls per record.
 * - `oem.catchup_100k_s`: seconds to catch up with a feed of 100,000 changes.
 * - `oem.upstream_events_per_s`: outbox entries (store-side events of consenting customers)
 *   uploaded per second, each acknowledged by the simulator.
 *
 * - `oem.ingest_cpu_ms_per_record`: CPU of the whole process per record applied (function, SDK,
 *   local cloud and simulator share it), the figure to compare on a machine shared with other jobs.
 *
 * Each also at 10 ms per round trip (`…_10ms`), about what one costs inside CloudBase.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDb } from '../emulator';
import { bulkFeed } from '../emulator/oem/data';
import { startLocalStack, ROOT, type LocalStack } from '../scripts/local-stack';
import { Collections, type CustomerDoc, type EventDoc, type OutboxDoc } from '../types/model';
import { entriesForEvents } from '../cloudfunctions/_core/oem/outbox';
import type { SyncReport } from '../cloudfunctions/_lib/oem/sync';
import { figure, type Figure } from './report';

const NOW = Date.parse('2026-11-23T10:00:00+08:00');
const STORES = ['store-sh-pudong', 'store-sh-jiading', 'store-sz-sip'];
const LATENCY_MS = 10;
const info = (line: string) => process.stderr.write(`  oem: ${line}\n`);

export interface OemBenchOptions {
  ingestRecords: number;
  catchupRecords: number;
  upstreamEvents: number;
}

export const OEM_DEFAULTS: OemBenchOptions = { ingestRecords: 20_000, catchupRecords: 100_000, upstreamEvents: 20_000 };

/**
 * Sizes from BENCH_OEM_RECORDS (records ingested and events uploaded; the catch-up feed is five
 * times that and its time is scaled to 100k): the defaults when unset.
 */
export function oemSizes(setting: string | undefined): OemBenchOptions {
  if (setting === undefined || setting === '') return OEM_DEFAULTS;
  const n = Number(setting);
  if (!Number.isInteger(n) || n < 100) throw new Error(`BENCH_OEM_RECORDS must be a whole number of at least 100, not "${setting}"`);
  return { ingestRecords: n, catchupRecords: 5 * n, upstreamEvents: n };
}

interface Run {
  records: number;
  seconds: number;
  roundTrips: number;
  /**
   * CPU seconds of this process meanwhile: the function, the SDK, the local cloud and the
   * simulator all run in it. Steadier than wall time on a machine shared with other jobs.
   */
  cpuSeconds: number;
}

const cpuSince = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
};

/**
 * One timer run. Writing the baseline straight into a store blocks the event loop long enough
 * for kept-alive sockets to be dropped; a run that meets one fails, and the next run (as the
 * platform's next minute would) goes on.
 */
async function fire(stack: LocalStack): Promise<SyncReport> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await stack.emulator.fireTimer('oemSync')) as SyncReport;
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

/** Fires the sync until the feed is read to its end; the time and round trips of those runs. */
async function catchUp(stack: LocalStack): Promise<Run> {
  let roundTrips = 0;
  const stop = stack.emulator.onInvocation((r) => {
    if (r.name === 'oemSync') roundTrips += r.roundTrips;
  });
  let records = 0;
  let errors = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    for (let i = 0; i < 200; i++) {
      const r = await fire(stack);
      if (r.ingest?.error && ++errors > 3) throw new Error(`oem bench: ${r.ingest.error.code} ${r.ingest.error.message}`);
      records += r.ingest?.records ?? 0;
      if (r.ingest?.caughtUp) break;
    }
  } finally {
    stop();
  }
  return { records, seconds: (performance.now() - started) / 1000, roundTrips, cpuSeconds: cpuSince(cpu) };
}

/** Puts a feed of `records` changes on the simulator; the people it introduces. */
function feed(stack: LocalStack, records: number, prefix: string, seed: number): number {
  const f = bulkFeed({ changes: records, stores: STORES, startAt: stack.clock.now() - 24 * 3600_000, prefix, seed, updates: 0.1 });
  stack.oem!.addChanges(f.changes);
  return f.people.length;
}

/**
 * After a catch-up, what the store holds, not what the runs reported: a run that failed after
 * applying its page counts nothing, so their sum can fall short while nothing is missing.
 */
function assertAllArrived(stack: LocalStack, prefix: string, people: number): number {
  const arrived = stack.emulator.db.count(Collections.customers, { 'identities.oemId': { $regex: `^${prefix}` } });
  if (arrived !== people) throw new Error(`oem bench: the catch-up left ${arrived} of the feed's ${people} people in the store`);
  return arrived;
}

/** The documents the sync wrote for people of `prefix`, inserted straight into a fresh store. */
function baselineSeconds(stack: LocalStack, prefix: string, records: number): number {
  const db = stack.emulator.db;
  const customers = (db.find(Collections.customers, { 'identities.oemId': { $regex: `^${prefix}` } }, { limit: 10_000_000 }) as CustomerDoc[]);
  const ids = customers.map((c) => c._id);
  const docs: Record<string, object[]> = {
    [Collections.customers]: customers,
    [Collections.identities]: db.find(Collections.identities, { customerId: { $in: ids } }, { limit: 10_000_000 }) as object[],
    [Collections.customerStates]: db.find(Collections.customerStates, { _id: { $in: ids } }, { limit: 10_000_000 }) as object[],
    [Collections.events]: db.find(Collections.events, { customerId: { $in: ids } }, { limit: 10_000_000 }) as object[],
    [Collections.consents]: db.find(Collections.consents, { customerId: { $in: ids } }, { limit: 10_000_000 }) as object[],
  };
  const dir = mkdtempSync(join(tmpdir(), 'sidekick-bench-oem-base-'));
  const fresh = EmbeddedDb.open(dir, join(ROOT, 'cloudfunctions/database.json'));
  try {
    const started = performance.now();
    for (const [collection, list] of Object.entries(docs)) for (let i = 0; i < list.length; i += 2000) fresh.insertMany(collection, list.slice(i, i + 2000) as never);
    const seconds = (performance.now() - started) / 1000;
    info(`baseline: ${Object.values(docs).reduce((n, l) => n + l.length, 0)} documents for ${records} records straight into the store in ${seconds.toFixed(2)} s`);
    return seconds;
  } finally {
    fresh.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Outbox entries for `n` store-side events of consenting OEM customers, queued directly. */
function queueUpstream(stack: LocalStack, n: number, tag: string): number {
  const db = stack.emulator.db;
  const people = (db.find(Collections.customers, { 'consent.oem_sharing.granted': true }, { limit: 5000 }) as CustomerDoc[]).slice(0, 2000);
  const now = stack.clock.now();
  const entries: OutboxDoc[] = [];
  for (let i = 0; entries.length < n; i++) {
    let c = people[i % people.length] as CustomerDoc & { outboxSeq?: number };
    const e: EventDoc = { _id: `bench-up-${tag}-${i}`, customerId: c._id, storeId: c.storeId, type: 'store_visit', source: 'store', properties: { durationMinutes: 30, followUp: 'visit' }, originalTimestamp: now, sentAt: now, receivedAt: now, timestamp: now, staffId: c.ownerId ?? 'bench' };
    const r = entriesForEvents(c, [e], now);
    c = r.customer;
    people[i % people.length] = c;
    entries.push(...r.entries);
  }
  for (let i = 0; i < entries.length; i += 2000) db.insertMany(Collections.oemOutbox, entries.slice(i, i + 2000) as never);
  return entries.length;
}

async function drain(stack: LocalStack, expected: number): Promise<Run> {
  let roundTrips = 0;
  const stop = stack.emulator.onInvocation((r) => {
    if (r.name === 'oemSync') roundTrips += r.roundTrips;
  });
  let sent = 0;
  let errors = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    for (let i = 0; i < 200 && sent < expected; i++) {
      const r = await fire(stack);
      if (r.upload?.error && ++errors > 3) throw new Error(`oem bench: upload ${r.upload.error.code} ${r.upload.error.message}`);
      sent += r.upload?.sent ?? 0;
    }
  } finally {
    stop();
  }
  if (sent < expected) throw new Error(`oem bench: ${sent} of ${expected} entries uploaded`);
  return { records: sent, seconds: (performance.now() - started) / 1000, roundTrips, cpuSeconds: cpuSince(cpu) };
}

async function withStack<T>(fn: (stack: LocalStack) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sidekick-bench-oem-'));
  const stack = await startLocalStack({ dataDir, customers: 1000, seed: 42, now: NOW, env: { SIDEKICK_OEM_TIMEOUT_MS: '30000' } });
  try {
    // A warm function instance: the first run of an instance loads its code and reference data.
    await fire(stack);
    return await fn(stack);
  } finally {
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function oemBench(record: (f: Figure) => void, o: OemBenchOptions = OEM_DEFAULTS): Promise<void> {
  await withStack(async (stack) => {
    for (const latency of [0, LATENCY_MS]) {
      stack.emulator.setLatency(latency);
      const prefix = `OEMI${latency}`;
      feed(stack, o.ingestRecords, prefix, 11 + latency);
      const run = await catchUp(stack);
      const rate = run.records / run.seconds;
      info(`ingest at ${latency} ms: ${run.records} records in ${run.seconds.toFixed(2)} s (CPU ${run.cpuSeconds.toFixed(2)} s), ${run.roundTrips} round trips`);
      const suffix = latency ? `_${latency}ms` : '';
      if (latency === 0) {
        const base = baselineSeconds(stack, prefix, run.records);
        record(figure('oem.ingest_records_per_s', rate, 'records/s', { baseline: run.records / base, target: 5000, atLeast: true }));
      } else record(figure(`oem.ingest_records_per_s${suffix}`, rate, 'records/s'));
      record(figure(`oem.ingest_round_trips_per_record${suffix}`, run.roundTrips / run.records, 'round trips'));
      record(figure(`oem.ingest_cpu_ms_per_record${suffix}`, (run.cpuSeconds * 1000) / run.records, 'ms'));

      const queued = queueUpstream(stack, o.upstreamEvents, String(latency));
      const up = await drain(stack, queued);
      info(`upload at ${latency} ms: ${up.records} entries in ${up.seconds.toFixed(2)} s (CPU ${up.cpuSeconds.toFixed(2)} s), ${up.roundTrips} round trips`);
      record(figure(`oem.upstream_events_per_s${suffix}`, up.records / up.seconds, 'events/s'));
      record(figure(`oem.upstream_round_trips_per_event${suffix}`, up.roundTrips / up.records, 'round trips'));
    }
  });
  for (const latency of [0, LATENCY_MS]) {
    await withStack(async (stack) => {
      stack.emulator.setLatency(latency);
      const people = feed(stack, o.catchupRecords, `OEMC${latency}`, 23 + latency);
      const run = await catchUp(stack);
      const arrived = assertAllArrived(stack, `OEMC${latency}`, people);
      info(`catch-up at ${latency} ms: ${run.records} records reported applied in ${run.seconds.toFixed(1)} s (CPU ${run.cpuSeconds.toFixed(1)} s); all ${arrived} people of the feed are customers`);
      record(figure(`oem.catchup_100k_s${latency ? `_${latency}ms` : ''}`, (run.seconds * 100_000) / o.catchupRecords, 's'));
    });
  }
}

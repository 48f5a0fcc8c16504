/**
 * The demo dealership generator: pure and deterministic (same options, same documents, in the
 * same order), streamed to a sink in batches so a million customers never sit in memory.
 */
import {
  Collections,
  type ActivityDoc,
  type AudienceSpecDoc,
  type CustomerDoc,
  type EventDoc,
  type FollowUpDoc,
  type IdentityDoc,
  type MaterialDoc,
  type TaskDoc,
  type StaffDoc,
  type StoreDoc,
} from '../types/model';
import { activities, birthdayOf, careMaterials, materialDoc, materials, storeMaterials } from './content';
import { demoTasksFor, withTaskMarker } from './tasks';
import { generateCustomer, makeContext } from './customer';
import { STAFF, STORES } from './directory';
import type { MergeDoc } from './merges';
import { demoAudienceSpec, type StateDoc } from './scoring';
import type { SeedSink } from './sinks';

export type { SeedSink } from './sinks';

export interface GenerateOptions {
  seed: number;
  /** Number of customers; 20 000 unless given. */
  customers?: number;
  /** The generator's "now" (epoch ms): every event is before it, activities are after it. */
  now: number;
  /** Customers per batch handed to the sink. */
  batchSize?: number;
}

export interface GenerateSummary {
  stores: number;
  staff: number;
  materials: number;
  activities: number;
  /** The requested customers (each merge adds a second record of one of them, counted in `merges`). */
  customers: number;
  identities: number;
  events: number;
  followUps: number;
  merges: number;
  tasks: number;
}

/** 2026-11-23 10:00 in China: the fixed "now" of the demo. */
export const DEMO_NOW = Date.parse('2026-11-23T10:00:00+08:00');
export const DEFAULT_CUSTOMERS = 20_000;

/** The documents that do not depend on the seed: stores, staff, materials, activities. */
export function referenceDocs(now: number): { stores: StoreDoc[]; staff: StaffDoc[]; materials: MaterialDoc[]; activities: ActivityDoc[]; audienceSpecs: AudienceSpecDoc[] } {
  return {
    stores: STORES.map((s) => s.doc),
    audienceSpecs: STORES.map((s) => demoAudienceSpec(s.doc._id, now)),
    staff: STAFF.map((s) => ({ ...s, modelLines: [...s.modelLines] })),
    materials: [...materials(now).map(materialDoc), ...storeMaterials(now), ...careMaterials(now)],
    activities: activities(now),
  };
}

export interface CustomerCounts {
  customers: number;
  identities: number;
  events: number;
  followUps: number;
  merges: number;
  tasks: number;
}

/**
 * Customers `from` (inclusive) to `to` (exclusive) with their identities, events and follow-ups,
 * exactly as `generate` makes them: a range can be generated alone, e.g. by a worker.
 */
export async function generateCustomers(
  opts: {
    seed: number;
    now: number;
    from: number;
    to: number;
    batchSize?: number;
    /** Owner round-robin positions at `from` (see `ownerCursorsBefore`); counted when absent. */
    ownerCursors?: ReadonlyMap<string, number>;
  },
  sink: SeedSink,
): Promise<CustomerCounts> {
  const batchSize = opts.batchSize ?? 100;
  if (!Number.isFinite(opts.now)) throw new Error('now must be epoch milliseconds');
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  const ctx = makeContext(opts.seed >>> 0, opts.now, materials(opts.now), opts.from, opts.ownerCursors);
  const counts: CustomerCounts = { customers: 0, identities: 0, events: 0, followUps: 0, merges: 0, tasks: 0 };
  for (let start = opts.from; start < opts.to; start += batchSize) {
    const end = Math.min(opts.to, start + batchSize);
    const customers: CustomerDoc[] = [];
    const identities: IdentityDoc[] = [];
    const events: EventDoc[] = [];
    const followUps: FollowUpDoc[] = [];
    const states: StateDoc[] = [];
    const merges: MergeDoc[] = [];
    const tasks: TaskDoc[] = [];
    for (let i = start; i < end; i++) {
      const b = generateCustomer(ctx, i);
      const own = demoTasksFor(b.customer, i, opts.now);
      for (const t of own) tasks.push(t);
      const customer = withTaskMarker(b.customer, own);
      customers.push(customer.stage === 'owner' ? { ...customer, birthday: birthdayOf(customer._id, i, opts.now) } : customer);
      states.push(b.state);
      for (const x of b.identities) identities.push(x);
      for (const x of b.events) events.push(x);
      for (const x of b.followUps) followUps.push(x);
      if (b.duplicate) {
        customers.push(b.duplicate.customer);
        states.push(b.duplicate.state);
        for (const x of b.duplicate.events) events.push(x);
        merges.push(b.duplicate.merge);
      }
    }
    await sink.insertMany(Collections.customers, customers);
    await sink.insertMany(Collections.identities, identities);
    await sink.insertMany(Collections.events, events);
    if (followUps.length) await sink.insertMany(Collections.followUps, followUps);
    await sink.insertMany(Collections.customerStates, states);
    if (merges.length) await sink.insertMany(Collections.merges, merges);
    if (tasks.length) await sink.insertMany(Collections.tasks, tasks);
    counts.tasks += tasks.length;
    counts.customers += customers.length - merges.length;
    counts.identities += identities.length;
    counts.events += events.length;
    counts.followUps += followUps.length;
    counts.merges += merges.length;
  }
  return counts;
}

export async function generate(opts: GenerateOptions, sink: SeedSink): Promise<GenerateSummary> {
  const count = opts.customers ?? DEFAULT_CUSTOMERS;
  if (!Number.isInteger(count) || count < 0) throw new Error(`customers must be a non-negative integer, got ${count}`);
  if (!Number.isFinite(opts.now)) throw new Error('now must be epoch milliseconds');
  const ref = referenceDocs(opts.now);
  await sink.insertMany(Collections.stores, ref.stores);
  await sink.insertMany(Collections.staff, ref.staff);
  await sink.insertMany(Collections.materials, ref.materials);
  await sink.insertMany(Collections.activities, ref.activities);
  await sink.insertMany(Collections.audienceSpecs, ref.audienceSpecs);
  const counts = await generateCustomers({ seed: opts.seed, now: opts.now, from: 0, to: count, ...(opts.batchSize ? { batchSize: opts.batchSize } : {}) }, sink);
  return {
    stores: ref.stores.length,
    staff: ref.staff.length,
    materials: ref.materials.length,
    activities: ref.activities.length,
    ...counts,
  };
}

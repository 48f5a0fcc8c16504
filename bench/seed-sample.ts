/**
 * Realistic customers for the scoring and profile benchmarks: the demo dealership's generator
 * (profiles, scoring states and a year of touchpoints each), kept in memory. Generated once
 * per run and shared by the parts that need it.
 */
import { Collections, type EventDoc } from '../types/model';
import type { DerivedCustomer } from '../cloudfunctions/_core/scoring/ingest';
import { DEMO_NOW, generate } from '../seed/generate';
import { MemorySink } from '../seed/sinks';

export interface SeedSample {
  now: number;
  /** Every document by collection, in the generator's order. */
  docs: Map<string, object[]>;
  customers: DerivedCustomer[];
  /** Each customer's events, oldest first. */
  eventsOf: Map<string, EventDoc[]>;
  events: number;
}

let cached: { customers: number; sample: Promise<SeedSample> } | undefined;

async function make(customers: number): Promise<SeedSample> {
  const sink = new MemorySink();
  await generate({ seed: 42, customers, now: DEMO_NOW }, sink);
  const docs = sink.collections;
  const events = (docs.get(Collections.events) ?? []) as EventDoc[];
  const eventsOf = new Map<string, EventDoc[]>();
  for (const e of events) {
    let list = eventsOf.get(e.customerId);
    if (!list) eventsOf.set(e.customerId, (list = []));
    list.push(e);
  }
  for (const list of eventsOf.values()) list.sort((a, b) => a.timestamp - b.timestamp || (a._id < b._id ? -1 : 1));
  return { now: DEMO_NOW, docs, customers: (docs.get(Collections.customers) ?? []) as DerivedCustomer[], eventsOf, events: events.length };
}

/** `customers` demo customers (seed 42), generated on first use. */
export function seedSample(customers: number): Promise<SeedSample> {
  if (!cached || cached.customers !== customers) cached = { customers, sample: make(customers) };
  return cached.sample;
}

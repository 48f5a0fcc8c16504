/**
 * The emulator's embedded store holding ~1M events, for the profile and OneID figures. The
 * demo generator makes a few thousand realistic customers (profile, scoring state, a year of
 * touchpoints, identities, follow-ups); copies of them under new ids (`<id>~<k>`) fill the
 * store up to the wanted number of events, loaded through the store's bulk insert. Copies
 * keep the shape and the per-customer event counts of the demo but carry no identities
 * (identifier values are unique per person); OneID adds its own population.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator';
import { Collections } from '../types/model';
import { ROOT } from '../scripts/local-stack';
import { seedSample } from './seed-sample';
import { msSince } from './stats';

export interface BigStore {
  emulator: Emulator;
  /** Ids of every customer that has events, originals and copies. */
  customerIds: string[];
  events: number;
  loadSeconds: number;
  close(): Promise<void>;
}

/** Documents that belong to one customer: their `_id` is the customer's, or they name it. */
const PER_CUSTOMER_BY_ID: readonly string[] = [Collections.customers, Collections.customerStates];
const PER_CUSTOMER_BY_REF: readonly string[] = [Collections.events, Collections.followUps];
const CHUNK = 20_000;

type Doc = { _id: string; customerId?: string } & Record<string, unknown>;

export async function openBigStore(o: { seedCustomers: number; events: number }): Promise<BigStore> {
  const started = process.hrtime.bigint();
  const sample = await seedSample(o.seedCustomers);
  const dataDir = mkdtempSync(join(tmpdir(), 'sidekick-bench-big-'));
  const functionsDir = mkdtempSync(join(tmpdir(), 'sidekick-bench-nofn-'));
  const emulator = await startEmulator({ dataDir: join(dataDir, 'db'), schemaFile: join(ROOT, 'cloudfunctions/database.json'), functionsDir, port: 0, timers: false });
  try {
    const copies = Math.max(1, Math.ceil(o.events / Math.max(1, sample.events)));
    const customerIds: string[] = [];
    let events = 0;
    for (const [collection, docs] of sample.docs) {
      const byId = PER_CUSTOMER_BY_ID.includes(collection);
      const byRef = PER_CUSTOMER_BY_REF.includes(collection);
      if (!byId && !byRef) {
        emulator.db.insertMany(collection, docs);
        continue;
      }
      let batch: object[] = [];
      const flush = () => {
        if (batch.length) emulator.db.insertMany(collection, batch);
        batch = [];
      };
      for (let k = 0; k < copies; k++) {
        const suffix = k === 0 ? '' : `~${k}`;
        for (const d of docs as Doc[]) {
          if (!suffix) batch.push(d);
          else if (byId) batch.push({ ...d, _id: d._id + suffix });
          else batch.push({ ...d, _id: d._id + suffix, customerId: `${d.customerId}${suffix}` });
          if (collection === Collections.customers && sample.eventsOf.has(d._id)) customerIds.push(d._id + suffix);
          if (batch.length >= CHUNK) flush();
        }
        flush();
      }
      if (collection === Collections.events) events = docs.length * copies;
    }
    return {
      emulator,
      customerIds,
      events,
      loadSeconds: msSince(started) / 1000,
      async close() {
        await emulator.close();
        rmSync(dataDir, { recursive: true, force: true });
        rmSync(functionsDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await emulator.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(functionsDir, { recursive: true, force: true });
    throw err;
  }
}

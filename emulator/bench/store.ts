/**
 * Measures the embedded store at demo scale: bulk insert of 20k customers + 400k events,
 * reopen (startup) time, indexed and scanning reads, and memory.
 *
 *   node --expose-gc --import tsx emulator/bench/store.ts [events=400000]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDb } from '../db/embedded-db';

const EVENTS = Number(process.argv[2] ?? 400_000);
const CUSTOMERS = 20_000;
const schema = { collections: { customers: { indexes: ['storeId', 'ownerId'] }, events: { indexes: ['customerId'] } } };
const kinds = ['ad_click', 'live_view', 'content_view', 'share', 'form', 'store_visit', 'test_drive', 'order'];

function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const out = fn();
  return [out, performance.now() - t];
}

const dir = mkdtempSync(join(tmpdir(), 'emulator-bench-'));
try {
  const customers = Array.from({ length: CUSTOMERS }, (_, i) => ({
    _id: `cus_${i.toString(36).padStart(6, '0')}`,
    name: `客户${i}`,
    storeId: `store_${i % 12}`,
    ownerId: `staff_${i % 120}`,
    phone: `138${String(i).padStart(8, '0')}`,
    stage: ['lead', 'prospect', 'owner'][i % 3],
    score: (i * 37) % 100,
    tags: ['suv', 'family', `t${i % 40}`],
    createdAt: 1_700_000_000_000 + i * 60_000,
  }));
  const events = Array.from({ length: EVENTS }, (_, i) => ({
    _id: `evt_${i.toString(36).padStart(7, '0')}`,
    customerId: customers[(i * 7919) % CUSTOMERS]._id,
    kind: kinds[i % kinds.length],
    at: 1_700_000_000_000 + i * 45_000,
    source: i % 2 ? 'oem' : 'store',
    payload: { materialId: `mat_${i % 60}`, seconds: i % 300 },
  }));

  const db = EmbeddedDb.open(dir, schema);
  const [, insertCustomersMs] = time(() => db.insertMany('customers', customers));
  const [, insertEventsMs] = time(() => db.insertMany('events', events));
  db.close();
  const fileMb = statSync(join(dir, 'cloud.sqlite')).size / 1e6;

  customers.length = 0;
  events.length = 0;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const [again, reopenMs] = time(() => EmbeddedDb.open(dir, schema));
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;

  const probes = Array.from({ length: 1000 }, (_, i) => `cus_${i.toString(36).padStart(6, '0')}`);
  const [, indexedMs] = time(() => {
    for (const id of probes) again.find('events', { customerId: id }, { sort: { at: -1 }, limit: 20 });
  });
  const indexedPlan = again.lastPlan;
  const [, inMs20] = time(() => {
    for (let i = 0; i < 20; i++) again.count('customers', { storeId: { $in: ['store_1', `store_${2 + (i % 10)}`] }, score: { $gte: 50 } });
  });
  const inMs = inMs20 / 20;
  const [, scanMs] = time(() => again.find('events', { 'payload.materialId': 'mat_7', kind: 'share' }, { limit: 100 }));
  const [, pageMs] = time(() => again.find('customers', { ownerId: 'staff_3' }, { sort: { score: -1 }, limit: 20 }));
  again.close();

  const round = (n: number) => Math.round(n);
  process.stdout.write(
    `${JSON.stringify(
      {
        customers: CUSTOMERS,
        events: EVENTS,
        insertCustomersMs: round(insertCustomersMs),
        insertEventsMs: round(insertEventsMs),
        storeFileMb: round(fileMb),
        reopenMs: round(reopenMs),
        heapMbAfterReopen: gc ? round((heapAfter - heapBefore) / 1e6) : 'run with node --expose-gc',
        indexedFindMs: Number((indexedMs / probes.length).toFixed(3)),
        indexedFindExamined: indexedPlan.examined,
        indexedInCountMs: Number(inMs.toFixed(2)),
        ownerPageSortedMs: Number(pageMs.toFixed(2)),
        fullScanEventsMs: round(scanMs),
      },
      null,
      2,
    )}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * `profile.read_p50_ms`: opening a customer's profile with ~1M events stored, read through the
 * real wx-server-sdk as the customers function does: the customer document (score, reasons,
 * stage, tags precomputed) and the first timeline page (20 newest events, served by the
 * `events.customerId` index), the two reads at once as the page asks for them.
 * Baseline (the naive read): no precomputed state and no index: the customer document, and
 * the customer's events found by scanning the events collection (the same match written as
 * an anchored regex, which no hash index serves), then the score rebuilt from them
 * (`rebuildState` + `scoreOf`) and the first page cut from them.
 * `profile.read_replay_p50_ms`: the same rebuild with the index (no precomputed state only).
 */
import { DEFAULT_MODEL } from '../cloudfunctions/_core/scoring/model';
import { scoreOf } from '../cloudfunctions/_core/scoring/score';
import { rebuildState } from '../cloudfunctions/_core/scoring/state';
import type { DerivedCustomer } from '../cloudfunctions/_core/scoring/ingest';
import { Collections, type EventDoc } from '../types/model';
import type { BigStore } from './big-store';
import { figure, type Figure } from './report';
import { heapUsedMb, p50, prng, timeIt } from './stats';

export interface ProfileReadOptions {
  fastReads: number;
  naiveReads: number;
}

export const PROFILE_DEFAULTS: ProfileReadOptions = { fastReads: 300, naiveReads: 5 };

const PAGE = 20;
const info = (line: string) => process.stderr.write(`  profile: ${line}\n`);

type Db = ReturnType<typeof import('wx-server-sdk')['database']>;

export function sdkDb(): Db {
  // The SDK reads its endpoint from the environment the newest emulator set up.
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk');
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  return cloud.database();
}

/** The `data` of an SDK read (its typings cover callbacks too). */
export async function got<T>(query: { get(): unknown }): Promise<T> {
  return ((await query.get()) as { data: T }).data;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function firstPage(events: EventDoc[]): EventDoc[] {
  return [...events].sort((a, b) => b.timestamp - a.timestamp || (a._id < b._id ? 1 : -1)).slice(0, PAGE);
}

export async function profileReadBench(store: BigStore, record: (f: Figure) => void, o: ProfileReadOptions = PROFILE_DEFAULTS): Promise<void> {
  const db = sdkDb();
  const rand = prng(7);
  const pick = () => store.customerIds[Math.floor(rand() * store.customerIds.length)];
  const now = Date.parse('2026-11-23T10:00:00+08:00');
  const customers = db.collection(Collections.customers);
  const events = db.collection(Collections.events);

  info(`${store.events} events, ${store.customerIds.length} customers with events, loaded in ${store.loadSeconds.toFixed(1)} s`);
  record(figure('profile.store_load_s', store.loadSeconds, 's'));
  record(figure('profile.heap_mb', heapUsedMb(), 'MiB'));

  const fast = async (id: string) => {
    const [c, page] = await Promise.all([
      got<DerivedCustomer | undefined>(customers.doc(id)),
      got<EventDoc[]>(events.where({ customerId: id }).orderBy('timestamp', 'desc').orderBy('_id', 'desc').limit(PAGE + 1)),
    ]);
    if (!c || !page.length) throw new Error(`profile bench: customer ${id} or their timeline missing`);
    return page.length;
  };
  const rebuilt = async (id: string, where: object) => {
    const [c, history] = await Promise.all([got<DerivedCustomer>(customers.doc(id)), got<EventDoc[]>(events.where(where).limit(1000))]);
    if (!history.length) throw new Error(`profile bench: no events for ${id}`);
    scoreOf(rebuildState(history, DEFAULT_MODEL), c, DEFAULT_MODEL, now);
    return firstPage(history).length;
  };
  const naiveWhere = (id: string) => ({ customerId: db.RegExp({ regexp: `^${escapeRegex(id)}$` }) });

  // The naive read must really scan, and both reads must return the same page.
  const probe = pick();
  const fastPage = await got<EventDoc[]>(events.where({ customerId: probe }).orderBy('timestamp', 'desc').orderBy('_id', 'desc').limit(PAGE));
  if (!store.emulator.db.lastPlan.indexes.includes('customerId')) throw new Error('profile bench: the timeline read did not use the customerId index');
  const scanned = await got<EventDoc[]>(events.where(naiveWhere(probe)).limit(1000));
  const plan = store.emulator.db.lastPlan;
  if (plan.indexes.length || plan.examined < store.events) throw new Error(`profile bench: the naive read was served by ${plan.indexes.join(',')} (${plan.examined} examined)`);
  const same = firstPage(scanned).map((e) => e._id).join();
  if (same !== fastPage.map((e) => e._id).join()) throw new Error('profile bench: naive and indexed reads disagree');

  await timeIt(20, () => fast(pick()));
  const fastMs = await timeIt(o.fastReads, () => fast(pick()));
  await timeIt(20, () => rebuilt(pick(), { customerId: pick() }));
  const replayMs = await timeIt(o.fastReads, () => {
    const id = pick();
    return rebuilt(id, { customerId: id });
  });
  const naiveMs = await timeIt(o.naiveReads, () => {
    const id = pick();
    return rebuilt(id, naiveWhere(id));
  });
  info(`fast p50 ${p50(fastMs).toFixed(2)} ms (${o.fastReads} reads), indexed replay p50 ${p50(replayMs).toFixed(2)} ms, naive scan p50 ${p50(naiveMs).toFixed(0)} ms (${o.naiveReads} reads, ${plan.examined} events examined each)`);
  record(figure('profile.read_p50_ms', p50(fastMs), 'ms', { baseline: p50(naiveMs) }));
  record(figure('profile.read_replay_p50_ms', p50(replayMs), 'ms', { baseline: p50(fastMs) }));
}

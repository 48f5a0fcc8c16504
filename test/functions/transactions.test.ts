/**
 * Transactions stay short: a replay of a customer's history (a stale or missing scoring state)
 * reads the events before the transaction, never inside it, and a transaction's requests are
 * only the reads and writes of the documents it changes. Checked on the wire the real SDK
 * sends (the emulator's onAdminRequest), one transaction at a time: an event follow-up, a
 * rescore slice, a manual merge and its undo, each with states made stale first.
 */
import type { FollowUpResult, MergeView } from '../../types/api';
import type { CustomerDoc, EventDoc } from '../../types/model';
import { DEFAULT_MODEL, type ScoringModel } from '../../cloudfunctions/_core/scoring/model';
import { compileModel } from '../../cloudfunctions/_core/scoring/compile';
import { rebuildState, type CustomerState } from '../../cloudfunctions/_core/scoring/state';
import { ok, startTestStack, type TestStack } from '../support/stack';

interface WireRequest {
  action: string;
  collection?: string;
}

let stack: TestStack;
let recording: WireRequest[] | undefined;
const STORE = 'store-sh-pudong';

const find = <T>(collection: string, query: object): T[] => stack.emulator.db.find(collection, query, { limit: 100000 }) as T[];
const used = new Set<string>();

/** Customers of the store with some history, owned by `ownerId` when given, not used before. */
function pick(n: number, ownerId?: string): CustomerDoc[] {
  const out: CustomerDoc[] = [];
  const all = find<CustomerDoc & { mergedInto?: string }>('customers', { storeId: STORE, ...(ownerId ? { ownerId } : {}) }).sort((a, b) => (a._id < b._id ? -1 : 1));
  for (const c of all) {
    if (used.has(c._id) || c.mergedInto || find<EventDoc>('events', { customerId: c._id }).length < 3) continue;
    used.add(c._id);
    out.push(c);
    if (out.length === n) return out;
  }
  throw new Error(`only ${out.length} customers found`);
}

/** As if the states had been counted for an older model: the next write must replay them. */
const makeStale = (ids: string[]) => stack.emulator.db.update('customerStates', { _id: { $in: ids } }, { $set: { filterSig: 'an-older-model' } }, { multi: true });

interface TxWindow {
  requests: WireRequest[];
}

/**
 * Records the wire while `run` runs and splits it into transactions (start .. commit/abort).
 * The scenarios run one transaction at a time, so a request between a start and its end
 * belongs to that transaction's window, whoever sent it.
 */
async function recordWire(run: () => Promise<unknown>): Promise<{ windows: TxWindow[]; outside: WireRequest[] }> {
  const reqs: WireRequest[] = [];
  recording = reqs;
  try {
    await run();
  } finally {
    recording = undefined;
  }
  const windows: TxWindow[] = [];
  const outside: WireRequest[] = [];
  let open: TxWindow | undefined;
  for (const r of reqs) {
    if (r.action === 'database.startTransaction') {
      if (open) throw new Error('two transactions overlapped: the scenario is not sequential');
      open = { requests: [r] };
    } else if (open) {
      open.requests.push(r);
      if (r.action === 'database.commitTransaction' || r.action === 'database.abortTransaction') {
        windows.push(open);
        open = undefined;
      }
    } else outside.push(r);
  }
  if (open) throw new Error('a transaction never ended');
  return { windows, outside };
}

const eventReads = (reqs: readonly WireRequest[]) => reqs.filter((r) => r.collection === 'events' && r.action === 'database.getDocument').length;

function expectShortTransactions(wire: { windows: TxWindow[]; outside: WireRequest[] }, maxRequests: number): void {
  expect(wire.windows.length).toBeGreaterThan(0);
  // The replay happened, before a transaction.
  expect(eventReads(wire.outside)).toBeGreaterThan(0);
  for (const w of wire.windows) {
    expect(eventReads(w.requests)).toBe(0);
    // Only customer-side documents, never the model or the history.
    expect(w.requests.filter((r) => r.collection === 'scoringModels')).toEqual([]);
    expect(w.requests.length).toBeLessThanOrEqual(maxRequests);
  }
}

const freshSig = () => compileModel(DEFAULT_MODEL).filterSig;
const stateOf = (id: string) => find<CustomerState & { _id: string }>('customerStates', { _id: id })[0];

beforeAll(async () => {
  stack = await startTestStack({
    onAdminRequest: ({ body }) => recording?.push({ action: String(body.action), ...(typeof body.collectionName === 'string' ? { collection: body.collectionName } : {}) }),
  });
});
afterAll(() => stack.destroy());

test('a follow-up on a customer whose state is stale replays before its transaction', async () => {
  const token = await stack.signIn('zhangwei');
  const [c] = pick(1, 'zhangwei');
  makeStale([c._id]);
  const messageId = `tx-test-${Date.now()}`;
  const wire = await recordWire(async () => {
    const res = ok(await stack.http<FollowUpResult>('customers', { action: 'followUp', params: { customerId: c._id, messageId, kind: 'call', outcome: 'connected', durationSeconds: 60 } }, token));
    expect(res.created).toBe(true);
  });
  // Start, the customer and the state, their writes with the event's and the follow-up's, commit.
  expectShortTransactions(wire, 8);
  const state = stateOf(c._id);
  expect(state.filterSig).toBe(freshSig());
  expect(state.seen).toContain(messageId);
});

test('a rescore slice that replays reads the events first; its transaction touches the customer and the state only', async () => {
  const { runSlice, startStoreRescore } = await import('../../cloudfunctions/_lib/jobs');
  const { scoringModelRepo } = await import('../../cloudfunctions/_lib/repo/scoring-models');
  const model: ScoringModel = JSON.parse(JSON.stringify(DEFAULT_MODEL)) as ScoringModel;
  const visit = model.engagement.groups.flatMap((g) => g.rules).find((r) => r.id === 'store_visit')!;
  visit.filter = { ...visit.filter, types: ['store_visit', 'service_visit'] };
  model.version = 2;
  const now = stack.clock.now();
  await stack.emulator.withContext(() => scoringModelRepo.save(STORE, model, 1, 'test', now));
  const job = await stack.emulator.withContext(() => startStoreRescore(STORE, 2, { replay: true }, now));
  for (let i = 0; i < 5; i++) {
    // One customer per slice: one transaction at a time on the wire.
    const wire = await recordWire(() => stack.emulator.withContext(() => runSlice(job._id, { budget: { maxItems: 1, softMs: 60_000 }, now })));
    if (!wire.windows.length) continue;
    expectShortTransactions(wire, 6);
    for (const w of wire.windows) expect(new Set(w.requests.flatMap((r) => (r.collection ? [r.collection] : [])))).toEqual(new Set(['customers', 'customerStates']));
  }
  const done = find<{ processed: number }>('jobs', { _id: job._id })[0];
  expect(done.processed).toBe(5);
});

test('a manual merge of customers with stale states, and its undo, replay outside their transactions', async () => {
  const manager = await stack.signIn('wangjianguo');
  const [a, b] = pick(2);
  makeStale([a._id, b._id]);
  let view: MergeView | undefined;
  const merged = await recordWire(async () => {
    view = ok(await stack.http<MergeView>('customers', { action: 'merge', params: { customerIds: [a._id, b._id], reason: '同一人两个手机号' } }, manager));
  });
  expectShortTransactions(merged, 30);
  const survivor = view!.survivor.id;
  expect(stateOf(survivor).filterSig).not.toBe('an-older-model');
  expect(stateOf(survivor).seen.length).toBeGreaterThan(0);

  makeStale([survivor]);
  const undone = await recordWire(async () => {
    ok(await stack.http<MergeView>('customers', { action: 'undoMerge', params: { mergeId: view!.id, reason: '核实后不是同一人' } }, manager));
  });
  expectShortTransactions(undone, 30);
  // Each has its own history back, counted afresh with the store's model.
  const storeModel = find<{ model: ScoringModel }>('scoringModels', { _id: STORE })[0]?.model ?? DEFAULT_MODEL;
  for (const id of [a._id, b._id]) {
    const own = find<EventDoc & { pending?: true }>('events', { customerId: id })
      .filter((e) => !e.pending)
      .sort((x, y) => x.timestamp - y.timestamp || (x._id < y._id ? -1 : 1));
    const { _id, ...state } = stateOf(id);
    expect(state).toEqual(rebuildState(own, storeModel));
  }
});

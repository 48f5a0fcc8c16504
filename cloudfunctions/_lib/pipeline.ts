/**
 * The one path by which stored events reach a customer's derived fields. For one customer, in
 * one transaction: read the customer and their scoring state (rebuilt from the stored events
 * when missing or counted for other filters), run each event through `ingestEvent` (profile,
 * stage, score, grade, rule tags, rank key) plus the contact fields (first contact, last
 * follow-up, phone tail), then write the customer, the state, the follow-up documents the
 * events record, and clear the events' pending marks. A conflicting concurrent write makes the
 * transaction retry, so simultaneous events of one customer are all counted; an event the
 * state has seen is a no-op.
 *
 * Crash safety: events are inserted marked `pending` before this runs; the mark is cleared in
 * the same transaction that projects them, so an event still pending after a minute was never
 * projected and `repairPending` (a timer job) applies it.
 */
import { Collections, type EventDoc, type FollowUpDoc } from '../../types/model';
import { followUpFromEvent } from '../_core/followups/follow-up';
import { applyContactEvent } from '../_core/pipeline/contact-fields';
import { derivedChanges } from '../_core/pipeline/derived';
import type { OneIdFields } from '../_core/oneid/customer';
import { ingestEvent, refreshCustomer, type DerivedCustomer } from '../_core/scoring/ingest';
import type { ScoringModel } from '../_core/scoring/model';
import { compileModel } from '../_core/scoring/compile';
import { emptyState, isStale, rebuildState, type CustomerState } from '../_core/scoring/state';
import { db, _, pagesOf } from './cloud';
import { inParallel } from '../_core/parallel';
import { inTransaction, txGet, txPut, withoutId } from './tx';
import { loadLookups } from './lookups';
import { outboxOnApply } from './oem/outbox-hook';
import { customerRepo } from './repo/customers';
import { eventRepo, type PendingEvent } from './repo/events';
import { scoringModelRepo } from './repo/scoring-models';
import { stateRepo } from './repo/states';

export type StoredCustomer = DerivedCustomer & Partial<OneIdFields>;

/** Retries of one customer's transaction: each conflict means another writer committed. */
const TX_RETRIES = 40;
/** Merges of merges are rare; a longer chain means broken data. */
const MAX_MERGE_HOPS = 5;

function stripPending(e: PendingEvent): EventDoc {
  const { pending: _p, ...rest } = e;
  return rest;
}

/**
 * The already projected events of these customers in time order, for a replay (pending ones
 * are not counted yet: the pipeline counts them when it applies them; `exclude` likewise).
 */
export async function projectedEventsOf(customerIds: string[], exclude: ReadonlySet<string> = new Set()): Promise<EventDoc[]> {
  const events = await eventRepo.ofCustomers(customerIds);
  return events.filter((e) => !e.pending && !exclude.has(e._id)).sort((a, b) => a.timestamp - b.timestamp || (a._id < b._id ? -1 : 1));
}

/** The state from the customer's (and their merged customers') projected events. */
async function replayState(c: StoredCustomer, model: ScoringModel, exclude: ReadonlySet<string>): Promise<CustomerState> {
  const usable = await projectedEventsOf([c._id, ...(c.mergedIds ?? [])], exclude);
  return usable.length ? rebuildState(usable, model) : emptyState(model);
}

export interface ApplyResult {
  customer: StoredCustomer;
  /** Ids of the events that changed the customer (not seen before). */
  applied: string[];
  /** The follow-up documents those events recorded. */
  followUps: FollowUpDoc[];
}

/**
 * Applies stored events to their customer (all events must belong to `customerId` or to a
 * customer merged into it). Returns undefined when the customer does not exist.
 */
/** Store id -> its scoring model, read once per batch rather than once per customer. */
export type ModelMemo = Map<string, Promise<ScoringModel>>;

function modelOf(storeId: string, memo: ModelMemo): Promise<ScoringModel> {
  let model = memo.get(storeId);
  if (!model) memo.set(storeId, (model = scoringModelRepo.forStore(storeId).then((m) => m.model)));
  return model;
}

/**
 * Applies the events to their customer. `storeId` (known when the caller holds the customer)
 * saves a read before the transaction; the transaction reads the customer and the state
 * together and writes everything together, so each customer costs four round trips of
 * latency whatever it writes.
 */
export async function applyEvents(customerId: string, events: readonly PendingEvent[], now: number, models: ModelMemo = new Map(), storeId?: string, hops = 0, isNew = false): Promise<ApplyResult | undefined> {
  const store = storeId ?? (await customerRepo.getFields(customerId, ['storeId']))?.storeId;
  if (!store) return undefined;
  const [model, lookups] = await Promise.all([modelOf(store, models), loadLookups(now)]);
  const batch = [...events].map(stripPending).sort((a, b) => a.timestamp - b.timestamp || (a._id < b._id ? -1 : 1));
  const batchIds = new Set(batch.map((e) => e._id));
  const pendingIds = new Set(events.filter((e) => e.pending).map((e) => e._id));
  const pending = batch.filter((e) => pendingIds.has(e._id));

  const outcome = await inTransaction(async (t): Promise<ApplyResult | { mergedInto: string } | undefined> => {
    const [customer, stored] = await Promise.all([
      txGet<StoredCustomer>(t, Collections.customers, customerId),
      txGet<CustomerState & { _id: string }>(t, Collections.customerStates, customerId),
    ]);
    if (!customer) return undefined;
    // A customer merged away: its events now belong to the survivor.
    if (customer.mergedInto && customer.mergedInto !== customerId) return { mergedInto: customer.mergedInto };
    let state: CustomerState = stored ? withoutId(stored) : emptyState(model);
    let rebuilt = false;
    // A customer created by this very call has no history to replay.
    if (!stored && isNew) rebuilt = true;
    else if (!stored || isStale(state, model)) {
      state = await replayState(customer, model, batchIds);
      rebuilt = true;
    }
    let c: StoredCustomer = customer;
    const applied: string[] = [];
    const followUps: FollowUpDoc[] = [];
    for (const e of batch) {
      const r = ingestEvent(c, state, e, model, lookups.describeEvent(e), now);
      if (r.duplicate) continue;
      c = applyContactEvent(r.customer, e);
      state = r.state;
      applied.push(e._id);
      const f = followUpFromEvent(e);
      if (f) followUps.push(f);
    }
    // Store-side facts for the OEM are queued by this same transaction (the transactional outbox).
    const upstream = outboxOnApply(c, batch.filter((e) => applied.includes(e._id)), now);
    c = upstream.customer;
    // Clearing the pending mark in the same transaction is what says "applied".
    const writes = pending.map((e) => txPut(t, Collections.events, e));
    // Something new (not only the pending marks of already counted events): write it all at once.
    if (applied.length || rebuilt) {
      writes.push(txPut(t, Collections.customers, c), txPut(t, Collections.customerStates, { _id: customerId, ...state }), ...followUps.map((f) => txPut(t, Collections.followUps, f)));
      writes.push(...upstream.entries.map((o) => txPut(t, Collections.oemOutbox, o)));
    }
    await Promise.all(writes);
    return { customer: applied.length || rebuilt ? c : customer, applied, followUps };
  }, TX_RETRIES);
  if (outcome && 'mergedInto' in outcome) {
    if (hops >= MAX_MERGE_HOPS) throw new Error(`pipeline: customer ${customerId} is merged more than ${MAX_MERGE_HOPS} times deep`);
    return applyEvents(outcome.mergedInto, events, now, models, store, hops + 1);
  }
  return outcome;
}

/** Customers whose transactions run at once: each is a few round trips of latency. */
const APPLY_CONCURRENCY = 10;

/**
 * Applies events of many customers, one transaction per customer, several customers at once
 * (a batch, or the repair job). `stores` names customers' stores where the caller knows them.
 */
export async function applyEventsByCustomer(
  events: readonly PendingEvent[],
  now: number,
  stores: ReadonlyMap<string, string> = new Map(),
  /** Customers this call created: their state starts empty, no replay. */
  created: ReadonlySet<string> = new Set(),
): Promise<Map<string, ApplyResult | undefined>> {
  const byCustomer = new Map<string, PendingEvent[]>();
  for (const e of events) {
    const list = byCustomer.get(e.customerId) ?? [];
    list.push(e);
    byCustomer.set(e.customerId, list);
  }
  const out = new Map<string, ApplyResult | undefined>();
  const models: ModelMemo = new Map();
  await inParallel([...byCustomer], APPLY_CONCURRENCY, async ([customerId, list]) => {
    out.set(customerId, await applyEvents(customerId, list, now, models, stores.get(customerId), 0, created.has(customerId)));
  });
  return out;
}

/** How long an event may stay pending before the repair job takes it (its own call is still running before that). */
export const PENDING_GRACE_MS = 60_000;

// ---------- rescoring without events (model change, nightly) ----------

const CUSTOMER_PAGE = 500;
const WRITE_CONCURRENCY = 8;


/** Customers page by page in `_id` order (tombstones of merged customers skipped). */
async function* customerPages(where: Record<string, unknown>): AsyncGenerator<StoredCustomer[]> {
  for await (const page of pagesOf<StoredCustomer>(Collections.customers, where, { pageSize: CUSTOMER_PAGE })) yield page.filter((c) => !c.mergedInto);
}

/**
 * Writes a refreshed customer's derived fields, only if the customer did not change since it
 * was read (an event's transaction that ran meanwhile computed fresher values itself).
 */
async function writeDerived(before: StoredCustomer, after: StoredCustomer, now: number): Promise<boolean> {
  const { changed, patch, removed } = derivedChanges(before, after);
  if (!changed) return false;
  const data: Record<string, unknown> = { updatedAt: now };
  for (const [k, v] of Object.entries(patch)) data[k] = typeof v === 'object' && v !== null && !Array.isArray(v) ? _.set(v) : v;
  for (const k of removed) data[k] = _.remove();
  const res = (await db.collection(Collections.customers).where({ _id: before._id, updatedAt: before.updatedAt }).update({ data })) as { stats: { updated: number } };
  return res.stats.updated === 1;
}

export interface RescoreOptions {
  /** Only this store's customers (a model change); every store otherwise. */
  storeId?: string;
  /** Replay every customer's events (a model whose counting rules changed). */
  replay?: boolean;
  /** The model to use; each store's saved model otherwise. */
  model?: ScoringModel;
  /**
   * States counted for other filters still fit (`needsReplay` said no: rules were only
   * removed): keep their counters instead of replaying.
   */
  retagStale?: boolean;
}

/**
 * Refreshes every customer in scope from their state (`refreshCustomer`: windows move on
 * even without events) and writes those whose derived fields changed. States counted for
 * other filters, or missing, are rebuilt from the events through the pipeline. Returns how
 * many customers were looked at and how many were written.
 */
export async function rescoreCustomers(opts: RescoreOptions, now: number): Promise<{ customers: number; written: number }> {
  const models: ModelMemo = new Map();
  let customers = 0;
  let written = 0;
  for await (const page of customerPages(opts.storeId ? { storeId: opts.storeId } : {})) {
    customers += page.length;
    const states = opts.replay ? new Map<string, CustomerState>() : await stateRepo.getMany(page.map((c) => c._id));
    await inParallel(page, WRITE_CONCURRENCY, async (c) => {
      const model = opts.model ?? (await modelOf(c.storeId, models));
      const state = states.get(c._id);
      if (!state || opts.replay || (isStale(state, model) && !opts.retagStale)) {
        if (await rebuildCustomer(c._id, model, now, 'replay')) written++;
        return;
      }
      if (isStale(state, model)) {
        if (await rebuildCustomer(c._id, model, now, 'retag')) written++;
        return;
      }
      if (await writeDerived(c, refreshCustomer(c, state, model, now), now)) written++;
    });
  }
  return { customers, written };
}

/**
 * Rebuilds one customer's state (from their events, or by keeping the counters of the rules
 * that remain) and refreshes them, in one transaction.
 */
async function rebuildCustomer(customerId: string, model: ScoringModel, now: number, how: 'replay' | 'retag'): Promise<boolean> {
  return inTransaction(async (t) => {
    const c = await txGet<StoredCustomer>(t, Collections.customers, customerId);
    if (!c) return false;
    const stored = how === 'retag' ? await txGet<CustomerState & { _id: string }>(t, Collections.customerStates, customerId) : undefined;
    const state = stored ? retagState(withoutId(stored), model) : await replayState(c, model, new Set());
    const next = refreshCustomer(c, state, model, now);
    const { changed } = derivedChanges(c, next);
    await txPut(t, Collections.customerStates, { _id: customerId, ...state });
    if (changed) await txPut(t, Collections.customers, { ...next, updatedAt: now });
    return changed;
  }, TX_RETRIES);
}

/** A state made valid for `to` without a replay (when `needsReplay` says its counters fit). */
export function retagState(state: CustomerState, to: ScoringModel): CustomerState {
  const ids = new Set(compileModel(to).rules.map((r) => r.rule.id));
  return { ...state, filterSig: compileModel(to).filterSig, rules: state.rules.filter((r) => ids.has(r.id)) };
}

/**
 * The one path by which stored events reach a customer's derived fields. For one customer, in
 * one transaction: read the customer and their scoring state, run each event through
 * `ingestEvent` (profile, stage, score, grade, rule tags, rank key) plus the contact fields
 * (first contact, last follow-up, phone tail), then write the customer, the state, the
 * follow-up documents the events record, and clear the events' pending marks. A conflicting
 * concurrent write makes the transaction retry, so simultaneous events of one customer are all
 * counted; an event the state has seen is a no-op.
 *
 * A state that is missing or counted for other filters is rebuilt from the stored events, and
 * that read happens before the transaction, never inside it: the transaction that finds such a
 * state asks for a replay and ends; the replay runs; the next transaction uses it only if the
 * state and the customers it was read for are still what the replay started from.
 *
 * Crash safety: events are inserted marked `pending` before this runs; the mark is cleared in
 * the same transaction that projects them, so an event still pending after a minute was never
 * projected and `repairPending` (a timer job) applies it.
 */
import { Collections, type EventDoc, type FollowUpDoc, type StoredCustomer } from '../../types/model';
import { followUpFromEvent } from '../_core/followups/follow-up';
import { applyContactEvent } from '../_core/pipeline/contact-fields';
import { derivedChanges } from '../_core/pipeline/derived';
import { MAX_MERGE_HOPS } from '../_core/oneid/customer';
import { ingestEvent, refreshCustomer } from '../_core/scoring/ingest';
import type { ScoringModel } from '../_core/scoring/model';
import { compileModel } from '../_core/scoring/compile';
import { emptyState, isStale, rebuildState, type CustomerState } from '../_core/scoring/state';
import { inParallel } from '../_core/parallel';
import { markerMatches } from '../_core/tasks/triggers';
import { inTransaction, txGet, txPut, withoutId } from './tx';
import { reactsTo, reactToEvents } from './strategies';
import { completeOnArrivals } from './tasks';
import { loadLookups } from './lookups';
import { outboxOnApply } from './oem/outbox-hook';
import { customerRepo } from './repo/customers';
import { eventRepo, type PendingEvent } from './repo/events';
import { scoringModelRepo } from './repo/scoring-models';
import { stateRepo } from './repo/states';
import { applyEvent, emptyFeatures, type AudienceFeatures } from '../_core/audiences';
import { featuresOf, fitFromHistory, fitWithoutHistory, keptSpecOf, storedFeatures } from './audiences';


/** Retries of one customer's transaction: each conflict means another writer committed. */
const TX_RETRIES = 40;
/** Replays of one customer whose history moved on before the transaction could use them. */
const REPLAY_ROUNDS = 5;

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
  return events.filter((e) => !e.pending && !exclude.has(e._id)).sort(inTimeOrder);
}

const inTimeOrder = (a: EventDoc, b: EventDoc) => a.timestamp - b.timestamp || (a._id < b._id ? -1 : 1);

const membersOf = (c: Pick<StoredCustomer, '_id' | 'mergedIds'>): string[] => [c._id, ...(c.mergedIds ?? [])];

/** The state from these events (any order), or an empty one. */
const stateFrom = (events: readonly EventDoc[], model: ScoringModel): CustomerState => (events.length ? rebuildState(events, model) : emptyState(model));

/** The state from the customer's (and their merged customers') projected events. */
async function replayState(c: StoredCustomer, model: ScoringModel, exclude: ReadonlySet<string>): Promise<CustomerState> {
  return stateFrom(await projectedEventsOf(membersOf(c), exclude), model);
}

/** Projected events of many customers in one walk (a page of replays reads in bulk), by customer id. */
async function projectedEventsByCustomer(customerIds: string[]): Promise<Map<string, EventDoc[]>> {
  const out = new Map<string, EventDoc[]>();
  for (const e of await projectedEventsOf(customerIds)) {
    const list = out.get(e.customerId);
    if (list) list.push(e);
    else out.set(e.customerId, [e]);
  }
  return out;
}

/**
 * What a replay of this customer was computed from: the customers whose events it read and the
 * state it replaces. Any event applied since changes the state, any merge the members.
 */
export function replayBasis(c: Pick<StoredCustomer, '_id' | 'mergedIds'>, state: (CustomerState & { _id?: string }) | undefined): string {
  const counters = state ? { ...state, _id: undefined } : null;
  return JSON.stringify([c._id, c.mergedIds ?? [], counters]);
}

/** A replay made before a transaction, usable while its basis holds. */
interface Replayed {
  basis: string;
  state: CustomerState;
  /** Audience features from the same history, fitted to `spec` (when they needed it). */
  features?: AudienceFeatures;
}

/** What a replay must match to be used: the state's basis plus the audience features it refits. */
const fullBasis = (c: StoredCustomer, stored: (CustomerState & { _id?: string }) | undefined) => `${replayBasis(c, stored)}|${JSON.stringify(c.audienceFeatures ?? null)}`;

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
 * latency whatever it writes. A stale state costs a replay first (see the file's comment).
 */
export async function applyEvents(customerId: string, events: readonly PendingEvent[], now: number, models: ModelMemo = new Map(), storeId?: string, hops = 0, isNew = false): Promise<ApplyResult | undefined> {
  const store = storeId ?? (await customerRepo.getFields(customerId, ['storeId']))?.storeId;
  if (!store) return undefined;
  // The store's audience counter set is cached per instance: a store without audiences costs nothing.
  let [model, lookups, spec] = await Promise.all([modelOf(store, models), loadLookups(now), keptSpecOf(store, now)]);
  let specFresh = false;
  const batch = [...events].map(stripPending).sort((a, b) => a.timestamp - b.timestamp || (a._id < b._id ? -1 : 1));
  const batchIds = new Set(batch.map((e) => e._id));
  const pendingIds = new Set(events.filter((e) => e.pending).map((e) => e._id));
  const pending = batch.filter((e) => pendingIds.has(e._id));

  type Outcome = ApplyResult | { mergedInto: string } | { replay: StoredCustomer; basis: string; state: boolean; features: boolean } | undefined;
  let replayed: Replayed | undefined;
  for (let round = 0; ; round++) {
    const outcome = await inTransaction(async (t): Promise<Outcome> => {
      const [customer, stored] = await Promise.all([
        txGet<StoredCustomer>(t, Collections.customers, customerId),
        txGet<CustomerState & { _id: string }>(t, Collections.customerStates, customerId),
      ]);
      if (!customer) return undefined;
      // A customer merged away: its events now belong to the survivor.
      if (customer.mergedInto && customer.mergedInto !== customerId) return { mergedInto: customer.mergedInto };
      let state: CustomerState = stored ? withoutId(stored) : emptyState(model);
      let rebuilt = false;
      // Audience features fitted to the store's counter set (copied: counting changes them in place).
      let features: AudienceFeatures | undefined;
      const needsState = !(!stored && isNew) && (!stored || isStale(state, model));
      if (spec) {
        const held = featuresOf(customer);
        if (held?.sig === spec.sig) features = { ...held, d: held.d.slice() };
        else if (!held && isNew) features = emptyFeatures(spec);
        // Another signature: only a counter set just read again may prune or refit them.
        else if (specFresh) features = fitWithoutHistory(held, spec);
      }
      const needsFeatures = !!spec && !features;
      // A customer created by this very call has no history to replay.
      if (!stored && isNew) rebuilt = true;
      if (needsState || needsFeatures) {
        const basis = fullBasis(customer, stored);
        // The history is read outside the transaction; come back with it.
        if (replayed?.basis !== basis) return { replay: customer, basis, state: needsState, features: needsFeatures };
        if (needsState) state = replayed.state;
        if (needsFeatures) features = replayed.features && { ...replayed.features, d: replayed.features.d.slice() };
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
        if (features && spec) applyEvent(features, e, spec);
        applied.push(e._id);
        const f = followUpFromEvent(e);
        if (f) followUps.push(f);
      }
      // Store-side facts for the OEM are queued by this same transaction (the transactional outbox).
      const upstream = outboxOnApply(c, batch.filter((e) => applied.includes(e._id)), now);
      c = upstream.customer;
      // Written with the customer: an audience index elsewhere sees the change by `updatedAt`.
      if (applied.length || rebuilt) c = features ? { ...c, audienceFeatures: storedFeatures(features), updatedAt: now } : { ...c, updatedAt: now };
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
    if (outcome && 'replay' in outcome) {
      if (round >= REPLAY_ROUNDS) throw new Error(`pipeline: customer ${customerId}'s history kept changing during ${REPLAY_ROUNDS} replays`);
      if (outcome.features && !specFresh) {
        // Features of another counter set: this instance's set may be stale; read it again first.
        spec = await keptSpecOf(store, now, true);
        specFresh = true;
        if (!spec || fitWithoutHistory(featuresOf(outcome.replay), spec)) {
          if (!outcome.state) continue;
          outcome.features = false;
        }
      }
      // The batch's own events are counted by ingestEvent, not by the replay.
      const history = await projectedEventsOf(membersOf(outcome.replay), batchIds);
      replayed = {
        basis: outcome.basis,
        state: outcome.state ? stateFrom(history, model) : emptyState(model),
        features: outcome.features && spec ? fitFromHistory(featuresOf(outcome.replay), spec, history) : undefined,
      };
      continue;
    }
    if (outcome && 'mergedInto' in outcome) {
      if (hops >= MAX_MERGE_HOPS) throw new Error(`pipeline: customer ${customerId} is merged more than ${MAX_MERGE_HOPS} times deep`);
      return applyEvents(outcome.mergedInto, events, now, models, store, hops + 1);
    }
    if (outcome?.applied.length) {
      const applied = batch.filter((e) => outcome.applied.includes(e._id));
      await completeTasksOnEvents(outcome.customer, applied, now);
      await reactInStrategies(outcome.customer, applied, now);
    }
    return outcome;
  }
}

/**
 * Tasks the applied events answer (a logged call completes a 下次跟进, a test drive its
 * appointment). Free unless the customer's open-task marker lists one of the events' types.
 * The events are applied whatever happens here: a task left open is ticked off by hand.
 */
async function completeTasksOnEvents(c: StoredCustomer, applied: readonly EventDoc[], now: number): Promise<void> {
  // Calls and chats answer a task only when the store's staff made them (not an inbound message).
  const arrivals = applied.filter((e) => e.staffId || (e.type !== 'call' && e.type !== 'wecom_chat')).map((e) => ({ trigger: e.type, at: e.timestamp }));
  if (!markerMatches(c.openTaskOn, arrivals.map((a) => a.trigger))) return;
  try {
    await completeOnArrivals(c, arrivals, now);
  } catch (err) {
    console.error(`[pipeline] completing the tasks of customer ${c._id} failed`, err);
  }
}

/**
 * Store visits, test drives and orders of a customer in active strategies become their facts
 * (reaction rules may fire). Free for everyone else; never fails the event.
 */
async function reactInStrategies(c: StoredCustomer, applied: readonly EventDoc[], now: number): Promise<void> {
  if (!c.activeStrategies?.length || !reactsTo(applied.map((e) => e.type))) return;
  try {
    await reactToEvents(c, applied, now);
  } catch (err) {
    console.error(`[pipeline] strategy reactions of customer ${c._id} failed`, err);
  }
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

const WRITE_CONCURRENCY = 8;

/**
 * Writes a refreshed customer's derived fields, only if the customer did not change since it
 * was read (an event's transaction that ran meanwhile computed fresher values itself).
 */
async function writeDerived(before: StoredCustomer, after: StoredCustomer, now: number): Promise<boolean> {
  const { changed, patch, removed } = derivedChanges(before, after);
  if (!changed) return false;
  return customerRepo.patchIfUnchanged(before._id, before.updatedAt, patch, removed, now);
}

export interface RescoreOptions {
  /** Replay every customer's events (a model whose counting rules changed). */
  replay?: boolean;
  /** The model to use; each customer's store's saved model otherwise. */
  model?: ScoringModel;
  /**
   * States counted for other filters still fit (`needsReplay` said no: rules were only
   * removed): keep their counters instead of replaying.
   */
  retagStale?: boolean;
}

/**
 * Refreshes these customers from their states (`refreshCustomer`: windows move on even without
 * events) and writes those whose derived fields changed; states counted for other filters, or
 * missing, are rebuilt (replayed from the events, or retagged). Merged-away records are skipped.
 * Returns how many customers were looked at and how many were written.
 */
export async function rescorePage(page: readonly StoredCustomer[], opts: RescoreOptions, now: number, models: ModelMemo = new Map()): Promise<{ customers: number; written: number }> {
  const live = page.filter((c) => !c.mergedInto);
  // Read even for a replay, and first: it is the basis the replay's transaction checks.
  const states = await stateRepo.getMany(live.map((c) => c._id));
  const plans = await Promise.all(
    live.map(async (c) => {
      const model = opts.model ?? (await modelOf(c.storeId, models));
      const state = states.get(c._id);
      const how = !state || opts.replay || (isStale(state, model) && !opts.retagStale) ? 'replay' : isStale(state, model) ? 'retag' : 'refresh';
      return { c, model, state, how } as const;
    }),
  );
  // The histories of every customer to replay, in one walk rather than one per customer.
  const replays = plans.filter((p) => p.how === 'replay');
  const history = replays.length ? await projectedEventsByCustomer(replays.flatMap((p) => membersOf(p.c))) : new Map<string, EventDoc[]>();
  let written = 0;
  await inParallel(plans, WRITE_CONCURRENCY, async ({ c, model, state, how }) => {
    let changed: boolean;
    if (how === 'refresh') changed = await writeDerived(c, refreshCustomer(c, state!, model, now), now);
    else changed = await rebuildCustomer(c, state, model, now, how, how === 'replay' ? membersOf(c).flatMap((id) => history.get(id) ?? []).sort(inTimeOrder) : undefined);
    if (changed) written++;
  });
  return { customers: live.length, written };
}

/**
 * Rebuilds one customer's state (replayed from their events, or retagged: the counters of the
 * rules that remain) and refreshes them. The replay reads the events before the transaction
 * (`history`: read already, after `stateBefore`); the transaction reads and writes only the
 * customer and their state, and uses the replay only if the state it replaces is still the one
 * read before, else replays again.
 */
async function rebuildCustomer(c: StoredCustomer, stateBefore: CustomerState | undefined, model: ScoringModel, now: number, how: 'replay' | 'retag', history?: readonly EventDoc[]): Promise<boolean> {
  let basis = replayBasis(c, stateBefore);
  let from: StoredCustomer = c;
  let mode = how;
  for (let round = 0; ; round++) {
    let replayed: CustomerState | undefined;
    if (mode === 'replay') replayed = round === 0 && history ? stateFrom(history, model) : await replayState(from, model, new Set());
    const outcome = await inTransaction(async (t): Promise<boolean | { again: StoredCustomer; stored?: CustomerState & { _id: string } }> => {
      const [cur, stored] = await Promise.all([
        txGet<StoredCustomer>(t, Collections.customers, c._id),
        txGet<CustomerState & { _id: string }>(t, Collections.customerStates, c._id),
      ]);
      if (!cur || cur.mergedInto) return false;
      // A rescore for a later model got here first (a superseded job still finishing a page).
      if ((cur.score?.modelVersion ?? 0) > model.version) return false;
      let state: CustomerState;
      if (replayed) {
        if (replayBasis(cur, stored) !== basis) return { again: cur, stored };
        state = replayed;
      } else if (stored) state = retagState(withoutId(stored), model);
      else return { again: cur };
      const next = refreshCustomer(cur, state, model, now);
      const { changed } = derivedChanges(cur, next);
      const writes = [txPut(t, Collections.customerStates, { _id: c._id, ...state })];
      if (changed) writes.push(txPut(t, Collections.customers, { ...next, updatedAt: now }));
      await Promise.all(writes);
      return changed;
    }, TX_RETRIES);
    if (typeof outcome === 'boolean') return outcome;
    if (round >= REPLAY_ROUNDS) throw new Error(`pipeline: customer ${c._id}'s history kept changing during ${REPLAY_ROUNDS} replays`);
    // Events landed (or the state went missing) since: replay from what the transaction saw.
    from = outcome.again;
    basis = replayBasis(outcome.again, outcome.stored);
    mode = 'replay';
  }
}

/** A state made valid for `to` without a replay (when `needsReplay` says its counters fit). */
export function retagState(state: CustomerState, to: ScoringModel): CustomerState {
  const ids = new Set(compileModel(to).rules.map((r) => r.rule.id));
  return { ...state, filterSig: compileModel(to).filterSig, rules: state.rules.filter((r) => ids.has(r.id)) };
}

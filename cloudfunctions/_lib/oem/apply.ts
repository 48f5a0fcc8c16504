/**
 * OEM changes into the stores, a page at a time, in bulk (docs/decisions/0011-oem-sync.md).
 *
 * 1. Map the changes to store records (`toRecords`): a change names its store, or reaches every
 *    store of the dealer that knows its OEM id (one read of the oemId identity documents).
 * 2. Read once for the whole page: the identity index of every identifier, the customers it
 *    names, which of the page's events are stored. OneID plans each store's records in memory
 *    (`planBatch`); a record that ties customers together merges them first.
 * 3. New customers (mostly: the OEM's new leads) are built whole in memory — OEM fields by
 *    ownership, owner reserved, events through the scoring pipeline's pure `ingestEvent` — and
 *    written insert-only in an order that makes a replay of the page a no-op:
 *    identity claims -> scoring states -> customers -> events (applied) -> consent entries.
 *    The customer document is the commit point: before it exists a replay plans the same
 *    customer again (its claims name the deterministic id) and rewrites its state; after it,
 *    a replay finds the customer and its events already counted.
 * 4. Existing customers go the normal way: their OEM fields in one short transaction each
 *    (skipped when a pure comparison says nothing changes, so a replayed page costs reads
 *    only), their new events stored pending and applied by `applyEventsByCustomer`.
 *
 * The caller holds the ingest lease, so OEM changes have one writer at a time.
 */
import { Collections, type ConsentDoc, type CustomerDoc, type EventDoc, type IdentityDoc, type StoreDoc, type StoredCustomer } from '../../../types/model';
import type { OemChange } from '../../../types/schemas';
import { modelById } from '../../_core/catalog/models';
import { applyContactEvent } from '../../_core/pipeline/contact-fields';
import {
  asOneId,
  attachIdentifiers,
  customersToLoad,
  identifierKey,
  newCustomer,
  planBatch,
  type BatchCustomer,
  type Identifier,
  type OneIdCustomer,
} from '../../_core/oneid';
import { inParallel } from '../../_core/parallel';
import { ingestEvent, refreshCustomer } from '../../_core/scoring/ingest';
import { emptyState, isStale, type CustomerState } from '../../_core/scoring/state';
import { consentDoc, sharesWithOem } from '../../_core/oem/consent';
import { toRecords, type OemRecord, type Skipped } from '../../_core/oem/mapping';
import { applyOemRecord, inChangeOrder } from '../../_core/oem/ownership';
import { allocateNewLeads } from '../allocation';
import { allOf, byIds, insertMany, removeByIds, _ } from '../cloud';
import { customerRepo } from '../repo/customers';
import type { Lookups } from '../../_core/views';
import { loadLookups } from '../lookups';
import { mergeByOneId } from '../merge';
import { applyEventsByCustomer, type ModelMemo } from '../pipeline';
import { identityDocId, identityRepo } from '../repo/identities';
import type { PendingEvent } from '../repo/events';
import { outboxRepo } from '../repo/oem-outbox';
import { consentRepo } from '../repo/consents';
import { scoringModelRepo } from '../repo/scoring-models';
import { inTransaction, txGet, txPut, withoutId } from '../tx';
import { stateRepo } from '../repo/states';
import type { ScoringModel } from '../../_core/scoring/model';

export interface ApplyStats {
  /** Store records the changes made. */
  records: number;
  /** Customers created by this call. */
  created: number;
  /** Existing customers whose OEM fields changed. */
  updated: number;
  /** Events stored by this call. */
  events: number;
  skipped: Skipped[];
}

type Customer = StoredCustomer & OneIdCustomer;

/** Merges one page may carry out per store before setting records aside (each is a transaction). */
const MAX_MERGES = 5;
/** Existing customers written at once (one short transaction each). */
const TX_CONCURRENCY = 10;
/** A new person's channel when the OEM said nothing about one: the OEM's own app, where it knows people from. */
const DEFAULT_CHANNEL = 'app';
const STORES_TTL_MS = 60_000;

let storesCache: { ids: Set<string>; at: number } | undefined;

async function dealerStores(now: number): Promise<Set<string>> {
  if (storesCache && now - storesCache.at < STORES_TTL_MS) return storesCache.ids;
  const stores = await allOf<StoreDoc>(Collections.stores, {}, []);
  storesCache = { ids: new Set(stores.map((s) => s._id)), at: now };
  return storesCache.ids;
}

/** OEM id -> the dealer's stores that hold it: the cross-store link. */
async function linkedStores(oemIds: readonly string[], stores: ReadonlySet<string>): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!oemIds.length) return out;
  const docs = await allOf<IdentityDoc>(Collections.identities, { value: _.in([...oemIds]), type: 'oemId' }, ['storeId', 'value']);
  for (const d of docs) if (stores.has(d.storeId)) out.set(d.value, [...new Set([...(out.get(d.value) ?? []), d.storeId])]);
  return out;
}

/** The stores' customers with these ids, and those they were merged into. */
async function loadCustomers(ids: readonly string[]): Promise<Map<string, Customer>> {
  const out = new Map<string, Customer>();
  let wanted = [...new Set(ids)];
  for (let round = 0; wanted.length && round < 6; round++) {
    for (const c of await byIds<Customer>(Collections.customers, wanted)) out.set(c._id, asOneId(c) as Customer);
    wanted = customersToLoad({ owners: {}, customers: [...out.values()] as unknown as BatchCustomer[] }).filter((id) => !out.has(id));
  }
  return out;
}

interface StoreView {
  owners: Record<string, string>;
  customers: Map<string, Customer>;
}

async function readStores(byStore: ReadonlyMap<string, OemRecord[]>): Promise<Map<string, StoreView>> {
  const keys: string[] = [];
  for (const [storeId, recs] of byStore) for (const r of recs) for (const i of r.identifiers) keys.push(identityDocId(storeId, identifierKey(i)));
  const docs = await byIds<IdentityDoc>(Collections.identities, keys, ['customerId', 'storeId']);
  const customers = await loadCustomers(docs.map((d) => d.customerId));
  // A customer a crash left unborn is made again with everything it claimed, not only what this page names.
  const unborn = await identityRepo.unbornClaims(docs.map((d) => d.customerId), (id) => customers.has(id));
  const out = new Map<string, StoreView>();
  for (const storeId of byStore.keys()) out.set(storeId, { owners: {}, customers });
  for (const d of [...docs, ...unborn]) {
    const view = out.get(d.storeId);
    if (view) view.owners[d._id.slice(d.storeId.length + 1)] = d.customerId;
  }
  return out;
}

const sortEvents = (events: EventDoc[]) => events.sort((a, b) => a.timestamp - b.timestamp || (a._id < b._id ? -1 : 1));

interface Plan {
  storeId: string;
  /** Record key -> customer id. */
  placed: Map<string, string>;
  creates: Map<string, Identifier[]>;
  unborn: Set<string>;
  attach: Map<string, Identifier[]>;
  claims: { key: string; identifier: Identifier; customerId: string }[];
  /** The customers as planned (read again after a merge). */
  customers: Map<string, Customer>;
}

/** OneID for one store's records, merging first where a record ties customers together. */
async function planStore(storeId: string, recs: OemRecord[], view: StoreView, now: number, skipped: Skipped[]): Promise<Plan> {
  let todo = recs;
  let { owners, customers } = view;
  const input = () => ({
    storeId,
    records: todo.map((r) => ({ id: r.key, identifiers: r.identifiers })),
    owners,
    customers: [...customers.values()].filter((c) => c.storeId === storeId) as unknown as BatchCustomer[],
    now,
  });
  let plan = planBatch(input());
  for (let merges = 0; plan.merge; merges++) {
    const { recordId, plan: mergePlan } = plan.merge;
    const r = todo.find((x) => x.key === recordId)!;
    if (merges >= MAX_MERGES) {
      skipped.push({ changeId: r.changeId, issues: [{ field: 'oemId', message: 'ties too many customers together; a manager can merge them' }] });
      todo = todo.filter((x) => x !== r);
    } else {
      const known = Object.fromEntries(r.identifiers.map(identifierKey).filter((k) => owners[k] !== undefined).map((k) => [k, owners[k]]));
      await mergeByOneId(mergePlan, { identifiers: r.identifiers, owners: known, touch: { type: r.event?.type ?? 'form_submit', source: r.event?.source ?? DEFAULT_CHANNEL }, now });
    }
    const again = await readStores(new Map([[storeId, todo]]));
    ({ owners, customers } = again.get(storeId)!);
    plan = planBatch(input());
  }
  const placed = new Map<string, string>();
  for (const r of todo) {
    const d = plan.decisions.get(r.key);
    if (d?.kind === 'customer') placed.set(r.key, d.customerId);
    else skipped.push({ changeId: r.changeId, issues: d?.kind === 'none' && d.conflicts.length ? d.conflicts.map((c) => ({ field: `data.${c.identifier.type}`, message: c.message })) : [{ field: 'oemId', message: 'could not be placed' }] });
  }
  const claimed = new Set(Object.values(owners));
  return {
    storeId,
    placed,
    creates: new Map([...plan.creates].map(([id, c]) => [id, c.identifiers])),
    unborn: new Set([...plan.creates.keys()].filter((id) => claimed.has(id))),
    attach: plan.attach,
    claims: plan.claims,
    customers,
  };
}

interface Built {
  customer: Customer;
  state: CustomerState;
  events: EventDoc[];
  consents: ConsentDoc[];
}

/** A new customer built whole from its records: OEM fields, owner, then its events through the pipeline's rules. */
function buildNew(id: string, identifiers: Identifier[], recs: OemRecord[], storeId: string, ownerId: string | undefined, now: number, m: ScoringModel, lookups: Lookups): Built {
  const ordered = inChangeOrder(recs);
  const lead = ordered.find((r) => r.lead)?.lead;
  const events = sortEvents(ordered.flatMap((r) => (r.event ? [{ ...r.event, customerId: id }] : [])));
  const sourceChannel = lead?.channel ?? events[0]?.source ?? DEFAULT_CHANNEL;
  let c = { ...newCustomer({ id, identifiers, storeId, sourceChannel, now, source: 'oem' }), oem: { created: true, syncedAt: now } } as Customer;
  c.lastActivityAt = events[0]?.timestamp ?? lead?.assignedAt ?? now;
  if (ownerId) c = { ...c, ownerId, assignedAt: now };
  for (const r of ordered) c = applyOemRecord(c, r);
  const consents = ordered.flatMap((r) => (r.consents ?? []).map((f) => consentDoc(id, storeId, f, 'oem', now)));
  let state = emptyState(m);
  for (const e of events) {
    const r = ingestEvent(c, state, e, m, lookups.describeEvent(e), now);
    if (r.duplicate) continue;
    c = applyContactEvent(r.customer, e);
    state = r.state;
  }
  if (!events.length) c = refreshCustomer(c, state, m, now);
  return { customer: c, state, events, consents };
}

/**
 * Writes new customers insert-only (see the module comment for the order). Returns the ids
 * whose customer document someone else wrote first (they go the existing customers' way) and
 * the records whose identifiers were claimed for another customer meanwhile (planned again).
 */
async function writeNew(plans: readonly Plan[], built: Map<string, Built>): Promise<{ raced: Set<string>; conflicted: Set<string> }> {
  const claims: IdentityDoc[] = [];
  for (const p of plans) for (const c of p.claims) if (built.has(c.customerId)) claims.push(identityRepo.doc(p.storeId, c.key, c.identifier, c.customerId, 'oem'));
  const states = [...built.values()].map((b) => ({ _id: b.customer._id, ...b.state }));
  const unborn = plans.flatMap((p) => [...p.unborn]).filter((id) => built.has(id));
  // Claims and states do not depend on each other; the customer documents wait for both.
  const [taken] = await Promise.all([
    insertMany(Collections.identities, claims),
    (async () => {
      // A state left by an attempt that crashed before its customer may count other events: ours replaces it.
      if (unborn.length) await removeByIds(Collections.customerStates, unborn);
      const left = await insertMany(Collections.customerStates, states);
      if (left.size) {
        await removeByIds(Collections.customerStates, [...left.keys()]);
        await insertMany(Collections.customerStates, states.filter((x) => left.has(x._id)));
      }
    })(),
  ]);
  // An identifier someone else claimed meanwhile for another customer: plan that person again.
  const conflicted = new Set<string>();
  for (const c of claims) {
    const other = taken.get(c._id);
    if (other && other.customerId !== c.customerId) conflicted.add(c.customerId);
  }
  const go = [...built.values()].filter((b) => !conflicted.has(b.customer._id));
  const takenCustomers = await insertMany<CustomerDoc>(Collections.customers, go.map((b) => b.customer));
  const raced = new Set(takenCustomers.keys());
  const done = go.filter((b) => !raced.has(b.customer._id));
  await Promise.all([
    insertMany<EventDoc>(Collections.events, done.flatMap((b) => b.events)),
    consentRepo.append(done.flatMap((b) => b.consents)),
  ]);
  return { raced, conflicted };
}

/**
 * An existing customer after its OEM records (and new identifiers), scored again when its state
 * fits the store's model; undefined when the records change nothing.
 */
function nextExisting(before: Customer, recs: readonly OemRecord[], attach: readonly Identifier[], now: number, scoring?: { state?: CustomerState; model: ScoringModel }): Customer | undefined {
  let c = attach.length ? attachIdentifiers(before, attach, now) : before;
  for (const r of inChangeOrder(recs)) c = applyOemRecord(c, r);
  if (c === before) return undefined;
  c = { ...c, oem: { ...c.oem, syncedAt: now }, updatedAt: now };
  // Profile facts move rule tags and the score; without a fitting state the nightly rescore does it.
  if (scoring?.state && !isStale(scoring.state, scoring.model)) c = refreshCustomer(c, scoring.state, scoring.model, now);
  return c;
}

function modelFor(storeId: string, models: ModelMemo): Promise<ScoringModel> {
  let model = models.get(storeId);
  if (!model) models.set(storeId, (model = scoringModelRepo.forStore(storeId).then((m) => m.model)));
  return model;
}

/** The top-level fields that differ, as an update (objects replaced whole, absent ones removed). */
function patchOf(before: Customer, after: Customer): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const b = before as unknown as Record<string, unknown>;
  const a = after as unknown as Record<string, unknown>;
  for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (k === '_id' || JSON.stringify(b[k]) === JSON.stringify(a[k])) continue;
    const v = a[k];
    data[k] = v === undefined ? _.remove() : typeof v === 'object' && v !== null && !Array.isArray(v) ? _.set(v) : v;
  }
  return data;
}

/** One existing customer's OEM fields in a short transaction (when the one-write path lost a race). */
async function updateExisting(id: string, recs: OemRecord[], attach: readonly Identifier[], now: number, models: ModelMemo): Promise<{ changed: boolean; withdrew: boolean }> {
  return inTransaction(async (t) => {
    const stored = await txGet<Customer>(t, Collections.customers, id);
    if (!stored) return { changed: false, withdrew: false };
    const before = asOneId(stored) as Customer;
    const [state, model] = await Promise.all([txGet<CustomerState & { _id: string }>(t, Collections.customerStates, id), modelFor(before.storeId, models)]);
    const c = nextExisting(before, recs, attach, now, { ...(state ? { state: withoutId(state) } : {}), model });
    if (!c) return { changed: false, withdrew: false };
    await txPut(t, Collections.customers, c);
    return { changed: true, withdrew: sharesWithOem(before) && !sharesWithOem(c) };
  }, 20);
}

/**
 * Existing customers' OEM fields: the pure rules first (a replayed page changes nothing and
 * writes nothing), then one conditional write each (the customer as read, else a transaction).
 */
async function updateAllExisting(
  ids: readonly string[],
  read: (id: string) => Customer | undefined,
  recordsOf: ReadonlyMap<string, OemRecord[]>,
  attachOf: ReadonlyMap<string, Identifier[]>,
  now: number,
  models: ModelMemo,
): Promise<{ updated: number; withdrew: string[] }> {
  const out = { updated: 0, withdrew: [] as string[] };
  const direct = ids.filter((id) => read(id));
  const changing = direct.filter((id) => nextExisting(read(id)!, recordsOf.get(id)!, attachOf.get(id) ?? [], now));
  const states = changing.length ? await stateRepo.getMany(changing) : new Map<string, CustomerState>();
  const settle = (changed: boolean, withdrew: boolean, id: string) => {
    if (changed) out.updated++;
    if (withdrew) out.withdrew.push(id);
  };
  await inParallel([...changing, ...ids.filter((id) => !read(id))], TX_CONCURRENCY, async (id) => {
    const before = read(id);
    if (before) {
      const model = await modelFor(before.storeId, models);
      const after = nextExisting(before, recordsOf.get(id)!, attachOf.get(id) ?? [], now, { ...(states.has(id) ? { state: states.get(id)! } : {}), model })!;
      if (await customerRepo.updateIfUnchanged(id, before.updatedAt, patchOf(before, after))) return settle(true, sharesWithOem(before) && !sharesWithOem(after), id);
    }
    const r = await updateExisting(id, recordsOf.get(id)!, attachOf.get(id) ?? [], now, models);
    settle(r.changed, r.withdrew, id);
  });
  return out;
}

/** Applies a page of validated OEM changes. Safe to repeat; the caller advances its cursor after. */
export async function applyOemChanges(changes: readonly OemChange[], now: number, depth = 0): Promise<ApplyStats> {
  const seen = new Set<string>();
  const unique = changes.filter((c) => !seen.has(c.id) && seen.add(c.id));
  const stores = await dealerStores(now);
  const unnamed = [...new Set(unique.filter((c) => c.storeId === undefined).map((c) => c.oemId))];
  const linked = await linkedStores(unnamed, stores);
  // People this very page gives a store (a lead and its later updates often travel together).
  for (const c of unique) {
    if (c.storeId === undefined || !stores.has(c.storeId)) continue;
    const had = linked.get(c.oemId) ?? [];
    if (!had.includes(c.storeId)) linked.set(c.oemId, [...had, c.storeId]);
  }
  const { records, skipped } = toRecords({ changes: unique, stores, linked });
  const stats: ApplyStats = { records: records.length, created: 0, updated: 0, events: 0, skipped };
  if (!records.length) return stats;

  const byStore = new Map<string, OemRecord[]>();
  for (const r of records) {
    const list = byStore.get(r.storeId);
    if (list) list.push(r);
    else byStore.set(r.storeId, [r]);
  }
  const eventIds = records.flatMap((r) => (r.event ? [r.event._id] : []));
  const [views, storedEvents] = await Promise.all([readStores(byStore), byIds<Pick<PendingEvent, '_id' | 'pending'>>(Collections.events, eventIds, ['pending'])]);
  const stored = new Map(storedEvents.map((e) => [e._id, e]));

  const plans = await Promise.all([...byStore].map(([sid, recs]) => planStore(sid, recs, views.get(sid)!, now, skipped)));
  const recordsOf = new Map<string, OemRecord[]>();
  const byKey = new Map(records.map((r) => [r.key, r]));
  for (const p of plans) {
    for (const [key, customerId] of p.placed) {
      const list = recordsOf.get(customerId);
      if (list) list.push(byKey.get(key)!);
      else recordsOf.set(customerId, [byKey.get(key)!]);
    }
  }

  // New customers: owners reserved per store, then built whole in memory.
  const models: ModelMemo = new Map();
  const built = new Map<string, Built>();
  const lookups = loadLookups(now);
  await Promise.all(plans.map(async (p) => {
    const ids = [...p.creates.keys()].filter((id) => recordsOf.has(id));
    const [owners, model, names] = await Promise.all([allocateNewLeads(
      p.storeId,
      ids.map((id) => {
        const modelId = recordsOf.get(id)!.find((r) => r.lead?.modelId)?.lead?.modelId;
        const line = modelId ? modelById(modelId)?.line : undefined;
        return { customerId: id, storeId: p.storeId, ...(line ? { modelLine: line } : {}) };
      }),
      now,
    ), modelFor(p.storeId, models), lookups]);
    for (const id of ids) built.set(id, buildNew(id, p.creates.get(id)!, recordsOf.get(id)!, p.storeId, owners.get(id), now, model, names));
  }));
  const { raced, conflicted } = built.size ? await writeNew(plans, built) : { raced: new Set<string>(), conflicted: new Set<string>() };
  stats.created = [...built.keys()].filter((id) => !raced.has(id) && !conflicted.has(id)).length;
  stats.events = [...built.values()].filter((b) => !raced.has(b.customer._id) && !conflicted.has(b.customer._id)).reduce((n, b) => n + b.events.length, 0);
  // A customer someone else created first: its state may be ours or theirs; rebuilt from its applied events.
  if (raced.size) await removeByIds(Collections.customerStates, [...raced]);

  // Existing customers (and those raced): identifiers, OEM fields, consent entries, then events.
  const existing = [...recordsOf.keys()].filter((id) => !built.has(id) || raced.has(id));
  const customerStore = new Map<string, string>();
  for (const p of plans) for (const id of p.placed.values()) customerStore.set(id, p.storeId);
  const attachClaims = plans.flatMap((p) => p.claims.filter((c) => !built.has(c.customerId) || raced.has(c.customerId)).map((c) => identityRepo.doc(p.storeId, c.key, c.identifier, c.customerId, 'oem')));
  const attachOf = new Map<string, Identifier[]>();
  for (const p of plans) for (const [id, ids] of p.attach) attachOf.set(id, ids);
  const pending: PendingEvent[] = [];
  for (const id of existing) {
    for (const r of recordsOf.get(id)!) {
      if (!r.event) continue;
      const had = stored.get(r.event._id);
      // Stored and not pending: already counted on its customer.
      if (had && !had.pending) continue;
      pending.push({ ...(r.event as EventDoc), customerId: id, pending: true });
    }
  }
  const consentDocs = existing.flatMap((id) => recordsOf.get(id)!.flatMap((r) => (r.consents ?? []).map((f) => consentDoc(id, customerStore.get(id)!, f, 'oem', now))));
  const [, takenEvents] = await Promise.all([insertMany(Collections.identities, attachClaims), insertMany<PendingEvent>(Collections.events, pending.filter((e) => !stored.has(e._id))), consentRepo.append(consentDocs)]);
  stats.events += pending.filter((e) => !stored.has(e._id) && !takenEvents.has(e._id)).length;
  const toApply = pending.filter((e) => !takenEvents.get(e._id) || takenEvents.get(e._id)!.pending);

  const planned = new Map(plans.map((p) => [p.storeId, p.customers]));
  // A customer someone else created first was not read: it goes the transaction's way.
  const readExisting = (id: string) => (raced.has(id) ? undefined : planned.get(customerStore.get(id)!)?.get(id));
  const { updated, withdrew } = await updateAllExisting(existing, readExisting, recordsOf, attachOf, now, models);
  stats.updated += updated;
  await outboxRepo.withholdCustomers(withdrew);
  if (toApply.length) await applyEventsByCustomer(toApply, now, customerStore);

  if (conflicted.size && depth < 2) {
    const again = await applyOemChanges(unique.filter((c) => [...conflicted].some((id) => recordsOf.get(id)?.some((r) => r.changeId === c.id))), now, depth + 1);
    stats.created += again.created;
    stats.updated += again.updated;
    stats.events += again.events;
    stats.skipped.push(...again.skipped);
  } else if (conflicted.size) throw new Error(`oem apply: identifiers of ${conflicted.size} customers kept being claimed by others`);
  return stats;
}

/**
 * Store-side events in, a batch at a time, within the caller's store and rights, in a few
 * bulk round trips, and crash-safe.
 *
 * 1. Read once: which events are stored already, the store's identity index for every
 *    identifier of the batch, the customers it names. OneID plans the whole batch in memory
 *    (`planBatch`); a record that ties several customers merges them first (a transaction),
 *    then the batch is planned again.
 * 2. Check each event against the caller's rights (`senderIssues`, `targetIssues`).
 * 3. New customers get their owners, reserved on the consultants' counters.
 * 4. Write in an order that a crash at any point leaves repairable, never twinned:
 *    identity claims (they name the customer's deterministic id), then the events marked
 *    pending, then the customers, then each customer's projection (one transaction each,
 *    several customers at once) which clears the pending marks.
 *
 * `repairPending` (a timer) finishes what a crash left: a pending event whose customer was
 * never written gets that customer, made from its identity claims, then is applied.
 */
import type { FieldIssue } from '../../types/api';
import { Collections, type IdentityDoc, type OneIdCustomer } from '../../types/model';
import { modelById } from '../_core/catalog/models';
import { senderIssues, targetIssues, type EventWriter } from '../_core/events/authorize';
import { toEventDoc, type NormalizedEvent } from '../_core/events';
import {
  asOneId,
  attachIdentifiers,
  customersToLoad,
  identifierKey,
  identifiersFrom,
  newCustomer,
  parseIdentifierKey,
  planBatch,
  type BatchCustomer,
  type Identifier,
} from '../_core/oneid';
import { inParallel } from '../_core/parallel';
import { allocateNewLeads } from './allocation';
import { insertAll } from './cloud';
import { staffStoreOf } from './lookups';
import { mergeByOneId } from './merge';
import { applyEventsByCustomer, PENDING_GRACE_MS } from './pipeline';
import { customerRepo } from './repo/customers';
import { eventRepo, type PendingEvent } from './repo/events';
import { identityDocId, identityRepo } from './repo/identities';

export interface IngestOutcome {
  accepted: string[];
  duplicates: string[];
  rejected: { messageId: string; issues: FieldIssue[] }[];
}

type Stored = OneIdCustomer;

/** Merges one batch may carry out before it gives up planning (each is a transaction). */
const MAX_MERGES = 5;
/** Customers whose identifier lists are updated at once. */
const WRITE_CONCURRENCY = 10;

function identifiersOfEvent(e: NormalizedEvent): Identifier[] {
  return e.customerId !== undefined ? [] : identifiersFrom(e.identities).identifiers;
}

/** The store's customers named by these identifier keys and ids, following merges. */
async function readCustomers(storeId: string, keys: readonly string[], ids: readonly string[]): Promise<{ owners: Record<string, string>; customers: Stored[] }> {
  const owners = keys.length ? await identityRepo.owners(storeId, keys) : {};
  const customers: Stored[] = [];
  let wanted = [...new Set([...Object.values(owners), ...ids])];
  for (let round = 0; wanted.length && round < 6; round++) {
    const loaded = (await customerRepo.getMany<Stored>(wanted)).map((c) => ({ ...asOneId(c), ...(c.mergedInto ? { mergedInto: c.mergedInto } : {}) }));
    customers.push(...loaded);
    // Unborn ids (claimed, never written) stay unloaded: planBatch knows them from the index.
    const asBatch = customers as unknown as BatchCustomer[];
    wanted = customersToLoad({ owners: {}, customers: asBatch }).filter((id) => !customers.some((c) => c._id === id));
  }
  // An unborn customer is made again with everything it claimed, not only what this batch names.
  const prefix = identityDocId(storeId, '');
  const loaded = new Set(customers.map((c) => c._id));
  for (const d of await identityRepo.unbornClaims(Object.values(owners), (id) => loaded.has(id))) {
    if (d.storeId === storeId) owners[d._id.slice(prefix.length)] = d.customerId;
  }
  return { owners, customers };
}

/**
 * Stores and applies a batch of validated events for a staff caller. Events for another
 * store, for customers the caller may not write, or that OneID cannot place are rejected
 * one by one; the others are stored once (their messageId is their id) and applied.
 */
export async function ingestEvents(events: readonly NormalizedEvent[], writer: EventWriter, now: number): Promise<IngestOutcome> {
  const out: IngestOutcome = { accepted: [], duplicates: [], rejected: [] };
  const reject = (e: NormalizedEvent, issues: FieldIssue[]) => out.rejected.push({ messageId: e._id, issues });
  const [storedEvents, staffStore] = await Promise.all([eventRepo.getMany(events.map((e) => e._id)), staffStoreOf(now)]);
  const stored = new Map(storedEvents.map((e) => [e._id, e]));
  // A retry of a call that crashed before projecting: apply what it stored.
  const toApply: PendingEvent[] = storedEvents.filter((e) => e.pending && e.storeId === writer.storeId);

  let todo: NormalizedEvent[] = [];
  for (const e of events) {
    if (stored.has(e._id)) {
      out.duplicates.push(e._id);
      continue;
    }
    const issues = senderIssues(writer, e, staffStore);
    if (issues.length) reject(e, issues);
    else todo.push(e);
  }

  // OneID for the batch, merging first where a record ties customers together.
  const records = () => todo.map((e) => ({ id: e._id, identifiers: identifiersOfEvent(e), ...(e.customerId !== undefined ? { customerId: e.customerId } : {}) }));
  let read = await readCustomers(writer.storeId, todo.flatMap((e) => identifiersOfEvent(e).map(identifierKey)), todo.flatMap((e) => (e.customerId ? [e.customerId] : [])));
  let plan = planBatch({ storeId: writer.storeId, records: records(), owners: read.owners, customers: read.customers as unknown as BatchCustomer[], now });
  for (let merges = 0; plan.merge; merges++) {
    const { recordId, plan: mergePlan } = plan.merge;
    const e = todo.find((x) => x._id === recordId)!;
    const involved = [mergePlan.customerId, ...mergePlan.mergeIds].map((id) => read.customers.find((c) => c._id === id));
    // A consultant may tie only their own customers together; the others are someone else's.
    const mayMerge = merges < MAX_MERGES && (writer.role === 'manager' || involved.every((c) => c?.ownerId === writer.staffId));
    if (mayMerge) {
      const identifiers = identifiersOfEvent(e);
      const owners = Object.fromEntries(identifiers.map(identifierKey).filter((k) => read.owners[k] !== undefined).map((k) => [k, read.owners[k]]));
      await mergeByOneId(mergePlan, { identifiers, owners, touch: { type: e.type, source: e.source }, now });
    } else {
      reject(e, [{ field: 'identities', message: merges < MAX_MERGES ? 'ties customers you do not own together' : 'ties too many customers together; a manager can merge them' }]);
      todo = todo.filter((x) => x._id !== recordId);
    }
    read = await readCustomers(writer.storeId, todo.flatMap((x) => identifiersOfEvent(x).map(identifierKey)), todo.flatMap((x) => (x.customerId ? [x.customerId] : [])));
    plan = planBatch({ storeId: writer.storeId, records: records(), owners: read.owners, customers: read.customers as unknown as BatchCustomer[], now });
  }

  // Rights per event, on the customer it resolved to.
  const existing = new Map(read.customers.map((c) => [c._id, c]));
  const placed: { e: NormalizedEvent; customerId: string }[] = [];
  for (const e of todo) {
    const d = plan.decisions.get(e._id)!;
    const field = e.customerId !== undefined ? 'customerId' : 'identities';
    if (d.kind === 'unknown-customer') {
      reject(e, [{ field: 'customerId', message: 'no such customer' }]);
      continue;
    }
    if (d.kind === 'none') {
      reject(e, d.conflicts.length ? d.conflicts.map((c) => ({ field: `identities.${c.identifier.type}`, message: c.message })) : [{ field: 'identities', message: 'no usable identifier' }]);
      continue;
    }
    const target = existing.get(d.customerId);
    const isNew = plan.creates.has(d.customerId);
    const issues = targetIssues(writer, e, { isNew, ...(target?.ownerId ? { ownerId: target.ownerId } : {}) }, field);
    // An out-of-scope customer named by id reads exactly like an unknown one.
    if (issues.length) reject(e, field === 'customerId' ? [{ field: 'customerId', message: 'no such customer' }] : issues);
    else placed.push({ e, customerId: d.customerId });
  }
  const used = new Set(placed.map((p) => p.customerId));
  const creates = [...plan.creates.values()].filter((c) => used.has(c.id));

  // Owners for the new customers, reserved before anyone carries them.
  const firstEvent = new Map(placed.map((p) => [p.e._id, p.e]));
  const owners = await allocateNewLeads(
    writer.storeId,
    creates.map((c) => {
      const e = firstEvent.get(c.firstRecordId) ?? placed.find((p) => p.customerId === c.id)!.e;
      const modelId = e.properties?.modelId;
      const modelLine = typeof modelId === 'string' ? modelById(modelId)?.line : undefined;
      return { customerId: c.id, storeId: writer.storeId, recordedBy: e.staffId ?? writer.staffId, ...(modelLine ? { modelLine } : {}) };
    }),
    now,
  );

  // 1. Identity claims: they name the new customers' ids, so a crash after this creates no twin.
  const claims = plan.claims.filter((c) => used.has(c.customerId)).map((c) => identityRepo.doc(writer.storeId, c.key, c.identifier, c.customerId, 'store'));
  await insertAll<IdentityDoc>(Collections.identities, claims);
  // 2. The events, marked pending until their customer's projection commits.
  const docs: PendingEvent[] = placed.map(({ e, customerId }) => ({ ...toEventDoc({ ...e, staffId: e.staffId ?? writer.staffId }, customerId), pending: true }));
  const taken = await insertAll<PendingEvent>(Collections.events, docs);
  for (const d of docs) {
    const other = taken.get(d._id);
    // Someone stored this messageId a moment ago: a repeat, unless it is this call's own write.
    if (other && !(other.customerId === d.customerId && other.type === d.type)) out.duplicates.push(d._id);
    else {
      out.accepted.push(d._id);
      toApply.push(d);
    }
  }
  // 3. The new customers, with their owners; and the new identifiers of known ones.
  const firstOf = (id: string) => placed.find((p) => p.customerId === id)!.e;
  await insertAll(
    Collections.customers,
    creates.map((c) => {
      const e = firstOf(c.id);
      const ownerId = owners.get(c.id);
      return { ...newCustomer({ id: c.id, identifiers: c.identifiers, storeId: writer.storeId, sourceChannel: e.source, now, source: 'store' }), lastActivityAt: e.timestamp, ...(ownerId ? { ownerId, assignedAt: now } : {}) };
    }),
  );
  await inParallel([...plan.attach].filter(([id]) => used.has(id)), WRITE_CONCURRENCY, async ([id, ids]) => {
    const c = existing.get(id);
    if (!c) return;
    const attached = attachIdentifiers(c, ids, now);
    await customerRepo.setFields(id, { identifiers: attached.identifiers, identities: attached.identities });
  });
  // 4. Project, customer by customer; a failure leaves the events pending for the repair job.
  try {
    const retried = toApply.filter((e) => !out.accepted.includes(e._id));
    if (retried.length) await completeCrashedCreates(retried, now);
    await applyEventsByCustomer(toApply, now, new Map(toApply.map((e) => [e.customerId, writer.storeId])), new Set(creates.map((c) => c.id)));
  } catch (err) {
    console.error('[track] projection deferred to repair', err);
  }
  return out;
}

/**
 * Writes a customer whose create crashed after its identity claims (and maybe its events)
 * were stored: from those claims and its first pending event, owner allocated as for any
 * new lead. A no-op when the customer exists.
 */
async function completeCrashedCreates(events: readonly PendingEvent[], now: number): Promise<void> {
  const ids = [...new Set(events.map((e) => e.customerId))];
  const present = new Set((await customerRepo.getMany(ids)).map((c) => c._id));
  const missing = ids.filter((id) => !present.has(id));
  if (!missing.length) return;
  const claims = await identityRepo.ofCustomers(missing);
  const byStore = new Map<string, { id: string; first: PendingEvent; identifiers: Identifier[] }[]>();
  for (const id of missing) {
    const first = events.filter((e) => e.customerId === id).sort((a, b) => a.timestamp - b.timestamp)[0];
    const identifiers = claims.filter((c) => c.customerId === id && c.storeId === first.storeId).flatMap((c) => {
      const parsed = parseIdentifierKey(c._id.slice(c.storeId.length + 1));
      return parsed ? [parsed] : [];
    });
    byStore.set(first.storeId, [...(byStore.get(first.storeId) ?? []), { id, first, identifiers }]);
  }
  for (const [storeId, list] of byStore) {
    const owners = await allocateNewLeads(storeId, list.map((c) => ({ customerId: c.id, storeId, ...(c.first.staffId ? { recordedBy: c.first.staffId } : {}) })), now);
    await insertAll(
      Collections.customers,
      list.map((c) => {
        const ownerId = owners.get(c.id);
        return { ...newCustomer({ id: c.id, identifiers: c.identifiers, storeId, sourceChannel: c.first.source, now, source: 'store' }), lastActivityAt: c.first.timestamp, ...(ownerId ? { ownerId, assignedAt: now } : {}) };
      }),
    );
  }
}

/** Finishes what a crash left: events still pending after the grace period are applied, their customer completed first. */
export async function repairPending(now: number, limit = 500): Promise<{ repaired: number }> {
  const pending = await eventRepo.pendingBefore(now - PENDING_GRACE_MS, limit);
  await completeCrashedCreates(pending, now);
  const results = await applyEventsByCustomer(pending, now);
  let repaired = 0;
  for (const r of results.values()) repaired += r?.applied.length ?? 0;
  return { repaired };
}


/**
 * track: store-side recording of Segment-style touchpoints. Each event of a batch is validated
 * on its own (a bad one is reported by index, the others are stored), resolved to a customer
 * with OneID, appended once (its messageId is its `_id`, marked pending) and then applied to
 * its customer by the pipeline (score, stage, tags... in one transaction that clears the
 * mark). The `repair-pending` timer applies events a crash left pending.
 */
import type { FieldIssue, TrackResult } from '../../types/api';
import type { CustomerDoc, EventDoc } from '../../types/model';
import { action, defineFunction } from '../_lib/entry';
import { ApiError } from '../_lib/errors';
import type { StaffCaller } from '../_lib/caller';
import { customerRepo } from '../_lib/repo/customers';
import { eventRepo, type PendingEvent } from '../_lib/repo/events';
import { identityIndex } from '../_lib/repo/identities';
import { applyEventsByCustomer, repairPending } from '../_lib/pipeline';
import { mergeByOneId } from '../_lib/merge';
import { assignNewLead } from '../_lib/allocation';
import { modelById } from '../_core/catalog/models';
import { normalizeBatch, toEventDoc, type NormalizedEvent } from '../_core/events';
import {
  asOneId,
  attachIdentifiers,
  identifierKey,
  identifiersFrom,
  missingCandidates,
  newCustomer,
  resolve,
  type Identifier,
  type OneIdCustomer,
  type ResolveCandidate,
} from '../_core/oneid';

type StoredCustomer = CustomerDoc & { identifiers?: Identifier[]; mergedInto?: string };

/** Why an event was not stored (reported per event, never thrown). */
class Rejection extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}

/** Candidates for `resolve`: the owners of the known identifiers and whoever they were merged into. */
async function loadCandidates(owners: Record<string, string>): Promise<ResolveCandidate[]> {
  const candidates: ResolveCandidate[] = [];
  for (let round = 0; round < 5; round++) {
    const missing = missingCandidates({ owners, candidates });
    if (!missing.length) return candidates;
    candidates.push(...(await customerRepo.getMany<StoredCustomer>(missing)));
  }
  throw new Error('track: customers kept changing while resolving identities');
}

async function linkIdentifiers(customerId: string, ids: readonly Identifier[]): Promise<void> {
  for (const id of ids) await identityIndex.link({ _id: identifierKey(id), type: id.type, value: id.value, customerId });
}

/**
 * The customer an event belongs to, created in the caller's store (unowned, in the pool) when
 * OneID knows none of its identifiers. Returns the customer with any new identifiers attached.
 */
async function customerFor(e: NormalizedEvent, caller: StaffCaller, now: number): Promise<OneIdCustomer> {
  if (e.customerId) {
    const c = await customerRepo.get(e.customerId);
    if (!c || c.storeId !== caller.storeId) throw new Rejection([{ field: 'customerId', message: `no customer ${e.customerId} in your store` }]);
    return asOneId(c);
  }
  // Seeded and stored identity documents are unscoped (`type:value`), so no corp/app scope here.
  const { identifiers } = identifiersFrom(e.identities);
  const owners = await identityIndex.owners(identifiers.map(identifierKey));
  const plan = resolve({ incoming: identifiers, owners, candidates: await loadCandidates(owners) });
  switch (plan.kind) {
    case 'none':
      throw new Rejection(
        plan.conflicts.length
          ? plan.conflicts.map((c) => ({ field: `identities.${c.identifier.type}`, message: c.message }))
          : [{ field: 'identities', message: 'no usable identifier' }],
      );
    case 'merge':
      // The event proves these customers are one person: merge them, store it on the survivor.
      return mergeByOneId(plan, { identifiers, owners, touch: { type: e.type, source: e.source }, now });
    case 'create': {
      const created = { ...newCustomer({ id: plan.customerId, identifiers: plan.attach, storeId: caller.storeId, sourceChannel: e.source, now, source: 'store' }), lastActivityAt: e.timestamp };
      if (await customerRepo.insert(created)) {
        await linkIdentifiers(created._id, plan.attach);
        const modelId = e.properties?.modelId;
        const modelLine = typeof modelId === 'string' ? modelById(modelId)?.line : undefined;
        const ownerId = await assignNewLead({ customerId: created._id, storeId: created.storeId, recordedBy: e.staffId ?? caller.staffId, ...(modelLine ? { modelLine } : {}) }, now);
        return ownerId ? { ...created, ownerId, assignedAt: now } : created;
      }
      // Another request created the same person a moment ago (the id derives from the identifier).
      const existing = await customerRepo.get(plan.customerId);
      if (!existing) throw new Error(`track: customer ${plan.customerId} neither inserted nor found`);
      return asOneId(existing);
    }
    case 'existing': {
      const c = await customerRepo.get(plan.customerId);
      if (!c) throw new Error(`track: customer ${plan.customerId} is in the identity index but not stored`);
      if (!plan.attach.length) return asOneId(c);
      await linkIdentifiers(c._id, plan.attach);
      const attached = attachIdentifiers(asOneId(c), plan.attach, now);
      await customerRepo.setFields(c._id, { identifiers: attached.identifiers, identities: attached.identities });
      return attached;
    }
  }
}

export const main = defineFunction(
  'track',
  {
  ingest: action(['consultant', 'manager'], async ({ events }, { caller, now }): Promise<TrackResult> => {
    const batch = normalizeBatch(events, { receivedAt: now });
    if (!batch.ok) throw new ApiError('INVALID_INPUT', batch.issues.map((i) => `${i.field}: ${i.message}`).join('; '), batch.issues);

    // Issue fields name the event's own fields (`properties.price`); `index` says which event.
    const rejected: TrackResult['rejected'] = [...batch.invalid];
    const duplicates = batch.duplicates.map((d) => d.messageId);
    const accepted: string[] = [];
    // normalizeBatch keeps the first event of each messageId, so the first index names it.
    const indexOf = new Map<string, number>();
    events.forEach((raw, i) => {
      const id = (raw as { messageId?: unknown }).messageId;
      if (typeof id === 'string' && !indexOf.has(id)) indexOf.set(id, i);
    });
    const reject = (e: NormalizedEvent, issues: FieldIssue[]) => rejected.push({ index: indexOf.get(e._id) ?? -1, messageId: e._id, issues });

    const storedEvents = await eventRepo.getMany(batch.valid.map((e) => e._id));
    const stored = new Set(storedEvents.map((e) => e._id));
    // A retry of a call that crashed before projecting: apply what it stored.
    const toApply: PendingEvent[] = storedEvents.filter((e) => e.pending && e.storeId === caller.storeId);
    for (const e of batch.valid) {
      if (e.storeId !== caller.storeId) {
        reject(e, [{ field: 'storeId', message: `must be your store ${caller.storeId}` }]);
        continue;
      }
      if (stored.has(e._id)) {
        duplicates.push(e._id);
        continue;
      }
      let customer: OneIdCustomer;
      try {
        customer = await customerFor(e, caller, now);
      } catch (err) {
        if (!(err instanceof Rejection)) throw err;
        reject(e, err.issues);
        continue;
      }
      const doc: EventDoc = toEventDoc({ ...e, staffId: e.staffId ?? caller.staffId }, customer._id);
      if (!(await eventRepo.insert(doc, { pending: true }))) {
        duplicates.push(e._id);
        continue;
      }
      toApply.push({ ...doc, pending: true });
      accepted.push(e._id);
    }
    try {
      await applyEventsByCustomer(toApply, now);
    } catch (err) {
      // Stored and still pending: the repair timer applies them within minutes.
      console.error('[track] projection deferred to repair', err);
    }
    rejected.sort((a, b) => a.index - b.index);
    return { accepted, duplicates, rejected };
  }),
},
  { timers: { 'repair-pending': (now) => repairPending(now) } },
);

/**
 * OneID merges executed against the database: automatic ones (an event whose identifiers
 * belong to several customers), a manager's manual merge, and a manager's undo.
 *
 * Everything one merge writes (survivor, tombstones, identity documents, the merge record,
 * the survivor's scoring state) goes in one document-level transaction. The transaction
 * first follows every `mergedInto` to the live customers, so when two merges of the same
 * people race, the loser's commit conflicts, it retries, finds the others already merged
 * into the survivor and either stops or merges what is left into that same survivor: one
 * survivor, and every identifier ends on it.
 *
 * A transaction reads only documents it writes (or decides by); the scoring model is read
 * before it, and a replay of events (a state to rebuild) never happens inside it: the
 * transaction that needs one says so and ends, the replay runs, and the next transaction uses
 * it only if the customers and states it was computed from are unchanged.
 */
import { Collections, type ConsultantLoadDoc, type IdentityDoc, type IdentityType, type StoredAudienceFeatures, type TouchpointType } from '../../types/model';
import { mergeFeatures, type AudienceFeatures } from '../_core/audiences';
import { storedFeatures } from './audiences';
import { channelName } from '../_core/catalog/channels';
import { TOUCHPOINT_LABELS } from '../_core/catalog/touchpoints';
import type { GradeState } from '../_core/lifecycle/grade';
import type { LifecycleState } from '../_core/lifecycle/stage';
import {
  asOneId,
  attachIdentifiers,
  chooseSurvivor,
  identifierKey,
  IDENTITY_RULES,
  MAX_MERGE_HOPS,
  mergeCustomers,
  undoMerge,
  type Identifier,
  type OneIdCustomer,
  type ResolvePlan,
} from '../_core/oneid';
import {
  isStale,
  mergeStates,
  rebuildState,
  refreshCustomer,
  type CustomerState,
  type ScoringModel,
} from '../_core/scoring';
import { inTransaction, txGet, txPut, txUpdate, type Tx } from './tx';
import { ApiError } from './errors';
import { projectedEventsOf, replayBasis } from './pipeline';
import { customerRepo } from './repo/customers';
import type { MergeDoc } from './repo/merges';
import { scoringModelRepo } from './repo/scoring-models';
import { identityDocId, identityRepo } from './repo/identities';


export const SYSTEM_ACTOR = 'system:oneid';

// ---------- reads outside the transaction ----------

const storeModel = async (storeId: string) => (await scoringModelRepo.forStore(storeId)).model;

/** Rounds of "replay, then find the history moved on" before giving up. */
const REPLAY_ROUNDS = 5;

/** Replays computed before a transaction, each valid while its basis holds. */
type Replays = Map<string, { basis: string; state: CustomerState }>;

/** What a transaction asks for when it needs states rebuilt: who, with which members, from what. */
interface ReplayRequest {
  replay: { id: string; members: string[]; basis: string }[];
}

const isReplayRequest = (x: unknown): x is ReplayRequest => typeof x === 'object' && x !== null && 'replay' in x;

/** Runs the replays a transaction asked for, all at once. */
async function replayAll(req: ReplayRequest, model: ScoringModel): Promise<Replays> {
  const out: Replays = new Map();
  await Promise.all(
    req.replay.map(async (r) => {
      out.set(r.id, { basis: r.basis, state: rebuildState(await projectedEventsOf(r.members), model) });
    }),
  );
  return out;
}

/**
 * A transaction over `work`, which returns a ReplayRequest when it needs states rebuilt from
 * events: then the replays run outside the transaction and `work` runs again with them.
 */
async function withReplays<R>(model: ScoringModel, what: string, work: (t: Tx, replays: Replays) => Promise<R | ReplayRequest>): Promise<R> {
  let replays: Replays = new Map();
  for (let round = 0; ; round++) {
    const outcome = await inTransaction((t) => work(t, replays));
    if (!isReplayRequest(outcome)) return outcome;
    if (round >= REPLAY_ROUNDS) throw new Error(`${what}: the customers' histories kept changing during ${REPLAY_ROUNDS} replays`);
    replays = await replayAll(outcome, model);
  }
}

// ---------- derived fields the OneID merge does not know about ----------

/** The consultant's most recent grade among the merged, beside the survivor's score suggestion. */
function mergedGradeInfo(all: readonly OneIdCustomer[]): GradeState | undefined {
  const consultant = all
    .map((c) => c.gradeInfo?.consultant)
    .filter((g): g is NonNullable<GradeState['consultant']> => !!g)
    .sort((a, b) => b.setAt - a.setAt)[0];
  const base = all[0].gradeInfo;
  if (consultant) return { ...base, consultant };
  if (!base) return undefined;
  const { consultant: _none, ...rest } = base;
  return rest;
}

/** Lifecycle evidence of all merged customers, for the furthest stage the merge chose. */
function mergedLifecycle(all: readonly OneIdCustomer[], stage: LifecycleState['stage']): LifecycleState {
  const states = all.map((c) => c.lifecycle ?? { stage: c.stage });
  const out: LifecycleState = { stage };
  const since = states.filter((s) => s.stage === stage && s.stageSince !== undefined).map((s) => s.stageSince!);
  if (since.length) out.stageSince = Math.min(...since);
  const purchase = states.map((s) => s.lastPurchaseAt).filter((t): t is number => t !== undefined);
  if (purchase.length) out.lastPurchaseAt = Math.max(...purchase);
  const intent = states.map((s) => s.lastIntentAt).filter((t): t is number => t !== undefined);
  if (intent.length) out.lastIntentAt = Math.max(...intent);
  return out;
}

function withoutUndefined<T extends object>(o: T): T {
  return JSON.parse(JSON.stringify(o)) as T;
}

// ---------- merge ----------

export interface MergeRequest {
  customerIds: string[];
  /** Staff id of the manager, or SYSTEM_ACTOR. */
  actor: string;
  reason: string;
  now: number;
  /** Identifier types that tied the customers (shown in the merge list). */
  tiedBy?: IdentityType[];
  /** New identifiers to link to the survivor in the same transaction (from a resolve plan). */
  attach?: readonly Identifier[];
}

export interface MergeOutcome {
  survivor: OneIdCustomer;
  /** Absent when nothing was left to merge (a concurrent merge did it first). */
  record?: MergeDoc;
}

/** Follows `mergedInto` to the live customer (a few hops at most: merges of merges). */
async function liveInTx(t: Tx, id: string): Promise<OneIdCustomer | undefined> {
  let current = await txGet<OneIdCustomer>(t, Collections.customers, id);
  for (let hops = 0; current?.mergedInto && hops < MAX_MERGE_HOPS; hops++) current = await txGet<OneIdCustomer>(t, Collections.customers, current.mergedInto);
  return current && !current.mergedInto ? (asOneId(current) as OneIdCustomer) : undefined;
}

async function attachInTx(t: Tx, c: OneIdCustomer, attach: readonly Identifier[], now: number): Promise<OneIdCustomer> {
  const fresh: Identifier[] = [];
  for (const id of attach) {
    const key = identifierKey(id);
    if (await txGet<IdentityDoc>(t, Collections.identities, identityDocId(c.storeId, key))) continue;
    // Identifiers a merge attaches come from an event staff recorded: they never sign anyone in.
    await txPut(t, Collections.identities, identityRepo.doc(c.storeId, key, id, c._id, 'store'));
    fresh.push(id);
  }
  return fresh.length ? attachIdentifiers(c, fresh, now) : c;
}

/** Re-points identity documents at their new customer, keeping who vouched for each. */
async function moveIdentities(t: Tx, storeId: string, moves: readonly { key: string; to: string }[]): Promise<void> {
  await Promise.all(moves.map((m) => txUpdate(t, Collections.identities, identityDocId(storeId, m.key), { customerId: m.to })));
}

/** Applies the owners' lead-count changes of a merge or undo inside its transaction. */
async function shiftLoads(t: Tx, before: readonly OneIdCustomer[], after: readonly OneIdCustomer[], now: number): Promise<void> {
  const delta = new Map<string, number>();
  const live = (c: OneIdCustomer) => !c.mergedInto && c.ownerId;
  for (const c of before) if (live(c)) delta.set(c.ownerId!, (delta.get(c.ownerId!) ?? 0) - 1);
  for (const c of after) if (live(c)) delta.set(c.ownerId!, (delta.get(c.ownerId!) ?? 0) + 1);
  for (const [staffId, d] of delta) {
    if (!d) continue;
    const load = await txGet<ConsultantLoadDoc>(t, Collections.consultantLoads, staffId);
    // No counters yet: they will be counted from the customers, merge included.
    if (load) await txPut(t, Collections.consultantLoads, { ...load, active: Math.max(0, load.active + d), updatedAt: now });
  }
}

/**
 * Merges the live customers behind `customerIds` into the one OneID's `chooseSurvivor` picks.
 * Idempotent: customers already merged into the survivor are skipped.
 */
export async function executeMerge(req: MergeRequest): Promise<MergeOutcome> {
  const named = (await customerRepo.getMany(req.customerIds.slice(0, 1)))[0];
  if (!named) throw new ApiError('NOT_FOUND', `customerIds: none of ${req.customerIds.join(', ')} exists`);
  // Merges stay within a store: one model, read before the transaction.
  const model = await storeModel(named.storeId);
  return withReplays<MergeOutcome>(model, 'merge', async (t, replays) => {
    const live = new Map<string, OneIdCustomer>();
    for (const id of req.customerIds) {
      const c = await liveInTx(t, id);
      if (c) live.set(c._id, c);
    }
    if (!live.size) throw new ApiError('NOT_FOUND', `customerIds: none of ${req.customerIds.join(', ')} exists`);
    const roots = [...live.values()];
    const first = chooseSurvivor(roots);
    if (roots.length === 1) {
      const survivor = await attachInTx(t, first, req.attach ?? [], req.now);
      if (survivor !== first) await txPut(t, Collections.customers, survivor);
      return { survivor };
    }
    const others = roots.filter((c) => c._id !== first._id);
    const result = mergeCustomers(first, others, { now: req.now, actor: req.actor, reason: req.reason });
    if (!result.changed) return { survivor: first };

    const all = [first, ...others];
    const states = await Promise.all(all.map((c) => txGet<CustomerState & { _id: string }>(t, Collections.customerStates, c._id)));
    let state: CustomerState;
    if (states.every((s): s is CustomerState & { _id: string } => !!s && !isStale(s, model))) state = mergeStates(states.map(({ _id, ...s }) => s as CustomerState));
    else {
      // The merged customer's history is every root's: valid while no root or state changed.
      const basis = JSON.stringify(all.map((c, i) => replayBasis(c, states[i])));
      const replayed = replays.get(result.customer._id);
      if (replayed?.basis !== basis) return { replay: [{ id: result.customer._id, members: [result.customer._id, ...result.customer.mergedIds], basis }] };
      state = replayed.state;
    }

    let merged: OneIdCustomer = { ...result.customer, lifecycle: mergedLifecycle(all, result.customer.stage) };
    const gradeInfo = mergedGradeInfo(all);
    if (gradeInfo) merged.gradeInfo = gradeInfo;
    // Audience counters add up; a root without them leaves the survivor to be refitted from history.
    const features = mergedAudienceFeatures(all);
    if (features) merged.audienceFeatures = features;
    else delete merged.audienceFeatures;
    merged = refreshCustomer(merged, state, model, req.now);
    merged = await attachInTx(t, merged, req.attach ?? [], req.now);
    merged = withoutUndefined(merged);

    const record: MergeDoc = withoutUndefined({
      ...result.record,
      survivorAfter: merged,
      storeId: merged.storeId,
      ...(req.tiedBy?.length ? { tiedBy: req.tiedBy } : {}),
    });
    const tombstones = result.tombstones.map((tomb) => withoutUndefined(tomb) as OneIdCustomer);
    await shiftLoads(t, all, [merged, ...tombstones], req.now);
    await txPut(t, Collections.customers, merged);
    for (const tomb of tombstones) await txPut(t, Collections.customers, tomb);
    await moveIdentities(t, merged.storeId, result.identityMoves);
    await txPut(t, Collections.customerStates, { _id: merged._id, ...state });
    await txPut(t, Collections.merges, record);
    return { survivor: merged, record };
  });
}

/** The roots' audience features as one, when every root holds them. */
function mergedAudienceFeatures(all: readonly OneIdCustomer[]): StoredAudienceFeatures | undefined {
  const list = all.map((c) => c.audienceFeatures);
  if (!list.every((f): f is StoredAudienceFeatures => !!f)) return undefined;
  return storedFeatures(mergeFeatures(list as AudienceFeatures[]));
}

/** Chinese reason of an automatic merge, e.g. 同一手机号在门店留资. */
export function autoMergeReason(tiedBy: readonly IdentityType[], touch: { type: TouchpointType; source: string }): string {
  const labels = tiedBy.map((type) => IDENTITY_RULES[type].label);
  const where = `在${channelName(touch.source)}${TOUCHPOINT_LABELS[touch.type]}`;
  return labels.length <= 1 ? `同一${labels[0] ?? '标识'}${where}` : `${labels.join('与')}${where}时同时出现`;
}

export interface MergeEvidence {
  /** The identifiers the record carried and what the identity index said about them. */
  identifiers: readonly Identifier[];
  owners: Readonly<Record<string, string>>;
  touch: { type: TouchpointType; source: string };
  now: number;
}

/**
 * Executes OneID's `merge` plan for an incoming record (track): the customers it names are
 * merged by the system with a reason naming the identifiers that tied them, the plan's new
 * identifiers are linked, and the survivor is returned.
 */
export async function mergeByOneId(plan: Extract<ResolvePlan, { kind: 'merge' }>, evidence: MergeEvidence): Promise<OneIdCustomer> {
  const tiedBy = [...new Set(evidence.identifiers.filter((i) => evidence.owners[identifierKey(i)] !== undefined).map((i) => i.type))];
  const { survivor } = await executeMerge({
    customerIds: [plan.customerId, ...plan.mergeIds],
    actor: SYSTEM_ACTOR,
    reason: autoMergeReason(tiedBy, evidence.touch),
    now: evidence.now,
    tiedBy,
    attach: plan.attach,
  });
  return survivor;
}

// ---------- undo ----------

export interface UndoRequest {
  mergeId: string;
  /** The manager's store: records of other stores are not found. */
  storeId: string;
  actor: string;
  reason: string;
  now: number;
}

export interface UndoOutcome {
  record: MergeDoc;
  survivor: OneIdCustomer;
  restored: OneIdCustomer[];
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Undoes a merge: the merged customers come back from their snapshots with their own
 * identifiers, and every customer involved gets its scoring state rebuilt from its own
 * events (the survivor's from its events and those of the customers still merged into it).
 */
export async function executeUndo(req: UndoRequest): Promise<UndoOutcome> {
  // The record's store is the manager's (checked below): its model is read before the transaction.
  const model = await storeModel(req.storeId);
  return withReplays<UndoOutcome>(model, 'undo', async (t, replays) => {
    const record = await txGet<MergeDoc>(t, Collections.merges, req.mergeId);
    if (!record || record.storeId !== req.storeId) throw new ApiError('NOT_FOUND', 'mergeId: no such merge', [{ field: 'mergeId', message: 'no such merge' }]);
    const current = await txGet<OneIdCustomer>(t, Collections.customers, record.survivorId);
    if (!current) throw new ApiError('NOT_FOUND', `mergeId: the survivor ${record.survivorId} of merge ${req.mergeId} no longer exists`);
    const res = undoMerge(record, current, { now: req.now, actor: req.actor, reason: req.reason });
    if (!res.ok) throw new ApiError('CONFLICT', `mergeId: cannot undo merge ${req.mergeId} (${res.code}): ${res.message}`);

    // Derived fields the merge set come back too, unless they changed after the merge.
    const survivorIn: OneIdCustomer = { ...res.survivor };
    const before = record.survivorBefore as OneIdCustomer;
    const after = record.survivorAfter as OneIdCustomer;
    for (const f of ['gradeInfo', 'lifecycle'] as const) {
      if (!sameJson(current[f], after[f])) continue;
      if (before[f] === undefined) delete survivorIn[f];
      else (survivorIn as unknown as Record<string, unknown>)[f] = before[f];
    }
    // The stage itself is reverted by undoMerge; its evidence must agree with it.
    if (survivorIn.lifecycle && survivorIn.lifecycle.stage !== survivorIn.stage) survivorIn.lifecycle = { stage: survivorIn.stage };

    // Every customer involved gets its state rebuilt from its own events, replayed before this
    // transaction: valid while the survivor, the tombstones and their states are as replayed.
    const targets = [survivorIn, ...res.restored.map((c) => c as OneIdCustomer)];
    const [tombs, states] = await Promise.all([
      Promise.all(res.restored.map((c) => txGet<OneIdCustomer>(t, Collections.customers, c._id))),
      Promise.all(targets.map((c) => txGet<CustomerState & { _id: string }>(t, Collections.customerStates, c._id))),
    ]);
    const basisOf = (c: OneIdCustomer, i: number) => JSON.stringify([replayBasis(c, states[i]), current, tombs]);
    const missing = targets.filter((c, i) => replays.get(c._id)?.basis !== basisOf(c, i));
    if (missing.length) return { replay: targets.map((c, i) => ({ id: c._id, members: [c._id, ...c.mergedIds], basis: basisOf(c, i) })) };
    const rebuilt = (c: OneIdCustomer): { customer: OneIdCustomer; state: CustomerState } => {
      const state = replays.get(c._id)!.state;
      // Audience counters cannot be split back: each one is refitted from its own history when next read.
      const { audienceFeatures: _f, ...rest } = refreshCustomer(c, state, model, req.now);
      return { customer: withoutUndefined({ ...rest, updatedAt: req.now }), state };
    };
    const survivor = rebuilt(survivorIn);
    const restored = res.restored.map((c) => rebuilt(c as OneIdCustomer));

    const undone: MergeDoc = withoutUndefined({ ...record, ...res.record, storeId: record.storeId, ...(record.tiedBy ? { tiedBy: record.tiedBy } : {}) });
    await shiftLoads(t, [current, ...tombs.filter((c): c is OneIdCustomer => !!c)], [survivor.customer, ...restored.map((r) => r.customer)], req.now);
    for (const { customer, state } of [survivor, ...restored]) {
      await txPut(t, Collections.customers, customer);
      await txPut(t, Collections.customerStates, { _id: customer._id, ...state });
    }
    await moveIdentities(t, record.storeId, res.identityMoves);
    await txPut(t, Collections.merges, undone);
    return { record: undone, survivor: survivor.customer, restored: restored.map((r) => r.customer) };
  });
}

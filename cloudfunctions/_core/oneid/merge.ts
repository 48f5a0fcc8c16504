/**
 * Merging customers that OneID found to be one person, and undoing such a merge.
 *
 * A merge never touches events, follow-ups or tasks: they keep the customer id they were
 * written with, the survivor lists the merged ids in `mergedIds` and reads follow them. The
 * merged customers stay as tombstones (`mergedInto`) so a stale reference still finds the
 * survivor. Surviving fields, by rule:
 * - name, gender, city: taken from the OEM when a merged customer has them from the OEM
 *   (`fieldSources[f].source === 'oem'`, or, for documents without provenance, the customer
 *   holding an OEM id); otherwise the most recently set non-empty value (placeholders such as
 *   尾号5678的客户 and gender `unknown` count as empty);
 * - owner (consultant and store, as a pair) and grade: from the most recently updated customer
 *   that has one;
 * - stage: the furthest (owner > prospect > lead); source channel: of the oldest customer
 *   (first touch keeps the attribution);
 * - tags: union, one per tag id, the newest assignment wins; vehicles of interest: union,
 *   latest time per model; vehicles owned: union by model and VIN tail; stores visited: counts
 *   summed, latest visit kept; createdAt: earliest; lastActivityAt and lastTouch: latest.
 *
 * The merge record keeps the survivor before and after and a snapshot of every merged
 * customer, so `undoMerge` can restore them and take their identifiers back while the
 * survivor keeps both what it had before and anything that changed after the merge.
 */
import { createHash } from 'node:crypto';
import type { CustomerDoc, LifecycleStage, OwnedVehicle, TagAssignment, VehicleOfInterest } from '../../../types/model';
import { identitiesSummary, identifierKey, type Identifier } from './identifiers';
import {
  asOneId,
  dedupeIdentifiers,
  isPlaceholderName,
  placeholderName,
  PROVENANCE_FIELDS,
  type CustomerLike,
  type FieldProvenance,
  type OneIdCustomer,
  type ProvenanceField,
} from './customer';

export interface MergeContext {
  now: number;
  /** Staff id of a manager, or `system:oneid` for automatic merges. */
  actor: string;
  /** Why, in words a manager can read later, e.g. 同一手机号在小程序留资. */
  reason: string;
}

export interface IdentityMove {
  /** Identity document id (`identifierKey`). */
  key: string;
  identifier: Identifier;
  from: string;
  to: string;
}

export interface MergeRecord {
  _id: string;
  survivorId: string;
  /** The customers merged by this merge (their own earlier merges are in their snapshots). */
  mergedIds: string[];
  identifiersMoved: { key: string; identifier: Identifier; from: string }[];
  actor: string;
  reason: string;
  at: number;
  survivorBefore: OneIdCustomer;
  survivorAfter: OneIdCustomer;
  /** The merged customers as they were just before the merge. */
  snapshots: OneIdCustomer[];
  undone?: { at: number; actor: string; reason: string };
}

export type MergeResult =
  | {
      changed: true;
      customer: OneIdCustomer;
      /** The merged customers, marked `mergedInto`; write them back, never delete them. */
      tombstones: OneIdCustomer[];
      /** Identity documents to point at the survivor. */
      identityMoves: IdentityMove[];
      record: MergeRecord;
    }
  /** Every other customer was already merged into the survivor (a retried merge). */
  | { changed: false; customer: OneIdCustomer };

const STAGE_RANK: Record<LifecycleStage, number> = { lead: 0, prospect: 1, owner: 2 };

function isEmptyField(f: ProvenanceField, c: OneIdCustomer): boolean {
  if (f === 'name') return !c.name.trim() || isPlaceholderName(c.name);
  if (f === 'gender') return c.gender === 'unknown';
  return !c.city.trim();
}

function isOemField(f: ProvenanceField, c: OneIdCustomer): boolean {
  const p = c.fieldSources?.[f];
  if (p) return p.source === 'oem';
  return c.identifiers.some((i) => i.type === 'oemId');
}

const fieldTime = (f: ProvenanceField, c: OneIdCustomer) => c.fieldSources?.[f]?.at ?? c.updatedAt;

/** Latest by `time`; the earlier entry (the survivor comes first) wins a tie. */
function latest<T>(items: readonly T[], time: (t: T) => number): T | undefined {
  let best: T | undefined;
  for (const it of items) if (best === undefined || time(it) > time(best)) best = it;
  return best;
}

function mergeTags(all: readonly OneIdCustomer[]): TagAssignment[] {
  const byId = new Map<string, TagAssignment>();
  for (const c of all) {
    for (const t of c.tags) {
      const had = byId.get(t.tagId);
      if (!had || t.assignedAt > had.assignedAt) byId.set(t.tagId, t);
    }
  }
  return [...byId.values()];
}

function mergeInterests(all: readonly OneIdCustomer[]): VehicleOfInterest[] {
  const byModel = new Map<string, VehicleOfInterest>();
  for (const c of all) for (const v of c.vehiclesOfInterest) {
    const had = byModel.get(v.modelId);
    if (!had || v.at > had.at) byModel.set(v.modelId, v);
  }
  return [...byModel.values()];
}

const ownedKey = (v: OwnedVehicle) => `${v.modelId}|${v.vinTail}`;

function mergeOwned(all: readonly OneIdCustomer[]): OwnedVehicle[] {
  const byKey = new Map<string, OwnedVehicle>();
  for (const c of all) for (const v of c.vehiclesOwned) {
    const had = byKey.get(ownedKey(v));
    if (!had || v.purchasedAt < had.purchasedAt) byKey.set(ownedKey(v), v);
  }
  return [...byKey.values()];
}

function mergeVisits(all: readonly OneIdCustomer[]): CustomerDoc['storesVisited'] {
  const byStore = new Map<string, { storeId: string; lastAt: number; count: number }>();
  for (const c of all) for (const s of c.storesVisited) {
    const had = byStore.get(s.storeId);
    byStore.set(s.storeId, had ? { storeId: s.storeId, count: had.count + s.count, lastAt: Math.max(had.lastAt, s.lastAt) } : { ...s });
  }
  return [...byStore.values()];
}

function recordId(survivorId: string, others: readonly string[], at: number): string {
  const h = createHash('sha1').update(`${survivorId}|${[...others].sort().join(',')}|${at}`).digest('hex');
  return `m_${h.slice(0, 24)}`;
}

/**
 * Merges `others` into `survivor` (chosen by `chooseSurvivor` or by a manager). Pure: returns
 * the documents to write. Others already merged into the survivor are skipped, so a retried
 * merge is a no-op; a customer merged into someone else must be resolved to its survivor first.
 */
export function mergeCustomers(survivorIn: CustomerLike, othersIn: readonly CustomerLike[], ctx: MergeContext): MergeResult {
  const survivor = asOneId(survivorIn);
  if (survivor.mergedInto) throw new Error(`mergeCustomers: survivor ${survivor._id} was merged into ${survivor.mergedInto}`);
  const others: OneIdCustomer[] = [];
  const seen = new Set([survivor._id]);
  for (const o of othersIn.map(asOneId)) {
    if (o.mergedInto === survivor._id) continue;
    if (o.mergedInto) throw new Error(`mergeCustomers: ${o._id} was merged into ${o.mergedInto}`);
    // OneID resolves within one store; linking people across stores is the OEM sync's, by its own rules.
    if (o.storeId !== survivor.storeId) throw new Error(`mergeCustomers: ${o._id} belongs to another store than ${survivor._id}`);
    if (seen.has(o._id)) continue;
    seen.add(o._id);
    others.push(o);
  }
  if (!others.length) return { changed: false, customer: survivor };

  const all = [survivor, ...others];
  const identifiers = dedupeIdentifiers(all.flatMap((c) => c.identifiers));
  const held = new Set(survivor.identifiers.map(identifierKey));
  const identifiersMoved: MergeRecord['identifiersMoved'] = [];
  for (const o of others) for (const id of o.identifiers) {
    const key = identifierKey(id);
    if (held.has(key)) continue;
    held.add(key);
    identifiersMoved.push({ key, identifier: id, from: o._id });
  }

  const fields: Pick<CustomerDoc, ProvenanceField> = { name: survivor.name, gender: survivor.gender, city: survivor.city };
  const fieldSources: FieldProvenance = { ...survivor.fieldSources };
  for (const f of PROVENANCE_FIELDS) {
    const filled = all.filter((c) => !isEmptyField(f, c));
    const oem = filled.filter((c) => isOemField(f, c));
    const pick = latest(oem.length ? oem : filled, (c) => fieldTime(f, c));
    if (!pick) continue;
    (fields as Record<ProvenanceField, string>)[f] = pick[f];
    const source = pick.fieldSources?.[f];
    if (source) fieldSources[f] = source;
    else delete fieldSources[f];
  }
  if (isEmptyField('name', { ...survivor, name: fields.name })) fields.name = placeholderName(identifiers);

  const owned = latest(all.filter((c) => c.ownerId), (c) => c.updatedAt);
  const graded = latest(all.filter((c) => c.grade), (c) => c.updatedAt);
  const oldest = [...all].sort((a, b) => a.createdAt - b.createdAt)[0];
  const stage = all.reduce<LifecycleStage>((s, c) => (STAGE_RANK[c.stage] > STAGE_RANK[s] ? c.stage : s), survivor.stage);
  const lastTouch = latest(all.filter((c) => c.lastTouch), (c) => c.lastTouch!.at)?.lastTouch;
  const mergedIds = [...new Set([...survivor.mergedIds, ...others.flatMap((o) => [o._id, ...o.mergedIds])])].sort();

  const customer: OneIdCustomer = {
    ...survivor,
    ...fields,
    fieldSources,
    identities: identitiesSummary(identifiers, survivor.identities),
    identifiers,
    mergedIds,
    storeId: owned ? owned.storeId : survivor.storeId,
    stage,
    sourceChannel: oldest.sourceChannel,
    vehiclesOfInterest: mergeInterests(all),
    vehiclesOwned: mergeOwned(all),
    tags: mergeTags(all),
    storesVisited: mergeVisits(all),
    createdAt: Math.min(...all.map((c) => c.createdAt)),
    updatedAt: ctx.now,
    lastActivityAt: Math.max(...all.map((c) => c.lastActivityAt)),
  };
  if (owned?.ownerId) customer.ownerId = owned.ownerId;
  else delete customer.ownerId;
  if (graded?.grade) customer.grade = graded.grade;
  else delete customer.grade;
  if (lastTouch) customer.lastTouch = lastTouch;
  else delete customer.lastTouch;

  const tombstones = others.map((o): OneIdCustomer => ({ ...o, mergedInto: survivor._id, mergedAt: ctx.now, updatedAt: ctx.now }));
  const record: MergeRecord = {
    _id: recordId(survivor._id, others.map((o) => o._id), ctx.now),
    survivorId: survivor._id,
    mergedIds: others.map((o) => o._id),
    identifiersMoved,
    actor: ctx.actor,
    reason: ctx.reason,
    at: ctx.now,
    survivorBefore: survivor,
    survivorAfter: customer,
    snapshots: others,
  };
  return {
    changed: true,
    customer,
    tombstones,
    identityMoves: identifiersMoved.map((m) => ({ ...m, to: survivor._id })),
    record,
  };
}

// ---------- undo ----------

export type UndoCode = 'ALREADY_UNDONE' | 'WRONG_SURVIVOR' | 'SURVIVOR_MERGED';

export type UndoResult =
  | {
      ok: true;
      survivor: OneIdCustomer;
      /** The merged customers, live again (tombstone markers removed). */
      restored: OneIdCustomer[];
      /** Identity documents to point back at the restored customers. */
      identityMoves: IdentityMove[];
      record: MergeRecord;
    }
  | { ok: false; code: UndoCode; message: string };

export interface UndoContext {
  now: number;
  actor: string;
  reason: string;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Three-way revert of a keyed list: an item still exactly as the merge left it goes back to
 * its pre-merge version (or away, if the survivor did not have it); anything added or changed
 * after the merge stays.
 */
function revertList<T>(current: readonly T[], after: readonly T[], before: readonly T[], key: (t: T) => string): T[] {
  const afterBy = new Map(after.map((t) => [key(t), t]));
  const beforeBy = new Map(before.map((t) => [key(t), t]));
  const out: T[] = [];
  for (const t of current) {
    const k = key(t);
    const a = afterBy.get(k);
    if (a !== undefined && same(a, t)) {
      const b = beforeBy.get(k);
      if (b !== undefined) out.push(b);
    } else out.push(t);
  }
  return out;
}

function revertVisits(current: CustomerDoc['storesVisited'], after: CustomerDoc['storesVisited'], before: CustomerDoc['storesVisited']): CustomerDoc['storesVisited'] {
  const afterBy = new Map(after.map((s) => [s.storeId, s]));
  const beforeBy = new Map(before.map((s) => [s.storeId, s]));
  const out: CustomerDoc['storesVisited'] = [];
  for (const s of current) {
    const a = afterBy.get(s.storeId);
    const b = beforeBy.get(s.storeId);
    if (!a) {
      out.push(s);
      continue;
    }
    const contributed = a.count - (b?.count ?? 0);
    const count = s.count - contributed;
    if (count <= 0) continue;
    const lastAt = s.lastAt === a.lastAt && b ? b.lastAt : s.lastAt;
    out.push({ storeId: s.storeId, count, lastAt });
  }
  return out;
}

const SCALARS = ['name', 'gender', 'city', 'storeId', 'ownerId', 'stage', 'grade', 'sourceChannel', 'createdAt', 'lastActivityAt', 'lastTouch'] as const;

/**
 * Undoes a merge: the merged customers come back as they were, their identifiers move back,
 * and the survivor loses what the merge gave it but keeps what it had before and whatever
 * happened after the merge (new events, tags, visits). Events recorded for the survivor
 * after the merge stay with the survivor. Refused when the record was already undone or the
 * survivor has since been merged into another customer (undo that merge first).
 */
export function undoMerge(record: MergeRecord, currentIn: CustomerLike, ctx: UndoContext): UndoResult {
  if (record.undone) return { ok: false, code: 'ALREADY_UNDONE', message: '这次合并已经撤销过了' };
  if (currentIn._id !== record.survivorId) return { ok: false, code: 'WRONG_SURVIVOR', message: '客户与合并记录不符，无法撤销' };
  if (currentIn.mergedInto) return { ok: false, code: 'SURVIVOR_MERGED', message: '该客户之后又被合并到其他客户，请先撤销那次合并' };
  const current = asOneId(currentIn);
  const before = record.survivorBefore;
  const after = record.survivorAfter;

  const survivor: OneIdCustomer = { ...current, updatedAt: ctx.now };
  const writable = survivor as unknown as Record<string, unknown>;
  for (const f of SCALARS) {
    if (!same(current[f], after[f])) continue;
    if (before[f] === undefined) delete writable[f];
    else writable[f] = before[f];
  }
  const fieldSources: FieldProvenance = { ...current.fieldSources };
  for (const f of PROVENANCE_FIELDS) {
    if (!same(current.fieldSources?.[f], after.fieldSources?.[f])) continue;
    const b = before.fieldSources?.[f];
    if (b) fieldSources[f] = b;
    else delete fieldSources[f];
  }
  survivor.fieldSources = fieldSources;

  const movedKeys = new Set(record.identifiersMoved.map((m) => m.key));
  const heldNow = new Set(current.identifiers.map(identifierKey));
  survivor.identifiers = current.identifiers.filter((i) => !movedKeys.has(identifierKey(i)));
  survivor.identities = identitiesSummary(survivor.identifiers, before.identities);
  const undoneIds = new Set(record.snapshots.flatMap((s) => [s._id, ...s.mergedIds]));
  survivor.mergedIds = current.mergedIds.filter((id) => !undoneIds.has(id));
  survivor.tags = revertList(current.tags, after.tags, before.tags, (t) => t.tagId);
  survivor.vehiclesOfInterest = revertList(current.vehiclesOfInterest, after.vehiclesOfInterest, before.vehiclesOfInterest, (v) => v.modelId);
  survivor.vehiclesOwned = revertList(current.vehiclesOwned, after.vehiclesOwned, before.vehiclesOwned, ownedKey);
  survivor.storesVisited = revertVisits(current.storesVisited, after.storesVisited, before.storesVisited);

  const identityMoves: IdentityMove[] = [];
  const backTo = new Map<string, Set<string>>();
  for (const m of record.identifiersMoved) {
    if (!heldNow.has(m.key)) continue;
    identityMoves.push({ key: m.key, identifier: m.identifier, from: record.survivorId, to: m.from });
    let keys = backTo.get(m.from);
    if (!keys) backTo.set(m.from, (keys = new Set()));
    keys.add(m.key);
  }
  const restored = record.snapshots.map((s): OneIdCustomer => {
    const keys = backTo.get(s._id) ?? new Set<string>();
    const identifiers = s.identifiers.filter((i) => keys.has(identifierKey(i)));
    const { mergedInto: _into, mergedAt: _at, ...live } = s;
    return { ...live, identifiers, identities: identitiesSummary(identifiers, s.identities), updatedAt: ctx.now };
  });
  return {
    ok: true,
    survivor,
    restored,
    identityMoves,
    record: { ...record, undone: { at: ctx.now, actor: ctx.actor, reason: ctx.reason } },
  };
}

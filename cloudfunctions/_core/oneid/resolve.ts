/**
 * Identity resolution: given the identifiers a record carries and what the identity index says
 * about them, decide whether the record is a new customer, an existing one (possibly with new
 * identifiers), or the proof that several customers are one person (a merge).
 *
 * Identifiers are taken in priority order (oemId > phone > unionid > externalUserId > openid;
 * within a type, the ones already known first).
 * A customer joins the group only if the group would still respect every per-type limit; when
 * it would not (e.g. it holds a different phone), its identifiers are reported as conflicts and
 * nothing is linked, so one shared WeChat account never fuses two people. The plan is a pure
 * function of its inputs: the same identities and the same index give the same plan, and
 * after the plan is applied the same identities resolve to `existing` with nothing to attach.
 */
import { createHash } from 'node:crypto';
import type { IdentityType } from '../../../types/model';
import { maskPhone } from '../mask';
import {
  compareIdentifiers,
  IDENTITY_RULES,
  identifierKey,
  slotOf,
  type Identifier,
  type IdentityRule,
} from './identifiers';
import { dedupeIdentifiers, identifiersOf, type CustomerLike } from './customer';

export type ResolveCandidate = Pick<CustomerLike, '_id' | 'createdAt' | 'identities' | 'identifiers' | 'mergedInto'>;

export interface ResolveInput {
  /** Normalised identifiers of the record (see `identifiersFrom`). */
  incoming: readonly Identifier[];
  /** Identity index: identifier key -> customer id, for the incoming identifiers that are known. */
  owners: Readonly<Record<string, string>>;
  /** Every customer named by `owners`, and every survivor their `mergedInto` points to. */
  candidates: readonly ResolveCandidate[];
  rules?: Readonly<Record<IdentityType, IdentityRule>>;
  /** The store the identity index belongs to (new customers' ids derive from it). */
  storeId?: string;
}

export interface IdentityConflict {
  identifier: Identifier;
  key: string;
  /** The customer that holds the identifier, when it is known. */
  customerId?: string;
  /** The identifier type whose limit would be exceeded. */
  limitType: IdentityType;
  /** Chinese, for the manager's review list. */
  message: string;
}

export type ResolvePlan =
  | { kind: 'create'; customerId: string; attach: Identifier[]; conflicts: IdentityConflict[] }
  | { kind: 'existing'; customerId: string; attach: Identifier[]; conflicts: IdentityConflict[] }
  | { kind: 'merge'; customerId: string; mergeIds: string[]; attach: Identifier[]; conflicts: IdentityConflict[] }
  | { kind: 'none'; conflicts: IdentityConflict[] };

/**
 * The id a new customer gets: derived from its store and its most trusted identifier, so two
 * concurrent creates for the same person collide on the insert instead of making twins, and
 * the same person at two stores gets two records.
 */
export function newCustomerId(first: Identifier, storeId?: string): string {
  const key = storeId === undefined ? identifierKey(first) : `${storeId}/${identifierKey(first)}`;
  return `c_${createHash('sha1').update(key).digest('hex').slice(0, 20)}`;
}

/**
 * Customer ids the caller still has to load before `resolve` can run: ids named by `owners`
 * or by a candidate's `mergedInto` that are not among the candidates. Load them and ask again
 * until this is empty (a merge may have happened between the index read and the load).
 */
export function missingCandidates(input: Pick<ResolveInput, 'owners' | 'candidates'>): string[] {
  const have = new Map(input.candidates.map((c) => [c._id, c]));
  const missing = new Set<string>();
  for (const id of Object.values(input.owners)) if (!have.has(id)) missing.add(id);
  for (const c of input.candidates) if (c.mergedInto && !have.has(c.mergedInto)) missing.add(c.mergedInto);
  return [...missing].sort();
}

function liveId(id: string, byId: Map<string, ResolveCandidate>): string {
  let current = id;
  const seen = new Set<string>();
  for (;;) {
    const c = byId.get(current);
    if (!c) throw new Error(`resolve: customer ${current} was not loaded (see missingCandidates)`);
    if (!c.mergedInto) return current;
    if (seen.has(current)) throw new Error(`resolve: merge cycle at customer ${current}`);
    seen.add(current);
    current = c.mergedInto;
  }
}

function display(id: Identifier): string {
  return id.type === 'phone' ? maskPhone(id.value) : id.value.length > 8 ? `${id.value.slice(0, 4)}…${id.value.slice(-4)}` : id.value;
}

type Slots = Map<string, Set<string>>;

function addSlots(slots: Slots, ids: readonly Identifier[]): void {
  for (const id of ids) {
    const slot = slotOf(id);
    let set = slots.get(slot);
    if (!set) slots.set(slot, (set = new Set()));
    set.add(id.value);
  }
}

/** The first identifier type whose limit `ids` would break when added to `slots`. */
function violation(slots: Slots, ids: readonly Identifier[], rules: Readonly<Record<IdentityType, IdentityRule>>): IdentityType | undefined {
  const extra = new Map<string, Set<string>>();
  for (const id of [...ids].sort(compareIdentifiers)) {
    const slot = slotOf(id);
    let set = extra.get(slot);
    if (!set) extra.set(slot, (set = new Set(slots.get(slot) ?? [])));
    set.add(id.value);
    if (set.size > rules[id.type].limit) return id.type;
  }
  return undefined;
}

/** Best (lowest) identifier priority a customer holds. */
function bestPriority(ids: readonly Identifier[], rules: Readonly<Record<IdentityType, IdentityRule>>): number {
  let best = Number.POSITIVE_INFINITY;
  for (const id of ids) best = Math.min(best, rules[id.type].priority);
  return best;
}

/**
 * Merge survivor: the customer holding the highest-priority identifier (an OEM id beats a
 * phone), then the oldest, then the smallest id, so every node picks the same one.
 */
export function chooseSurvivor<C extends ResolveCandidate>(customers: readonly C[], rules = IDENTITY_RULES): C {
  if (!customers.length) throw new Error('chooseSurvivor: no customers');
  return [...customers].sort((a, b) => {
    const p = bestPriority(identifiersOf(a), rules) - bestPriority(identifiersOf(b), rules);
    if (p) return p;
    if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
    return a._id < b._id ? -1 : a._id > b._id ? 1 : 0;
  })[0];
}

export function resolve(input: ResolveInput): ResolvePlan {
  const rules = input.rules ?? IDENTITY_RULES;
  const byId = new Map(input.candidates.map((c) => [c._id, c]));
  // Priority first; within one type, identifiers that already name a customer go first.
  const known = (id: Identifier) => (input.owners[identifierKey(id)] !== undefined ? 0 : 1);
  const incoming = dedupeIdentifiers(input.incoming).sort(
    (a, b) => rules[a.type].priority - rules[b.type].priority || known(a) - known(b) || compareIdentifiers(a, b),
  );
  const conflicts: IdentityConflict[] = [];
  if (!incoming.length) return { kind: 'none', conflicts };

  const group: string[] = [];
  const rejected = new Map<string, IdentityType>();
  const slots: Slots = new Map();
  const attach: Identifier[] = [];

  for (const id of incoming) {
    const key = identifierKey(id);
    const owner = input.owners[key];
    if (owner !== undefined) {
      const customerId = liveId(owner, byId);
      if (group.includes(customerId)) continue;
      const held = dedupeIdentifiers([...identifiersOf(byId.get(customerId)!), id]);
      // The first customer found anchors the group even if old data gave it too many values.
      const broken = rejected.get(customerId) ?? (slots.size === 0 ? undefined : violation(slots, held, rules));
      if (broken) {
        rejected.set(customerId, broken);
        conflicts.push({
          identifier: id,
          key,
          customerId,
          limitType: broken,
          message: `${rules[id.type].label} ${display(id)} 已属于另一位客户，两人的${rules[broken].label}不一致，未自动合并，请人工核实`,
        });
        continue;
      }
      group.push(customerId);
      addSlots(slots, held);
    } else {
      const broken = violation(slots, [id], rules);
      if (broken) {
        conflicts.push({
          identifier: id,
          key,
          limitType: broken,
          message: `${rules[id.type].label} ${display(id)} 与该客户已登记的${rules[broken].label}不一致，未关联（每位客户最多${rules[broken].limit}个）`,
        });
        continue;
      }
      attach.push(id);
      addSlots(slots, [id]);
    }
  }

  if (!group.length) {
    if (!attach.length) return { kind: 'none', conflicts };
    return { kind: 'create', customerId: newCustomerId(attach[0], input.storeId), attach, conflicts };
  }
  const members = group.map((id) => byId.get(id)!);
  const survivor = chooseSurvivor(members, rules);
  // Only identifiers the group does not hold yet need an identity document.
  const held = new Set(members.flatMap((m) => identifiersOf(m).map(identifierKey)));
  const toAttach = attach.filter((a) => !held.has(identifierKey(a)));
  if (group.length === 1) return { kind: 'existing', customerId: survivor._id, attach: toAttach, conflicts };
  const mergeIds = group.filter((id) => id !== survivor._id).sort();
  return { kind: 'merge', customerId: survivor._id, mergeIds, attach: toAttach, conflicts };
}

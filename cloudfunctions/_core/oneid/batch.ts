/**
 * OneID for a batch of records of one store (a `track` call): each record is resolved in
 * order against the store's identity index *and* what the records before it decided, so two
 * records of one new person in one batch make one customer, and an identifier attached by
 * one record is known to the next. Pure: the caller reads the index and the customers once,
 * plans, then writes in bulk.
 *
 * A customer the index names but that does not exist is "unborn": a create that crashed
 * after claiming its identifiers. It is created again under the same id, so a crash never
 * makes a twin. A record that proves two customers are one person stops the plan (`merge`):
 * the caller merges them, reads again and plans the rest.
 */
import { IDENTITY_RULES, identifierKey, parseIdentifierKey, slotOf, type Identifier } from './identifiers';
import { dedupeIdentifiers, identifiersOf, liveOf, MAX_MERGE_HOPS } from './customer';
import { missingCandidates, resolve, type IdentityConflict, type ResolveCandidate, type ResolvePlan } from './resolve';

export interface BatchRecord {
  /** The record's own id (the event's messageId). */
  id: string;
  identifiers: readonly Identifier[];
  /** Set when the sender already knows the customer (store-side records). */
  customerId?: string;
}

export interface BatchCustomer extends ResolveCandidate {
  storeId: string;
  ownerId?: string;
}

export interface BatchInput {
  storeId: string;
  records: readonly BatchRecord[];
  /** The store's identity index for every identifier of the records: key -> customer id. */
  owners: Readonly<Record<string, string>>;
  /** The stored customers named by `owners` and by the records' `customerId`, and the survivors they were merged into. */
  customers: readonly BatchCustomer[];
  now: number;
}

export type RecordDecision =
  | { kind: 'customer'; customerId: string; conflicts: IdentityConflict[] }
  | { kind: 'none'; conflicts: IdentityConflict[] }
  /** `customerId` names no live customer of this store. */
  | { kind: 'unknown-customer' };

export interface NewCustomerPlan {
  id: string;
  identifiers: Identifier[];
  /** The first record that needs it (its source, staff and model seed the new customer). */
  firstRecordId: string;
}

export interface BatchPlan {
  decisions: Map<string, RecordDecision>;
  /** Customers to create (new, or unborn ones a crash left half made). */
  creates: Map<string, NewCustomerPlan>;
  /** New identifiers of existing customers. */
  attach: Map<string, Identifier[]>;
  /** Identity documents to insert: every created or attached identifier. */
  claims: { key: string; identifier: Identifier; customerId: string }[];
  /** Set when a record proves several customers are one: merge them, then plan again from this record. */
  merge?: { recordId: string; plan: Extract<ResolvePlan, { kind: 'merge' }> };
}

/** Ids `planBatch` still needs loaded: named by the index or by a loaded customer's `mergedInto`. */
export function customersToLoad(input: Pick<BatchInput, 'owners' | 'customers'>): string[] {
  return missingCandidates({ owners: input.owners, candidates: input.customers });
}

export function planBatch(input: BatchInput): BatchPlan {
  const owners: Record<string, string> = { ...input.owners };
  // Copies: the plan grows them as records attach identifiers, and the caller's customers stay as read.
  const byId = new Map<string, BatchCustomer>(input.customers.map((c) => [c._id, { ...c }]));
  const plan: BatchPlan = { decisions: new Map(), creates: new Map(), attach: new Map(), claims: [] };

  // Unborn customers: named by the index, never stored. They hold the identifiers that name them.
  for (const id of new Set(Object.values(owners))) {
    if (byId.has(id)) continue;
    const held = Object.entries(owners).filter(([, c]) => c === id).map(([key]) => parseIdentifierKey(key)).filter((x): x is Identifier => !!x);
    byId.set(id, { _id: id, storeId: input.storeId, createdAt: input.now, identities: {}, identifiers: held });
    plan.creates.set(id, { id, identifiers: held, firstRecordId: '' });
  }

  const live = (id: string): BatchCustomer | undefined => {
    const c = liveOf(id, (x) => byId.get(x));
    return c?.storeId === input.storeId ? c : undefined;
  };
  const claim = (customerId: string, ids: readonly Identifier[]) => {
    for (const identifier of ids) {
      const key = identifierKey(identifier);
      if (owners[key] !== undefined) continue;
      owners[key] = customerId;
      plan.claims.push({ key, identifier, customerId });
    }
  };
  /**
   * Identifiers of the record the index already gives `c` that its document lacks: an attach
   * that a crash cut short between its claims and the customer. The document gets them (within
   * the limits), with no new claim; otherwise `resolve` sees them as held and they never arrive.
   */
  const unwritten = (c: BatchCustomer, incoming: readonly Identifier[]): Identifier[] => {
    const held = identifiersOf(c);
    const keys = new Set(held.map(identifierKey));
    const slots = new Map<string, number>();
    for (const i of held) slots.set(slotOf(i), (slots.get(slotOf(i)) ?? 0) + 1);
    const out: Identifier[] = [];
    for (const i of incoming) {
      const key = identifierKey(i);
      const owner = owners[key];
      if (keys.has(key) || owner === undefined || live(owner)?._id !== c._id) continue;
      const used = slots.get(slotOf(i)) ?? 0;
      if (used >= IDENTITY_RULES[i.type].limit) continue;
      slots.set(slotOf(i), used + 1);
      keys.add(key);
      out.push(i);
    }
    return out;
  };
  const seedCreate = (id: string, recordId: string) => {
    const c = plan.creates.get(id);
    if (c && !c.firstRecordId) c.firstRecordId = recordId;
  };

  for (const r of input.records) {
    if (r.customerId !== undefined) {
      const c = live(r.customerId);
      if (!c) plan.decisions.set(r.id, { kind: 'unknown-customer' });
      else {
        seedCreate(c._id, r.id);
        plan.decisions.set(r.id, { kind: 'customer', customerId: c._id, conflicts: [] });
      }
      continue;
    }
    const known = Object.fromEntries(r.identifiers.map(identifierKey).filter((k) => owners[k] !== undefined).map((k) => [k, owners[k]]));
    const candidates = [...new Set(Object.values(known))].flatMap((id) => {
      const chain: BatchCustomer[] = [];
      let c = byId.get(id);
      for (let hops = 0; c && hops <= MAX_MERGE_HOPS; hops++) {
        chain.push(c);
        c = c.mergedInto ? byId.get(c.mergedInto) : undefined;
      }
      return chain;
    });
    const resolved = resolve({ incoming: r.identifiers, owners: known, candidates, storeId: input.storeId });
    switch (resolved.kind) {
      case 'none':
        plan.decisions.set(r.id, { kind: 'none', conflicts: resolved.conflicts });
        break;
      case 'merge':
        plan.merge = { recordId: r.id, plan: resolved };
        return plan;
      case 'create': {
        const created: BatchCustomer = { _id: resolved.customerId, storeId: input.storeId, createdAt: input.now, identities: {}, identifiers: dedupeIdentifiers(resolved.attach) };
        byId.set(created._id, created);
        plan.creates.set(created._id, { id: created._id, identifiers: created.identifiers ?? [], firstRecordId: r.id });
        claim(created._id, resolved.attach);
        plan.decisions.set(r.id, { kind: 'customer', customerId: created._id, conflicts: resolved.conflicts });
        break;
      }
      case 'existing': {
        const c = byId.get(resolved.customerId)!;
        seedCreate(c._id, r.id);
        const add = [...resolved.attach, ...unwritten(c, r.identifiers)];
        if (add.length) {
          c.identifiers = dedupeIdentifiers([...identifiersOf(c), ...add]);
          const created = plan.creates.get(c._id);
          if (created) created.identifiers = c.identifiers;
          else plan.attach.set(c._id, dedupeIdentifiers([...(plan.attach.get(c._id) ?? []), ...add]));
          claim(c._id, resolved.attach);
        }
        plan.decisions.set(r.id, { kind: 'customer', customerId: c._id, conflicts: resolved.conflicts });
        break;
      }
    }
  }
  // Unborn customers no record of this batch reached stay for the repair job.
  for (const [id, c] of plan.creates) if (!c.firstRecordId) plan.creates.delete(id);
  return plan;
}

/**
 * The OneID view of a customer document: `CustomerDoc` plus the full identifier list, the ids
 * of customers merged into it (reads of events, follow-ups and tasks follow them), the
 * tombstone marker of a customer that was merged away, and where the profile fields came from.
 */
import { PROVENANCE_FIELDS, type CustomerDoc, type OneIdCustomer, type FieldProvenance, type FieldSource, type OneIdFields, type ProvenanceField } from '../../../types/model';
import { identitiesSummary, identifierKey, IDENTITY_TYPES, type Identifier } from './identifiers';

export { PROVENANCE_FIELDS };
export type { FieldProvenance, FieldSource, ProvenanceField };

export type { OneIdFields };

export type { OneIdCustomer };

/**
 * Merges of merges are rare; a chain longer than this means broken data, not a customer.
 * Every walk along `mergedInto` (in memory, in the database, in a transaction) stops here.
 */
export const MAX_MERGE_HOPS = 5;

/**
 * The live customer at the end of `id`'s merge chain, from customers already at hand; undefined
 * when a link is missing or the chain is longer than MAX_MERGE_HOPS.
 */
export function liveOf<C extends { mergedInto?: string }>(id: string, get: (id: string) => C | undefined): C | undefined {
  let c = get(id);
  for (let hops = 0; c?.mergedInto && hops < MAX_MERGE_HOPS; hops++) c = get(c.mergedInto);
  return c && !c.mergedInto ? c : undefined;
}

/** A stored customer that may predate the OneID fields. */
export type CustomerLike = CustomerDoc & Partial<OneIdFields>;

/** The identifier list of a customer, derived from `identities` for documents without one. */
export function identifiersOf(c: Pick<CustomerLike, 'identifiers' | 'identities'>): Identifier[] {
  if (c.identifiers) return c.identifiers;
  const out: Identifier[] = [];
  for (const type of IDENTITY_TYPES) {
    const value = c.identities[type];
    if (value) out.push({ type, value });
  }
  return out;
}

/** Fills the OneID fields of a stored customer that predates them. */
export function asOneId(c: CustomerLike): OneIdCustomer {
  return { ...c, identifiers: identifiersOf(c), mergedIds: c.mergedIds ?? [] };
}

const PLACEHOLDER_NAME = /^(尾号\d{4}的客户|微信客户|新客户)$/;

/** The display name of a customer nobody has named yet. */
export function placeholderName(identifiers: readonly Identifier[]): string {
  const phone = identifiers.find((i) => i.type === 'phone');
  if (phone) return `尾号${phone.value.slice(-4)}的客户`;
  if (identifiers.some((i) => i.type === 'openid' || i.type === 'unionid' || i.type === 'externalUserId')) return '微信客户';
  return '新客户';
}

/** Placeholder names count as empty when a merge picks the surviving name. */
export function isPlaceholderName(name: string): boolean {
  return PLACEHOLDER_NAME.test(name.trim());
}

export interface NewCustomerInput {
  /** From the `create` plan: deterministic, so a retried create cannot make a twin. */
  id: string;
  identifiers: Identifier[];
  storeId: string;
  sourceChannel: string;
  now: number;
  /** Who supplied the profile fields below. */
  source: FieldSource;
  name?: string;
  gender?: CustomerDoc['gender'];
  city?: string;
}

/** A new customer in stage 线索 (lead), unowned (in the store's pool until allocated). */
export function newCustomer(input: NewCustomerInput): OneIdCustomer {
  const identifiers = dedupeIdentifiers(input.identifiers);
  const fieldSources: FieldProvenance = {};
  const name = input.name?.trim();
  if (name) fieldSources.name = { source: input.source, at: input.now };
  if (input.gender && input.gender !== 'unknown') fieldSources.gender = { source: input.source, at: input.now };
  if (input.city?.trim()) fieldSources.city = { source: input.source, at: input.now };
  return {
    _id: input.id,
    name: name || placeholderName(identifiers),
    gender: input.gender ?? 'unknown',
    city: input.city?.trim() ?? '',
    identities: identitiesSummary(identifiers),
    identifiers,
    mergedIds: [],
    fieldSources,
    storeId: input.storeId,
    stage: 'lead',
    sourceChannel: input.sourceChannel,
    vehiclesOfInterest: [],
    vehiclesOwned: [],
    tags: [],
    storesVisited: [],
    createdAt: input.now,
    updatedAt: input.now,
    lastActivityAt: input.now,
  };
}

export function dedupeIdentifiers(ids: readonly Identifier[]): Identifier[] {
  const seen = new Set<string>();
  const out: Identifier[] = [];
  for (const id of ids) {
    const key = identifierKey(id);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(id);
  }
  return out;
}

/** Attaches identifiers to a customer (the `attach` list of a plan); already held ones are skipped. */
export function attachIdentifiers<C extends OneIdCustomer>(c: C, attach: readonly Identifier[], now: number): C {
  const identifiers = dedupeIdentifiers([...c.identifiers, ...attach]);
  if (identifiers.length === c.identifiers.length) return c;
  return { ...c, identifiers, identities: identitiesSummary(identifiers, c.identities), updatedAt: now };
}

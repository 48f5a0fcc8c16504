/**
 * The identity index: which customer of a store holds an identifier. Every document is
 * scoped to one store (`${storeId}/${type}:${value}`), so OneID resolves among the caller's
 * store's customers only and the same person can be a lead at two stores, each with its own
 * record. A mini-program user is recognised only by identifiers the platform vouched for.
 */
import { Collections, type IdentityDoc, type IdentitySource, type IdentityType } from '../../../types/model';
import { allOf, byIds, db } from '../cloud';

/** The document id of an identifier key (`identifierKey`, e.g. `phone:138…`) in a store. */
export const identityDocId = (storeId: string, key: string) => `${storeId}/${key}`;
/** The identifier key of a plain, unscoped identifier. */
export const identityKey = (type: IdentityType, value: string) => `${type}:${value}`;

export const identityRepo = {
  /** The store's customer holding this identifier, if any. */
  async customerIdOf(storeId: string, type: IdentityType, value: string): Promise<string | undefined> {
    return (await byIds<IdentityDoc>(Collections.identities, [identityDocId(storeId, identityKey(type, value))]))[0]?.customerId;
  },

  /** identifier key -> customer id in one store, for the keys that are known there. */
  async owners(storeId: string, keys: readonly string[]): Promise<Record<string, string>> {
    const found = await byIds<IdentityDoc>(Collections.identities, keys.map((k) => identityDocId(storeId, k)));
    const prefix = identityDocId(storeId, '');
    return Object.fromEntries(found.map((d) => [d._id.slice(prefix.length), d.customerId]));
  },

  /** The identity documents of these customers (a crashed create is completed from them). */
  ofCustomers: (customerIds: readonly string[]) => allOf<IdentityDoc>(Collections.identities, { customerId: db.command.in([...customerIds]) }),

  /**
   * Every identity document of the named customers that were never written ("unborn": a create
   * that crashed after its claims). `planBatch` makes an unborn customer again from the
   * identifiers it is told of, and a crashed create claimed them all, so a batch that names it
   * by one of them must bring the others too. One read, and only after a crash.
   */
  async unbornClaims(named: Iterable<string>, loaded: (customerId: string) => boolean): Promise<IdentityDoc[]> {
    const unborn = [...new Set(named)].filter((id) => !loaded(id));
    return unborn.length ? identityRepo.ofCustomers(unborn) : [];
  },

  /**
   * Every store's customer record the platform vouched this identifier for (a mini-program
   * user signing in by OPENID). Identifiers staff typed into an event never match.
   */
  platformOwners: (type: IdentityType, value: string) => allOf<IdentityDoc>(Collections.identities, { value, type, source: 'platform' satisfies IdentitySource }),

  /** The documents as they are inserted: claims of identifiers for customers of a store. */
  doc(storeId: string, key: string, id: { type: IdentityType; value: string }, customerId: string, source: IdentitySource): IdentityDoc {
    return { _id: identityDocId(storeId, key), storeId, type: id.type, value: id.value, customerId, source };
  },
};

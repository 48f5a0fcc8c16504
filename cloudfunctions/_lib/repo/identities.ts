import { Collections, type IdentityDoc, type IdentityType } from '../../../types/model';
import { addOnce, byIds, db, firstRow } from '../cloud';

const identities = () => db.collection(Collections.identities);

export const identityKey = (type: IdentityType, value: string) => `${type}:${value}`;

export const identityRepo = {
  async customerIdOf(type: IdentityType, value: string): Promise<string | undefined> {
    return (await firstRow<IdentityDoc>(identities().where({ _id: identityKey(type, value) })))?.customerId;
  },
};

/** Identity documents for OneID: `identifierKey` of an unscoped identifier is the same `type:value`. */
export const identityIndex = {
  /** identifier key -> customer id, for the keys that are known. */
  async owners(keys: string[]): Promise<Record<string, string>> {
    const found = await byIds<IdentityDoc>(Collections.identities, keys);
    return Object.fromEntries(found.map((d) => [d._id, d.customerId]));
  },

  /** Links an identifier to a customer; false when another record linked it first. */
  async link(doc: IdentityDoc): Promise<boolean> {
    return addOnce(Collections.identities, doc);
  },
};

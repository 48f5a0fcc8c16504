import { Collections, type IdentityDoc, type IdentityType } from '../../../types/model';
import { addOnce, chunked, db, _, firstRow, READ_CHUNK, rows } from '../cloud';

const identities = () => db.collection(Collections.identities);

export const identityKey = (type: IdentityType, value: string) => `${type}:${value}`;

export const identityRepo = {
  async customerIdOf(type: IdentityType, value: string): Promise<string | undefined> {
    return (await firstRow<IdentityDoc>(identities().where({ _id: identityKey(type, value) })))?.customerId;
  },
};

/** Identity documents for OneID: `identifierKey` of an unscoped identifier is the same `type:value`. */
export const identityIndex = {
  /**
   * identifier key -> customer id, for the keys that are known: one `in` read per
   * READ_CHUNK keys (a whole customer group's members in a few reads), run together.
   */
  async owners(keys: string[]): Promise<Record<string, string>> {
    const chunks = chunked([...new Set(keys)], READ_CHUNK);
    const found = await Promise.all(chunks.map((chunk) => rows<IdentityDoc>(identities().where({ _id: _.in(chunk) }).limit(chunk.length))));
    return Object.fromEntries(found.flat().map((d) => [d._id, d.customerId]));
  },

  /** Links an identifier to a customer; false when another record linked it first. */
  async link(doc: IdentityDoc): Promise<boolean> {
    return addOnce(Collections.identities, doc);
  },
};

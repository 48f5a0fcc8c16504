import { Collections, type IdentityDoc, type IdentityType } from '../../../types/model';
import { db, firstRow } from '../cloud';

const identities = () => db.collection(Collections.identities);

export const identityKey = (type: IdentityType, value: string) => `${type}:${value}`;

export const identityRepo = {
  async customerIdOf(type: IdentityType, value: string): Promise<string | undefined> {
    return (await firstRow<IdentityDoc>(identities().where({ _id: identityKey(type, value) })))?.customerId;
  },
};

/**
 * The demo customers the local sign-in offers: the seed gives them mini-program openids with a
 * recognisable prefix. Used only by the emulator-only demo sign-in.
 */
import { Collections, type CustomerDoc, type IdentityDoc } from '../../../types/model';
import { db, _, rows } from '../cloud';

export const DEMO_OPENID_PREFIX = 'o-demo-';

export async function demoCustomers(): Promise<Pick<CustomerDoc, '_id' | 'name' | 'storeId'>[]> {
  const ids = await rows<IdentityDoc>(
    db.collection(Collections.identities).where({ _id: db.RegExp({ regexp: `^openid:${DEMO_OPENID_PREFIX}` }) }).limit(100),
  );
  if (!ids.length) return [];
  return rows<Pick<CustomerDoc, '_id' | 'name' | 'storeId'>>(
    db
      .collection(Collections.customers)
      .where({ _id: _.in(ids.map((i) => i.customerId)) })
      .field({ _id: true, name: true, storeId: true })
      .limit(100),
  );
}

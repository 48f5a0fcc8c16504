/**
 * The demo customers the local sign-in offers. The local stack names them by their mini-program
 * openids in SIDEKICK_DEMO_OPENIDS; used only by the emulator-only demo sign-in.
 */
import { Collections, type CustomerDoc, type IdentityDoc } from '../../../types/model';
import { db, _, rows } from '../cloud';
import { identityKey } from './identities';

export async function demoCustomers(): Promise<Pick<CustomerDoc, '_id' | 'name' | 'storeId'>[]> {
  const openids = (process.env.SIDEKICK_DEMO_OPENIDS ?? '').split(',').filter(Boolean);
  if (!openids.length) return [];
  const ids = await rows<IdentityDoc>(
    db.collection(Collections.identities).where({ _id: _.in(openids.map((o) => identityKey('openid', o))) }).limit(100),
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

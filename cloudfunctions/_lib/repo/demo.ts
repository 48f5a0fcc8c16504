/**
 * The demo customers the local sign-in offers. The local stack names them by their mini-program
 * openids in SIDEKICK_DEMO_OPENIDS; used only by the emulator-only demo sign-in.
 */
import { Collections, type CustomerDoc, type IdentityDoc } from '../../../types/model';
import { allOf, byIds, db } from '../cloud';

export async function demoCustomers(): Promise<Pick<CustomerDoc, '_id' | 'name' | 'storeId' | 'ownerId'>[]> {
  const openids = (process.env.SIDEKICK_DEMO_OPENIDS ?? '').split(',').filter(Boolean);
  if (!openids.length) return [];
  const ids = await allOf<IdentityDoc>(Collections.identities, { type: 'openid', value: db.command.in(openids), source: 'platform' });
  return byIds<Pick<CustomerDoc, '_id' | 'name' | 'storeId' | 'ownerId'>>(Collections.customers, ids.map((i) => i.customerId), ['name', 'storeId', 'ownerId']);
}

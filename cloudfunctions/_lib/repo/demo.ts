/**
 * The demo customers the local sign-in offers. The local stack names them by their mini-program
 * openids in SIDEKICK_DEMO_OPENIDS; used only by the emulator-only demo sign-in.
 */
import { Collections, type CustomerDoc, type IdentityDoc } from '../../../types/model';
import { byIds } from '../cloud';
import { identityKey } from './identities';

export async function demoCustomers(): Promise<Pick<CustomerDoc, '_id' | 'name' | 'storeId'>[]> {
  const openids = (process.env.SIDEKICK_DEMO_OPENIDS ?? '').split(',').filter(Boolean);
  if (!openids.length) return [];
  const ids = await byIds<IdentityDoc>(Collections.identities, openids.map((o) => identityKey('openid', o)));
  return byIds<Pick<CustomerDoc, '_id' | 'name' | 'storeId'>>(Collections.customers, ids.map((i) => i.customerId), ['name', 'storeId']);
}

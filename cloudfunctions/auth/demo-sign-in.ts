/**
 * The local demo's sign-in: pick anyone of the demo dealership. Bundled only into the
 * emulator's build; the deploy build never references this module, so esbuild leaves it out
 * (test/functions/auth.test.ts checks the deploy bundle). Keep it free of top-level side effects.
 */
import type { DemoStore, SessionGrant } from '../../types/api';
import { ROLE_LABELS } from '../../types/vocabulary';
import { ApiError } from '../_lib/errors';
import { staffRepo, storeRepo } from '../_lib/repo/staff';
import { demoCustomers } from '../_lib/repo/demo';
import { customerMe, grant, staffGrant } from './grants';

const TITLES = ROLE_LABELS;

/**
 * The demo's stores and people, the lively part first: the store of the demo customers leads,
 * and in it the consultant who owns them comes before the manager and the other consultants,
 * so a newcomer sees 张伟 without scrolling.
 */
export async function demoPeople(): Promise<DemoStore[]> {
  const [stores, staff, customers] = await Promise.all([storeRepo.all(), staffRepo.all(), demoCustomers()]);
  const demoStores = new Set(customers.map((c) => c.storeId));
  const owners = new Set(customers.map((c) => c.ownerId).filter((id): id is string => !!id));
  const rank = (p: { id: string; role: keyof typeof TITLES }) => (owners.has(p.id) ? 0 : { manager: 1, consultant: 2, customer: 3 }[p.role]);
  return stores
    .sort((a, b) => Number(demoStores.has(b._id)) - Number(demoStores.has(a._id)) || a._id.localeCompare(b._id))
    .map((st): DemoStore => ({
      id: st._id,
      name: st.name,
      people: [
        ...staff.filter((s) => s.storeId === st._id && s.active).map((s) => ({ id: s._id, name: s.name, role: s.role, title: TITLES[s.role] })),
        ...customers.filter((c) => c.storeId === st._id).map((c) => ({ id: c._id, name: c.name, role: 'customer' as const, title: TITLES.customer })),
      ].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id)),
    }));
}

export async function demoSignIn(personId: string, now: number): Promise<SessionGrant> {
  const staff = await staffRepo.get(personId);
  if (staff?.active) return staffGrant(staff, now);
  const customer = (await demoCustomers()).find((c) => c._id === personId);
  const me = customer ? await customerMe(customer._id) : undefined;
  if (!me) throw new ApiError('NOT_FOUND', `personId: no demo person ${personId}`, [{ field: 'personId', message: 'no such demo person' }]);
  return grant(me, 0, now);
}

/** Who a signed-in person is, and the session handed to them. */
import type { Me, SessionGrant } from '../../types/api';
import type { StaffDoc } from '../../types/model';
import { issueToken, SESSION_TTL_MS } from '../_lib/session';
import { storeRepo } from '../_lib/repo/staff';
import { customerRepo } from '../_lib/repo/customers';

export async function staffMe(s: StaffDoc): Promise<Me> {
  const store = await storeRepo.get(s.storeId);
  return { id: s._id, name: s.name, role: s.role, storeId: s.storeId, ...(store ? { storeName: store.name } : {}) };
}

export async function customerMe(customerId: string): Promise<Me | undefined> {
  const c = await customerRepo.getFields(customerId, ['_id', 'name', 'storeId']);
  return c ? { id: c._id, name: c.name, role: 'customer', storeId: c.storeId } : undefined;
}

/** A session for `me`, bound to the staff member's current session version (customers: 0). */
export function grant(me: Me, sessionVersion: number, now: number): SessionGrant {
  const expiresAt = now + SESSION_TTL_MS;
  const token = issueToken({ sub: me.id, role: me.role, ...(me.storeId ? { storeId: me.storeId } : {}), exp: expiresAt, ver: sessionVersion });
  return { token, expiresAt, me };
}

export async function staffGrant(s: StaffDoc, now: number): Promise<SessionGrant> {
  return grant(await staffMe(s), s.sessionVersion ?? 0, now);
}

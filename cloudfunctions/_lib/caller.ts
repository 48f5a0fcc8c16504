/**
 * Who is calling. The H5 sidebar presents a session token (issued after WeCom OAuth, or by the
 * emulator-only demo sign-in); the mini-program is vouched for by the platform's OPENID.
 * Every read and write is then scoped by the resolved role, store and ownership.
 */
import { ApiError } from './errors';
import { verifyToken, type SessionClaims } from './session';
import type { WxIdentity } from './cloud';
import { staffRepo } from './repo/staff';
import { identityRepo } from './repo/identities';
import { customerRepo } from './repo/customers';

export type Caller =
  | { role: 'consultant' | 'manager'; staffId: string; storeId: string; name: string }
  | { role: 'customer'; customerId: string; storeId: string }
  | { role: 'anonymous'; openid?: string };

export type StaffCaller = Extract<Caller, { role: 'consultant' | 'manager' }>;

/** The staff member behind a session: still active, and not signed out everywhere since it was issued. */
async function staffCaller(claims: SessionClaims): Promise<StaffCaller> {
  const s = await staffRepo.get(claims.sub);
  if (!s || !s.active) throw new ApiError('UNAUTHENTICATED', 'the account behind this session no longer exists');
  if ((s.sessionVersion ?? 0) !== claims.ver) throw new ApiError('UNAUTHENTICATED', 'this session was signed out; sign in again');
  return { role: s.role, staffId: s._id, storeId: s.storeId, name: s.name };
}

async function customerCaller(customerId: string): Promise<Caller | undefined> {
  const c = await customerRepo.getFields(customerId, ['storeId']);
  return c ? { role: 'customer', customerId, storeId: c.storeId } : undefined;
}

export async function resolveCaller(input: { token?: string; wx: WxIdentity; now: number }): Promise<Caller> {
  if (input.token) {
    const claims = verifyToken(input.token, input.now);
    if (claims.role !== 'customer') return staffCaller(claims);
    const caller = await customerCaller(claims.sub);
    if (!caller) throw new ApiError('UNAUTHENTICATED', 'the account behind this session no longer exists');
    return caller;
  }
  const openid = input.wx.openid;
  if (!openid) return { role: 'anonymous' };
  const [staff, vouched] = await Promise.all([staffRepo.byOpenid(openid), identityRepo.platformOwners('openid', openid)]);
  if (staff?.active) return { role: staff.role, staffId: staff._id, storeId: staff.storeId, name: staff.name };
  // Only an OPENID the platform vouched for makes a customer; staff-typed identifiers never do.
  // A person may be a customer of several stores: the record they were last seen with answers.
  const records = await customerRepo.getMany(vouched.map((d) => d.customerId));
  const live = records.filter((c) => !(c as { mergedInto?: string }).mergedInto).sort((a, b) => b.updatedAt - a.updatedAt || (a._id < b._id ? -1 : 1));
  return live[0] ? { role: 'customer', customerId: live[0]._id, storeId: live[0].storeId } : { role: 'anonymous', openid };
}

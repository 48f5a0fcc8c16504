/**
 * Row-level scope: a consultant sees the customers they own, a manager the customers of their
 * store. Out-of-scope customers are reported as not found, so ids cannot be probed.
 *
 * A customer merged away by OneID stays as a tombstone pointing at its survivor
 * (`mergedInto`); a stale reference to it (an old link, a chat bound before the merge) is
 * answered with the survivor, and scope is checked on the survivor.
 */
import type { CustomerDoc } from '../../types/model';
import type { OneIdFields } from '../_core/oneid';
import type { StaffCaller } from './caller';
import { ApiError } from './errors';
import { customerRepo } from './repo/customers';

type Scoped = Pick<CustomerDoc, '_id' | 'storeId' | 'ownerId'> & Partial<Pick<OneIdFields, 'mergedInto' | 'mergedIds'>>;

export function canSee(caller: StaffCaller, c: Pick<CustomerDoc, 'storeId' | 'ownerId'>): boolean {
  if (c.storeId !== caller.storeId) return false;
  return caller.role === 'manager' || c.ownerId === caller.staffId;
}

/**
 * The one answer for a customer the caller may not see, whether it exists elsewhere or not at
 * all: same code, same words, no ids, so nothing can be learned by probing.
 */
export const noSuchCustomer = (field = 'customerId') => new ApiError('NOT_FOUND', `${field}: no such customer`, [{ field, message: 'no such customer' }]);

/**
 * The live customer behind `customerId` (the survivor when it was merged away), with the scope
 * fields plus `fields`; `fields` undefined reads the whole document.
 */
async function liveInScope<T extends Scoped>(caller: StaffCaller, customerId: string, fields?: readonly string[], field = 'customerId'): Promise<T> {
  const c = await customerRepo.live<T>(customerId, fields && ['storeId', 'ownerId', 'mergedIds', ...fields]);
  if (!c || !canSee(caller, c)) throw noSuchCustomer(field);
  return c;
}

/** The whole live customer document, for the profile; a refusal names `field`. */
export function customerInScope(caller: StaffCaller, customerId: string, field = 'customerId'): Promise<CustomerDoc & Partial<OneIdFields>> {
  return liveInScope<CustomerDoc & Partial<OneIdFields>>(caller, customerId, undefined, field);
}

/**
 * The scope check alone, reading only the fields it needs: returns the live customer's id and
 * the ids of the customers merged into it (whose events and follow-ups are its history too).
 */
export async function assertInScope(caller: StaffCaller, customerId: string, field = 'customerId'): Promise<{ id: string; historyIds: string[] }> {
  const c = await liveInScope<Scoped>(caller, customerId, [], field);
  return { id: c._id, historyIds: [c._id, ...(c.mergedIds ?? [])] };
}

/** The change-check fields of the live customer (one projected read when nothing was merged). */
export async function pulseInScope(caller: StaffCaller, customerId: string): Promise<Pick<CustomerDoc, 'updatedAt' | 'lastActivityAt'>> {
  const c = await liveInScope<Scoped & Pick<CustomerDoc, 'updatedAt' | 'lastActivityAt'>>(caller, customerId, ['updatedAt', 'lastActivityAt']);
  return { updatedAt: c.updatedAt, lastActivityAt: c.lastActivityAt };
}

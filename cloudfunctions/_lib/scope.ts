/**
 * Row-level scope: a consultant sees the customers they own, a manager the customers of their
 * store. Out-of-scope customers are reported as not found, so ids cannot be probed.
 */
import type { CustomerDoc } from '../../types/model';
import type { StaffCaller } from './caller';
import { ApiError } from './errors';
import { customerRepo } from './repo/customers';

export function canSee(caller: StaffCaller, c: Pick<CustomerDoc, 'storeId' | 'ownerId'>): boolean {
  if (c.storeId !== caller.storeId) return false;
  return caller.role === 'manager' || c.ownerId === caller.staffId;
}

export async function customerInScope(caller: StaffCaller, customerId: string): Promise<CustomerDoc> {
  const c = await customerRepo.get(customerId);
  if (!c || !canSee(caller, c)) throw new ApiError('NOT_FOUND', `customerId: no customer ${customerId} in your scope`);
  return c;
}

/** The scope check alone, reading only the two fields it needs (timelines and lookups by id). */
export async function assertInScope(caller: StaffCaller, customerId: string): Promise<void> {
  const c = await customerRepo.getFields(customerId, ['storeId', 'ownerId']);
  if (!c || !canSee(caller, c)) throw new ApiError('NOT_FOUND', `customerId: no customer ${customerId} in your scope`);
}

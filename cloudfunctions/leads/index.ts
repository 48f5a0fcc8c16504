/**
 * leads: a consultant's own leads or a manager's store, latest activity first; the store's pool
 * (公海) and claiming from it.
 */
import type { ClaimResult } from '../../types/api';
import { action, defineFunction } from '../_lib/entry';
import { ApiError } from '../_lib/errors';
import { customerRepo, parseCursor, type LeadRow } from '../_lib/repo/customers';
import { staffRepo } from '../_lib/repo/staff';
import { loadLookups } from '../_lib/lookups';
import { pageOf } from '../_core/cursor';
import { toLeadSummary, type Lookups } from '../_core/views';
import { claimDecision, consultantLoad, DEFAULT_POLICY } from '../_core/allocation';
import { chinaDayStart } from '../_core/events/day-buckets';

function leadsPage(rows: LeadRow[], limit: number, lookups: Lookups, withOwner: boolean) {
  const page = pageOf(rows, limit, (r) => ({ value: r.lastActivityAt, id: r._id }));
  return {
    items: page.items.map((r) => toLeadSummary(r, lookups, withOwner)),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

export const main = defineFunction('leads', {
  list: action(['consultant', 'manager'], async ({ cursor, limit, ownerId }, { caller, now }) => {
    if (caller.role === 'consultant' && ownerId && ownerId !== caller.staffId) {
      throw new ApiError('FORBIDDEN', 'ownerId: consultants see only their own leads');
    }
    const scope =
      caller.role === 'consultant'
        ? { storeId: caller.storeId, ownerId: caller.staffId }
        : { storeId: caller.storeId, ...(ownerId ? { ownerId } : {}) };
    const [rows, lookups] = await Promise.all([customerRepo.leadsPage(scope, parseCursor(cursor), limit), loadLookups(now)]);
    return leadsPage(rows, limit, lookups, caller.role === 'manager');
  }),

  pool: action(['consultant', 'manager'], async ({ cursor, limit }, { caller, now }) => {
    const [rows, lookups] = await Promise.all([
      customerRepo.leadsPage({ storeId: caller.storeId, ownerId: 'pool' }, parseCursor(cursor), limit),
      loadLookups(now),
    ]);
    return leadsPage(rows, limit, lookups, false);
  }),

  claim: action(['consultant'], async ({ customerId }, { caller, now }): Promise<ClaimResult> => {
    const lead = await customerRepo.get(customerId);
    if (!lead || lead.storeId !== caller.storeId) throw new ApiError('NOT_FOUND', `customerId: no customer ${customerId} in your store`);
    const [staff, activeLeads, receivedToday] = await Promise.all([
      staffRepo.get(caller.staffId),
      customerRepo.countOwned(caller.staffId),
      customerRepo.countOwned(caller.staffId, chinaDayStart(now)),
    ]);
    if (!staff) throw new ApiError('UNAUTHENTICATED', 'the account behind this session no longer exists');
    const load = consultantLoad(staff, activeLeads, receivedToday);
    let decision = claimDecision(lead, load, DEFAULT_POLICY, now);
    if (decision.ok && !decision.alreadyYours && !(await customerRepo.takeFromPool(customerId, caller.staffId, now))) {
      // Someone else's claim landed first: ask again with the lead as it is now.
      const current = await customerRepo.get(customerId);
      decision = claimDecision(current ?? lead, load, DEFAULT_POLICY, now);
    }
    if (!decision.ok) return { claimed: false, code: decision.code, message: decision.message };
    return { claimed: true, lead: toLeadSummary({ ...lead, ownerId: caller.staffId }, await loadLookups(now), false) };
  }),
});

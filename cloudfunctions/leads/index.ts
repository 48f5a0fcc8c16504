/** leads: a consultant's own leads, or a manager's store, latest activity first. */
import { action, defineFunction } from '../_lib/entry';
import { ApiError } from '../_lib/errors';
import { customerRepo, parseCursor } from '../_lib/repo/customers';
import { loadLookups } from '../_lib/lookups';
import { pageOf } from '../_core/cursor';
import { toLeadSummary } from '../_core/views';

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
    const page = pageOf(rows, limit, (r) => ({ value: r.lastActivityAt, id: r._id }));
    return {
      items: page.items.map((r) => toLeadSummary(r, lookups, caller.role === 'manager')),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }),
});

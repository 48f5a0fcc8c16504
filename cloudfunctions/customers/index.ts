/** customers: the live profile, its timeline, and the customer of the current WeCom chat. */
import { action, defineFunction } from '../_lib/entry';
import { ApiError } from '../_lib/errors';
import { assertInScope, customerInScope } from '../_lib/scope';
import { parseCursor } from '../_lib/repo/customers';
import { eventRepo } from '../_lib/repo/events';
import { identityRepo } from '../_lib/repo/identities';
import { loadLookups } from '../_lib/lookups';
import { pageOf } from '../_core/cursor';
import { toProfile, toTimelineItem } from '../_core/views';

export const main = defineFunction('customers', {
  profile: action(['consultant', 'manager'], async ({ customerId }, { caller, now }) => {
    const [c, lookups] = await Promise.all([customerInScope(caller, customerId), loadLookups(now)]);
    return toProfile(c, lookups, { viewerOwns: caller.role === 'consultant' && c.ownerId === caller.staffId, now });
  }),

  timeline: action(['consultant', 'manager'], async ({ customerId, cursor, limit, types }, { caller, now }) => {
    const after = parseCursor(cursor);
    await assertInScope(caller, customerId);
    const [rows, lookups] = await Promise.all([eventRepo.timelinePage(customerId, types, after, limit), loadLookups(now)]);
    const page = pageOf(rows, limit, (e) => ({ value: e.timestamp, id: e._id }));
    return { items: page.items.map((e) => toTimelineItem(e, lookups)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }),

  byExternalUserId: action(['consultant', 'manager'], async ({ externalUserId }, { caller }) => {
    const customerId = await identityRepo.customerIdOf('externalUserId', externalUserId);
    if (!customerId) throw new ApiError('NOT_FOUND', `externalUserId: no customer with WeCom contact ${externalUserId}`);
    await assertInScope(caller, customerId);
    return { customerId };
  }),
});

/**
 * The live profile, its timeline, the change check the sidebar polls, and the chat's customer.
 * A reference to a customer merged away by OneID is answered with its survivor, whose
 * timeline also holds the history of every customer merged into it.
 */
import type { ActionTable } from '../_lib/entry';
import { action } from '../_lib/entry';
import { assertInScope, customerInScope, noSuchCustomer, pulseInScope } from '../_lib/scope';
import { parseCursor } from '../_lib/repo/customers';
import { eventRepo } from '../_lib/repo/events';
import { identityRepo } from '../_lib/repo/identities';
import { loadLookups } from '../_lib/lookups';
import { pageOf } from '../_core/cursor';
import { toProfile, toTimelineItem, type ProfileSource } from '../_core/views';

export const profileActions: Pick<ActionTable<'customers'>, 'profile' | 'timeline' | 'byExternalUserId' | 'pulse'> = {
  profile: action(['consultant', 'manager'], async ({ customerId }, { caller, now }) => {
    const [c, lookups] = await Promise.all([customerInScope(caller, customerId), loadLookups(now)]);
    return toProfile(c as ProfileSource, lookups, { viewerOwns: caller.role === 'consultant' && c.ownerId === caller.staffId, now });
  }),

  timeline: action(['consultant', 'manager'], async ({ customerId, cursor, limit, types }, { caller, now }) => {
    const after = parseCursor(cursor);
    const { historyIds } = await assertInScope(caller, customerId);
    const [rows, lookups] = await Promise.all([eventRepo.timelinePage(historyIds, types, after, limit), loadLookups(now)]);
    const page = pageOf(rows, limit, (e) => ({ value: e.timestamp, id: e._id }));
    return { items: page.items.map((e) => toTimelineItem(e, lookups)), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }),

  byExternalUserId: action(['consultant', 'manager'], async ({ externalUserId }, { caller }) => {
    // Looked up in the caller's store only; another store's contact reads exactly like an unknown one.
    const customerId = await identityRepo.customerIdOf(caller.storeId, 'externalUserId', externalUserId);
    if (!customerId) throw noSuchCustomer('externalUserId');
    const { id } = await assertInScope(caller, customerId, 'externalUserId');
    return { customerId: id };
  }),

  /** Polled every few seconds by the sidebar: two fields of one document, nothing else. */
  pulse: action(['consultant', 'manager'], ({ customerId }, { caller }) => pulseInScope(caller, customerId)),
};

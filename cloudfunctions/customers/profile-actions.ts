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
import { viewPage } from '../_core/cursor';
import { toProfile, toTimelineItem, type Lookups, type ProfileSource } from '../_core/views';
import { syncFreshness } from '../_core/oem/freshness';
import { outboxRepo } from '../_lib/repo/oem-outbox';
import { followUpRepo } from '../_lib/repo/follow-ups';
import type { StaffCaller } from '../_lib/caller';
import type { CustomerDoc, EventDoc, OutboxDoc } from '../../types/model';
import { followUpsPage } from './follow-up-actions';

/** Outbox entries the profile's sync line looks at (it says "20+" no better than "20"). */
const FRESHNESS_ENTRIES = 20;

/** The customer's newest outbox entries, read beside the customer (no OEM link: none). */
const newestEntries = (customerId: string) => (process.env.SIDEKICK_OEM_API_BASE ? outboxRepo.newestOf([customerId], FRESHNESS_ENTRIES) : Promise.resolve([]));

/** The profile of a live customer in the caller's scope, with the sync line from their newest outbox entries. */
const profileOf = (c: CustomerDoc, caller: StaffCaller, lookups: Lookups, entries: OutboxDoc[], now: number) =>
  toProfile(c as ProfileSource, lookups, { viewerOwns: caller.role === 'consultant' && c.ownerId === caller.staffId, now, sync: syncFreshness(c, entries) });

/** A page of the timeline, newest first (`timeline` and the first screen). */
const timelinePage = (rows: EventDoc[], limit: number, lookups: Lookups) =>
  viewPage(rows, limit, (e) => ({ value: e.timestamp, id: e._id }), (e) => toTimelineItem(e, lookups));

export const profileActions: Pick<ActionTable<'customers'>, 'profile' | 'timeline' | 'byExternalUserId' | 'firstScreen' | 'pulse'> = {
  profile: action(['consultant', 'manager'], async ({ customerId }, { caller, now }) => {
    // Read beside the scope check; an entry of another store's customer is never shown, the scope check fails first.
    const [c, lookups, entries] = await Promise.all([customerInScope(caller, customerId), loadLookups(now), newestEntries(customerId)]);
    // A reference to a merged-away customer: the survivor's entries.
    const own = c._id === customerId ? entries : await newestEntries(c._id);
    return profileOf(c, caller, lookups, own, now);
  }),

  timeline: action(['consultant', 'manager'], async ({ customerId, cursor, limit, types }, { caller, now }) => {
    const after = parseCursor(cursor);
    const { historyIds } = await assertInScope(caller, customerId);
    const [rows, lookups] = await Promise.all([eventRepo.timelinePage(historyIds, types, after, limit), loadLookups(now)]);
    return timelinePage(rows, limit, lookups);
  }),

  byExternalUserId: action(['consultant', 'manager'], async ({ externalUserId }, { caller }) => {
    // Looked up in the caller's store only; another store's contact reads exactly like an unknown one.
    const customerId = await identityRepo.customerIdOf(caller.storeId, 'externalUserId', externalUserId);
    if (!customerId) throw noSuchCustomer('externalUserId');
    const { id } = await assertInScope(caller, customerId, 'externalUserId');
    return { customerId: id };
  }),

  /**
   * What the sidebar shows first, in one call instead of four: the customer named by id or by the
   * chat's WeCom contact (resolved in the caller's store, as byExternalUserId does), their profile,
   * the newest timeline page and the newest follow-ups. Named by id, every read goes out beside
   * the scope check (one round trip of latency); a merged-away id or a contact costs one more.
   * Nothing read is returned unless the scope check passed.
   */
  firstScreen: action(['consultant', 'manager'], async ({ customerId: named, externalUserId, timelineLimit, followUpsLimit }, { caller, now }) => {
    const field = named !== undefined ? 'customerId' : 'externalUserId';
    const id = named ?? (await identityRepo.customerIdOf(caller.storeId, 'externalUserId', externalUserId ?? ''));
    if (!id) throw noSuchCustomer(field);
    const readHistory = (ids: string[]) =>
      Promise.all([eventRepo.timelinePage(ids, undefined, undefined, timelineLimit), followUpRepo.page(ids, undefined, followUpsLimit), newestEntries(ids[0])] as const);
    const [c, lookups, guessed] = await Promise.all([customerInScope(caller, id, field), loadLookups(now), readHistory([id])]);
    const historyIds = [c._id, ...(c.mergedIds ?? [])];
    // Read for the id as named; the live customer's history differs when it was merged away or absorbed others.
    const [rows, list, entries] = c._id === id && historyIds.length === 1 ? guessed : await readHistory(historyIds);
    return {
      customerId: c._id,
      profile: profileOf(c, caller, lookups, entries, now),
      timeline: timelinePage(rows, timelineLimit, lookups),
      followUps: followUpsPage(list, followUpsLimit, lookups),
    };
  }),

  /** Polled every few seconds by the sidebar: two fields of one document, nothing else. */
  pulse: action(['consultant', 'manager'], ({ customerId }, { caller }) => pulseInScope(caller, customerId)),
};

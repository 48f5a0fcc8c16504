/**
 * The upstream outbox (`oemOutbox`, `_id` = the idempotency key the OEM dedups by). Entries are
 * written by the pipeline's transaction that applies their event (or by the consent change),
 * drained by the `oemSync` timer in each customer's order, and replayed by managers.
 */
import { Collections, type OutboxDoc, type OutboxStatus, type SyncError } from '../../../types/model';
import type { Cursor } from '../../_core/cursor';
import type { OutboxState } from '../../_core/oem/outbox';
import { byIds, db, _, olderThan, pagesOf, rows, updateByIds } from '../cloud';

const oemOutbox = () => db.collection(Collections.oemOutbox);

const count = async (where: object): Promise<number> => ((await oemOutbox().where(where).count()) as { total: number }).total;

export const outboxRepo = {
  /** Customers with entries due now, oldest due first (each customer's whole queue is read next). */
  async dueCustomers(now: number, limit: number): Promise<string[]> {
    const due = await rows<Pick<OutboxDoc, '_id' | 'customerId'>>(
      oemOutbox().where({ status: 'pending', nextAt: _.lte(now) }).field({ _id: true, customerId: true }).orderBy('nextAt', 'asc').limit(limit),
    );
    return [...new Set(due.map((d) => d.customerId))];
  },

  /**
   * Every unsent entry (pending or dead) of these customers, in one query paged by 1000 rows.
   * Splitting the customers into small groups (tried: 50 per query, in parallel) cost each group
   * its own reads plus the extra read that proves a page was the last: upload round trips per
   * entry rose from 0.021 to 0.052 in `bench/oem.ts`.
   */
  async unsentOf(customerIds: readonly string[]): Promise<OutboxDoc[]> {
    if (!customerIds.length) return [];
    const out: OutboxDoc[] = [];
    for await (const page of pagesOf<OutboxDoc>(Collections.oemOutbox, { customerId: _.in([...customerIds]), status: _.in(['pending', 'dead']) })) out.push(...page);
    return out;
  },

  markSent: (ids: readonly string[], now: number) => updateByIds(Collections.oemOutbox, ids, { status: 'sent', sentAt: now, lastError: _.remove() }, { status: 'pending' }),

  /** Entries failed together with the same attempt count get the same next state. */
  markFailed: (ids: readonly string[], next: OutboxState) =>
    updateByIds(Collections.oemOutbox, ids, { status: next.status, attempts: next.attempts, nextAt: next.nextAt, ...(next.lastError ? { lastError: _.set(next.lastError) } : {}) }, { status: 'pending' }),

  markDead: (ids: readonly string[], error: SyncError, attempts: number) => updateByIds(Collections.oemOutbox, ids, { status: 'dead', attempts, lastError: _.set(error) }, { status: 'pending' }),

  /** Entries that must wait for an earlier one of their customer (see `holdBack`). */
  hold: (ids: readonly string[], nextAt: number) => updateByIds(Collections.oemOutbox, ids, { nextAt }, { status: 'pending' }),

  /** After a replay: the customers' waiting entries are due again too. */
  async release(customerIds: readonly string[], now: number): Promise<void> {
    if (!customerIds.length) return;
    await oemOutbox().where({ customerId: _.in([...customerIds]), status: 'pending', nextAt: _.gt(now) }).update({ data: { nextAt: now } });
  },

  /** Entries whose customer no longer consents to sharing: never sent (a consent change itself still goes). */
  withhold: (ids: readonly string[]) => updateByIds(Collections.oemOutbox, ids, { status: 'withheld' }, { kind: 'event', status: _.in(['pending', 'dead']) }),

  /** Stops every unsent event of these customers at once (consent to sharing withdrawn). */
  async withholdCustomers(customerIds: readonly string[]): Promise<void> {
    if (!customerIds.length) return;
    await oemOutbox().where({ customerId: _.in([...customerIds]), kind: 'event', status: _.in(['pending', 'dead']) }).update({ data: { status: 'withheld' } });
  },

  /** Dead letters back in the queue, due now, with a fresh count of attempts. */
  replay: (ids: readonly string[], storeId: string, now: number) =>
    updateByIds(Collections.oemOutbox, ids, { status: 'pending', attempts: 0, nextAt: now, lastError: _.remove() }, { storeId, status: 'dead' }),

  /** The customers these entries are of. */
  async customersOf(ids: readonly string[]): Promise<string[]> {
    return [...new Set((await byIds<Pick<OutboxDoc, '_id' | 'customerId'>>(Collections.oemOutbox, ids, ['customerId'])).map((e) => e.customerId))];
  },

  async deadIdsOf(storeId: string): Promise<string[]> {
    const out: string[] = [];
    for await (const page of pagesOf<Pick<OutboxDoc, '_id'>>(Collections.oemOutbox, { storeId, status: 'dead' }, { fields: [] })) out.push(...page.map((d) => d._id));
    return out;
  },

  /** A customer's newest entries (the profile's freshness). */
  newestOf: (customerIds: readonly string[], limit: number) =>
    rows<OutboxDoc>(oemOutbox().where({ customerId: _.in([...customerIds]) }).orderBy('seq', 'desc').limit(limit)),

  countOf: (storeId: string, status: OutboxStatus) => count({ storeId, status }),
  /** Waiting entries that failed at least once. */
  countRetrying: (storeId: string) => count({ storeId, status: 'pending', attempts: _.gt(0) }),
  countSentSince: (storeId: string, since: number) => count({ storeId, status: 'sent', sentAt: _.gte(since) }),

  /** A page (`limit + 1` rows) of the store's dead letters, newest first. */
  deadPage: (storeId: string, cursor: Cursor | undefined, limit: number) => {
    const where = { storeId, status: 'dead' };
    return rows<OutboxDoc>(oemOutbox().where(cursor ? _.and([where, olderThan('createdAt', cursor)]) : where).orderBy('createdAt', 'desc').orderBy('_id', 'desc').limit(limit + 1));
  },

  /** The store's newest sent entry (when the store last sent anything). */
  lastSent: (storeId: string) => rows<OutboxDoc>(oemOutbox().where({ storeId, status: 'sent' }).orderBy('createdAt', 'desc').limit(1)),
};

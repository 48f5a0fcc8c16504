import { Collections, type EventDoc, type TouchpointType } from '../../../types/model';
import type { Cursor } from '../../_core/cursor';
import { addOnce, byIds, db, _, olderThan, pagesOf, rows } from '../cloud';

const events = () => db.collection(Collections.events);

/** An event as stored: `pending` is set from its insert until its projection commits. */
export type PendingEvent = EventDoc & { pending?: true };

export const eventRepo = {
  /** Which of these ids are stored already. */
  async existingIds(ids: string[]): Promise<Set<string>> {
    return new Set((await byIds<Pick<EventDoc, '_id'>>(Collections.events, ids, [])).map((e) => e._id));
  },

  /**
   * Appends one event; false when its id is stored already (a concurrent retry won). With
   * `pending` the event is marked as not yet projected: the pipeline clears the mark in the
   * transaction that projects it, and the repair job finds events left marked by a crash.
   */
  async insert(e: EventDoc, opts: { pending?: boolean } = {}): Promise<boolean> {
    return addOnce(Collections.events, opts.pending ? { ...e, pending: true } : e);
  },

  /** Stored events by id, with their pending mark. */
  getMany(ids: readonly string[]): Promise<PendingEvent[]> {
    return byIds<PendingEvent>(Collections.events, ids);
  },

  /** Every event of these customers (a replay: rare, after a model change or for a missing state). */
  async ofCustomers(customerIds: string[]): Promise<PendingEvent[]> {
    if (!customerIds.length) return [];
    const out: PendingEvent[] = [];
    for await (const page of pagesOf<PendingEvent>(Collections.events, { customerId: _.in(customerIds) })) out.push(...page);
    return out;
  },

  /** Events still marked pending that were received before `before` (left by a crash). */
  pendingBefore(before: number, limit: number): Promise<PendingEvent[]> {
    return rows<PendingEvent>(events().where({ pending: true, receivedAt: _.lte(before) }).orderBy('receivedAt', 'asc').limit(limit));
  },

  /** A customer's touchpoints (with those of the customers merged into it), newest first, optionally of some types only. */
  timelinePage(customerIds: string | string[], types: TouchpointType[] | undefined, cursor: Cursor | undefined, limit: number): Promise<EventDoc[]> {
    const ids = typeof customerIds === 'string' ? [customerIds] : customerIds;
    const where: Record<string, unknown> = { customerId: ids.length === 1 ? ids[0] : _.in(ids) };
    if (types?.length) where.type = _.in(types);
    const conditions = cursor
      ? _.and([where, olderThan('timestamp', cursor)])
      : where;
    return rows<EventDoc>(events().where(conditions).orderBy('timestamp', 'desc').orderBy('_id', 'desc').limit(limit + 1));
  },
};

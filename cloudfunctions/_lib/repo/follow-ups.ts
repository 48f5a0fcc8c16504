/**
 * Follow-up documents (`followUps`, `_id` = the event's messageId). Written only by the
 * pipeline, in the transaction that applies their event; read here for the profile's list.
 */
import { Collections, type FollowUpDoc } from '../../../types/model';
import type { Cursor } from '../../_core/cursor';
import { byIds, db, _, olderThan, rows } from '../cloud';

const followUps = () => db.collection(Collections.followUps);

export const followUpRepo = {
  get: async (id: string): Promise<FollowUpDoc | undefined> => (await byIds<FollowUpDoc>(Collections.followUps, [id]))[0],

  /** A page (`limit + 1` rows, for `pageOf`) of these customers' follow-ups, newest first. */
  page(customerIds: readonly string[], cursor: Cursor | undefined, limit: number): Promise<FollowUpDoc[]> {
    const where = { customerId: _.in([...customerIds]) };
    const cond = cursor ? _.and([where, olderThan('at', cursor)]) : where;
    return rows<FollowUpDoc>(followUps().where(cond).orderBy('at', 'desc').orderBy('_id', 'desc').limit(limit + 1));
  },
};

import { Collections, type EventDoc, type TouchpointType } from '../../../types/model';
import type { Cursor } from '../../_core/cursor';
import { db, _, rows } from '../cloud';

const events = () => db.collection(Collections.events);

export const eventRepo = {
  /** A customer's touchpoints, newest first, optionally of some types only. */
  timelinePage(customerId: string, types: TouchpointType[] | undefined, cursor: Cursor | undefined, limit: number): Promise<EventDoc[]> {
    const where: Record<string, unknown> = { customerId };
    if (types?.length) where.type = _.in(types);
    const conditions = cursor
      ? _.and([where, _.or([{ timestamp: _.lt(cursor.value) }, { timestamp: cursor.value, _id: _.lt(cursor.id) }])])
      : where;
    return rows<EventDoc>(events().where(conditions).orderBy('timestamp', 'desc').orderBy('_id', 'desc').limit(limit + 1));
  },
};

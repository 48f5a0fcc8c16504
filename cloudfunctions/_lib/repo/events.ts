import { Collections, type EventDoc, type TouchpointType } from '../../../types/model';
import type { Cursor } from '../../_core/cursor';
import { db, _, isDuplicateKey, rows } from '../cloud';

const events = () => db.collection(Collections.events);

export const eventRepo = {
  /** Which of these ids are stored already. */
  async existingIds(ids: string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const found = await rows<Pick<EventDoc, '_id'>>(events().where({ _id: _.in(ids) }).field({ _id: true }).limit(ids.length));
    return new Set(found.map((e) => e._id));
  },

  /** Appends one event; false when its id is stored already (a concurrent retry won). */
  async insert(e: EventDoc): Promise<boolean> {
    try {
      await events().add({ data: e });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  },

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

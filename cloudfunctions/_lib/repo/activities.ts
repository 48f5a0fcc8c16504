import { Collections, type ActivityDoc } from '../../../types/model';
import { db, _, firstRow, rows } from '../cloud';

const activities = () => db.collection(Collections.activities);

export const activityRepo = {
  get: (id: string) => firstRow<ActivityDoc>(activities().where({ _id: id })),
  /** Activities that have not ended yet, soonest first. */
  upcoming(now: number, storeId?: string): Promise<ActivityDoc[]> {
    const where: Record<string, unknown> = { endAt: _.gt(now) };
    if (storeId) where.storeId = storeId;
    return rows<ActivityDoc>(activities().where(where).orderBy('startAt', 'asc').limit(50));
  },
};

/** Places at activities: taken with one conditional update, so concurrent registrations never pass `capacity`. */
export const placeRepo = {
  /** Takes a place if one is left; false when the activity is full. */
  async reserve(a: Pick<ActivityDoc, '_id' | 'capacity'>): Promise<boolean> {
    const res = (await activities()
      .where(_.and([{ _id: a._id }, _.or([{ registered: _.lt(a.capacity) }, { registered: _.exists(false), capacity: _.gt(0) }])]))
      .update({ data: { registered: _.inc(1) } })) as { stats: { updated: number } };
    return res.stats.updated > 0;
  },
  /** Gives a place back (a cancellation, or a reservation a concurrent call made unnecessary). */
  release: (id: string) => activities().where({ _id: id, registered: _.gt(0) }).update({ data: { registered: _.inc(-1) } }),
};

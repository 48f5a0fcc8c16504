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

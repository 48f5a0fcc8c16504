/** activities: store events customers are invited to. Public: an invitation opens before sign-in. */
import type { ActivityView } from '../../types/api';
import type { ActivityDoc } from '../../types/model';
import { action, defineFunction } from '../_lib/entry';
import { ApiError } from '../_lib/errors';
import { activityRepo } from '../_lib/repo/activities';
import { storeRepo } from '../_lib/repo/staff';

const everyone = ['anonymous', 'customer', 'consultant', 'manager'] as const;

async function view(a: ActivityDoc): Promise<ActivityView> {
  const store = await storeRepo.get(a.storeId);
  return {
    id: a._id,
    title: a.title,
    description: a.description,
    storeName: store?.name ?? '',
    address: a.address,
    startAt: a.startAt,
    endAt: a.endAt,
    perks: a.perks,
    capacity: a.capacity,
  };
}

export const main = defineFunction('activities', {
  get: action(everyone, async ({ activityId }) => {
    const a = await activityRepo.get(activityId);
    if (!a) throw new ApiError('NOT_FOUND', `activityId: no activity ${activityId}`);
    return view(a);
  }),
  upcoming: action(everyone, async ({ storeId }, { now }) => Promise.all((await activityRepo.upcoming(now, storeId)).map(view))),
});

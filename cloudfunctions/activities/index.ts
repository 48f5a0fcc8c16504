/**
 * activities: store events customers are invited to. Public: an invitation opens before sign-in.
 * The customer's actions (open, beat, share, consent, register, cancel, mine) are authenticated
 * by the tracked link's signature and what the platform vouches for (OPENID; on H5 the page's
 * device token with the link), never by a staff session: see `_lib/invite.ts` and
 * docs/decisions/0015-customer-side-of-the-invitation.md.
 */
import { action, defineFunction } from '../_lib/entry';
import { ApiError } from '../_lib/errors';
import { activityView, beat, cancel, closeSilentVisits, consent, mine, openInvitation, register, share } from '../_lib/invite';
import { activityRepo } from '../_lib/repo/activities';
import { storeRepo } from '../_lib/repo/staff';

const everyone = ['anonymous', 'customer', 'consultant', 'manager'] as const;
/** Customers, and anyone the platform or a link may vouch for; staff only preview. */
const customers = ['anonymous', 'customer', 'consultant', 'manager'] as const;

export const main = defineFunction(
  'activities',
  {
    get: action(everyone, async ({ activityId }) => {
      const a = await activityRepo.get(activityId);
      if (!a) throw new ApiError('NOT_FOUND', `activityId: no activity ${activityId}`);
      return activityView(a, await storeRepo.get(a.storeId));
    }),
    upcoming: action(everyone, async ({ storeId }, { now }) => {
      const list = await activityRepo.upcoming(now, storeId);
      const stores = new Map((await Promise.all([...new Set(list.map((a) => a.storeId))].map((id) => storeRepo.get(id)))).filter((s) => !!s).map((s) => [s._id, s]));
      return list.map((a) => activityView(a, stores.get(a.storeId)));
    }),
    open: action(customers, (p, { caller, now }) => openInvitation(caller, p, now)),
    beat: action(customers, (p, { caller, now }) => beat(caller, p, now)),
    share: action(customers, (p, { caller, now }) => share(caller, p, now)),
    consent: action(customers, (p, { caller, now }) => consent(caller, p, now)),
    register: action(customers, (p, { caller, now }) => register(caller, p, now)),
    cancel: action(customers, (p, { caller, now }) => cancel(caller, p, now)),
    mine: action(customers, (p, { caller, now }) => mine(caller, p, now)),
  },
  { timers: { 'close-visits': (now) => closeSilentVisits(now) } },
);

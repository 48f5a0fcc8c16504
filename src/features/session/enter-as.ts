import type { Me } from '@/contract';
import { restartAt, routes } from '@/platform/navigation';
import { firstUpcomingActivityId } from '@/stores/activity-store';

/** Where each role starts: consultants at their leads, managers at the store, customers at their invitation. */
export async function enterAs(me: Me): Promise<void> {
  if (me.role === 'consultant') return restartAt(routes.leads);
  if (me.role === 'manager') return restartAt(routes.managerHome);
  const activityId = await firstUpcomingActivityId().catch(() => undefined);
  restartAt(routes.inviteActivity, activityId ? { id: activityId } : undefined);
}

import type { Me, Role } from '@/contract';
import { restartAt, routes, type Route } from '@/platform/navigation';
import { firstUpcomingActivityId } from '@/stores/activity-store';

/** The page each role starts at: consultants at their leads, managers at the store, customers at their invitation. */
export function homeOf(role: Role | undefined): Route {
  if (role === 'consultant') return routes.leads;
  if (role === 'manager') return routes.managerHome;
  if (role === 'customer') return routes.inviteActivity;
  return SIDEKICK_DEMO ? routes.signIn : routes.leads;
}

/** Takes the person to where their role starts (a customer to the invitation they have). */
export async function enterAs(me: Me): Promise<void> {
  if (me.role !== 'customer') return restartAt(homeOf(me.role));
  const activityId = await firstUpcomingActivityId().catch(() => undefined);
  restartAt(routes.inviteActivity, activityId ? { id: activityId } : undefined);
}

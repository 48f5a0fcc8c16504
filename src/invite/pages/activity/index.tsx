import { ActivityInvitation } from '@/features/invite/activity-invitation';
import { SessionGate } from '@/features/session/session-gate';
import { usePageParams } from '@/platform/page';

/** Independent package: opens from a shared invitation without the main package. */
export default function ActivityPage() {
  const { id } = usePageParams();
  return (
    <SessionGate>
      <ActivityInvitation activityId={id} />
    </SessionGate>
  );
}

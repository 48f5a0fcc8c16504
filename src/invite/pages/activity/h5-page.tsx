import { ActivityInvitation } from '@/features/invite/activity-invitation';
import { SessionGate } from '@/features/session/session-gate';
import { usePageParams } from '@/platform/page';

/** The H5 invitation page (entered through index.h5.ts). */
export default function ActivityPage() {
  const { id } = usePageParams();
  return (
    <SessionGate>
      <ActivityInvitation activityId={id} />
    </SessionGate>
  );
}

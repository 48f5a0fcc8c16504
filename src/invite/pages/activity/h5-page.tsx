import { ActivityInvitation } from '@/features/invite/activity-invitation';
import { TrackedInvitationView } from '@/features/invite/tracked-invitation';
import { PageFrame } from '@/features/session/page-frame';
import { usePageParams } from '@/platform/page';

/**
 * The H5 invitation page (entered through index.h5.ts). With a tracked link (`t`) it is the
 * customer's: no sign-in, authenticated by the link and this browser's device token. Without,
 * signed-in people (staff seeing what they send, a demo customer) see the event.
 */
export default function ActivityPage() {
  const { id, t } = usePageParams();
  if (t) return <TrackedInvitationView link={t} />;
  return (
    <PageFrame title='活动邀请'>
      <ActivityInvitation activityId={id} />
    </PageFrame>
  );
}
